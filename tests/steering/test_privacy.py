"""Public documents carry no e-mail address and no telephone number, and keep every other figure."""

import re

from hypothesis import example, given
from hypothesis import strategies as st

from partenariats.steering.privacy import NAME_REMOVED, REMOVED, scrub, scrub_personal_data

# French prose without digits nor « @ »: the personal data is what we put in it.
WORDS = st.text(alphabet="abcdefghijklmnopqrstuvwxyzéèàçôûœ ÉÀ,;:!?«»’'()-.\n", min_size=0, max_size=40)
PAIR = st.integers(0, 99).map(lambda n: f"{n:02d}")


@st.composite
def phones(draw) -> str:
    first = draw(st.integers(1, 9))
    pairs = [draw(PAIR) for _ in range(4)]
    sep = draw(st.sampled_from([" ", ".", "-", ""]))
    if draw(st.booleans()):
        return f"0{first}{sep}{sep.join(pairs)}"
    prefix = draw(st.sampled_from(["+33 ", "+33", "0033 ", "+33 (0)"]))
    return f"{prefix}{first}{sep or ' '}{(sep or ' ').join(pairs)}"


@given(before=WORDS, email=st.emails(), after=WORDS)
@example(before="Contact : ", email="claire.secrete@example.invalid", after=".")
def test_no_generated_email_survives(before, email, after):
    scrubbed = scrub_personal_data(f"{before} {email} {after}")
    assert email not in scrubbed
    assert "@" not in scrubbed
    assert REMOVED in scrubbed


@given(before=WORDS, phone=phones(), after=WORDS)
@example(before="Tél. ", phone="06 12 34 56 78", after="")
@example(before="", phone="06.12.34.56.78", after="")
@example(before="", phone="+33 6 12 34 56 78", after="")
@example(before="", phone="0612345678", after="")
def test_no_generated_phone_number_survives(before, phone, after):
    scrubbed = scrub_personal_data(f"{before} {phone} {after}")
    assert len(re.findall(r"\d", scrubbed)) == 0
    assert REMOVED in scrubbed


ORDINARY = st.sampled_from(
    [
        "2025-2026",
        "2025–2026",
        "340 élèves",
        "12 visites pour 10 prévues",
        "45 %",
        "01/12/2026",
        "1er décembre 2026",
        "le 18 mars 2021",
        "article 2",
        "SIRET 12345678901234",
        "UAI 0130001A",
        "de 14 h à 16 h 30",
    ]
)


@given(parts=st.lists(st.one_of(WORDS, ORDINARY), max_size=8))
def test_ordinary_numbers_and_dates_survive(parts):
    text = " ".join(parts)
    assert scrub_personal_data(text) == text


def test_it_scrubs_a_real_sentence():
    text = "Contact : Claire Secrète, claire.secrete@example.invalid, 06 12 34 56 78 ; 340 élèves en 2025-2026."
    assert scrub_personal_data(text) == (
        "Contact : Claire Secrète, [coordonnées retirées], [coordonnées retirées] ; 340 élèves en 2025-2026."
    )


NAME_PART = st.text(alphabet="abcdefghijklmnopqrstuvwxyzéèçÉ", min_size=2, max_size=10).map(str.capitalize)


@given(before=WORDS, first=NAME_PART, last=NAME_PART, after=WORDS, reverse=st.booleans())
def test_a_known_name_does_not_survive_whatever_its_case_and_order(before, first, last, after, reverse):
    written = f"{last}  {first}" if reverse else f"{first} {last}"
    scrubbed = scrub(f"{before} {written.upper()} {after}", [f"{first} {last}", f"{last} {first}"])
    assert written.upper() not in scrubbed
    assert NAME_REMOVED in scrubbed


def test_a_name_inside_a_longer_word_or_an_organisation_is_kept():
    names = ["Marie Dupont", "", "  "]
    assert scrub("Les Marie Dupontel et la société Marie Dupont SA", names) == (
        "Les Marie Dupontel et la société [nom retiré] SA"
    )
    assert scrub("Sans nom connu : 06 12 34 56 78", []) == "Sans nom connu : [coordonnées retirées]"


def test_a_surname_after_a_civility_does_not_survive_a_title_does():
    text = (
        "Reçus par Mme Durandeau, M. Le Gall et MONSIEUR Martin, puis par Monsieur le Recteur et Madame la Présidente."
    )
    scrubbed = scrub(text)
    for name in ("Durandeau", "Le Gall", "Martin"):
        assert name not in scrubbed
    assert "Monsieur le Recteur" in scrubbed
    assert "Madame la Présidente" in scrubbed
    assert scrubbed.count(NAME_REMOVED) == 3
