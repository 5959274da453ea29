"""The term clauses as one plain French sentence."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from partenariats.terms import TIMELINE_KINDS
from partenariats.terms.sentence import TIMELINE_KIND_LABELS, describe_terms

SEED_004 = {
    "start": "signature",
    "duration_months": 24,
    "tacit_renewal": True,
    "renewal_months": 24,
    "notice_by_registered_letter": True,
    "termination_effect": "next_school_year_start",
}


def test_it_writes_the_issue_s_example():
    assert describe_terms(SEED_004, date(2021, 3, 18)) == (
        "Conclue pour 2 ans à compter du 18 mars 2021, reconduite tacitement ; "
        "résiliable par lettre recommandée avec effet à la rentrée scolaire suivante."
    )


@pytest.mark.parametrize(
    ("terms", "start", "expected"),
    [
        ({"duration_months": 18}, None, "Conclue pour 18 mois à compter de sa signature"),
        ({"duration_months": 12}, None, "Conclue pour 1 an à compter de sa signature"),
        ({"duration_months": 60}, date(2020, 9, 1), "Conclue pour 5 ans à compter du 1er septembre 2020"),
        ({"indefinite": True, "duration_months": 36}, None, "Conclue pour une durée indéterminée"),
        ({}, None, "Conclue sans durée précisée à compter de sa signature"),
        ({"start": "2022-01-10", "duration_months": 36}, None, "à compter du 10 janvier 2022"),
        ({"start": "2018-05", "duration_months": 36}, None, "à compter de mai 2018"),
        (
            {"duration_months": 36, "tacit_renewal": None},
            None,
            "3 ans à compter de sa signature, reconduction non précisée",
        ),
        (
            {"duration_months": 36, "tacit_renewal": False},
            None,
            "renouvelable uniquement par avenant ou nouvelle convention",
        ),
        (
            {"duration_months": 36, "tacit_renewal": True, "renewal_months": 12},
            None,
            "reconduite tacitement par périodes de 1 an",
        ),
        (
            {"duration_months": 36, "provisional_extension_months": 6},
            None,
            "maintenue au plus 6 mois pendant sa renégociation",
        ),
        (
            {"notice_months": 3, "termination_effect": "end_of_notice"},
            None,
            "moyennant un préavis de 3 mois avec effet à l’issue du préavis.",
        ),
        ({"notice_months": 3}, None, "résiliable moyennant un préavis de 3 mois."),
        ({"termination_effect": "end_of_period"}, None, "avec effet à la fin de la période en cours."),
        ({"termination_effect": "end_of_notice"}, None, "avec effet à l’issue du préavis."),
        (
            {"termination_effect": "fixed_date", "termination_date": "2026-08-31"},
            None,
            "avec effet au 31 août 2026.",
        ),
        ({"termination_effect": "fixed_date"}, None, "avec effet à une date fixée."),
        ({"notice_by_registered_letter": False, "notice_months": 2}, None, "sans forme imposée moyennant un préavis"),
        ({"duration_months": 24}, None, "; conditions de résiliation non précisées."),
    ],
)
def test_it_says_each_clause(terms, start, expected):
    assert expected in describe_terms(terms, start)


def test_it_says_the_month_when_only_the_month_of_signature_is_known():
    assert "à compter de mai 2018" in describe_terms({"duration_months": 36}, date(2018, 5, 1), month_only=True)


def test_it_does_not_speak_of_renewal_for_an_indefinite_term():
    sentence = describe_terms({"indefinite": True, "tacit_renewal": True}, None)
    assert "reconduite" not in sentence


def test_it_reads_values_of_the_wrong_type_as_not_stated():
    sentence = describe_terms({"duration_months": "deux ans", "tacit_renewal": "oui", "notice_months": True}, None)
    assert sentence == (
        "Conclue sans durée précisée à compter de sa signature ; conditions de résiliation non précisées."
    )


months = st.one_of(st.none(), st.integers(min_value=-5, max_value=1200), st.text(max_size=5), st.booleans())
flags = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=3))
iso_dates = st.dates(min_value=date(1900, 1, 1), max_value=date(2199, 12, 31)).map(date.isoformat)
terms_strategy = st.fixed_dictionaries(
    {},
    optional={
        "start": st.one_of(st.none(), st.just("signature"), iso_dates, st.text(max_size=10)),
        "duration_months": months,
        "indefinite": flags,
        "tacit_renewal": flags,
        "renewal_months": months,
        "provisional_extension_months": months,
        "notice_months": months,
        "notice_by_registered_letter": flags,
        "termination_effect": st.one_of(
            st.none(),
            st.sampled_from(["end_of_notice", "end_of_period", "next_school_year_start", "fixed_date", ""]),
            st.text(max_size=5),
        ),
        "termination_date": st.one_of(st.none(), iso_dates, st.text(max_size=10)),
    },
)


@given(terms_strategy, st.one_of(st.none(), st.dates()), st.booleans())
def test_it_always_writes_one_clean_sentence(terms, start, month_only):
    sentence = describe_terms(terms, start, month_only=month_only)
    assert sentence.startswith("Conclue ")
    assert sentence.endswith(".")
    assert sentence.count(".") == 1
    assert "None" not in sentence
    assert "  " not in sentence


def test_it_names_every_timeline_kind_in_french():
    assert set(TIMELINE_KIND_LABELS) == set(TIMELINE_KINDS)
