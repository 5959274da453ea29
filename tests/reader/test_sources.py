"""Each accepted format gives its pages of text, typed by content, page numbers kept."""

import codecs
import io
import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from partenariats.reader.errors import ReaderError
from partenariats.reader.language import is_french
from partenariats.reader.model import Source
from partenariats.reader.sources import extract, sniff
from partenariats.reader.sources.numbering import format_counter
from partenariats.reader.sources.plain import decode, is_markdown
from tests.reader.render import text_to_docx, text_to_pdf

SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"

# An invented convention (partners, people and places made up for the tests).
CONVENTION = """# CONVENTION DE COOPÉRATION

Entre la Chambre des métiers de l'Ardèche, représentée par Mme Odile Vernet, présidente,
et l'académie de Grenoble, représentée par M. Julien Fabre, recteur.

**Préambule**

Les parties souhaitent rapprocher les ateliers artisanaux et les lycées professionnels.

## Article 1 – Objet

La présente convention fixe les modalités d'une coopération entre les parties.
\f## Article 2 – Durée

Elle est conclue pour une durée de quatre ans à compter de sa signature.
"""


@pytest.fixture(scope="module")
def convention_pdf() -> bytes:
    return text_to_pdf(CONVENTION)


def test_utf8_text_is_one_page_of_text():
    source = extract("Convention entre la ville et le collège.\nArticle 1 – Objet\n".encode())
    assert source.kind == "text"
    assert [page.number for page in source.pages] == [1]
    assert source.pages[0].text.startswith("Convention entre la ville")
    assert source.ocr_pages == 0


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1", "utf-8-sig", "utf-16"])
def test_legacy_and_bom_encodings_are_decoded(encoding):
    text = "Durée : trois années ; l’élève reçoit « une attestation » — fin.\n"
    if encoding == "latin-1":
        text = text.replace("’", "'").replace("—", "-")
    source = extract(text.encode(encoding), "convention.txt")
    assert source.pages[0].text == text


def test_crlf_line_ends_become_newlines():
    assert extract(b"Article 1\r\nObjet\rFin\r\n").pages[0].text == "Article 1\nObjet\nFin\n"


def test_form_feeds_split_a_text_into_pages():
    source = extract(b"Page un\n\fPage deux\n\fPage trois\n\f")
    assert [page.number for page in source.pages] == [1, 2, 3]
    assert source.pages[2].text == "Page trois\n"


def test_markdown_is_told_from_plain_text():
    assert extract(CONVENTION.encode()).kind == "markdown"
    assert extract(b"Convention de partenariat\n\nArticle 1 - Objet\n").kind == "text"
    assert is_markdown("Texte **important** et **encore**.")
    assert not is_markdown("Note : 2 * 3 = 6 ; #5 de la liste.")


def test_pdf_text_layer_pages_and_paragraphs(convention_pdf):
    source = extract(convention_pdf, "convention.pdf")
    assert source.kind == "pdf"
    assert [page.number for page in source.pages] == [1, 2]
    assert source.ocr_pages == 0
    first, second = (page.text for page in source.pages)
    assert "représentée par Mme Odile Vernet" in first
    assert "Article 1 – Objet" in first
    assert "Article 2" not in first
    assert second.startswith("Article 2 – Durée")
    # the footer's page number stays (page furniture is the cleanup's business)
    assert "Page 1 / 2" in first
    assert "Page 2 / 2" in second
    # vertical gaps between paragraphs come out as blank lines, lines of a paragraph do not
    assert "\n\nArticle 1 – Objet\n\n" in first
    assert "présidente,\net l'académie" in first.replace("Vernet,\nprésidente", "Vernet, présidente")


def test_type_comes_from_content_not_from_the_name(convention_pdf):
    assert extract(convention_pdf, "convention.txt").kind == "pdf"
    assert extract(text_to_docx(CONVENTION), "convention.pdf").kind == "docx"
    assert sniff(b"junk before\n" + convention_pdf) == "pdf"  # readers tolerate a little junk


