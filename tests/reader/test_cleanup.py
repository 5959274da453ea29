"""The reader's cleanup: OCR repairs, page furniture, tables of contents, normalisation.

Every sample here is invented (other partners, other layouts, other wordings); the seed
conventions are only read at run time, to check that no split word survives in them.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from partenariats.reader import lexicon
from partenariats.reader.cleanup import clean, clean_page_text
from partenariats.reader.model import Page, Source
from tests.reader.noise import noisy

REPO = Path(__file__).resolve().parents[2]
SEEDS = REPO.parent / "shared" / "seeds"
SAMPLES = Path(__file__).resolve().parent / "samples"
WORDS = re.compile(r"[^\W_]+(?:['-][^\W_]+)*")


def cleaned(text: str) -> str:
    return clean_page_text(text)


def pages(*texts: str) -> Source:
    return Source(kind="pdf", pages=tuple(Page(number=index + 1, text=text) for index, text in enumerate(texts)))


# A hard-wrapped convention as a PDF gives it: lines of ~90 characters, party block, articles.
WRAPPED = """CONVENTION DE PARTENARIAT

Entre

la Chambre de métiers et de l'artisanat de la Moselle
5 boulevard de la Défense, 57000 Metz
représentée par Monsieur Thierry Vasseur, Président de la Chambre de métiers et de
l'artisanat de la Moselle, agissant au nom de la chambre,

et

l'académie de Nancy-Metz, représentée par Madame Claire Aubertin, rectrice de l'académie,

Article 1 – Objet

La présente convention fixe le cadre dans lequel les deux partenaires organisent la
découverte des métiers de l'artisanat par les collégiens du département et accompagnent
les apprentis tout au long de leur formation.

Article 2 – Durée

