"""Personas shared by the whole suite, made once per test from the reference territories."""

import pytest
from django.core.cache import cache
from hypothesis import settings

from partenariats.accounts.models import Role
from tests.factories import AssignmentFactory, BasinFactory, OrganisationFactory, UserFactory, academy

# Hypothesis's per-example deadline is a timing assertion: on a busy 2-core CI machine an
# example can take 300 ms for reasons that are not the code's. Speed is measured by the bench.
settings.register_profile("partenariats", deadline=None)
settings.load_profile("partenariats")

PASSWORD = "Mot-de-passe-1234!"


@pytest.fixture
def aix():
    return academy("Aix-Marseille")


@pytest.fixture
def nice():
    return academy("Nice")


@pytest.fixture
def school(aix):
    return OrganisationFactory(school=True, academy=aix)


@pytest.fixture
def company(aix):
    return OrganisationFactory(company=True, academy=aix)


def _user_with(role, **scope):
    user = UserFactory()
    AssignmentFactory(user=user, role=role, **scope)
    return user


@pytest.fixture
def platform_admin():
    user = UserFactory(is_staff=True, is_superuser=True)
    AssignmentFactory(user=user, role=Role.PLATFORM_ADMIN, academy=None)
    return user


@pytest.fixture
def academy_staff(aix):
    """A chargée de mission at the DAFPIC of Aix-Marseille."""
    return _user_with(Role.ACADEMY_STAFF, academy=aix)


@pytest.fixture
def academy_admin(aix):
    """Académie staff who also manages the accounts of Aix-Marseille."""
    return _user_with(Role.ACADEMY_STAFF, academy=aix, manages_accounts=True)


@pytest.fixture
def colleague_elsewhere(nice):
    """Académie staff in another académie (Nice), same région académique."""
    return _user_with(Role.ACADEMY_STAFF, academy=nice)


@pytest.fixture
def clee_member(aix):
    return _user_with(Role.CLEE_MEMBER, academy=None, basin=BasinFactory(academy=aix))


@pytest.fixture
def school_head(school):
    return _user_with(Role.SCHOOL_STAFF, academy=None, organisation=school)


@pytest.fixture
def partner_contact(company):
    return _user_with(Role.PARTNER_STAFF, academy=None, organisation=company)


@pytest.fixture
def observer(aix):
    return _user_with(Role.OBSERVER, academy=aix)


@pytest.fixture
def outsider():
    """Logged in, but with no role at all."""
    return UserFactory()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Every test starts with an empty cache: a rolled-back test's data version may come again."""
    cache.clear()


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a block of writes, then what its commit would run (the data version of the cache is
    renewed on commit: the test's own transaction never commits)."""

    def run(write):
        with django_capture_on_commit_callbacks(execute=True):
            return write()

    return run
