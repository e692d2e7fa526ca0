"""Process-stage benchmark: parse alone, extract alone and the whole stage, on the same pages.

Pages come from bench_scale's generated sites (the ten demo articles, each page a copy with a
sentence of its own), archived as WARC in batches of --batch-size pages, one batch per host as
in the scale benchmark. In one process, one after the other:

1. parse alone: `parse_article` on every page, in memory;
2. extract alone: `facts_for_article` on every parsed article;
3. the stage, through the functions the DAG tasks call: parse, extract and validate (which
   stages Parquet) for every batch, then one load of all of them into a fresh warehouse.

Prints seconds per page for each, the stage's throughput against the parse-plus-extract limit
(1 / (parse + extract seconds per page)), and validation's share of the stage. The first GX
import and context fall inside the stage's validation time, as in a fresh task process.
Each figure in wall time and, in brackets, in this process's CPU time (steadier on a shared
machine). Last line: one JSON object. Not a test: run it by hand (`make bench-process`).

    .venv/bin/python bench/bench_process.py [--pages 5000] [--batch-size 250]
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import tempfile
import time
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
# The project root, for bench_scale's own imports (tools.cluster) when run as a script.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.bench_scale import ARTICLES, GeneratedSite
from newsfacts.crawl.archive import ArchiveWriter
from newsfacts.crawl.policy import FetchResult
from newsfacts.flow import load, process
from newsfacts.flow.batch import Batch, Manifest
from newsfacts.flow.records import PageProvenance, ParsedArticle
from newsfacts.ids import article_id
from newsfacts.parse.article import parse_article
from newsfacts.settings import Settings
from newsfacts.warehouse import staging

log = logging.getLogger("bench_process")
RUN_KEY = "2024-01-08T10:00:00"
STEPS = ("parse", "extract", "validate", "stage", "load")


def generate(pages: int, batch_size: int) -> list[tuple[str, list[tuple[str, bytes]]]]:
    """(host, [(url, page bytes)]) per batch: `pages` pages over as many hosts as it takes."""
    batches = []
    for number in range((pages + batch_size - 1) // batch_size):
        size = min(batch_size, pages - number * batch_size)
        site = GeneratedSite(f"127.0.0.{2 + number % 250}", size)
        # Only its page builder is used: nothing is served.
        site.httpd.server_close()
        batches.append(
            (site.host, [(site.base_url + site.page_path(n), site.page(n)) for n in range(size)])
        )
    return batches


def archive_batch(settings: Settings, host: str, pages: list[tuple[str, bytes]]) -> str:
    """Write a batch as the fetch step leaves it: WARC, fetch log, frontier and manifest."""
    batch_id = f"{RUN_KEY[:10]}__bench-{host}"
    batch = Batch.at(settings, batch_id)
    warc = settings.archive_dir / f"{batch_id}.warc.gz"
    now = datetime.now(UTC).isoformat(timespec="seconds")
    with ArchiveWriter(warc) as writer:
        for url, body in pages:
            writer.write(
                FetchResult(
                    url=url,
                    final_url=url,
                    status=200,
                    headers={"Content-Type": "text/html; charset=utf-8"},
                    body=body,
                    elapsed_ms=1,
                    fetched_at_utc=now,
                )
            )
    staging.write_table([], "fetch_log", batch.staged("fetch_log"))
    staging.write_table([], "frontier", batch.staged("frontier"))
    batch.write_manifest(
        Manifest(
            batch_id=batch_id,
            run_key=RUN_KEY,
            source=f"bench-{host}",
            language="auto",
            warc_files=[str(warc)],
            counts={"fetched": len(pages)},
        )
    )
    return batch_id


class Clock:
    """Seconds per step; staging (Parquet files, story signatures) is told apart from validation.

    The validation step of the code stages the batch for the load as well; the time spent in
    staging.write_table and _write_signatures during it counts as "stage", the rest as
    "validate" (both exist before and after the change this benchmark was written for).
    """

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.cpu: dict[str, float] = defaultdict(float)
        self.step = ""
        for owner, name in ((process.staging, "write_table"), (process, "_write_signatures")):
            setattr(owner, name, self._staging(getattr(owner, name)))

    def _staging(self, call: Any) -> Any:
        def run(*args: Any, **kwargs: Any) -> Any:
            if self.step != "validate":
                return call(*args, **kwargs)
            started, started_cpu = time.perf_counter(), time.process_time()
            try:
                return call(*args, **kwargs)
            finally:
                self.seconds["stage"] += time.perf_counter() - started
                self.cpu["stage"] += time.process_time() - started_cpu

        return run

    def timed(self, step: str, call: Any, *args: Any) -> Any:
        self.step = step
        started, started_cpu = time.perf_counter(), time.process_time()
        try:
            return call(*args)
        finally:
            self.seconds[step] += time.perf_counter() - started
            self.cpu[step] += time.process_time() - started_cpu
            self.step = ""


def run_stage(
    settings: Settings, batch_ids: list[str]
) -> tuple[dict[str, float], dict[str, float]]:
    """The whole process stage over every batch, each step timed: wall and CPU seconds.

    As `newsfacts run` does it: parse and extract each batch, validate (with the Data Docs)
    and stage, load. Code with `validate_batches` validates the batches together, older code
    one by one.
    """
    clock = Clock()
    for batch_id in batch_ids:
        clock.timed("parse", process.parse_batch, settings, batch_id)
        clock.timed("extract", process.extract_batch, settings, batch_id)
    if hasattr(process, "validate_batches"):
        clock.timed("validate", process.validate_batches, settings, batch_ids)
    else:
        for batch_id in batch_ids:
            clock.timed("validate", process.validate_batch, settings, batch_id)
    clock.timed("load", load.load_batches, settings, batch_ids)
    timings = []
    for seconds in (dict(clock.seconds), dict(clock.cpu)):
        seconds["validate"] -= seconds.get("stage", 0.0)
        timings.append({step: seconds.get(step, 0.0) for step in STEPS})
    return timings[0], timings[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--pages", type=int, default=5000)
    parser.add_argument("--batch-size", type=int, default=250, help="pages per batch (host)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(name)s %(message)s")

    batches = generate(args.pages, args.batch_size)
    pages = [page for _, batch in batches for page in batch]
    # The first copy of each demo article untimed, so imports and lexicons loaded on first
    # use do not count against the first pages.
    warm = pages[: len(ARTICLES)]
    for url, body in warm:
        parse_article(body, url)

    started, started_cpu = time.perf_counter(), time.process_time()
    parsed = [parse_article(body, url) for url, body in pages]
    parse_s, parse_cpu = time.perf_counter() - started, time.process_time() - started_cpu

    def record(n: int, url: str) -> ParsedArticle:
        article = parsed[n]
        provenance = PageProvenance(url, "bench", "x.warc.gz", n, RUN_KEY + "+00:00", "bench")
        return ParsedArticle.of(article, article_id(url), url, article.lang or "en", provenance)

    records = [record(n, url) for n, (url, _) in enumerate(pages)]
    for r in records[: len(warm)]:
        process.facts_for_article(r)
    started, started_cpu = time.perf_counter(), time.process_time()
    fact_rows = sum(len(rows) for r in records for rows in process.facts_for_article(r).values())
    extract_s, extract_cpu = time.perf_counter() - started, time.process_time() - started_cpu

    with tempfile.TemporaryDirectory(prefix="newsfacts-bench-process-") as tmp:
        settings = Settings.from_env(home=Path(tmp) / "home")
        settings.ensure_dirs()
        batch_ids = [archive_batch(settings, host, batch) for host, batch in batches]
        started, started_cpu = time.perf_counter(), time.process_time()
        steps, steps_cpu = run_stage(settings, batch_ids)
        stage_s, stage_cpu = time.perf_counter() - started, time.process_time() - started_cpu
        with load.warehouse.connect(settings.warehouse, read_only=True) as con:
            loaded = {
                t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]  # type: ignore[index]
                for t in ("articles", "troop_counts", "quarantine", "validation_results")
            }

    n = len(pages)
    limit_pages_per_s = n / (parse_s + extract_s)
    stage_pages_per_s = n / stage_s
    figures = {
        "bench": "process",
        "pages": n,
        "batches": len(batch_ids),
        "fact_rows": fact_rows,
        "parse_ms_per_page": round(1000 * parse_s / n, 2),
        "extract_ms_per_page": round(1000 * extract_s / n, 2),
        "stage_ms_per_page": round(1000 * stage_s / n, 2),
        "stage_steps_s": {step: round(s, 2) for step, s in steps.items()},
        "limit_pages_per_s": round(limit_pages_per_s, 1),
        "stage_pages_per_s": round(stage_pages_per_s, 1),
        "stage_to_limit": round(stage_pages_per_s / limit_pages_per_s, 2),
        "validation_share": round(steps["validate"] / stage_s, 3),
        # The same in CPU seconds of this process (DuckDB's threads included): steadier than
        # wall time on a machine shared with other work.
        "cpu": {
            "parse_ms_per_page": round(1000 * parse_cpu / n, 2),
            "extract_ms_per_page": round(1000 * extract_cpu / n, 2),
            "stage_ms_per_page": round(1000 * stage_cpu / n, 2),
            "stage_steps_s": {step: round(s, 2) for step, s in steps_cpu.items()},
            "stage_to_limit": round((parse_cpu + extract_cpu) / stage_cpu, 2),
            "validation_share": round(steps_cpu["validate"] / stage_cpu, 3),
        },
        "loaded": loaded,
    }
    cpu = figures["cpu"]
    assert isinstance(cpu, dict)
    print(f"{n} pages in {len(batch_ids)} batches of up to {args.batch_size}; wall [CPU]")
    for name, wall, used in (
        ("parse alone", parse_s, parse_cpu),
        ("extract alone", extract_s, extract_cpu),
        ("process stage", stage_s, stage_cpu),
    ):
        print(
            f"{name:14s} {1000 * wall / n:8.2f} ms/page  ({n / wall:6.1f}/s)"
            f"  [{1000 * used / n:6.2f} ms/page]"
        )
    for step, s in steps.items():
        print(
            f"    {step:9s} {s:8.2f} s  {1000 * s / n:8.2f} ms/page  {s / stage_s:6.1%}"
            f"  [{steps_cpu[step]:7.2f} s {steps_cpu[step] / stage_cpu:6.1%}]"
        )
    print(
        f"stage / (parse + extract) limit: {figures['stage_to_limit']:.2f}"
        f"  [{cpu['stage_to_limit']:.2f}]"
    )
    print(
        f"validation share of the stage:   {figures['validation_share']:.1%}"
        f"  [{cpu['validation_share']:.1%}]"
    )
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