def test_docx_headings_bold_and_page_breaks():
    source = extract(text_to_docx(CONVENTION), "convention.docx")
    assert source.kind == "docx"
    assert len(source.pages) == 2
    first, second = (page.text for page in source.pages)
    assert "# CONVENTION DE COOPÉRATION" in first.splitlines()
    assert "**Préambule**" in first.splitlines()
    assert "## Article 1 – Objet" in first.splitlines()
    assert second.lstrip().startswith("## Article 2 – Durée")


def test_docx_tables_in_document_order():
    text = (
        "Avant le tableau.\n"
        "| Nom | Fonction | Courriel |\n"
        "| Lucie Garnier | chargée de mission | l.garnier@exemple.fr |\n"
        "Entre les tableaux.\n"
        "| Pour la Chambre<br>La présidente<br>Odile Vernet | Pour l'académie<br>Le recteur<br>Julien Fabre |\n"
        "Après les tableaux.\n"
    )
    lines = [line for line in extract(text_to_docx(text)).pages[0].text.splitlines() if line.strip()]
    assert lines == [
        "Avant le tableau.",
        "Nom | Fonction | Courriel",
        "Lucie Garnier | chargée de mission | l.garnier@exemple.fr",
        "Entre les tableaux.",
        # a signature block side by side: each cell's lines together, one cell after the other
        "Pour la Chambre",
        "La présidente",
        "Odile Vernet",
        "Pour l'académie",
        "Le recteur",
        "Julien Fabre",
        "Après les tableaux.",
    ]


def test_seeds_are_french_text():
    for path in sorted(SEEDS.glob("*.txt")):
        source = extract(path.read_bytes(), path.name)
        assert source.kind in {"text", "markdown"}
        assert is_french(source.pages[0].text), path.name


FRENCH = (
    "Les parties conviennent de se réunir une fois par an au sein d'un comité de suivi. Celui-ci dresse le "
    "bilan des actions menées pendant l'année scolaire écoulée et arrête le programme de l'année suivante. "
    "Chaque partie désigne un correspondant chargé de la mise en œuvre de la présente convention, "
    "notamment pour l'accueil des élèves en stage et la formation des enseignants dans les entreprises."
)
OTHERS = {
    "en": "The parties agree to meet once a year within a follow-up committee. This committee reviews the actions "
    "carried out during the past school year and sets the programme of the following year. Each party shall "
    "appoint a correspondent in charge of implementing this agreement, in particular for internships.",
    "de": "Die Parteien kommen überein, sich einmal im Jahr in einem Begleitausschuss zu treffen. Dieser zieht "
    "die Bilanz der im vergangenen Schuljahr durchgeführten Maßnahmen und legt das Programm des folgenden "
    "Jahres fest. Jede Partei benennt einen Ansprechpartner für die Umsetzung dieser Vereinbarung.",
    "es": "Las partes acuerdan reunirse una vez al año en el seno de un comité de seguimiento. Este comité hace "
    "el balance de las acciones realizadas durante el curso escolar anterior y fija el programa del año "
    "siguiente. Cada parte designa un interlocutor encargado de la aplicación del presente convenio.",
    "it": "Le parti convengono di riunirsi una volta all'anno in un comitato di monitoraggio. Questo comitato "
    "fa il bilancio delle azioni svolte durante l'anno scolastico precedente e stabilisce il programma "
    "dell'anno successivo. Ogni parte designa un referente incaricato dell'attuazione della convenzione.",
}


def _damage(text: str, rate: float, seed: int) -> str:
    """OCR-like damage: one character in a word replaced, in ``rate`` of the words."""
    chance = random.Random(seed)
    words = []
    for word in text.split(" "):
        if len(word) > 2 and chance.random() < rate:
            index = chance.randrange(len(word))
            word = word[:index] + chance.choice("il1|!rnc") + word[index + 1 :]
        words.append(word)
    return " ".join(words)


