"""The deadlines of a convention, read from the terms engine, and of the conventions a user follows."""

import datetime

import pytest

from partenariats.conventions import deadlines
from partenariats.conventions.deadlines import (
    CONTACT_EXCHANGE,
    END_OF_TERM,
    NOTICE_DEADLINE,
    PROVISIONAL_END,
    STEERING_COMMITTEE,
    deadlines_of,
    followed_by,
    upcoming,
)
from partenariats.conventions.models import Convention, EventKind, TerminationEffect
from partenariats.conventions.services import record_event, refresh_terms
from tests.factories import ConventionFactory, academy

pytestmark = pytest.mark.django_db

D = datetime.date


def kinds_and_days(found):
    return [(deadline.kind, deadline.due_on) for deadline in found]


def test_it_gives_the_notice_deadline_of_a_tacitly_renewed_convention():
    # Signed 18 March 2021 for two years, renewed tacitly, three months' notice.
    convention = ConventionFactory(signed=True)
    found = deadlines_of(convention, D(2026, 11, 1), start=D(2026, 11, 1), end=D(2027, 1, 30))
    assert kinds_and_days(found) == [(NOTICE_DEADLINE, D(2026, 12, 17))]
    assert found[0].title == "Date limite de préavis"
    assert "reconduction du 18 mars 2027" in found[0].label
    assert found[0].uid == f"{convention.pk}-notice_deadline-2026-12-17@partenariats"


def test_a_tacit_renewal_is_no_end_of_term():
    convention = ConventionFactory(signed=True)
    found = deadlines_of(convention, D(2027, 2, 1), start=D(2027, 2, 1), end=D(2027, 3, 31))
    # The period ends on 17 March 2027 and the next one starts the day after: only the committee falls due.
    assert kinds_and_days(found) == [(STEERING_COMMITTEE, D(2027, 3, 18))]


def test_it_gives_the_end_of_a_fixed_term_once():
    convention = ConventionFactory(signed=True, duration_months=60, tacit_renewal=False, renewal_months=None)
    found = deadlines_of(convention, D(2026, 3, 1), start=D(2026, 3, 1), end=D(2026, 4, 30))
    # The engine also says "expired" on the 18th: one deadline, the last day in force.
    assert kinds_and_days(found) == [(END_OF_TERM, D(2026, 3, 17))]
    assert found[0].title == "Fin de la convention"
    assert "pas reconduite" in found[0].label


def test_it_gives_the_end_of_a_provisional_continuation(academy_staff):
    convention = ConventionFactory(
        signed=True, duration_months=36, tacit_renewal=False, renewal_months=None, provisional_extension_months=6
    )
    record_event(convention, kind=EventKind.RENEGOTIATION_OPENED, on=D(2024, 1, 10), by_user=academy_staff)
    found = deadlines_of(convention, D(2024, 3, 1), start=D(2024, 3, 1), end=D(2024, 12, 31))
    assert (END_OF_TERM, D(2024, 3, 17)) in kinds_and_days(found)
    assert (PROVISIONAL_END, D(2024, 9, 17)) in kinds_and_days(found)
    end_of_period = next(d for d in found if d.kind == END_OF_TERM)
    assert "maintenue pendant la renégociation" in end_of_period.label
    # Nothing after the provisional continuation: no committee of a convention out of force.
    assert max(d.due_on for d in found) == D(2024, 9, 17)


def test_it_gives_the_committee_and_the_contact_exchange():
    convention = ConventionFactory(signed=True, contact_exchange_month=9, steering_committee_month=6)
    found = deadlines_of(convention, D(2026, 5, 1), start=D(2026, 5, 1), end=D(2026, 9, 30))
    assert kinds_and_days(found) == [(STEERING_COMMITTEE, D(2026, 6, 1)), (CONTACT_EXCHANGE, D(2026, 9, 1))]
    assert found[0].label.startswith("Réunir le comité de pilotage")
    assert "listes de contacts" in found[1].label


def test_a_notice_given_replaces_the_notice_deadline_by_the_effective_end(academy_staff):
    convention = ConventionFactory(signed=True, termination_effect=TerminationEffect.END_OF_PERIOD)
    record_event(convention, kind=EventKind.NOTICE_GIVEN, on=D(2026, 10, 2), by_user=academy_staff)
    found = deadlines_of(convention, D(2026, 11, 1), start=D(2026, 11, 1), end=D(2027, 6, 30))
    assert kinds_and_days(found) == [(END_OF_TERM, D(2027, 3, 17))]
    assert "préavis ou résiliation" in found[0].label


def test_it_lists_the_conventions_a_user_owns_or_follows_and_still_sees(academy_staff, colleague_elsewhere):
    owned = ConventionFactory(signed=True)
    owned.owners.add(academy_staff)
    followed = ConventionFactory(signed=True)
    followed.followers.add(academy_staff, colleague_elsewhere)
    ConventionFactory(signed=True)  # neither
    assert set(followed_by(academy_staff)) == {owned, followed}
    # Nice's staff follows a convention of Aix-Marseille alone: out of their scope, out of their list.
    assert list(followed_by(colleague_elsewhere)) == []


def test_it_leaves_conventions_that_ended_long_ago_out_of_the_engine(monkeypatch):
    old = ConventionFactory(signed=True, duration_months=24, tacit_renewal=False, renewal_months=None)
    live = ConventionFactory(signed=True)
    refresh_terms(old, D(2026, 11, 1))
    refresh_terms(live, D(2026, 11, 1))
    computed = []
    original = deadlines.deadlines_of
    monkeypatch.setattr(deadlines, "deadlines_of", lambda c, *a, **k: computed.append(c) or original(c, *a, **k))
    upcoming(Convention.objects.all(), D(2026, 11, 1), start=D(2026, 11, 1), end=D(2027, 1, 30))
    assert computed == [live]


def test_it_computes_many_conventions_in_a_fixed_number_of_queries(django_assert_max_num_queries):
    nice = academy("Nice")
    ConventionFactory(signed=True)

    def count_queries() -> int:
        with django_assert_max_num_queries(100) as captured:
            found = upcoming(Convention.objects.all(), D(2026, 11, 1), start=D(2026, 11, 1), end=D(2027, 1, 30))
        return len(captured), len(found)

    few, found_few = count_queries()
    for _ in range(4):
        ConventionFactory(signed=True, academy=nice, contact_exchange_month=12)
    many, found_many = count_queries()
    assert found_many > found_few
    assert many == few
