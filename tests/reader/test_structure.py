"""The heading tree: what a reviewer sees as the convention's outline, whatever the layout."""

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from partenariats.reader.fields import articles
from partenariats.reader.model import Document, Findings, Page, Source, Text
from partenariats.reader.numbers import int_to_roman, roman_to_int, word_to_int
from partenariats.reader.structure import parse

REPO = Path(__file__).resolve().parents[2]
SEEDS = REPO.parent / "shared" / "seeds"


def outline(text: str) -> list[str]:
    return [heading.display for heading in parse(Text(text)).top]


def tree(text: str) -> list[tuple[int, str]]:
    return [(heading.level, heading.display) for heading in parse(Text(text)).walk()]


ROMAN_LAYOUT = """CONVENTION CADRE

Entre la Chambre de métiers du Jura et l'académie de Besançon
il est convenu ce qui suit :

TITRE I – DISPOSITIONS GÉNÉRALES

ARTICLE PREMIER - OBJET
La présente convention a pour objet de définir le partenariat prévu à
l'article 3 du code, et l'Article 5 ne s'applique pas.

Article 2 : Engagements
2.1 Engagements de la chambre
La chambre accueille des élèves.
2.2 Engagements de l'académie
1. diffuser les offres ;
2. former les tuteurs.

TITRE II – DISPOSITIONS FINALES

Art. 3 – Durée
La présente convention est conclue pour une durée d'un an.

Article IV - Résiliation
Préavis de deux mois.

Fait à Besançon, le 3 mars 2023

ANNEXE I – LISTE DES CONTACTS
Mme Dupont, chargée de mission
"""


def test_titles_articles_and_roman_numbers_nest():
    assert tree(ROMAN_LAYOUT) == [
        (1, "Titre 1 – Dispositions générales"),
        (2, "Article 1 – Objet"),
        (2, "Article 2 – Engagements"),
        (3, "2.1 – Engagements de la chambre"),
        (3, "2.2 – Engagements de l'académie"),
        (1, "Titre 2 – Dispositions finales"),
        (2, "Article 3 – Durée"),
        (2, "Article 4 – Résiliation"),
        (1, "Annexe 1 – Liste des contacts"),
    ]


def test_last_section_ends_at_the_signature_block():
    structure = parse(Text(ROMAN_LAYOUT))
    last_article = structure.top[1].children[-1]
    assert ROMAN_LAYOUT[last_article.end : last_article.body_end].strip() == "Préavis de deux mois."
    annex = structure.top[-1]
    assert annex.body_end == len(ROMAN_LAYOUT)


def test_references_in_sentences_are_not_headings():
    text = """Accord de partenariat

Article 1 – Objet
Le partenariat est régi par les dispositions prévues à
Article 3 du règlement intérieur et par l'Article R.6III-I du code du travail.
Article L. 335-2 du code de l'éducation.

Article 2 – Moyens
Texte.
"""
    assert outline(text) == ["Article 1 – Objet", "Article 2 – Moyens"]


MARKDOWN_LAYOUT = """# Convention de partenariat

**entre**

**LA SOCIÉTÉ EXEMPLE INDUSTRIES**

## Préambule
Les parties souhaitent coopérer.

**Les parties conviennent de ce qui suit :**

### ***Article 1er – Objet de l'accord***
Texte.

#### **1.1 - Visites d'entreprises**
Texte.

**Modalités pratiques**
Texte détaillé.

#### **Article 2 - Durée**
Texte.
"""


def test_markdown_and_bold_markup_is_stripped():
    assert tree(MARKDOWN_LAYOUT) == [
        (1, "Préambule"),
        (1, "Article 1 – Objet de l'accord"),
        (2, "1.1 – Visites d'entreprises"),
        (3, "Modalités pratiques"),
        (1, "Article 2 – Durée"),
    ]


def test_plain_numbered_sections_are_articles_when_no_article_word():
    text = """Accord de partenariat
entre la société Exemple SA et l'académie de Lille

Entre :
1. L'académie de Lille, représentée par son recteur
2. La société Exemple SA, représentée par sa directrice
d'autre part.

1. Objet
L'accord vise à rapprocher l'école et l'entreprise.
2. Engagements des parties
Les parties s'engagent :
1. à se réunir ;
2. à échanger.
2.1 Engagements de la société
Elle accueille des stagiaires.
3. Durée
Un an.
"""
    assert tree(text) == [
        (1, "Article 1 – Objet"),
        (1, "Article 2 – Engagements des parties"),
        (2, "2.1 – Engagements de la société"),
        (1, "Article 3 – Durée"),
    ]


