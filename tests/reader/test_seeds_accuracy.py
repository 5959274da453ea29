"""The reader on the five seed conventions (read at run time from ../shared/seeds): ≥ 95 %, nothing invented.

The seeds' text never enters the repository: this test reads them where they are and skips
when they are absent (a checkout without the shared folder).
"""

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from partenariats.reader import read_path
from partenariats.reader.scoring import by_field, combine, score
from partenariats.terms.engine import compute

REPO = Path(__file__).resolve().parents[2]
SEEDS = REPO.parent / "shared" / "seeds"
VENV_BIN = Path(sys.executable).parent
TARGET = 95.0

pytestmark = pytest.mark.skipif(not (SEEDS / "truth").is_dir(), reason="seeds absent (../shared/seeds)")


def seed_paths() -> list[Path]:
    return sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []


def truth(path: Path) -> dict:
    return json.loads((SEEDS / "truth" / f"{path.stem}.truth.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def readings() -> dict[str, dict]:
    return {path.stem: read_path(path).as_contract() for path in seed_paths()}


def test_the_seeds_score_at_least_95_percent_overall_with_nothing_invented(readings):
    scores = {name: score(contract, truth(SEEDS / f"{name}.txt")) for name, contract in readings.items()}
    overall = combine(scores.values())

    lines = [f"overall {overall.summary()} (target ≥ {TARGET:.0f} %, 0 invented)", "per field:"]
    lines += [
        f"  {field:<40} {points}/{total}"
        for field, (points, total) in by_field(scores.values()).items()
        if points < total
    ]
    for name, result in scores.items():
        lines.append(f"{name}: {result.summary()}")
        lines += [f"  miss {miss}" for miss in result.misses()]
        lines += [f"  INVENTED {value}" for value in result.invented]
    assert len(scores) == 5
    assert not overall.invented, "\n".join(lines)
    assert overall.percent >= TARGET, "\n".join(lines)


def test_every_seed_reading_is_accepted_by_the_terms_engine(readings):
    refused = {}
    for name, contract in readings.items():
        try:
            compute(contract, date(2026, 11, 22))
        except ValueError as error:  # TermsInputError is a ValueError
            refused[name] = str(error)
    assert not refused, refused


def test_read_json_piped_into_timeline_for_one_seed(tmp_path):
    seed = SEEDS / "004_c4445d50fca04f14.txt"
    environment = {"PATH": os.defpath}
    command = (
        f"'{VENV_BIN / 'partenariats'}' read '{seed}' --json | '{VENV_BIN / 'partenariats'}' timeline - --on 2026-11-22"
    )

    done = subprocess.run(
        ["/bin/bash", "-o", "pipefail", "-c", command], cwd=tmp_path, env=environment, capture_output=True, check=False
    )

    assert done.returncode == 0, done.stderr.decode("utf-8")
    timeline = json.loads(done.stdout)
    expected = compute(truth(seed), date(2026, 11, 22))
    assert (timeline["status"], timeline["period_end"]) == (expected["status"], expected["period_end"])
