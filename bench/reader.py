"""The convention reader's benchmark: accuracy, speed per text convention, OCR overhead.

    .venv/bin/python bench/reader.py [--repeat 20] [--pages 3] [--no-ocr] [--strict]

See bench/README.md ("Le lecteur de conventions"). Prints, beside each target:
- accuracy on the five seeds (read at run time from ../shared/seeds, never copied here) and on
  the repository's own samples (tests/reader/samples/), per field and overall, with every
  invented value listed (seeds/truth/README.md, "Scoring"; ``partenariats.reader.scoring``);
- speed in-process and warm (imports, the French dictionary and one read of every document
  first, not counted): median and p95 of one reading, over the seeds and samples × N;
- OCR: pages of the seeds rendered to PDF then to images at the reader's dpi; per page, the
  raw ``tesseract`` command (``ocr.tesseract_command``, same arguments and environment) vs
  ``read_bytes`` on the page image (our whole path: sniffing, OCR, cleanup, field readers).
Exit 0 (1 with ``--strict`` when a target is missed; 2 when the set-up failed).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
SEEDS_DIR = PROJECT_DIR.parent / "shared" / "seeds"
SAMPLES_DIR = PROJECT_DIR / "tests" / "reader" / "samples"
RESULTS_DIR = BENCH_DIR / "results"
sys.path.insert(0, str(PROJECT_DIR))  # tests/reader/render.py renders the OCR pages

TARGET_ACCURACY = 95.0
TARGET_MEDIAN_MS = 200.0
TARGET_OCR_RATIO = 1.2


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (p95: ``share`` 0.95) of ``values``."""
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(share * len(ordered) + 0.5) - 1))
    return ordered[rank]


def corpus() -> tuple[list[tuple[str, bytes, dict]], list[tuple[str, bytes, dict]]]:
    """(name, file bytes, truth) of the seeds and of the samples."""
    seeds = [
        (path.stem, path.read_bytes(), json.loads((SEEDS_DIR / "truth" / f"{path.stem}.truth.json").read_text("utf-8")))
        for path in sorted(SEEDS_DIR.glob("*.txt"))
    ]
    samples = [
        (path.name, path.read_bytes(), json.loads(path.with_name(f"{path.stem}.expected.json").read_text("utf-8")))
        for path in sorted(SAMPLES_DIR.iterdir())
        if path.suffix in (".txt", ".md")
    ]
    return seeds, samples


def accuracy(title: str, documents: list[tuple[str, bytes, dict]], lines: list[str]) -> bool:
    """Scores ``documents`` and appends the table to ``lines``; True when the targets are met."""
    from partenariats.reader import ReaderError, read_bytes
    from partenariats.reader.scoring import Score, by_field, combine, score

    scores: list[Score] = []
    lines.append(f"Accuracy — {title} ({len(documents)} documents)")
    for name, data, truth in documents:
        try:
            result = score(read_bytes(data, name).as_contract(), truth)
        except ReaderError as error:
            result = score({}, truth)
            result.invented.append(f"(lecture impossible : {error})")
        scores.append(result)
        figures = f"{result.points:>3}/{result.total:<3} {result.percent:6.1f} %"
        lines.append(f"  {name:<40} {figures}  invented {len(result.invented)}")
    lines.append("  per field:")
    for field, (points, total) in by_field(scores).items():
        lines.append(f"    {field:<38} {points:>3}/{total:<3} {100 * points / total:6.1f} %")
    overall = combine(scores)
    ok_accuracy = overall.percent >= TARGET_ACCURACY
    ok_invented = not overall.invented
    lines.append(
        f"  overall {overall.points}/{overall.total} = {overall.percent:.1f} %   "
        f"target ≥ {TARGET_ACCURACY:.0f} %  {verdict(ok_accuracy)}"
    )
    lines.append(f"  invented values: {len(overall.invented)}   target 0  {verdict(ok_invented)}")
    for name, result in zip((document[0] for document in documents), scores, strict=True):
        lines.extend(f"    {name}: {value}" for value in result.invented)
    lines.append("")
    return ok_accuracy and ok_invented


def speed(documents: list[tuple[str, bytes, dict]], repeat: int, lines: list[str]) -> bool:
    """Times ``read_bytes`` warm; appends median and p95 per text convention to ``lines``."""
    from partenariats.reader import read_bytes

    for name, data, _truth in documents:  # warm-up: imports, dictionary, regex caches
        read_bytes(data, name)
    timings: list[float] = []
    by_document: dict[str, list[float]] = {}
    for _ in range(repeat):
        for name, data, _truth in documents:
            started = time.perf_counter()
            read_bytes(data, name)
            elapsed = (time.perf_counter() - started) * 1000
            timings.append(elapsed)
            by_document.setdefault(name, []).append(elapsed)
    median, p95 = statistics.median(timings), percentile(timings, 0.95)
    sizes = sorted(len(data) for _name, data, _truth in documents)
    ok = median <= TARGET_MEDIAN_MS
    lines.append(
        f"Speed — one reading, in-process and warm ({len(documents)} documents of "
        f"{sizes[0] / 1000:.0f}–{sizes[-1] / 1000:.0f} kB × {repeat})"
    )
    lines.append(f"  median {median:7.1f} ms   target ≤ {TARGET_MEDIAN_MS:.0f} ms  {verdict(ok)}")
    lines.append(f"  p95    {p95:7.1f} ms")
    largest = [times for (name, data, _truth) in documents if len(data) >= 12_000 for times in by_document[name]]
    if largest:  # the seeds' size (15–25 kB), which the target is about
        lines.append(f"  median {statistics.median(largest):7.1f} ms on the documents of 12 kB or more")
    name, times = max(by_document.items(), key=lambda item: statistics.median(item[1]))
    lines.append(f"  slowest document: {name}, median {statistics.median(times):.1f} ms, max {max(times):.1f} ms")
    lines.append("")
    return ok


