"""The platform's PostgreSQL connections are tuned for the readers' scopes (docs/performance.md)."""

import pytest
from django.db import connection

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's own settings"),
]


def setting(name: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SHOW {name}")
        return cursor.fetchone()[0]


def test_every_connection_can_hash_a_national_scope_and_never_compiles_queries():
    # With PostgreSQL's default 4MB, the shared activities of the national conventions did not fit
    # in a hash: the planner ran their subquery again for every row (minutes for one list).
    assert setting("work_mem") == "64MB"
    assert setting("jit") == "off"


def test_every_connection_prices_a_random_read_as_on_a_solid_state_disk():
    # With the spinning disks' 4, the busiest school's activity list scanned a whole school year.
    assert setting("random_page_cost") == "1.1"
