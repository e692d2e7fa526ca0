"""The explorer's queries on a warehouse of 1,000,000 troop facts: each page under 200 ms?

Builds a made-up warehouse (tools/synthetic_warehouse.py: 100,000 articles in English and
Arabic, ten facts each) and publishes its snapshot, then times every page's queries (warm, the
median and worst of several runs) and the whole HTTP request through the explorer app.

    .venv/bin/python bench/bench_explorer.py [--facts 1000000] [--home DIR]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from newsfacts import warehouse
from newsfacts.explore import queries, store
from newsfacts.explore.app import create_app
from newsfacts.settings import Settings
from newsfacts.warehouse import snapshot
from tools import synthetic_warehouse

LIMIT_MS = 200.0
RUNS = 7


def timed(run: Callable[[], Any], runs: int = RUNS) -> tuple[float, float]:
    """Median and worst wall time in ms, after one warm-up run."""
    run()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), max(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--facts", type=int, default=1_000_000)
    parser.add_argument("--home", type=Path, help="reuse or keep the warehouse here")
    args = parser.parse_args()
    home = args.home or Path(tempfile.mkdtemp(prefix="newsfacts-bench-explorer-"))

    started = time.perf_counter()
    if snapshot.current_snapshot(home) is None:
        synthetic_warehouse.build(home, facts=args.facts)
    built_s = time.perf_counter() - started
    # what each load pays for the explorer: checkpoint, copy, explorer tables, pointer swap
    settings = Settings.from_env(home=home)
    with warehouse.connect(settings.warehouse) as con:
        started = time.perf_counter()
        path = snapshot.publish(con, settings)
        publish_s = time.perf_counter() - started
    print(f"warehouse {home}: built in {built_s:.1f}s")
    print(f"snapshot publish (per load): {publish_s:.1f}s; {path.name}")
    print(f"snapshot size {path.stat().st_size / 1e6:.0f} MB")

    usa_iraq = queries.FactFilter(actor="USA", location="IRQ")
    dated = queries.FactFilter(
        lang="ar", published_from=date(2021, 1, 1), published_to=date(2021, 6, 30)
    )
    with store.reader(home) as con:
        total = queries.troop_counts(con, queries.FactFilter()).total
        fact_id = queries.troop_counts(con, usa_iraq).rows[0]["fact_id"]
        checks: dict[str, Callable[[], Any]] = {
            "troop counts, first page": lambda: queries.troop_counts(con, queries.FactFilter()),
            "troop counts, actor+location": lambda: queries.troop_counts(con, usa_iraq),
            "troop counts, by count, page 100": lambda: queries.troop_counts(
                con, queries.FactFilter(kind="level"), queries.Sort("count", False), page=100
            ),
            "troop counts, lang+dates": lambda: queries.troop_counts(con, dated),
            "filter options": lambda: queries.filter_options(con),
            "timeline USA/IRQ": lambda: queries.timeline(con, "USA", "IRQ"),
            "fact page": lambda: queries.fact(con, fact_id),
            "disagreements": lambda: queries.disagreements(con, None),
            "disagreements, actor, page 20": lambda: queries.disagreements(con, "RUS", 20),
            "data quality": lambda: queries.quality(con),
            "codebook": lambda: queries.codebook(con),
        }
        results = {name: timed(run) for name, run in checks.items()}

    client = TestClient(create_app(home=lambda: home))
    pages = {
        "GET /": "/",
        "GET /?actor=USA&location=IRQ&sort=count": "/?actor=USA&location=IRQ&sort=count",
        "GET /timeline?actor=USA&location=IRQ": "/timeline?actor=USA&location=IRQ",
        f"GET /facts/{fact_id[:8]}...": f"/facts/{fact_id}",
        "GET /disagreements": "/disagreements",
        "GET /quality": "/quality",
        "GET /export.csv?actor=USA&location=IRQ": "/export.csv?actor=USA&location=IRQ",
    }
    http = {
        name: timed(lambda url=url: client.get(url).raise_for_status())  # type: ignore[misc]
        for name, url in pages.items()
    }

    print(f"\n{total:,} troop facts; median and worst of {RUNS} warm runs (ms)")
    print(f"{'query':<40} {'median':>8} {'worst':>8}")
    for name, (median, worst) in results.items():
        flag = "" if worst < LIMIT_MS else "  OVER 200 ms"
        print(f"{name:<40} {median:8.1f} {worst:8.1f}{flag}")
    print(f"\n{'whole request (query + HTML)':<40} {'median':>8} {'worst':>8}")
    for name, (median, worst) in http.items():
        print(f"{name:<40} {median:8.1f} {worst:8.1f}")
    slowest = max(worst for _, worst in results.values())
    summary = {
        "facts": total,
        "build_s": round(built_s, 1),
        "snapshot_publish_s": round(publish_s, 1),
        "queries_ms": {k: round(v[1], 1) for k, v in results.items()},
        "requests_ms": {k: round(v[1], 1) for k, v in http.items()},
        "all_queries_under_200ms": slowest < LIMIT_MS,
    }
    print(json.dumps(summary))
    return 0 if slowest < LIMIT_MS else 1


if __name__ == "__main__":
    raise SystemExit(main())
