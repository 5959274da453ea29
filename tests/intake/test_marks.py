"""The source text as HTML: escaped, each passage in a mark at its offsets, marks always nested."""

import html
import re
from html.parser import HTMLParser

from hypothesis import given
from hypothesis import strategies as st

from partenariats.intake.marks import Span, anchor_for, source_html

TAG = re.compile(r"<[^>]+>")
PAGE_LABEL = re.compile(r'<span class="intake-page"[^>]*>Page \d+</span>')


def plain(rendered: str) -> str:
    """The text a reader sees, without the page labels."""
    return html.unescape(TAG.sub("", PAGE_LABEL.sub("", rendered)))


class Nesting(HTMLParser):
    def __init__(self):
        super().__init__()
        self.stack: list[str] = []
        self.ok = True
        self.ids: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.stack.append(tag)
        self.ids += [value for name, value in attrs if name == "id"]

    def handle_endtag(self, tag):
        self.ok = self.ok and bool(self.stack) and self.stack.pop() == tag


def test_a_passage_is_marked_at_its_offsets():
    text = "Durée : deux ans. Préavis : trois mois."
    start = text.index("deux ans")
    rendered = source_html(text, [0], [Span(start, start + 8, anchor_for("terms.duration_months"))])
    assert 'Durée : <mark class="intake-mark" id="src-terms-duration-months"' in rendered
    assert ">deux ans</mark>. Préavis" in rendered


def test_hostile_text_is_escaped():
    rendered = source_html('<script>alert("x")</script> & <b>', [0], [Span(0, 8, "src-title")])
    assert "<script>" not in rendered
    assert "<b>" not in rendered
    assert "&lt;script&gt;" in rendered


def test_overlapping_passages_nest_and_keep_one_id_each():
    text = "abcdefghij"
    rendered = source_html(text, [0], [Span(0, 6, "src-a"), Span(3, 9, "src-b")])
    parser = Nesting()
    parser.feed(rendered)
    assert parser.ok
    assert not parser.stack
    assert sorted(parser.ids) == ["src-a", "src-b"]
    assert plain(rendered) == text
    # The second passage's pieces share its data-source, for the highlighting script.
    assert rendered.count('data-source="src-b"') == 2


def test_pages_are_labelled():
    text = "première page\nseconde page"
    rendered = source_html(text, [0, text.index("seconde")], [])
    assert 'id="page-1">Page 1</span>première page' in rendered
    assert 'id="page-2">Page 2</span>seconde page' in rendered


def test_offsets_outside_the_text_are_clamped_or_ignored():
    rendered = source_html("court", [0, 99], [Span(-3, 2, "src-x"), Span(4, 50, "src-y"), Span(9, 12, "src-z")])
    assert plain(rendered) == "court"
    assert 'id="src-z"' not in rendered


spans = st.lists(
    st.tuples(st.integers(-5, 60), st.integers(-5, 60), st.sampled_from(["src-a", "src-b", "src-c", "src-d"])),
    max_size=8,
)


@given(st.text(max_size=50), st.lists(st.integers(0, 60), max_size=4), spans)
def test_any_spans_give_well_nested_html_of_the_same_text(text, pages, raw_spans):
    rendered = source_html(text, [0, *pages], [Span(a, b, anchor) for a, b, anchor in raw_spans])
    parser = Nesting()
    parser.feed(rendered)
    parser.close()
    assert parser.ok
    assert not parser.stack
    assert len(parser.ids) == len(set(parser.ids))
    assert plain(rendered) == text
