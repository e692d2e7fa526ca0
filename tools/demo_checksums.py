"""Checksums of a demo warehouse's tables, for comparing two runs of `make demo`.

Each demo run serves the site on a new port and at a new time, so URLs, the ids derived from them,
batch ids and timestamps differ between runs by design. The checksum of a table covers every
other column, with an article's id replaced by its URL path.

    python tools/demo_checksums.py var/demo/newsfacts.duckdb
"""

from __future__ import annotations

import sys

import duckdb

VOLATILE = {
    "batch_id",
    "fact_id",
    "run_key",
    "applied_at_utc",
    "fetched_at_utc",
    "first_seen_at_utc",
    "last_fetched_at_utc",
    "content_changed_at_utc",
    "elapsed_ms",
    "check_date",
    "minhash",
    "story_id",
    "warc_file",
    "warc_offset",
    "record_key",
    "record",
    "message",
}
URL_COLUMNS = {"url", "final_url", "canonical_url"}


def checksums(path: str) -> dict[str, tuple[int, str]]:
    con = duckdb.connect(path, read_only=True)
    con.execute(
        "CREATE TEMP TABLE paths AS SELECT article_id,"
        " regexp_replace(canonical_url, '^https?://[^/]+', '') AS article_path FROM articles"
    )
    tables = [
        row[0]
        for row in con.execute(
            "SELECT table_name FROM information_schema.tables"
            " WHERE table_schema = 'main' AND table_type = 'BASE TABLE' ORDER BY 1"
        ).fetchall()
    ]
    out = {}
    for table in tables:
        columns = [
            row[0]
            for row in con.execute(
                "SELECT column_name FROM information_schema.columns"
                " WHERE table_schema = 'main' AND table_name = ? ORDER BY ordinal_position",
                [table],
            ).fetchall()
        ]
        kept = []
        for column in columns:
            if column in VOLATILE:
                continue
            if column in URL_COLUMNS:
                kept.append(f"regexp_replace(t.{column}, '^https?://[^/]+', '')")
            elif column == "article_id":
                kept.append("p.article_path")
            else:
                kept.append(f"t.{column}::VARCHAR")
        join = "LEFT JOIN paths p USING (article_id)" if "article_id" in columns else ""
        row_text = " || '|' || ".join(f"coalesce({c}, '∅')" for c in kept) or "''"
        count, digest = con.execute(
            f"SELECT count(*), coalesce(md5(string_agg(r, '\n' ORDER BY r)), '-')"
            f" FROM (SELECT {row_text} AS r FROM {table} t {join})"
        ).fetchone()
        out[table] = (count, digest)
    return out


if __name__ == "__main__":
    for table, (count, digest) in checksums(sys.argv[1]).items():
        print(f"{table:22} {count:6d}  {digest}")
