"""The SQL files: a first-line comment each, one parameter style, identifiers only from the whitelist."""

from __future__ import annotations

import re

import pytest

from newsfacts.settings import SQL_DIR
from newsfacts.warehouse import sql

FILES = sorted(SQL_DIR.rglob("*.sql"))


@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(SQL_DIR)) for p in FILES])
def test_each_file_says_what_it_holds_and_binds_values_one_way(path) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.startswith("-- "), "first line: a comment stating the grain or purpose"
    code = re.sub(r"--[^\n]*|'(?:[^']|'')*'", "", text)  # comments and string literals aside
    assert not re.search(r"\?|(?<![:\w]):[a-z_]+\b", code), "parameters are DuckDB's $name only"


def test_identifiers_come_from_the_whitelist() -> None:
    text = sql.statement("load/insert_batch_rows", table="runs")
    assert "INSERT INTO runs BY NAME SELECT * FROM staged_runs" in text
    with pytest.raises(ValueError, match="not a warehouse identifier"):
        sql.statement("load/insert_batch_rows", table="runs; DROP TABLE articles")
    with pytest.raises(KeyError, match="no value"):
        sql.statement("load/insert_batch_rows")


def test_typed_select_refuses_what_is_not_a_column_or_type() -> None:
    ok = sql.typed_select("staging/write_table", (("count", "BIGINT"), ("authors", "VARCHAR[]")))
    assert 'CAST("authors" AS VARCHAR[]) AS "authors"' in ok
    with pytest.raises(ValueError):
        sql.typed_select("staging/write_table", (('x" FROM y --', "BIGINT"),))
