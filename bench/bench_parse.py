"""Benchmark the parse stage's body against trafilatura on the article-extraction benchmark.

Scores `parse_article(...).body` and trafilatura's own `extract` (default settings, and with
favor_precision=True) on the same 181 pages in the same run: precision, recall, F1, accuracy
(as shared/benchmarks/article-extraction/README.md defines them) and pages per second of CPU
(the extractors take turns page by page, so a shared machine's load falls on all alike).
Prints a table; the last line is one JSON object. Not a test: run it by hand.

    .venv/bin/python bench/bench_parse.py [--limit N]
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import os
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

import trafilatura

from newsfacts.parse.article import ParseError, parse_article
from tools.body_score import PageScore, Summary, score_page, summarize

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("NEWSFACTS_SHARED") or ROOT / ".." / "shared")
BENCH = SHARED / "benchmarks" / "article-extraction"
BOOTSTRAP_ROUNDS = 1000


def load_pages(limit: int | None) -> list[tuple[str, bytes, str, str]]:
    """(id, page bytes, url, gold body) for each benchmark page."""
    truth = json.loads((BENCH / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for key in sorted(truth)[:limit]:
        data = gzip.decompress((BENCH / "html" / f"{key}.html.gz").read_bytes())
        pages.append((key, data, truth[key]["url"], truth[key]["articleBody"]))
    return pages


def ours(data: bytes, url: str) -> str:
    try:
        return parse_article(data, url).body
    except ParseError:
        return ""


def trafilatura_with(**options: bool) -> Callable[[bytes, str], str]:
    def run(data: bytes, url: str) -> str:
        return trafilatura.extract(data.decode("utf-8"), url=url, **options) or ""

    return run


def bootstrap_f1_std(scores: list[PageScore], rounds: int = BOOTSTRAP_ROUNDS) -> float:
    """Standard deviation of F1 over resamples of the pages (seeded: the same every run)."""
    rng = random.Random(0)
    values = []
    for _ in range(rounds):
        sample = [scores[rng.randrange(len(scores))] for _ in scores]
        values.append(summarize(sample).f1)
    mean = sum(values) / len(values)
    return (sum((v - mean) ** 2 for v in values) / len(values)) ** 0.5


def run_all(
    extractors: dict[str, Callable[[bytes, str], str]], pages: list[tuple[str, bytes, str, str]]
) -> dict[str, tuple[list[str], float, float]]:
    """Each extractor's outputs, CPU seconds and wall seconds over all pages.

    The extractors take turns page by page, so a load that comes and goes on a shared machine
    falls on all of them alike; CPU time (this process's) is what the speed ratio compares.
    """
    outputs: dict[str, list[str]] = {name: [] for name in extractors}
    cpu = dict.fromkeys(extractors, 0.0)
    wall = dict.fromkeys(extractors, 0.0)
    for _, data, url, _ in pages:
        for name, run in extractors.items():
            started, started_cpu = time.perf_counter(), time.process_time()
            outputs[name].append(run(data, url))
            cpu[name] += time.process_time() - started_cpu
            wall[name] += time.perf_counter() - started
    return {name: (outputs[name], cpu[name], wall[name]) for name in extractors}


def measure(outputs: list[str], pages: list[tuple[str, bytes, str, str]]) -> tuple[Summary, float]:
    """Summary and F1 standard deviation of one extractor's outputs."""
    scores = [score_page(out, gold) for out, (_, _, _, gold) in zip(outputs, pages, strict=True)]
    return summarize(scores), bootstrap_f1_std(scores)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--limit", type=int, default=None, help="only the first N pages")
    args = parser.parse_args(argv)
    if not BENCH.is_dir():
        print(f"benchmark data not found at {BENCH} (set NEWSFACTS_SHARED)", file=sys.stderr)
        return 2
    # trafilatura logs every discarded page at WARNING; the table is what matters here.
    logging.basicConfig(level=logging.ERROR)
    pages = load_pages(args.limit)
    extractors: dict[str, Callable[[bytes, str], str]] = {
        "newsfacts parse_article": ours,
        "trafilatura default": trafilatura_with(),
        "trafilatura favor_precision": trafilatura_with(favor_precision=True),
        "trafilatura default, no comments": trafilatura_with(include_comments=False),
        "trafilatura favor_precision, no comments": trafilatura_with(
            include_comments=False, favor_precision=True
        ),
    }
    # One untimed page per extractor so imports and caches do not count against the first.
    for run in extractors.values():
        run(pages[0][1], pages[0][2])
    results = {}
    print(f"{len(pages)} pages from {BENCH}; pages/s per CPU second, wall in brackets")
    print(
        f"{'extractor':42} {'F1':>13} {'precision':>9} {'recall':>7} {'accuracy':>8}"
        f" {'pages/s':>8} {'(wall)':>7}"
    )
    for name, (outputs, cpu_s, wall_s) in run_all(extractors, pages).items():
        summary, std = measure(outputs, pages)
        speed, wall_speed = len(pages) / cpu_s, len(pages) / wall_s
        results[name] = {
            "f1": round(summary.f1, 4),
            "f1_std": round(std, 4),
            "precision": round(summary.precision, 4),
            "recall": round(summary.recall, 4),
            "accuracy": round(summary.accuracy, 4),
            "pages_per_s": round(speed, 1),
            "pages_per_wall_s": round(wall_speed, 1),
        }
        print(
            f"{name:42} {summary.f1:.4f}±{std:.3f} {summary.precision:9.4f} {summary.recall:7.4f}"
            f" {summary.accuracy:8.4f} {speed:8.1f} {f'({wall_speed:.1f})':>7}"
        )
    base, mine = results["trafilatura default"], results["newsfacts parse_article"]
    verdict = {
        "pages": len(pages),
        "f1_vs_trafilatura_default": round(mine["f1"] - base["f1"], 4),
        "speed_ratio_vs_trafilatura_default": round(mine["pages_per_s"] / base["pages_per_s"], 2),
        "results": results,
    }
    print(json.dumps(verdict, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
