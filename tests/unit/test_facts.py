"""The fact-kind registry agrees with the warehouse DDL, the record types and the old fact ids."""

from __future__ import annotations

import re
from typing import Any, Literal, Union, get_args, get_origin, get_type_hints

import duckdb
import pytest

from newsfacts import facts, warehouse
from newsfacts.facts import FactKind, FactProvenance
from newsfacts.models import DateMention, Entity, Extraction, Quote, TroopCount
from newsfacts.quality.validate import suites

_IN_LIST = re.compile(r"\b(\w+) IN \(([^)]*)\)")


@pytest.fixture(scope="module")
def schema() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    warehouse.migrate(con)
    return con


def check_values(con: duckdb.DuckDBPyConnection, table: str) -> dict[str, tuple[str, ...]]:
    """Column -> the values its CHECK (column IN (...)) allows, read from the live schema."""
    found: dict[str, tuple[str, ...]] = {}
    for (expression,) in con.execute(
        "SELECT expression FROM duckdb_constraints()"
        " WHERE table_name = ? AND constraint_type = 'CHECK'",
        [table],
    ).fetchall():
        for column, values in _IN_LIST.findall(expression):
            found[column] = tuple(re.findall(r"'((?:[^']|'')*)'", values))
    return found


def literal_values(annotation: Any) -> tuple[str, ...]:
    """The values of a Literal annotation, `| None` left aside."""
    if get_origin(annotation) is Union:  # get_type_hints turns `X | None` into Optional[X]
        (annotation,) = [a for a in get_args(annotation) if a is not type(None)]
    assert get_origin(annotation) is Literal, annotation
    return tuple(get_args(annotation))


@pytest.mark.parametrize("kind", facts.KINDS, ids=facts.TABLES)
def test_ddl_checks_allow_exactly_the_registry_values(
    kind: FactKind, schema: duckdb.DuckDBPyConnection
) -> None:
    assert check_values(schema, kind.table) == dict(kind.allowed)


@pytest.mark.parametrize("kind", facts.KINDS, ids=facts.TABLES)
def test_record_literals_equal_the_registry_values(kind: FactKind) -> None:
    hints = get_type_hints(kind.record)
    for column, values in kind.allowed.items():
        assert literal_values(hints[column]) == values, column


@pytest.mark.parametrize("kind", facts.KINDS, ids=facts.TABLES)
def test_table_columns_are_the_record_and_its_provenance(
    kind: FactKind, schema: duckdb.DuckDBPyConnection
) -> None:
    columns = {
        name
        for (name,) in schema.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = ?",
            [kind.table],
        ).fetchall()
    }
    assert columns == set(kind.record.__slots__) | set(facts.PROVENANCE)
    assert set(kind.key_fields) <= set(kind.record.__slots__)


def test_a_ddl_check_that_drifts_from_the_registry_is_caught() -> None:
    con = duckdb.connect()
    con.execute(
        "CREATE TABLE troop_counts (qualifier VARCHAR CHECK (qualifier IN ('exact', 'approx')))"
    )
    assert check_values(con, "troop_counts") != dict(facts.by_table("troop_counts").allowed)


def test_tables_and_suites_follow_the_registry() -> None:
    assert facts.TABLES == ("troop_counts", "date_mentions", "entities", "quotes")
    assert [t for t, key in warehouse.ARTICLE_TABLES.items() if key == "fact_id"] == list(
        facts.TABLES
    )
    assert set(suites()) == {"articles", *facts.TABLES}
    in_sets = {
        (table, x.column): list(x.value_set)
        for table, rules in suites().items()
        for x in rules
        if type(x).__name__ == "ExpectColumnValuesToBeInSet"
    }
    for kind in facts.KINDS:
        for column, values in kind.allowed.items():
            if (kind.table, column) in in_sets:
                assert in_sets[kind.table, column] == list(values)


def test_fact_ids_keep_their_recipe() -> None:
    """The ids facts were loaded with: changing a recipe would orphan every loaded fact."""
    found = Extraction(
        troop_counts=[
            TroopCount("USA", "IRQ", 2500, None, "exact", "level", "US forces: 2500 troops.", 0, 23)
        ],
        dates=[DateMention("2024-01-08", None, "8 January", 3, 12)],
        entities=[Entity("person", "Lloyd Austin", 5, 17)],
        quotes=[Quote("Austin", "We stay", 20, 27)],
    )
    provenance = FactProvenance(article_id="a1", extractor="x", extractor_version="0", batch_id="b")
    ids = {kind.table: [r["fact_id"] for r in kind.rows(found, provenance)] for kind in facts.KINDS}
    assert ids == {
        "troop_counts": ["047630d10c53c66b0668f42d8df1ab09"],
        "date_mentions": ["b28c786f9f95f76945bbd60c68113c27"],
        "entities": ["38b9df90ce2be50175ca81e7f5852e46"],
        "quotes": ["45b00b23fc0f550d18a49525a7074839"],
    }
    row = facts.by_table("troop_counts").rows(found, provenance)[0]
    assert row["batch_id"] == "b" and row["actor"] == "USA"
