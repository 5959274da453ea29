import pytest

from tests.factories import token_for


@pytest.fixture
def bearer():
    """The Authorization header of a fresh API token of ``user``."""

    def headers_for(user) -> dict[str, str]:
        return {"Authorization": f"Bearer {token_for(user)}"}

    return headers_for
