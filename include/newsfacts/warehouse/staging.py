"""Staging: rows to Parquet files typed exactly like their warehouse table (DuckDB, no pyarrow)."""

from __future__ import annotations

import json
import os
from functools import cache
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from newsfacts.warehouse import sql


@cache
def _schema_catalog() -> dict[str, tuple[tuple[str, str], ...]]:
    """Every warehouse table's (column, DuckDB type) pairs, from the migrations themselves.

    Built once per process in an in-memory database, quietly: it migrates no warehouse.
    """
    from newsfacts import warehouse

    con = duckdb.connect()
    try:
        warehouse.migrate(con, announce=False)
        rows = con.execute(sql.statement("schema/all_table_columns")).fetchall()
    finally:
        con.close()
    schemas: dict[str, list[tuple[str, str]]] = {}
    for table, name, kind in rows:
        schemas.setdefault(str(table), []).append((str(name), str(kind)))
    return {table: tuple(columns) for table, columns in schemas.items()}


def table_schema(table: str) -> tuple[tuple[str, str], ...]:
    """(column, DuckDB type) pairs of a warehouse table, read from the migrations themselves."""
    try:
        return _schema_catalog()[table]
    except KeyError:
        raise KeyError(f"no warehouse table named {table!r}") from None


@cache
def _memory(pid: int) -> duckdb.DuckDBPyConnection:
    """One in-memory DuckDB per process (a forked child makes its own); calls use cursors.

    Opening a database costs more than writing a batch's small table.
    """
    return duckdb.connect()


def write_table(rows: list[dict[str, Any]], table: str, path: Path) -> Path:
    """Write `rows` as a Parquet file with `table`'s columns and types; extra keys are dropped."""
    schema = table_schema(table)
    frame = pd.DataFrame(
        [{name: row.get(name) for name, _ in schema} for row in rows],
        columns=[name for name, _ in schema],
        dtype=object,
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    con = _memory(os.getpid()).cursor()
    try:
        con.register("frame", frame)
        con.execute(sql.typed_select("staging/write_table", schema), {"path": str(tmp)})
    finally:
        con.close()
    tmp.replace(path)
    return path


def read_table(path: Path) -> list[dict[str, Any]]:
    """Rows of a staged Parquet file as dicts."""
    con = duckdb.connect()
    try:
        cursor = con.execute(sql.statement("staging/read_table"), {"path": str(path)})
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    finally:
        con.close()


def write_jsonl(rows: list[dict[str, Any]], path: Path) -> Path:
    """Write rows as JSON lines atomically (intermediate files between stages)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
    tmp.replace(path)
    return path


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]