def test_table_of_contents_is_not_the_outline():
    text = """CONVENTION
SOMMAIRE
Article 1 – Objet ........ 2
Article 2 – Durée ........ 3

Article 1 – Objet
Texte de l'objet.
Article 2 – Durée
Texte de la durée.
"""
    structure = parse(Text(text))
    assert [heading.display for heading in structure.top] == ["Article 1 – Objet", "Article 2 – Durée"]
    assert text[structure.top[0].start :].startswith("Article 1 – Objet\nTexte")


def test_a_label_running_on_the_next_line_is_joined():
    text = """Préambule

Texte.

Article 1 – Développer les liens entre les lycées professionnels et les entreprises de
la filière agroalimentaire

Le texte commence ici.
"""
    assert outline(text)[1] == (
        "Article 1 – Développer les liens entre les lycées professionnels et les entreprises de "
        "la filière agroalimentaire"
    )


def test_capitals_label_in_sentence_case_with_accents_and_split_words_repaired():
    text = "TITRE 1 – COORDONNEES DES PARTE NAIRES\n\nTexte.\n"
    assert outline(text) == ["Titre 1 – Coordonnées des partenaires"]


def test_opening_is_not_a_heading():
    text = """**CONVENTION DE COOPÉRATION**

**entre**

**LA CHAMBRE DE COMMERCE DU VAR**

## Article 1 – Objet
Texte.
"""
    assert outline(text) == ["Article 1 – Objet"]


def test_sub_sections_nest_under_their_article_and_skip_mismatched_numbers():
    text = """Article 1 – Axes
1.1 Premier axe
1.1.1 Détail du premier axe
Il y a 3.2 millions d'élèves concernés.
1.2 Second axe
Article 2 – Suivi
2.1 Comité
"""
    assert tree(text) == [
        (1, "Article 1 – Axes"),
        (2, "1.1 – Premier axe"),
        (3, "1.1.1 – Détail du premier axe"),
        (2, "1.2 – Second axe"),
        (1, "Article 2 – Suivi"),
        (2, "2.1 – Comité"),
    ]


def test_articles_reader_gives_outline_sections_and_preamble():
    text = MARKDOWN_LAYOUT
    document = Document(Source("text", (Page(1, text),)), Text(text), parse(Text(text)))
    found = Findings(document.text)
    articles.read(document, found)
    assert found.get("articles") == ["Préambule", "Article 1 – Objet de l'accord", "Article 2 – Durée"]
    assert found.get("preamble").startswith("Les parties souhaitent coopérer.")
    sections = found.get("sections")
    assert [section["parent"] for section in sections] == [None, None, 1, 2, None]
    assert "articles" in found.evidence
    assert "preamble" in found.evidence


def test_annex_without_number_displays_cleanly():
    text = "Article 1 – Objet\nTexte.\n\nANNEXE : PLAN D'ACTION\nTexte.\n"
    document = Document(Source("text", (Page(1, text),)), Text(text), parse(Text(text)))
    found = Findings(document.text)
    articles.read(document, found)
    assert found.get("articles") == ["Article 1 – Objet", "Annexe – Plan d'action"]


# ------------------------------------------------------------------ numbers


@given(st.integers(min_value=1, max_value=3999))
def test_roman_round_trip(value):
    assert roman_to_int(int_to_roman(value)) == value
    assert roman_to_int(int_to_roman(value).lower()) == value


@pytest.mark.parametrize("text", ["", "IIII", "VX", "IC", "L.", "ABC", "MMMM"])
def test_not_roman(text):
    assert roman_to_int(text) is None


@pytest.mark.parametrize(
    ("words", "value"),
    [("un", 1), ("une", 1), ("deux", 2), ("vingt-quatre", 24), ("dix-huit", 18), ("trente", 30), ("12", 12)],
)
def test_number_words(words, value):
    assert word_to_int(words) == value


@pytest.mark.parametrize("words", ["durée", "de", "", "les"])
def test_not_number_words(words):
    assert word_to_int(words) is None


# ------------------------------------------------------------------ any text

_PIECES = st.sampled_from(
    [
        "Article 1 – Objet",
        "ARTICLE II - DURÉE",
        "TITRE I",
        "1.1 Information",
        "2.3.1 Détail",
        "1. Objet",
        "- 2.6 Participation",
        "Préambule",
        "## **Article 3 – Suivi**",
        "**Texte en gras**",
        "ANNEXE 1 – Contacts",
        "Fait à Lyon, le 3 mai 2022",
        "Texte ordinaire de la convention.",
        "",
        "  ",
        "Art. 4 – Fin",
    ]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(_PIECES, st.text(max_size=40)), max_size=40))
