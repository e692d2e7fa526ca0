"""Benchmark the extract stage: articles per second and peak memory of the batch extractor.

Builds N articles of realistic length (2,500-4,000 characters, half Arabic, half English) by
joining gold paragraphs of one language, then runs `newsfacts.extract.batch.extract_jsonl` over
them in a fresh subprocess pinned to one core, so that the peak resident memory (getrusage
maxrss, which sees C allocations that tracemalloc misses) is the extractor's own. The timing
starts after the imports and one warm-up article. Not a test: run it by hand.

    .venv/bin/python bench/bench_extract.py [--articles N]

Target: at least 200 articles/s and a peak under 300 MB. The last line is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "tests" / "fixtures" / "gold"
MIN_CHARS, MAX_CHARS = 2500, 4000
TARGET_RATE, TARGET_MB = 200.0, 300.0


def load_paragraphs() -> dict[str, list[dict]]:
    """Gold records by language."""
    by_lang: dict[str, list[dict]] = {}
    for path in sorted(GOLD.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                record = json.loads(line)
                by_lang.setdefault(record["lang"], []).append(record)
    return by_lang


def build_articles(count: int, seed: int = 0) -> list[dict]:
    """`count` articles, alternating languages, each of paragraphs from one language's gold."""
    rng = random.Random(seed)
    by_lang = load_paragraphs()
    langs = sorted(by_lang)
    articles = []
    for number in range(count):
        lang = langs[number % len(langs)]
        pool = by_lang[lang]
        target = rng.randint(MIN_CHARS, MAX_CHARS)
        paragraphs: list[str] = []
        length = 0
        first = rng.choice(pool)
        record = first
        while length < target:
            paragraphs.append(record["text"])
            length += len(record["text"]) + 2
            record = rng.choice(pool)
        articles.append(
            {
                "id": f"bench-{lang}-{number:05d}",
                "lang": lang,
                "published": first["published"][:10],
                "text": "\n\n".join(paragraphs),
            }
        )
    return articles


def _maxrss_mb() -> float:
    # ru_maxrss is in kilobytes on Linux (bytes on macOS).
    scale = 1 if sys.platform == "darwin" else 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale / 1e6


def worker(path: Path) -> int:
    """Child process: extract every article of the JSONL file, print one JSON line of figures."""
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    from newsfacts.extract.batch import extract_jsonl

    with path.open(encoding="utf-8") as stream:
        first = stream.readline()
    list(extract_jsonl([first]))  # warm-up: lexicons and compiled patterns load here
    import_mb = _maxrss_mb()
    articles = troops = dates = failed = 0
    start = time.perf_counter()
    cpu_start = time.process_time()
    with path.open(encoding="utf-8") as stream:
        for result in extract_jsonl(stream):
            articles += 1
            troops += len(result["troop_counts"])
            dates += len(result["dates"])
            failed += "error" in result
    seconds = time.perf_counter() - start
    cpu_seconds = time.process_time() - cpu_start
    figures = {
        "articles": articles,
        "seconds": round(seconds, 3),
        "cpu_seconds": round(cpu_seconds, 3),
        "peak_mb": round(_maxrss_mb(), 1),
        "import_mb": round(import_mb, 1),
        "troop_counts": troops,
        "dates": dates,
        "failed": failed,
    }
    sys.stdout.write(json.dumps(figures) + "\n")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--articles", type=int, default=5000, help="number of articles (5000)")
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        return worker(args.worker)
    articles = build_articles(args.articles)
    chars = sum(len(a["text"]) for a in articles)
    with tempfile.TemporaryDirectory(prefix="bench-extract-") as tmp:
        path = Path(tmp) / "articles.jsonl"
        with path.open("w", encoding="utf-8") as out:
            for article in articles:
                out.write(json.dumps(article, ensure_ascii=False) + "\n")
        done = subprocess.run(
            [sys.executable, str(Path(__file__).resolve()), "--worker", str(path)],
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, "PYTHONHASHSEED": "0"},
        )
    if done.returncode != 0:
        sys.stderr.write(done.stderr)
        return done.returncode
    child = json.loads(done.stdout.strip().splitlines()[-1])
    rate = child["articles"] / child["seconds"] if child["seconds"] else 0.0
    # On a shared machine the wall clock counts other processes' turns; CPU time does not.
    cpu_rate = child["articles"] / child["cpu_seconds"] if child["cpu_seconds"] else 0.0
    print(
        f"{child['articles']} articles ({chars / len(articles):.0f} characters on average,"
        f" half Arabic, half English) on one core"
    )
    print(
        f"{child['seconds']:.2f} s, {rate:.1f} articles/s (target >= {TARGET_RATE:.0f}):"
        f" {'ok' if rate >= TARGET_RATE else 'BELOW TARGET'}"
    )
    print(f"{child['cpu_seconds']:.2f} s of CPU, {cpu_rate:.1f} articles per CPU second")
    print(
        f"peak memory {child['peak_mb']:.1f} MB (after imports and warm-up"
        f" {child['import_mb']:.1f} MB; target < {TARGET_MB:.0f}):"
        f" {'ok' if child['peak_mb'] < TARGET_MB else 'ABOVE TARGET'}"
    )
    print(
        f"found {child['troop_counts']} troop counts and {child['dates']} dates;"
        f" {child['failed']} articles failed"
    )
    print(
        json.dumps(
            {
                "articles": child["articles"],
                "seconds": child["seconds"],
                "articles_per_s": round(rate, 1),
                "cpu_seconds": child["cpu_seconds"],
                "articles_per_cpu_s": round(cpu_rate, 1),
                "peak_mb": child["peak_mb"],
                "import_mb": child["import_mb"],
                "mean_chars": round(chars / len(articles)),
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
