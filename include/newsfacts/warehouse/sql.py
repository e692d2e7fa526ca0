"""SQL statements from include/sql/: one statement per file, values bound as $name parameters.

DuckDB binds values but not identifiers, so a statement that serves several tables names its
table in braces ({table}, {key}) and `statement` fills them in, only with the warehouse's own
table and key column names; anything else is refused.
"""

from __future__ import annotations

import re
from functools import cache

from newsfacts.settings import SQL_DIR
from newsfacts.warehouse.tables import ALL_TABLES, ARTICLE_TABLES

IDENTIFIERS = frozenset({*ALL_TABLES, *ARTICLE_TABLES.values()})
_PLACEHOLDER = re.compile(r"\{(\w+)\}")
# A column of a staging cast list: "name" and a DuckDB type as information_schema spells it.
_COLUMN = re.compile(r"[a-z_][a-z0-9_]*")
_TYPE = re.compile(r"[A-Z]+(?:\(\d+(?:,\s*\d+)?\))?(?:\[\])*")


@cache
def _text(name: str) -> str:
    return (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")


def _fill(name: str, text: str, values: dict[str, str]) -> str:
    def value(match: re.Match[str]) -> str:
        if match.group(1) not in values:
            raise KeyError(f"{name}.sql: no value for {{{match.group(1)}}}")
        return values[match.group(1)]

    return _PLACEHOLDER.sub(value, text)


def statement(name: str, **identifiers: str) -> str:
    """include/sql/<name>.sql, its {placeholders} filled with whitelisted identifiers."""
    for key, identifier in identifiers.items():
        if identifier not in IDENTIFIERS:
            raise ValueError(f"{name}.sql: {key}={identifier!r} is not a warehouse identifier")
    return _fill(name, _text(name), identifiers)


def typed_select(name: str, schema: tuple[tuple[str, str], ...]) -> str:
    """include/sql/<name>.sql with {columns} as a list casting each column to its schema type.

    The schema comes from the migrated warehouse (staging.table_schema); names and types are
    still checked against the shapes DuckDB gives them before they go into the statement.
    """
    casts = []
    for column, kind in schema:
        if not _COLUMN.fullmatch(column) or not _TYPE.fullmatch(kind):
            raise ValueError(f"{name}.sql: unexpected column {column!r} of type {kind!r}")
        casts.append(f'CAST("{column}" AS {kind}) AS "{column}"')
    return _fill(name, _text(name), {"columns": ", ".join(casts)})
