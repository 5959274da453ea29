"""The chart module: SVG fit for a page under a strict CSP, PNG for Word, the same numbers in a table."""

import json
import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from partenariats.charts import Chart, ChartKind, Series, format_number

SVG = "{http://www.w3.org/2000/svg}"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def target_chart(**overrides) -> Chart:
    values = {
        "title": "Cibles et réalisé par action",
        "categories": ["Action 1 – Participations d’élèves", "Action 2 – Actions réalisées"],
        "series": [Series("Cible", [100, None], color="#CACAFB"), Series("Réalisé", [34, 2])],
        "kind": ChartKind.HBARS,
        "category_header": "Action",
    }
    return Chart(**(values | overrides))


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 (our own output)


@pytest.mark.parametrize("kind", list(ChartKind))
def test_it_draws_an_accessible_svg_without_script_style_or_external_reference(kind):
    svg = target_chart(kind=kind).svg()

    root = parse(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("aria-label") == "Cibles et réalisé par action"
    assert root.find(f"{SVG}title").text == "Cibles et réalisé par action"
    assert "tableau de données" in root.find(f"{SVG}desc").text
    assert "<script" not in svg
    assert root.find(f".//{SVG}style") is None
    assert not [element for element in root.iter() if element.get("style")]
    hrefs = [value for element in root.iter() for name, value in element.attrib.items() if name.endswith("href")]
    assert hrefs
    assert all(href.startswith("#") for href in hrefs)
    assert "http" not in re.sub(r'xmlns(:\w+)?="[^"]+"', "", svg)


def test_it_keeps_text_as_text_in_the_page_font():
    root = parse(target_chart().svg())

    texts = [element for element in root.iter(f"{SVG}text")]
    assert "Action 1 – Participations d’élèves" in [text.text for text in texts]
    assert {text.get("font-family") for text in texts} == {"'Marianne', 'Arial', 'DejaVu Sans', sans-serif"}


def test_it_gives_the_same_svg_and_png_for_the_same_chart():
    assert target_chart().svg() == target_chart().svg()
    assert target_chart().png() == target_chart().png()


def test_it_gives_two_charts_on_one_page_distinct_ids():
    first = parse(target_chart().svg())
    second = parse(target_chart(title="Cibles et réalisé par engagement").svg())

    ids = lambda root: {element.get("id") for element in root.iter() if element.get("id")}  # noqa: E731
    assert ids(first)
    assert not ids(first) & ids(second)


def test_it_draws_a_png_for_word():
    png = target_chart().png()

    assert png.startswith(PNG_SIGNATURE)
    assert len(png) > 1000


def test_it_gives_its_numbers_as_a_table():
    chart = target_chart()

    assert chart.headers == ["Action", "Cible", "Réalisé"]
    assert chart.table() == [("Action 1 – Participations d’élèves", 100, 34), ("Action 2 – Actions réalisées", None, 2)]


def test_it_refuses_a_series_of_the_wrong_length():
    with pytest.raises(ValueError, match="La série « Réalisé » a 1 valeurs pour 2 catégories"):
        Chart("Titre", ["a", "b"], [Series("Réalisé", [1])])


def test_it_says_so_when_there_is_nothing_to_draw():
    chart = Chart("Activités par type", ["Visite"], [Series("Activités", [0])])

    assert chart.is_empty
    assert "Aucune donnée" in chart.svg()


def test_it_escapes_what_would_be_a_formula_and_shortens_long_labels():
    label = "Coût $5 " + "très long " * 10
    root = parse(Chart("Titre", [label], [Series("Activités", [3])]).svg())

    texts = [text.text for text in root.iter(f"{SVG}text")]
    assert any(text.startswith("Coût $5") and text.endswith("…") for text in texts)


def test_it_writes_numbers_the_french_way():
    assert format_number(1234) == "1\u202f234"
    assert format_number(Decimal("12.5")) == "12,5"
    assert format_number(3.0) == "3"
    assert format_number(None) == "—"


def test_it_drops_what_xml_cannot_carry_from_labels_and_titles():
    """U+FFFE and U+FFFF are no XML characters, yet not control characters either (found by the
    property test below)."""
    chart = Chart("Titre\uffff\x07", ["a\uffff", "b\ufffe\x00"], [Series("Série\ufffe", [0, 1])])

    root = parse(chart.svg())

    assert root.find(f"{SVG}title").text == "Titre"
    assert {"a", "b"} <= {text.text for text in root.iter(f"{SVG}text")}


labels = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=1, max_size=60)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    categories=st.lists(labels, min_size=1, max_size=6),
    data=st.data(),
    kind=st.sampled_from(list(ChartKind)),
)
def test_it_draws_any_labels_and_values_as_well_formed_svg(categories, data, kind):
    values = data.draw(
        st.lists(st.integers(min_value=0, max_value=10**6), min_size=len(categories), max_size=len(categories))
    )
    chart = Chart("Titre <&> quelconque", categories, [Series("Série", values)], kind=kind)

    root = parse(chart.svg())

    assert root.find(f"{SVG}title").text == "Titre <&> quelconque"
    assert [row[1] for row in chart.table()] == values


def test_it_inlines_a_plain_svg_element_even_when_another_library_took_the_default_prefix():
    # WeasyPrint's PDF metadata registers its own default namespace, which ElementTree keeps globally.
    saved = dict(ET._namespace_map)
    try:
        ET.register_namespace("", "http://example.invalid/another-default")
        svg = target_chart(title="Préfixes").svg()
    finally:
        ET._namespace_map.clear()
        ET._namespace_map.update(saved)

    assert svg.startswith("<svg ")
    assert "<ns0:" not in svg
    assert parse(svg).tag == f"{SVG}svg"


@settings(max_examples=25, suppress_health_check=[HealthCheck.too_slow])
@given(
    categories=st.lists(st.text(st.characters(categories=["L", "N", "Zs"]), min_size=1, max_size=20), max_size=5),
    data=st.data(),
)
def test_a_chart_stored_as_json_comes_back_identical(categories, data):
    values = data.draw(st.lists(st.none() | st.integers(0, 10_000), min_size=len(categories), max_size=len(categories)))
    chart = Chart(
        title="Cibles et réalisé",
        categories=categories,
        series=[Series("Réalisé", values, color="#000091")],
        kind=ChartKind.HBARS,
        unit="Activités",
    )
    stored = json.loads(json.dumps(chart.as_dict()))
    assert Chart.from_dict(stored) == chart
    assert Chart.from_dict(stored).svg() == chart.svg()