def test_french_is_recognised_even_damaged_by_ocr():
    assert is_french(FRENCH)
    for seed in range(10):
        assert is_french(_damage(FRENCH * 3, 0.12, seed)), seed


@pytest.mark.parametrize("language", sorted(OTHERS))
def test_other_languages_are_not_french(language):
    assert not is_french(OTHERS[language])
    assert not is_french(OTHERS[language] * 10)


def test_random_letters_are_not_french():
    chance = random.Random(7)
    letters = "abcdefghijklmnopqrstuvwxyzéèàç"
    gibberish = " ".join("".join(chance.choice(letters) for _ in range(chance.randint(1, 9))) for _ in range(400))
    assert not is_french(gibberish)
    assert not is_french("")
    assert not is_french("1234 5678 — 42 %")


def test_a_french_convention_with_an_english_sentence_stays_french():
    assert is_french(FRENCH * 4 + " " + OTHERS["en"])


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_language_check_never_fails(text):
    assert is_french(text) in (True, False)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2000))
def test_decoding_never_fails(data):
    text = decode(data)
    assert text is None or isinstance(text, str)


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Co")), min_size=1, max_size=500))
def test_any_printable_text_round_trips_through_utf8(text):
    try:
        result: Source | ReaderError = extract(text.encode())
    except ReaderError as error:
        result = error
    if isinstance(result, ReaderError):
        # blank; mostly replacement characters; or "%PDF-" near the start (then it is a broken PDF)
        assert result.code == "empty" if not text.strip() else result.code in {"unsupported", "corrupt"}
    elif "\f" not in text and "\r" not in text:
        assert result.pages[0].text == text


def test_utf16_needs_its_bom():
    assert decode(codecs.BOM_UTF16_LE + "Durée".encode("utf-16-le")) == "Durée"
    assert decode("Durée".encode("utf-16-le")) is None


def _numbered_docx() -> bytes:
    """A DOCX whose headings are numbered by Word ("TITRE I", "Article 1 –", "1.1"), not typed."""
    from docx import Document
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = Document()
    numbering = document.part.numbering_part.element
    numbering.append(
        parse_xml(
            f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">'
            '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="upperRoman"/>'
            '<w:lvlText w:val="TITRE %1 -"/></w:lvl>'
            '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="Article %2 –"/></w:lvl>'
            '<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%2.%3"/></w:lvl>'
            "</w:abstractNum>"
        )
    )
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))

    def numbered(text: str, level: int, style: str) -> None:
        paragraph = document.add_paragraph(text, style=style)
        paragraph._p.get_or_add_pPr().append(
            parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="90"/></w:numPr>')
        )

    numbered("Dispositions générales", 0, "Heading 1")
    numbered("Objet", 1, "Heading 2")
    numbered("Champ", 2, "Normal")
    numbered("Publics", 2, "Normal")
    numbered("Durée", 1, "Heading 2")
    numbered("Suivi", 0, "Heading 1")
    numbered("Comité", 1, "Heading 2")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_docx_automatic_numbering_is_written_out():
    lines = [line for line in extract(_numbered_docx()).pages[0].text.splitlines() if line.strip()]
    assert lines == [
        "# TITRE I - Dispositions générales",
        "## Article 1 – Objet",
        "1.1 Champ",
        "1.2 Publics",
        "## Article 2 – Durée",
        "# TITRE II - Suivi",
        "## Article 1 – Comité",  # Word restarts a level when a higher one advances
    ]


@pytest.mark.parametrize(
    ("number", "fmt", "shown"),
    [
        (4, "upperRoman", "IV"),
        (14, "lowerRoman", "xiv"),
        (2, "upperLetter", "B"),
        (27, "lowerLetter", "aa"),
        (1, "ordinal", "1er"),
        (7, "decimalZero", "07"),
        (12, "decimal", "12"),
        (3, "none", ""),
    ],
)
def test_word_counter_formats(number, fmt, shown):
    assert format_counter(number, fmt) == shown
