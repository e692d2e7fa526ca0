"""Warehouse stage: DuckDB schema from numbered .sql migrations, and one-transaction batch loads."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from newsfacts.settings import SQL_DIR
from newsfacts.warehouse.sql import statement
from newsfacts.warehouse.tables import (
    ARTICLE_TABLES,
    BATCH_TABLES,
    DATA_TABLES,
    OPTIONAL_STAGED_TABLES,
    STAGED_TABLES,
)

__all__ = [
    "ARTICLE_TABLES",
    "BATCH_TABLES",
    "DATA_TABLES",
    "OPTIONAL_STAGED_TABLES",
    "STAGED_TABLES",
    "batch_loaded",
    "connect",
    "has_table",
    "load_batch",
    "load_reference",
    "merge_frontier",
    "migrate",
    "record_fetches",
    "statement",
    "table_checksums",
    "transaction",
]

log = logging.getLogger(__name__)

MIGRATIONS_DIR = SQL_DIR / "migrations"
VIEWS_DIR = SQL_DIR / "views"


def sql_file(path: Path) -> str:
    return path.read_text(encoding="utf-8")


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


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """Everything in the block commits together, or (on any error, a kill included) not at all."""
    con.begin()
    try:
        yield con
        con.commit()
    except BaseException:
        con.rollback()
        raise


def migrate(con: duckdb.DuckDBPyConnection, *, announce: bool = True) -> list[str]:
    """Apply the migrations not yet recorded, in number order, then (re)create the views.

    Returns the names of the migrations applied now. Logs one line saying where the schema
    stands (`announce=False`: none, for a scratch database that is not the warehouse).
    """
    con.execute(statement("schema/create_schema_migrations"))
    done = {row[0] for row in con.execute(statement("schema/applied_migrations")).fetchall()}
    applied = []
    latest = None
    for path in sorted(MIGRATIONS_DIR.glob("*.sql")):
        match = re.match(r"(\d+)_", path.name)
        if not match:
            raise ValueError(f"migration file name must start with its number: {path.name}")
        version = int(match.group(1))
        latest = path.stem
        if version in done:
            continue
        with transaction(con):
            con.execute(sql_file(path))
            con.execute(
                statement("schema/record_migration"), {"version": version, "name": path.stem}
            )
        applied.append(path.stem)
    for path in sorted(VIEWS_DIR.glob("*.sql")):
        con.execute(sql_file(path))
    if announce:
        if applied:
            log.info(
                "warehouse schema now at %s: applied %d migration(s), %s",
                latest,
                len(applied),
                ", ".join(applied),
            )
        else:
            log.info("warehouse schema up to date at %s", latest)
    return applied


def load_reference(con: duckdb.DuckDBPyConnection, actors_parquet: Path) -> int:
    """Replace the actors reference table from a staged Parquet file; returns its row count."""
    with transaction(con):
        con.execute(statement("load/delete_actors"))
        con.execute(statement("load/insert_actors"), {"path": str(actors_parquet)})
    row = con.execute(statement("load/count_actors")).fetchone()
    return int(row[0]) if row else 0


@contextmanager
def _staged_transaction(
    con: duckdb.DuckDBPyConnection, staging: Path, tables: tuple[str, ...]
) -> Iterator[None]:
    """A transaction that sees the batch's staged files as staged_<table>, dropped after it ends."""
    try:
        with transaction(con):
            for table in tables:
                con.execute(
                    statement("load/stage_table", table=table),
                    {"path": str(staging / f"{table}.parquet")},
                )
            yield
    finally:
        for table in tables:
            con.execute(statement("load/drop_staged_table", table=table))


def merge_frontier(con: duckdb.DuckDBPyConnection, staging: Path) -> int:
    """Merge a batch's staged frontier.parquet alone, in its own transaction; returns its rows."""
    if not (staging / "frontier.parquet").exists():
        return 0
    with _staged_transaction(con, staging, ("frontier",)):
        con.execute(statement("load/replace_frontier_rows"))
        row = con.execute(statement("load/staged_row_count", table="frontier")).fetchone()
    return int(row[0]) if row else 0


def record_fetches(con: duckdb.DuckDBPyConnection, staging: Path, batch_id: str) -> int:
    """Record what a batch's fetch found, in one transaction: its fetch_log rows (replaced
    whole) and its frontier rows (merged URL by URL); returns the frontier rows staged.

    `load_batch` writes the same rows again inside the batch's transaction; this is for a
    crawl that fetches without loading, so its fetch_log can be looked at at once.
    """
    tables = tuple(t for t in ("fetch_log", "frontier") if (staging / f"{t}.parquet").exists())
    staged = 0
    with _staged_transaction(con, staging, tables):
        if "fetch_log" in tables:
            con.execute(
                statement("load/delete_batch_rows", table="fetch_log"), {"batch_id": batch_id}
            )
            con.execute(statement("load/insert_batch_rows", table="fetch_log"))
        if "frontier" in tables:
            con.execute(statement("load/replace_frontier_rows"))
            row = con.execute(statement("load/staged_row_count", table="frontier")).fetchone()
            staged = int(row[0]) if row else 0
    return staged


def load_batch(con: duckdb.DuckDBPyConnection, staging: Path, batch_id: str) -> None:
    """Load one staged batch in a single transaction: all of it, or (on any error) none of it.

    The batch's articles end up with exactly the staged facts, and its operations and
    data-quality rows are replaced, so loading the same batch again changes nothing.
    """
    missing = [t for t in STAGED_TABLES if not (staging / f"{t}.parquet").exists()]
    if missing:
        raise FileNotFoundError(f"batch {batch_id}: staging files missing: {', '.join(missing)}")
    optional = tuple(t for t in OPTIONAL_STAGED_TABLES if (staging / f"{t}.parquet").exists())
    with _staged_transaction(con, staging, (*STAGED_TABLES, *optional)):
        for table, key in ARTICLE_TABLES.items():
            con.execute(statement("load/delete_article_rows", table=table, key=key))
            con.execute(statement("load/insert_article_rows", table=table, key=key))
        for table in BATCH_TABLES:
            con.execute(statement("load/delete_batch_rows", table=table), {"batch_id": batch_id})
            con.execute(statement("load/insert_batch_rows", table=table))
        for table in optional:
            con.execute(statement(f"load/replace_{table}_rows"))


def table_checksums(
    con: duckdb.DuckDBPyConnection, tables: tuple[str, ...] = STAGED_TABLES + OPTIONAL_STAGED_TABLES
) -> dict[str, tuple[int, int]]:
    """Row count and an order-independent content hash per table, to compare warehouses."""
    result = {}
    for table in tables:
        row = con.execute(statement("schema/table_checksum", table=table)).fetchone()
        result[table] = (int(row[0]), int(row[1])) if row else (0, 0)
    return result


def batch_loaded(con: duckdb.DuckDBPyConnection, batch_id: str) -> bool:
    """Whether the warehouse already holds this batch's run row."""
    found = con.execute(statement("load/batch_loaded"), {"batch_id": batch_id}).fetchone()
    return found is not None


def has_table(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    """Whether the warehouse has `table` yet (a warehouse never loaded has none)."""
    row = con.execute(statement("schema/table_exists"), {"table": table}).fetchone()
    return bool(row and row[0])
