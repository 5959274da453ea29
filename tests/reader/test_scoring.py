"""The accuracy rule of seeds/truth/README.md: points per field, and what counts as invented."""

import copy

from hypothesis import given
from hypothesis import strategies as st

from partenariats.reader.scoring import by_field, combine, fold, name_overlap, score, share_of_words

TRUTH = {
    "title": "Convention de partenariat entre l'académie de Dijon et la Fédération des entreprises du Jura",
    "parties": [
        {"name": "Académie de Dijon", "kind": "education", "representative": "Aurélie Ménard"},
        {"name": "Fédération des entreprises du Jura (FEJ)", "kind": "employer_org", "representative": "Paul Hénin"},
    ],
    "signature_place": "Lons-le-Saunier",
    "signature_date": "2022-06-30",
    "originals": 2,
    "terms": {
        "start": "signature",
        "duration_months": 36,
        "indefinite": None,
        "tacit_renewal": False,
        "renewal_months": None,
        "provisional_extension_months": None,
        "notice_months": 3,
        "notice_by_registered_letter": True,
        "termination_effect": "end_of_notice",
    },
    "parent": None,
    "articles": ["Préambule", "Article 1 – Objet", "Article 2 – Durée et résiliation"],
}
# title 1 + place, date, originals 3 + terms 9 + 2 parties × (name + representative) 4 + articles 1
TOTAL = 18


def output(**changes):
    data = copy.deepcopy(TRUTH)
    for path, value in changes.items():
        target = data
        *parents, last = path.split("__")
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        target[int(last) if last.isdigit() else last] = value
    return data


def test_a_perfect_reading_scores_100_percent():
    result = score(output(), TRUTH)

    assert (result.points, result.total, result.invented) == (TOTAL, TOTAL, [])
    assert result.percent == 100.0
    assert all(field.ok for field in result.fields.values())


def test_a_missing_value_loses_its_point_and_is_not_invented():
    result = score(output(terms__notice_months=None), TRUTH)

    assert (result.points, result.total, result.invented) == (TOTAL - 1, TOTAL, [])
    assert result.fields["terms.notice_months"] == (None, 3, False)
    assert result.misses() == ["terms.notice_months: got None, expected 3"]


def test_a_value_where_the_truth_is_null_is_invented():
    result = score(output(terms__renewal_months=36, terms__indefinite=False), TRUTH)

    assert result.points == TOTAL - 2
    assert result.invented == ["terms.indefinite = False", "terms.renewal_months = 36"]


def test_false_is_an_answer_and_differs_from_null():
    assert not score(output(terms__tacit_renewal=None), TRUTH).fields["terms.tacit_renewal"].ok
    assert score(output(terms__tacit_renewal=True), TRUTH).invented == []
    assert not score(output(terms__tacit_renewal=True), TRUTH).fields["terms.tacit_renewal"].ok


def test_a_wrong_value_loses_the_point_without_being_invented():
    result = score(output(signature_date="2022-06-29", originals=3), TRUTH)

    assert result.points == TOTAL - 2
    assert result.invented == []


def test_values_compare_after_folding_case_accents_spaces_and_dashes():
    result = score(output(signature_place="LONS LE SAUNIER", parties__0__representative="aurelie  MENARD"), TRUTH)

    assert result.points == TOTAL
    assert fold("Aix-en-Provence") == fold("aix en provence") == fold("AIX–EN–PROVENCE")
    assert fold("L’État") == fold("l'etat")


def test_a_representative_must_match_exactly_after_folding():
    result = score(output(parties__1__representative="P. Hénin"), TRUTH)

    assert result.fields["parties.1.representative"] == ("P. Hénin", "Paul Hénin", False)
    assert result.fields["parties.1"].ok  # the party itself is still found


def test_the_title_needs_70_percent_of_its_words():
    words = TRUTH["title"].split()
    keep = int(len(words) * 0.7) + 1
    assert score(output(title=" ".join(words[:keep])), TRUTH).fields["title"].ok
    assert not score(output(title=" ".join(words[:5])), TRUTH).fields["title"].ok
    assert share_of_words("Convention de partenariat", "CONVENTION DE PARTENARIAT") == 1.0


