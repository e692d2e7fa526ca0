"""Load benchmark: 1,000,000 synthetic troop-count facts over 100,000 articles into DuckDB.

Measures rows per second for a first load and for a second identical load (which must leave
the warehouse unchanged), and the process's peak memory. Last line: one JSON object.

    .venv/bin/python bench/bench_load.py [--facts 1000000] [--articles 100000]
"""

from __future__ import annotations

import argparse
import json
import resource
import tempfile
import time
from pathlib import Path

import duckdb

from newsfacts import warehouse
from newsfacts.warehouse import staging

BATCH = "bench__synthetic"


def stage_synthetic(folder: Path, n_articles: int, n_facts: int) -> None:
    """Write a batch's staging files straight from DuckDB (no Python rows in the way)."""
    folder.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    body = "US forces number about 2500 troops in Iraq, officials said on Monday. " * 4
    con.execute(
        f"""COPY (SELECT printf('a%08d', i) AS article_id,
                  printf('https://x.test/%d', i) AS canonical_url,
                  printf('https://x.test/%d', i) AS url, 'bench' AS source, 'title' AS title,
                  TIMESTAMP '2024-01-08 10:00:00' AS published_at_utc,
                  '2024-01-08T13:00:00+03:00' AS published_as_written, 'en' AS lang,
                  ['A. Writer'] AS authors, '{body}' AS body, {len(body)} AS body_chars,
                  '{{}}' AS parse_methods, 'x.warc.gz' AS warc_file, i::BIGINT AS warc_offset,
                  TIMESTAMP '2024-01-08 11:00:00' AS fetched_at_utc, '{BATCH}' AS batch_id
           FROM range({n_articles}) t(i)) TO '{folder}/articles.parquet' (FORMAT parquet)"""
    )
    con.execute(
        f"""COPY (SELECT printf('f%09d', i) AS fact_id,
                  printf('a%08d', i % {n_articles}) AS article_id,
                  'USA' AS actor, 'IRQ' AS location, (1 + i % 100000)::BIGINT AS count,
                  NULL::BIGINT AS count_high, 'approx' AS qualifier, 'level' AS kind,
                  'US forces number about 2500 troops in Iraq.' AS sentence,
                  0 AS char_start, 44 AS char_end, 'bench' AS extractor, '0' AS extractor_version,
                  '{BATCH}' AS batch_id
           FROM range({n_facts}) t(i)) TO '{folder}/troop_counts.parquet' (FORMAT parquet)"""
    )
    con.execute(
        f"""COPY (SELECT printf('a%08d', i) AS article_id, printf('a%08d', i - i % 3) AS story_id,
                  list_transform(range(64), lambda x: (hash(i * 64 + x) % 4294967295)::UINTEGER)
                      AS minhash,
                  '{BATCH}' AS batch_id
           FROM range({n_articles}) t(i)) TO '{folder}/article_stories.parquet' (FORMAT parquet)"""
    )
    con.close()
    for table in (
        "date_mentions",
        "entities",
        "quotes",
        "quarantine",
        "validation_results",
        "fetch_log",
    ):
        staging.write_table([], table, folder / f"{table}.parquet")
    run = {
        "batch_id": BATCH,
        "run_key": "bench",
        "source": "bench",
        "pages_fetched": n_articles,
        "pages_unchanged": 0,
        "fetch_failures": 0,
        "articles_parsed": n_articles,
        "parse_failures": 0,
        "facts_loaded": n_facts,
        "records_quarantined": 0,
        "failures_by_reason": "{}",
        "extractor_version": "0",
    }
    staging.write_table([run], "runs", folder / "runs.parquet")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--facts", type=int, default=1_000_000)
    parser.add_argument("--articles", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "staging"
        stage_synthetic(folder, args.articles, args.facts)
        with warehouse.connect(Path(tmp) / "bench.duckdb") as con:
            warehouse.migrate(con)
            started = time.perf_counter()
            warehouse.load_batch(con, folder, BATCH)
            first_s = time.perf_counter() - started
            before = warehouse.table_checksums(con, ("articles", "troop_counts"))
            started = time.perf_counter()
            warehouse.load_batch(con, folder, BATCH)
            second_s = time.perf_counter() - started
            unchanged = warehouse.table_checksums(con, ("articles", "troop_counts")) == before
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    figures = {
        "facts": args.facts,
        "articles": args.articles,
        "first_load_s": round(first_s, 2),
        "first_load_fact_rows_per_s": round(args.facts / first_s),
        "second_load_s": round(second_s, 2),
        "second_load_fact_rows_per_s": round(args.facts / second_s),
        "second_load_changed_nothing": unchanged,
        "peak_mb": round(peak_mb),
    }
    print(
        f"first load : {args.facts:,} facts in {first_s:.2f}s = {args.facts / first_s:,.0f} rows/s"
    )
    print(
        f"second load: {args.facts:,} facts in {second_s:.2f}s"
        f" = {args.facts / second_s:,.0f} rows/s"
        f" (unchanged: {unchanged})"
    )
    print(f"peak memory: {peak_mb:.0f} MB")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
