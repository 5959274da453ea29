"""The reader's generalisation test: conventions written for it (tests/reader/samples/), never seen while tuning.

Each sample (``NN_name.txt`` or ``.md``) has ``NN_name.expected.json`` in the truth format of
seeds/truth/README.md; the reader must score ≥ 90 % on each with nothing invented, ≥ 85 % on
OCR-noised copies, and read a PDF rendering of each to the same values.
"""

import importlib
import json
from pathlib import Path

import pytest

from partenariats.reader import read_bytes, read_path
from partenariats.reader.scoring import fold, score

SAMPLES = Path(__file__).parent / "samples"
PATHS = sorted(path for path in SAMPLES.iterdir() if path.suffix in (".txt", ".md"))
NOISE_SEEDS = (1, 2)


def expected(path: Path) -> dict:
    return json.loads(path.with_name(path.stem + ".expected.json").read_text(encoding="utf-8"))


def report(name: str, result) -> str:
    lines = [f"{name}: {result.summary()}"]
    lines += [f"  miss {line}" for line in result.misses()]
    lines += [f"  INVENTED {line}" for line in result.invented]
    return "\n".join(lines)


def plain_values(contract: dict) -> dict:
    """The scored values of a reading, folded: what a PDF rendering must read the same."""
    terms = contract.get("terms") or {}
    return {
        "title": fold(contract.get("title")),
        "signature_place": fold(contract.get("signature_place")),
        "signature_date": fold(contract.get("signature_date")),
        "originals": contract.get("originals"),
        "terms": {key: terms.get(key) for key in sorted(terms)},
        "parties": [(fold(party.get("name")), fold(party.get("representative"))) for party in contract["parties"]],
        "articles": [fold(article) for article in contract.get("articles") or []],
    }


def test_the_corpus_is_complete():
    assert len(PATHS) >= 8
    for path in PATHS:
        truth = expected(path)
        assert {"title", "parties", "signature_place", "signature_date", "originals", "terms", "articles"} <= set(truth)


@pytest.mark.parametrize("path", PATHS, ids=lambda path: path.stem)
def test_each_sample_scores_at_least_90_percent_with_nothing_invented(path):
    result = score(read_path(path).as_contract(), expected(path))

    assert not result.invented, report(path.stem, result)
    assert result.percent >= 90, report(path.stem, result)


@pytest.mark.parametrize("seed", NOISE_SEEDS)
@pytest.mark.parametrize("path", PATHS, ids=lambda path: path.stem)
def test_ocr_noised_samples_score_at_least_85_percent_with_nothing_invented(path, seed):
    try:
        noise = importlib.import_module("tests.reader.noise")
    except ModuleNotFoundError as error:
        if error.name != "tests.reader.noise":
            raise
        pytest.skip("tests/reader/noise.py (the OCR-noise generator) is not there yet")
    text = noise.noisy(path.read_text(encoding="utf-8"), seed)

    result = score(read_bytes(text.encode("utf-8"), path.name).as_contract(), expected(path))

    assert not result.invented, report(f"{path.stem} (bruit {seed})", result)
    assert result.percent >= 85, report(f"{path.stem} (bruit {seed})", result)


@pytest.mark.slow
@pytest.mark.parametrize("path", PATHS, ids=lambda path: path.stem)
def test_a_pdf_rendering_reads_to_the_same_values(path):
    render = pytest.importorskip("tests.reader.render")
    text = path.read_text(encoding="utf-8")

    from_text = plain_values(read_path(path).as_contract())
    from_pdf = plain_values(read_bytes(render.text_to_pdf(text), path.stem + ".pdf").as_contract())

    differences = {key: (from_text[key], from_pdf[key]) for key in from_text if from_text[key] != from_pdf[key]}
    assert not differences, f"{path.stem}: text vs PDF {differences}"
