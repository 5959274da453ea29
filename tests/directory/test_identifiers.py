"""UAI check letters and SIRET keys, property-tested."""

import string

from hypothesis import assume, given
from hypothesis import strategies as st

from partenariats.demo.builder import with_luhn_key as demo_with_luhn_key
from partenariats.directory.identifiers import (
    LA_POSTE_SIREN,
    UAI_KEY_LETTERS,
    is_valid_siret,
    is_valid_uai,
    luhn_ok,
    uai_check_letter,
)

seven_digits = st.text(alphabet=string.digits, min_size=7, max_size=7)
thirteen_digits = st.text(alphabet=string.digits, min_size=13, max_size=13)


def with_luhn_key(digits: str) -> str:
    return next(digits + key for key in string.digits if luhn_ok(digits + key))


@given(seven_digits)
def test_a_uai_with_its_check_letter_is_valid_in_any_case_and_spacing(digits):
    uai = digits + uai_check_letter(digits)
    assert is_valid_uai(uai)
    assert is_valid_uai(f" {uai[:3]} {uai[3:].lower()} ")


@given(seven_digits, st.sampled_from(UAI_KEY_LETTERS))
def test_a_uai_with_another_letter_is_refused(digits, letter):
    assume(letter != uai_check_letter(digits))
    assert not is_valid_uai(digits + letter)


def test_known_uai_check_letters():
    # The letter is the seven digits modulo 23 in the alphabet without I, O and Q.
    assert is_valid_uai("0139001N")
    assert is_valid_uai("0849003E")
    assert not is_valid_uai("0139001A")
    assert not is_valid_uai("013900N")  # too short
    assert not is_valid_uai("01390011")  # no letter


@given(thirteen_digits)
def test_a_siret_with_its_luhn_key_is_valid(digits):
    assume(not digits.startswith(LA_POSTE_SIREN))
    siret = with_luhn_key(digits)
    assert is_valid_siret(siret)
    assert is_valid_siret(f"{siret[:3]} {siret[3:6]} {siret[6:9]} {siret[9:]}")


@given(thirteen_digits, st.integers(min_value=0, max_value=13), st.integers(min_value=1, max_value=9))
def test_changing_one_digit_of_a_siret_makes_it_invalid(digits, position, delta):
    siret = with_luhn_key(digits)
    assume(not siret.startswith(LA_POSTE_SIREN))
    changed = siret[:position] + str((int(siret[position]) + delta) % 10) + siret[position + 1 :]
    assume(not changed.startswith(LA_POSTE_SIREN))
    assert not is_valid_siret(changed)


@given(st.text(alphabet=string.digits, min_size=5, max_size=5))
def test_la_poste_sirets_follow_the_digit_sum_rule_instead_of_luhn(establishment):
    siret = LA_POSTE_SIREN + establishment
    assert is_valid_siret(siret) == (sum(int(d) for d in siret) % 5 == 0)


@given(st.text(max_size=20))
def test_anything_that_is_not_fourteen_digits_is_refused(text):
    assume(not (len(text.replace(" ", "")) == 14 and text.replace(" ", "").isdigit()))
    assert not is_valid_siret(text) or sum(c.isdigit() for c in text) == 14


@given(st.text(alphabet=string.digits, min_size=1, max_size=16))
def test_the_generators_compute_the_luhn_key_a_search_finds(digits):
    assert demo_with_luhn_key(digits) == with_luhn_key(digits)
