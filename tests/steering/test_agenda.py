"""The agenda typed in a textarea (« titre : précision », one item per line) reads back as written."""

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from partenariats.steering.meetings import AXIS_DETAIL, MeetingError, _axis_title, agenda_to_text, parse_agenda


def one_line(text: str) -> str:
    return " ".join(text.split())


# What a title may hold: anything on one line but « : » (the separator), not starting with a bullet.
TITLES = (
    st.text(st.characters(blacklist_characters=":", blacklist_categories=("Cs",)), min_size=1, max_size=80)
    .map(one_line)
    .map(lambda title: title.lstrip("-•* "))
    .filter(bool)
)
DETAILS = st.text(st.characters(blacklist_categories=("Cs",)), max_size=120).map(one_line)
ITEMS = st.lists(st.fixed_dictionaries({"title": TITLES, "detail": DETAILS}), max_size=30)


@given(items=ITEMS)
@example(items=[{"title": "Article 2 – Découverte des métiers", "detail": "Axe du plan"}])
@example(items=[{"title": "Bilan", "detail": "horaires : 14 h – 16 h : salle 2"}])
@example(items=[{"title": "Questions diverses", "detail": ""}])
def test_an_agenda_reads_back_as_written(items):
    assert parse_agenda(agenda_to_text(items)) == items


@given(heading=st.text(st.characters(blacklist_categories=("Cs",)), max_size=400))
@example(heading="Article 2 – Découverte des métiers : stages et visites")
@example(heading="- : -")
def test_an_axis_item_of_the_template_reads_back_whatever_its_article(heading):
    items = [{"title": _axis_title(heading), "detail": AXIS_DETAIL}]
    assert parse_agenda(agenda_to_text(items)) == items


def test_an_item_is_split_at_its_first_colon():
    assert parse_agenda("- Bilan : présenté par la fédération : 20 min\n\n• Décisions") == [
        {"title": "Bilan", "detail": "présenté par la fédération : 20 min"},
        {"title": "Décisions", "detail": ""},
    ]


def test_too_many_items_are_refused():
    with pytest.raises(MeetingError, match="plus de 30 points"):
        parse_agenda("\n".join(f"Point {n}" for n in range(31)))