def test_parties_match_one_to_one_by_word_overlap_whatever_their_order():
    swapped = output()
    swapped["parties"] = [
        {"name": "FEJ – Fédération des entreprises du Jura", "representative": "Paul Hénin"},
        {"name": "L'académie de Dijon", "representative": "Aurélie Ménard"},
    ]
    result = score(swapped, TRUTH)

    assert result.points == TOTAL
    assert result.fields["parties.0"].got == "L'académie de Dijon"


def test_a_name_sharing_less_than_half_its_words_is_not_the_party():
    assert name_overlap("Académie de Dijon", "Académie de Besançon") == 0.5  # "de" does not count
    assert name_overlap("Fédération des entreprises du Jura", "Chambre des métiers du Jura") < 0.5

    result = score(output(parties__1__name="Chambre des métiers du Jura"), TRUTH)
    assert not result.fields["parties.1"].ok
    assert not result.fields["parties.1.representative"].ok  # an unfound party's representative is lost too
    assert result.invented == []  # a wrong name is a miss, not a party beyond the list


def test_one_read_party_cannot_count_for_two_expected_ones():
    data = output()
    data["parties"] = [{"name": "Académie de Dijon", "representative": "Aurélie Ménard"}]
    truth = copy.deepcopy(TRUTH)
    truth["parties"].append({"name": "Académie de Besançon", "representative": None})

    result = score(data, truth)

    assert [result.fields[f"parties.{index}"].ok for index in range(3)] == [True, False, False]


def test_a_party_beyond_the_truth_list_is_invented():
    data = output()
    data["parties"].append({"name": "Ministère de l'Éducation nationale", "representative": None})

    result = score(data, TRUTH)

    assert result.points == TOTAL
    assert result.invented == ['parties.2 = "Ministère de l\'Éducation nationale" (partie en trop)']


def test_a_representative_where_the_truth_has_none_is_invented():
    truth = copy.deepcopy(TRUTH)
    truth["parties"][0]["representative"] = None

    result = score(output(), truth)

    assert result.invented == ["parties.0.representative = 'Aurélie Ménard'"]


def test_articles_count_as_one_sequence():
    assert (
        score(output(articles=["Préambule", "Article 1 – L'objet", "Art. 2 – Durée, résiliation"]), TRUTH)
        .fields["articles"]
        .ok
    )
    assert not score(output(articles=["Préambule", "Article 1 – Objet"]), TRUTH).fields["articles"].ok
    assert (
        not score(output(articles=["Préambule", "Article 1 – Objet", "Article 2 – Signature"]), TRUTH)
        .fields["articles"]
        .ok
    )  # 2 of the 5 expected words


def test_an_empty_reading_invents_nothing():
    result = score({}, TRUTH)

    assert result.invented == []
    assert result.points == 3  # the three terms that are null in the truth


def test_totals_over_documents_per_field():
    one, two = score(output(), TRUTH), score(output(terms__notice_months=None, parties__0__representative="X"), TRUTH)

    totals = by_field([one, two])

    assert totals["terms.notice_months"] == (1, 2)
    assert totals["parties"] == (4, 4)
    assert totals["parties.representative"] == (3, 4)
    combined = combine([one, two])
    assert (combined.points, combined.total) == (2 * TOTAL - 2, 2 * TOTAL)


names = st.text(alphabet="abcdéèêàçôABCDÉ -'", min_size=1, max_size=30).filter(
    lambda text: any(c.isalpha() for c in text)
)
maybe_int = st.none() | st.integers(min_value=0, max_value=120)
truths = st.fixed_dictionaries(
    {
        "title": st.none() | names,
        "signature_place": st.none() | names,
        "signature_date": st.none() | st.sampled_from(["2021-03-18", "2018-05"]),
        "originals": maybe_int,
        "terms": st.fixed_dictionaries(
            {
                "start": st.none() | st.just("signature"),
                "duration_months": maybe_int,
                "indefinite": st.none() | st.just(True),
                "tacit_renewal": st.none() | st.booleans(),
                "notice_months": maybe_int,
            }
        ),
        "parties": st.lists(st.fixed_dictionaries({"name": names, "representative": st.none() | names}), max_size=4),
        "articles": st.lists(names, max_size=5),
    }
)


@given(truths)
def test_the_truth_read_back_scores_full_marks_and_empty_readings_invent_nothing(truth):
    perfect = score(copy.deepcopy(truth), truth)
    assert perfect.points == perfect.total
    assert perfect.invented == []
    assert score({}, truth).invented == []