Elle est conclue pour une durée de trois ans à compter de sa signature.
"""


class TestSplitWords:
    def test_a_stray_letter_joins_the_fragment_it_was_cut_from(self):
        assert cleaned("Les e ntreprises du bâtiment recrutent.") == "Les entreprises du bâtiment recrutent."

    def test_capitalisation_is_kept(self):
        assert cleaned("La F ormation continue des salariés") == "La Formation continue des salariés"

    def test_a_fragment_and_a_rare_short_word_make_one_word(self):
        assert cleaned("une semaine d'immers ion en atelier") == "une semaine d'immersion en atelier"

    def test_three_fragments_make_one_word(self):
        assert cleaned("le dévelop pe ment des compétences") == "le développement des compétences"

    def test_the_documents_own_vocabulary_decides_for_names(self):
        text = "Le conseil du Val-de-Marne soutient le projet.\nLes collèges du Val-de-Mar ne participent."
        assert "Val-de-Marne participent" in cleaned(text)

    def test_a_tiny_word_the_document_hardly_uses_joins_a_word_it_uses_elsewhere(self):
        text = "Les entreprises adhérentes accueillent des stagiaires.\nLes entrepris es du secteur."
        assert "Les entreprises du secteur." in cleaned(text)

    @pytest.mark.parametrize(
        "phrase",
        [
            "de la formation",
            "à la rentrée",
            "en tant que partenaire",
            "pour une durée de deux ans",
            "le vin de la région",
            "pour suivre les apprentis",
            "il s'agit de la mobilisation",
            "pour que l'offre soit connue",
            "les actions de mobilisation",
            "afin de favoriser l'accueil",
            "des formations de qualité",
            "in situ dans les ateliers",
            "sur tout le territoire",
        ],
    )
    def test_real_two_word_phrases_stay_apart(self, phrase):
        assert cleaned(phrase) == phrase

    def test_the_weaker_neighbour_wins_a_stray_letter(self):
        assert cleaned("Les e ntreprises") == "Les entreprises"

    def test_figures_emails_and_urls_are_never_joined(self):
        text = "Contact : j.dupont@cma-moselle.fr ou https://www.cma-moselle.fr/a pprentis, tél. 03 87 39 31 00"
        assert cleaned(text) == text


class TestLineEndHyphens:
    def test_a_cut_word_is_joined(self):
        assert cleaned("les périodes de forma-\ntion en entreprise") == "les périodes de formation en entreprise"

    def test_a_compound_keeps_its_hyphen(self):
        assert cleaned("le rectorat d'Aix-en-\nProvence accueille") == "le rectorat d'Aix-en-Provence accueille"
        assert cleaned("pendant vingt-\ncinq jours") == "pendant vingt-cinq jours"
        assert cleaned("le porte-\nparole de la fédération") == "le porte-parole de la fédération"
        assert cleaned("les savoir-\nêtre attendus") == "les savoir-être attendus"

    def test_a_name_cut_in_two_is_joined(self):
        text = "Monsieur Paul Quéri-\nnec, président\n\nSigné : Paul Quérinec"
        assert cleaned(text).startswith("Monsieur Paul Quérinec, président")

    def test_a_chain_of_hyphens_keeps_its_links(self):
        assert "Provence-Alpes-Côte" in cleaned("la région Provence-Alpes-\nCôte d'Azur")


class TestFurniture:
    def test_running_header_and_footer_are_removed_from_every_page_but_the_first_title(self):
        body = ["Article {n} – Titre {n}", "", "Le texte de l'article {n} continue ici."]
        texts = []
        for number in range(1, 5):
            lines = [
                "CCI Normandie – Convention école-entreprise",
                "",
                *(line.format(n=number) for line in body),
                "",
                f"Page {number} sur 4",
            ]
            texts.append("\n".join(lines))
        result = clean(pages(*texts)).text
        assert result.count("CCI Normandie – Convention école-entreprise") == 1  # page 1's letterhead stays
        assert "Page" not in result
        assert result.count("Article") == 4

    def test_page_numbers_in_their_usual_forms_go(self):
        text = (
            "Premier paragraphe du texte.\n- 3 -\nDeuxième paragraphe.\nPage 4 sur 9\nTroisième.\n5/9\nQuatrième.\np. 6"
        )
        assert cleaned(text) == "Premier paragraphe du texte.\nDeuxième paragraphe.\nTroisième.\nQuatrième."

    def test_bare_page_numbers_counting_up_go_but_a_lone_figure_stays(self):
        counting = "Un texte assez long.\n\n2\n\nLa suite du texte.\n\n3\n\nLa fin du texte."
        assert cleaned(counting) == "Un texte assez long.\n\nLa suite du texte.\n\nLa fin du texte."
        lone = "Nombre d'élèves accueillis\n\n24\n\nObservations"
        assert cleaned(lone) == lone

    def test_a_running_header_of_a_text_that_lost_its_page_breaks_goes(self):
        paragraph = "Les entreprises du réseau accueillent les élèves de troisième pour leur stage.\n"
        header = "Convention CMA Moselle – académie de Nancy-Metz – page {n}/3\n"
        text = paragraph * 3 + header.format(n=1) + paragraph * 3 + header.format(n=2) + paragraph * 3
        result = cleaned(text)
        assert "page" not in result
        assert result.count("Les entreprises du réseau") == 9

    def test_a_header_that_interrupts_sentences_goes(self):
        chunk = "La chambre consulaire mobilise ses ressortissants afin de proposer des\n{h}\nstages aux élèves.\n\n"
        text = "".join(chunk.format(h="Chambre de métiers de la Moselle") for _ in range(3))
        result = cleaned(text)
        assert "Chambre de métiers de la Moselle" not in result
        assert result.count("proposer des stages aux élèves.") == 3

    def test_repeated_content_lines_stay(self):
        text = (
            "Entre\n\nla chambre,\n\nd'une part,\n\net\n\nla fédération,\n\nd'une part,\n\net\n\nl'académie,\n\n"
            "d'une part,\n\nil est convenu ce qui suit.\n\n"
            "Action 1\nÉchéance\tPremier trimestre\n\nAction 2\nÉchéance\tPremier trimestre\n\n"
            "Action 3\nÉchéance\tPremier trimestre\n\nSignature :\n\nSignature :\n\nSignature :"
        )
        result = cleaned(text)
        assert result.count("d'une part,") == 3
        assert result.count("Échéance\tPremier trimestre") == 3
        assert result.count("Signature :") == 3

    def test_junk_lines_go(self):
        assert cleaned("Premier alinéa.\n|\n_\n•\nSecond alinéa.") == "Premier alinéa.\nSecond alinéa."


class TestContents:
    def test_a_titled_contents_with_dot_leaders_goes(self):
        text = (
            "CONVENTION\n\nSommaire\n\nPréambule ............ 2\nArticle 1 – Objet ........ 3\n"
            "Article 2 – Durée ....... 4\n\nPRÉAMBULE\n\nLe texte.\n\nArticle 1 – Objet\n\nObjet.\n\n"
            "Article 2 – Durée\n\nTrois ans."
        )
        result = cleaned(text)
        assert "Sommaire" not in result
        assert "...." not in result
        assert result.count("Article 1 – Objet") == 1
        assert result.count("Article 2 – Durée") == 1
        assert result.startswith("CONVENTION\n\nPRÉAMBULE")

    def test_a_contents_with_tabbed_page_numbers_goes(self):
        text = "TABLE DES MATIÈRES\nTitre 1 – Objet\tp 2\nTitre 2 – Engagements\tp 3\n\nTITRE 1 – OBJET\n\nLe texte."
        assert cleaned(text) == "TITRE 1 – OBJET\n\nLe texte."

    def test_a_contents_whose_tabs_a_pdf_turned_into_single_spaces_goes(self):
        text = (
            "SOMMAIRE\nTitre 1 – Objet p 2\nTitre 2 – Engagements p 3\nAnnexe 1 – Contacts p 7\n\n"
            "TITRE 1 – OBJET\n\nTexte."
        )
        assert cleaned(text) == "TITRE 1 – OBJET\n\nTexte."

    def test_a_contents_without_page_numbers_goes_when_its_entries_come_back(self):
        text = (
            "Sommaire\nArticle 1 – Objet\nArticle 2 – Durée\n\nArticle 1 – Objet\nLe texte.\nArticle 2 – Durée\nUn an."
        )
        assert cleaned(text) == "Article 1 – Objet\nLe texte.\nArticle 2 – Durée\nUn an."

    def test_an_untitled_run_of_dot_leaders_goes(self):
        text = "Préambule .......... 1\nArticle 1 .......... 2\nArticle 2 .......... 3\n\nPréambule\n\nLe texte."
        assert cleaned(text) == "Préambule\n\nLe texte."

    def test_a_table_of_figures_is_no_contents(self):
        text = "Sommaire des effectifs\nCollèges\t12\nLycées\t7\nCFA\t3"
        assert cleaned(text) == text


class TestNormalisation:
    def test_apostrophes_quotes_and_guillemets(self):
        assert cleaned("l’académie et l‘État, <<parcours Avenir>> et “cité”") == (
            "l'académie et l'État, «parcours Avenir» et \"cité\""
        )

    def test_dashes_in_headings(self):
        assert cleaned("Article 3 − Durée") == "Article 3 – Durée"
        assert cleaned("ARTICLE 4 - RÉSILIATION") == "ARTICLE 4 – RÉSILIATION"
        assert cleaned("Titre II—Engagements") == "Titre II – Engagements"
        assert cleaned("### **5.2 - Suivi**") == "### **5.2 – Suivi**"

    def test_body_hyphens_are_not_dashes(self):
        assert cleaned("une action école-entreprise - dit-on") == "une action école-entreprise - dit-on"

    def test_spaces_and_invisible_characters(self):
        text = "Le\u00a0recteur\u202fde   l'aca\u00addé\u200bmie  \nsigne\ufeff.   "
        assert cleaned(text) == "Le recteur de l'académie\nsigne."

    def test_ligatures(self):
        assert cleaned("la ﬁlière et l'œuvre") == "la filière et l'œuvre"

    def test_blank_lines_collapse_to_one(self):
        assert cleaned("\n\n\nPremier.\n\n\n\n\nSecond.\n\n\n") == "Premier.\n\nSecond."

    def test_a_column_gap_becomes_a_tab(self):
        assert cleaned("Pour l'académie,          Pour la chambre,") == "Pour l'académie,\tPour la chambre,"

    def test_space_before_a_comma_and_after_an_apostrophe(self):
        assert cleaned("représentée par Jeanne Morel , présidente de l' association") == (
            "représentée par Jeanne Morel, présidente de l'association"
        )

    def test_markdown_marks_and_headings_are_kept(self):
        text = "# CONVENTION\n\n## Article 1 – Objet\n\n**La chambre** s'engage à *informer* les familles."
        assert cleaned(text) == text


class TestAccents:
    @pytest.mark.parametrize(
        ("damaged", "repaired"),
        [
            ("l'Ecole primaire", "l'École primaire"),
            ("le ministère de l'Education nationale", "le ministère de l'Éducation nationale"),
            ("PREAMBULE", "PRÉAMBULE"),
            ("la REGION ACADEMIQUE", "la RÉGION ACADÉMIQUE"),
            ("un avenir plus sür", "un avenir plus sûr"),
            ("la Fédération et l'Etat", "la Fédération et l'État"),
            ("les Elèves de troisième", "les Élèves de troisième"),
            ("l'Egalité des chances", "l'Égalité des chances"),
        ],
    )
    def test_lost_accents_are_put_back(self, damaged, repaired):
        assert cleaned(damaged) == repaired

    @pytest.mark.parametrize(
        "text",
        [
            "A cet effet, il a signé ou non des avenants des deux parties.",
            "le professeur référent du lycée",
            "ecole.primaire@ac-nancy-metz.fr",
            "https://www.ecole-entreprise.fr/metiers",
            "le BTS CRSA et le CAP",
        ],
    )
    def test_words_and_addresses_are_not_touched(self, text):
        assert cleaned(text) == text


class TestReflow:
    def test_a_hard_wrapped_paragraph_becomes_one_line(self):
        result = cleaned(WRAPPED)
        assert (
            "La présente convention fixe le cadre dans lequel les deux partenaires organisent la découverte des "
            "métiers de l'artisanat par les collégiens du département et accompagnent les apprentis tout au long "
            "de leur formation." in result.split("\n")
        )

    def test_a_party_block_keeps_its_lines(self):
        lines = cleaned(WRAPPED).split("\n")
        assert "la Chambre de métiers et de l'artisanat de la Moselle" in lines
        assert "5 boulevard de la Défense, 57000 Metz" in lines
        assert any(line.startswith("représentée par Monsieur Thierry Vasseur") and "agissant" in line for line in lines)

    def test_headings_stay_on_their_own_line(self):
        lines = cleaned(WRAPPED).split("\n")
        assert "Article 1 – Objet" in lines
        assert "Article 2 – Durée" in lines

    def test_text_whose_paragraphs_are_single_lines_is_left_as_is(self):
        text = "Article 1 – Objet\nla chambre organise des visites\nles élèves les préparent"
        assert cleaned(text) == text


class TestPages:
    def test_page_starts_point_at_each_page(self):
        text = clean(pages("Première page.\n\n1", "  Deuxième page.  \n2", "\n\nTroisième page.\n3"))
        assert text.text == "Première page.\n\nDeuxième page.\n\nTroisième page."
        assert [text.text[start:].split("\n")[0] for start in text.page_starts] == [
            "Première page.",
            "Deuxième page.",
            "Troisième page.",
        ]
        assert text.page_at(text.text.index("Troisième")) == 3

    def test_an_empty_source_gives_an_empty_text(self):
        assert clean(Source(kind="text", pages=())).text == ""


# Hypothesis: French-looking documents made of words, headings, lists, figures and furniture.
_TOKENS = st.sampled_from(
    [
        "la ", "de ", "les ", "entreprises ", "e ", "ntreprises ", "F ", "ormation ", "académie ", "Ecole ",
        "PREAMBULE ", "forma-\ntion ", "Aix-en-\nProvence ", "l’académie ", "<<avenir>> ", "3 ", "2021 ",
        "contact@cma.fr ", "Article 2 − Durée\n", "\n", "\n\n", "\n\n\n", "- 4 -\n", "Page 2 sur 5\n",
        "Sommaire\n", "Titre 1 ........ 2\n", "• ", "# ", "**", "\t", "  ", "\u00a0", ",", ".", " ; ", " : ",
        "représentée par Madame Lucie Perrin, présidente, ", "d'une part,\n", "sür ", "ﬁlière ",
    ]
)  # fmt: skip
_DOCUMENTS = st.lists(_TOKENS, max_size=120).map("".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_DOCUMENTS)
@example("ntreprises e e ntreprises")  # a repair that changes the vocabulary that arbitrates repairs
def test_cleaning_is_idempotent(text):
    once = cleaned(text)
    assert cleaned(once) == once


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.text(max_size=300), max_size=4))
def test_any_pages_are_cleaned_without_error_and_page_starts_increase(texts):
    text = clean(pages(*texts))
    assert len(text.page_starts) == max(1, len(texts))
    assert list(text.page_starts) == sorted(set(text.page_starts))
    assert all(0 <= start <= len(text.text) for start in text.page_starts)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_DOCUMENTS, min_size=1, max_size=3))
def test_page_starts_are_increasing_and_within_the_text(texts):
    text = clean(pages(*texts))
    assert list(text.page_starts) == sorted(set(text.page_starts))
    assert all(0 <= start <= len(text.text) for start in text.page_starts)


# OCR noise: the cleaned noisy text gives back the sample's words.
def _samples() -> list[Path]:
    return sorted(path for path in SAMPLES.glob("*") if path.suffix in {".txt", ".md"})


def _recovered(original: str, damaged: str) -> float:
    expected = Counter(WORDS.findall(cleaned(original)))
    found = Counter(WORDS.findall(cleaned(damaged)))
    return sum((expected & found).values()) / max(1, sum(expected.values()))


@pytest.mark.parametrize("seed", range(4))
def test_noisy_wrapped_text_recovers_its_words(seed):
    assert _recovered(WRAPPED, noisy(WRAPPED, seed)) >= 0.95


@pytest.mark.parametrize("path", _samples(), ids=lambda path: path.stem)
def test_noisy_samples_recover_their_words(path):
    text = path.read_text(encoding="utf-8")
    for seed in range(3):
        assert _recovered(text, noisy(text, seed)) >= 0.95


def test_noise_is_deterministic_and_damages():
    assert noisy(WRAPPED, 7) == noisy(WRAPPED, 7)
    assert noisy(WRAPPED, 7) != WRAPPED
    assert "’" in noisy(WRAPPED, 7)
    assert "page" in noisy(WRAPPED, 7)


# The seeds: no split word of the generic kinds the cleanup repairs survives in them.
def _is_fragment(piece: str) -> bool:
    if len(piece) == 1:
        return piece.lower() not in "aày"
    return not lexicon.is_word(piece) and not lexicon.accented_forms(piece)


def _split_words(text: str) -> list[str]:
    """Pairs "A B" on a line whose joining is a dictionary word while one piece is no word."""
    found = []
    for line in text.split("\n"):
        tokens = list(re.finditer(r"[^\W\d_]+", line))
        for left, right in itertools.pairwise(tokens):
            if line[left.end() : right.start()] != " " or line.startswith("'", right.end()):
                continue
            joined = left.group() + right.group()
            known = lexicon.is_word(joined) or lexicon.accented(joined)
            if known and (_is_fragment(left.group()) or _is_fragment(right.group())):
                found.append(f"{left.group()} {right.group()}")
    return found


@pytest.mark.skipif(not SEEDS.is_dir(), reason="seed conventions not available")
@pytest.mark.parametrize("path", sorted(SEEDS.glob("*.txt")), ids=lambda path: path.stem)
def test_no_split_word_survives_in_the_seeds(path):
    result = cleaned(path.read_text(encoding="utf-8"))
    assert _split_words(result) == []
    assert not re.search(r"[^\W\d_]- [^\W\d_]", result.replace("- et", ""))  # no "savoir- être" left
    assert cleaned(result) == result