def ocr(seeds: list[tuple[str, bytes, dict]], pages: int, lines: list[str]) -> bool:
    """Per page, the raw tesseract command vs ``read_bytes`` on the same PNG; appends the ratio."""
    from partenariats.reader import read_bytes
    from partenariats.reader.model import Limits
    from partenariats.reader.ocr import TESSERACT_ENV, tesseract_command
    from tests.reader.render import pdf_to_images, text_to_pdf

    dpi = Limits().ocr_dpi
    images: list[tuple[str, bytes]] = []
    for name, data, _truth in seeds:  # one page per seed first, then the next pages: varied layouts
        for number, png in enumerate(pdf_to_images(text_to_pdf(data.decode("utf-8")), dpi), start=1):
            images.append((f"{name} p{number}", png))
    images.sort(key=lambda item: int(item[0].rsplit("p", 1)[1]))
    images = images[:pages]

    raw_times: list[float] = []
    our_times: list[float] = []
    environment = {**os.environ, **TESSERACT_ENV}
    lines.append(f"OCR — {len(images)} page(s) of the seeds rendered at {dpi} dpi, each read both ways")
    with tempfile.TemporaryDirectory(prefix="bench-ocr-") as folder:
        path = Path(folder) / "page.png"
        path.write_bytes(images[0][1])
        # Warm-up, not counted: the first run loads the French model from disk into the page cache.
        subprocess.run(tesseract_command(path), env=environment, capture_output=True, check=True)

        def run_raw() -> float:
            started = time.perf_counter()
            subprocess.run(tesseract_command(path), env=environment, capture_output=True, check=True)
            return time.perf_counter() - started

        for index, (label, png) in enumerate(images):
            path.write_bytes(png)
            raw = run_raw() if index % 2 == 0 else 0.0  # alternate which runs first: no order bias
            started = time.perf_counter()
            reading = read_bytes(png, "page.png")
            ours = time.perf_counter() - started
            raw = raw or run_raw()
            raw_times.append(raw)
            our_times.append(ours)
            lines.append(
                f"  {label:<30} raw {raw:6.2f} s   ours {ours:6.2f} s   ×{ours / raw:.2f}   "
                f"({reading.document.source.ocr_pages} page OCR, {len(reading.document.text.text)} characters)"
            )
    raw_median, our_median = statistics.median(raw_times), statistics.median(our_times)
    ratio = our_median / raw_median
    ok = ratio <= TARGET_OCR_RATIO
    lines.append(f"  median per page: raw tesseract {raw_median:.2f} s, read_bytes {our_median:.2f} s")
    lines.append(f"  ratio {ratio:.2f}×   target ≤ {TARGET_OCR_RATIO}×  {verdict(ok)}")
    lines.append("")
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark of the convention reader (accuracy, speed, OCR).")
    parser.add_argument("--repeat", type=int, default=20, help="readings of each document for the speed figures")
    parser.add_argument("--pages", type=int, default=3, help="pages OCR'd both ways (3–5 keep it to a few minutes)")
    parser.add_argument("--no-ocr", action="store_true", help="skip the OCR measure (no tesseract needed)")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)

    if not (SEEDS_DIR / "truth").is_dir():
        print(f"bench/reader.py: the seed conventions are not in {SEEDS_DIR}", file=sys.stderr)
        return 2
    started = time.perf_counter()
    import partenariats.reader  # noqa: F401 - imports are not part of the measures

    seeds, samples = corpus()
    lines = [f"Reader benchmark {datetime.datetime.now():%Y-%m-%d %H:%M} — {os.cpu_count()} CPUs", ""]
    results = {
        "seeds": accuracy("seeds (../shared/seeds)", seeds, lines),
        "samples": accuracy("own samples (tests/reader/samples)", samples, lines),
        "speed": speed(seeds + samples, max(1, args.repeat), lines),
    }
    if not args.no_ocr:
        results["ocr"] = ocr(seeds, max(1, args.pages), lines)
    lines.append(
        "Targets: "
        + ", ".join(f"{name} {verdict(ok)}" for name, ok in results.items())
        + f" — {time.perf_counter() - started:.0f} s"
    )
    text = "\n".join(lines)
    print(text)
    RESULTS_DIR.mkdir(exist_ok=True)
    (RESULTS_DIR / f"reader-{datetime.datetime.now():%Y%m%d-%H%M%S}.txt").write_text(text + "\n", encoding="utf-8")
    return 1 if args.strict and not all(results.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
