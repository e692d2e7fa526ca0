"""Warehouse stage: DuckDB schema from numbered .sql migrations, and one-transaction batch loads."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from newsfacts import facts
from newsfacts.settings import SQL_DIR

log = logging.getLogger(__name__)

MIGRATIONS_DIR = SQL_DIR / "migrations"
VIEWS_DIR = SQL_DIR / "views"
LOAD_DIR = SQL_DIR / "load"

# Tables whose rows belong to articles (replaced per article) and to batches (per batch).
ARTICLE_TABLES = {
    "articles": "article_id",
    "article_stories": "article_id",
    **{kind.table: "fact_id" for kind in facts.KINDS},
}
BATCH_TABLES = ("quarantine", "validation_results", "fetch_log", "runs")
# Tables the loader fills from a batch's staging folder, each from <name>.parquet.
STAGED_TABLES = (*ARTICLE_TABLES, *BATCH_TABLES)
# Staged only by batches that were fetched (a batch staged by hand or before the frontier
# existed has none); merged URL by URL, never rolled back by an older batch.
OPTIONAL_STAGED_TABLES = ("frontier",)
# What analysts query, as opposed to operations records.
DATA_TABLES = (*ARTICLE_TABLES, "quarantine")


def sql_file(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


@contextmanager
def connect(path: Path, *, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open the warehouse file; only one process may hold it for writing at a time."""
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path), read_only=read_only)
    try:
        yield con
    finally:
        con.close()


def migrate(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Apply the migrations not yet recorded, in number order, then (re)create the views.

    Returns the names of the migrations applied now.
    """
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at_utc TIMESTAMP NOT NULL)"
    )
    done = {row[0] for row in con.execute("SELECT version FROM schema_migrations").fetchall()}
    applied = []
    for path in sorted(MIGRATIONS_DIR.glob("*.sql")):
        match = re.match(r"(\d+)_", path.name)
        if not match:
            raise ValueError(f"migration file name must start with its number: {path.name}")
        version = int(match.group(1))
        if version in done:
            continue
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(sql_file(path))
            con.execute(
                "INSERT INTO schema_migrations VALUES (?, ?, now()::TIMESTAMP)",
                [version, path.stem],
            )
            con.execute("COMMIT")
        except duckdb.Error:
            con.execute("ROLLBACK")
            raise
        log.info("applied migration %s", path.name)
        applied.append(path.stem)
    for path in sorted(VIEWS_DIR.glob("*.sql")):
        con.execute(sql_file(path))
    return applied


def load_reference(con: duckdb.DuckDBPyConnection, actors_parquet: Path) -> int:
    """Replace the actors reference table from a staged Parquet file; returns its row count."""
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute("DELETE FROM actors")
        con.execute(
            "INSERT INTO actors BY NAME SELECT * FROM read_parquet(?)", [str(actors_parquet)]
        )
        con.execute("COMMIT")
    except duckdb.Error:
        con.execute("ROLLBACK")
        raise
    row = con.execute("SELECT count(*) FROM actors").fetchone()
    return int(row[0]) if row else 0


def _load_script(name: str, staging: Path, batch_id: str, **names: str) -> str:
    """include/sql/load/<name>.sql with its table names and the batch's placeholders filled."""
    text = sql_file(LOAD_DIR / f"{name}.sql").format(**names)
    return text.replace(":staging", _literal(str(staging))).replace(":batch_id", _literal(batch_id))


def merge_frontier(con: duckdb.DuckDBPyConnection, staging: Path) -> int:
    """Merge a batch's staged frontier.parquet alone, in its own transaction; returns its rows.

    `load_batch` runs the same merge inside the batch's transaction; this is for a crawl
    that fetches without loading articles.
    """
    if not (staging / "frontier.parquet").exists():
        return 0
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute(_load_script("stage_table", staging, "", table="frontier"))
        con.execute(_load_script("replace_frontier_rows", staging, ""))
        row = con.execute("SELECT count(*) FROM staged_frontier").fetchone()
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    finally:
        con.execute("DROP VIEW IF EXISTS staged_frontier")
    return int(row[0]) if row else 0


def load_batch(con: duckdb.DuckDBPyConnection, staging: Path, batch_id: str) -> None:
    """Load one staged batch in a single transaction: all of it, or (on any error) none of it.

    The batch's articles end up with exactly the staged facts, and its operations and
    data-quality rows are replaced, so loading the same batch again changes nothing.
    """
    missing = [t for t in STAGED_TABLES if not (staging / f"{t}.parquet").exists()]
    if missing:
        raise FileNotFoundError(f"batch {batch_id}: staging files missing: {', '.join(missing)}")

    def script(name: str, **names: str) -> str:
        return _load_script(name, staging, batch_id, **names)

    optional = [t for t in OPTIONAL_STAGED_TABLES if (staging / f"{t}.parquet").exists()]
    con.execute("BEGIN TRANSACTION")
    try:
        for table in (*STAGED_TABLES, *optional):
            con.execute(script("stage_table", table=table))
        for table, key in ARTICLE_TABLES.items():
            con.execute(script("replace_article_rows", table=table, key=key))
        for table in BATCH_TABLES:
            con.execute(script("replace_batch_rows", table=table))
        for table in optional:
            con.execute(script(f"replace_{table}_rows"))
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    finally:
        for table in (*STAGED_TABLES, *optional):
            con.execute(f"DROP VIEW IF EXISTS staged_{table}")


def table_checksums(
    con: duckdb.DuckDBPyConnection, tables: tuple[str, ...] = STAGED_TABLES + OPTIONAL_STAGED_TABLES
) -> dict[str, tuple[int, int]]:
    """Row count and an order-independent content hash per table, to compare warehouses."""
    result = {}
    for table in tables:
        row = con.execute(
            f"SELECT count(*), coalesce(bit_xor(hash(t)), 0) FROM {table} t"
        ).fetchone()
        result[table] = (int(row[0]), int(row[1])) if row else (0, 0)
    return result


def batch_loaded(con: duckdb.DuckDBPyConnection, batch_id: str) -> bool:
    """Whether the warehouse already holds this batch's run row."""
    return con.execute("SELECT 1 FROM runs WHERE batch_id = ?", [batch_id]).fetchone() is not None
