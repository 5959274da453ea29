"""The review's French sentences from numbers: every number written, the right number agreement."""

import datetime
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from partenariats.activities.models import ActivityKind
from partenariats.charts import format_number
from partenariats.steering import sentences
from partenariats.steering.sentences import METRIC_NOUNS, Clause, noun
from tests.test_consistency import PACKAGE_DIR, framework_imports

KINDS = [noun(label) for value, label in ActivityKind.choices if value != ActivityKind.OTHER]
THINGS = st.sampled_from([*KINDS, *METRIC_NOUNS.values(), sentences.ACTION])
COUNTS = st.integers(min_value=0, max_value=10_000_000)
TARGETS = st.none() | COUNTS


def test_it_writes_the_example_of_the_issue():
    sentence = sentences.figures_sentence(
        [
            Clause(noun("Visite d’entreprise"), 12, 10),
            Clause(METRIC_NOUNS["pupils"], 300, 300, participle="", pupils=True),
        ],
        priority_pupils=100,
    )
    assert sentence == (
        "12 visites d’entreprise réalisées pour 10 prévues, 300 participations d’élèves pour 300 prévues, "
        "dont 33\u202f% en éducation prioritaire"
    )


def test_it_agrees_in_gender_and_number():
    assert (
        sentences.realised_sentence(noun("Visite d’entreprise"), 1, 1) == "1 visite d’entreprise réalisée pour 1 prévue"
    )
    assert sentences.realised_sentence(noun("Prêt de salle"), 3, None) == "3 prêts de salle réalisés (sans cible)"
    assert sentences.realised_sentence(None, 0, 5) == "aucune activité réalisée pour 5 prévues"
    assert sentences.realised_sentence(None, 4, 5) == "4 actions réalisées pour 5 prévues"
    assert sentences.realised_sentence(noun("Concours"), 0, 2) == "aucun concours réalisé pour 2 prévus"
    assert (
        sentences.realised_sentence(METRIC_NOUNS["hours"], Decimal("1.5"), 2, participle="")
        == "1,5 heure pour 2 prévues"
    )
    assert sentences.realised_sentence(METRIC_NOUNS["pupils"], 1234, None, participle="") == (
        "1\u202f234 participations d’élèves (sans cible)"
    )


def test_it_puts_the_head_of_a_noun_phrase_in_the_plural():
    assert noun("Journée d’immersion d’enseignants").plural == "journées d’immersion d’enseignants"
    assert noun("Stand sur un forum ou un salon").plural == "stands sur un forum ou un salon"
    assert noun("Événement d’orientation").plural == "événements d’orientation"
    assert noun("Période de formation en milieu professionnel (PFMP) accueillie").plural == (
        "périodes de formation en milieu professionnel (PFMP) accueillies"
    )
    assert sentences.plural_word("journal") == "journaux"
    assert sentences.plural_word("bureau") == "bureaux"
    assert sentences.plural_word("concours") == "concours"


def test_it_rounds_the_share_half_up():
    assert sentences.share(100, 300) == 33
    assert sentences.share(1, 200) == 1  # 0,5 %
    assert sentences.share(2, 3) == 67
    assert sentences.share(5, 0) is None
    assert sentences.priority_clause(0, 0) == ""


def test_it_leaves_out_a_nil_share_of_education_prioritaire():
    nnbsp = "\u202f"
    assert sentences.priority_clause(0, 300) == ""
    assert sentences.priority_clause(1, 300) == f"dont moins de 1{nnbsp}% en éducation prioritaire"
    assert sentences.priority_clause(100, 300) == f"dont 33{nnbsp}% en éducation prioritaire"
    sentence = sentences.figures_sentence(
        [sentences.Clause(sentences.METRIC_NOUNS["pupils"], 300, 300, participle="", pupils=True)], priority_pupils=0
    )
    assert "éducation prioritaire" not in sentence
    assert sentence.endswith("pour 300 prévues")


def test_it_writes_dates_in_french():
    assert sentences.french_date(datetime.date(2021, 3, 1)) == "1er mars 2021"
    assert sentences.french_date(datetime.date(2026, 6, 30)) == "30 juin 2026"
    assert sentences.french_date(None) == ""


@given(thing=THINGS, realised=COUNTS, target=TARGETS)
def test_every_number_appears_with_the_right_agreement(thing, realised, target):
    sentence = sentences.realised_sentence(thing, realised, target)
    if realised:
        assert sentence.startswith(f"{format_number(realised)} {thing.form(realised)}")
    else:
        assert sentence.startswith(("aucun ", "aucune "))
    if target is None:
        assert sentence.endswith("(sans cible)")
    else:
        assert sentence.endswith(
            f" pour {format_number(target)} {'prévue' if thing.feminine else 'prévu'}" + "s" * (target >= 2)
        )
    # Singular for 0 and 1, plural from 2 on: never « 1 visites ».
    if realised < 2 and thing.plural != thing.singular:
        assert thing.plural not in sentence
    if realised >= 2:
        assert thing.plural in sentence


@given(
    rows=st.lists(st.tuples(THINGS, COUNTS, TARGETS), min_size=1, max_size=4),
    priority=st.integers(min_value=0, max_value=100),
)
def test_a_sentence_of_several_clauses_keeps_every_number(rows, priority):
    clauses = [
        Clause(thing, realised, target, pupils=index == 0) for index, (thing, realised, target) in enumerate(rows)
    ]
    priority_pupils = min(priority, rows[0][1])
    sentence = sentences.figures_sentence(clauses, priority_pupils=priority_pupils)
    assert not sentence[0].islower()  # a capital, or a figure
    for _thing, realised, target in rows:
        if realised:
            assert format_number(realised) in sentence
        if target is not None:
            assert f"pour {format_number(target)} " in sentence
    if rows[0][1]:
        share = sentences.share(priority_pupils, rows[0][1])
        assert 0 <= share <= 100
        if not priority_pupils:
            assert "éducation prioritaire" not in sentence
        elif share == 0:
            assert "dont moins de 1\u202f% en éducation prioritaire" in sentence
        else:
            assert f"dont {share}\u202f% en éducation prioritaire" in sentence


@given(value=st.decimals(min_value=0, max_value=1_000_000, places=1, allow_nan=False, allow_infinity=False))
def test_decimals_are_plural_from_two(value):
    sentence = sentences.realised_sentence(METRIC_NOUNS["hours"], value, None, participle="")
    if value:
        assert sentence.startswith(format_number(value) + (" heures" if value >= 2 else " heure "))


def test_it_stays_free_of_django():
    assert framework_imports(PACKAGE_DIR / "steering" / "sentences.py") == []