def test_parse_never_raises_and_headings_are_ordered_and_nested(lines):
    text = "\n".join(lines)
    structure = parse(Text(text))

    def check(siblings, low, high):
        previous_end = low
        for heading in siblings:
            assert low <= heading.start < heading.end <= heading.body_end <= high
            assert heading.start >= previous_end
            previous_end = heading.body_end
            check(heading.children, heading.end, heading.body_end)
            for child in heading.children:
                assert child.level == heading.level + 1

    check(structure.top, 0, len(text))
    for heading in structure.top:
        assert heading.level == 1


# ------------------------------------------------------------------ the seeds


def _seeds():
    if not SEEDS.is_dir():
        return []
    return sorted(SEEDS.glob("*.txt"))


def _words(heading: str) -> set[str]:
    import unicodedata

    folded = unicodedata.normalize("NFKD", heading.lower().replace("’", "'"))
    folded = "".join(char for char in folded if not unicodedata.combining(char))
    return set(folded.replace("–", " ").replace("-", " ").split())


@pytest.mark.parametrize("path", _seeds(), ids=lambda path: path.stem[:3])
def test_seed_articles_match_truth(path):
    from partenariats.reader import read_path

    truth = json.loads((SEEDS / "truth" / f"{path.stem}.truth.json").read_text())
    got = read_path(path).as_contract()["articles"]
    assert len(got) == len(truth["articles"]), got
    for mine, expected in zip(got, truth["articles"], strict=True):
        words = _words(expected)
        assert len(words & _words(mine)) >= 0.6 * len(words), (mine, expected)


# ---------------------------------------------------------------- layouts met in held-out conventions 09–14


def test_article_number_with_a_full_stop_before_the_dash():
    text = "Il est convenu ce qui suit.\n\nArticle 1er. – Objet\nLe texte.\n\nArticle 2. – Suivi\nLe texte.\n"
    assert outline(text) == ["Article 1 – Objet", "Article 2 – Suivi"]


def test_label_printed_on_the_line_under_the_article_number():
    text = (
        "Il est convenu ce qui suit.\n\nArticle 1\nObjet\n\nLa convention organise la coopération.\n\n"
        "Article 2\nGouvernance des actions\nUn comité se réunit chaque année.\n\n"
        "Article 3\nLes parties s'engagent à coopérer\net à se réunir.\n\nAnnexe 1\nContacts\n\nMme X.\n"
    )
    assert outline(text) == [
        "Article 1 – Objet",
        "Article 2 – Gouvernance des actions",
        "Article 3",  # the next line is a sentence running on: body text, not a label
        "Annexe 1 – Contacts",
    ]


def test_sub_articles_numbered_with_a_hyphen():
    text = (
        "Il est convenu ce qui suit.\n\nArticle 3 – Engagements\n\n3-1 Engagements de la société\nElle accueille.\n\n"
        "3-2 Engagements de l'académie\nElle diffuse des offres pour les 10-12 ans.\n\nArticle 4 – Durée\nDeux ans.\n"
    )
    assert tree(text) == [
        (1, "Article 3 – Engagements"),
        (2, "3.1 – Engagements de la société"),
        (2, "3.2 – Engagements de l'académie"),
        (1, "Article 4 – Durée"),
    ]


def test_a_label_in_capitals_running_over_two_lines():
    text = (
        "IL EST CONVENU CE QUI SUIT :\n\nARTICLE 3 – RÉUSSITE DES ÉLÈVES TECHNOLOGIQUES ET\nPROFESSIONNELS\n\n"
        "LE TEXTE DE L'ARTICLE.\n\nARTICLE 4 – DURÉE\nLA CONVENTION EST CONCLUE POUR UN AN.\n"
    )
    assert outline(text) == ["Article 3 – Réussite des élèves technologiques et professionnels", "Article 4 – Durée"]


def test_a_long_label_wrapped_over_three_lines_by_a_pdf():
    text = (
        "Il est convenu ce qui suit.\n\nArticle 2 – Développer ensemble la qualité de la formation\n"
        "professionnelle initiale et de l'insertion\nprofessionnelle des jeunes\n\nLes parties coopèrent.\n"
    )
    assert outline(text) == [
        "Article 2 – Développer ensemble la qualité de la formation professionnelle initiale et de l'insertion "
        "professionnelle des jeunes"
    ]
