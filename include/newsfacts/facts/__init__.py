"""The fact kinds, one module each: the table lists, fact ids, GX suites and CHECKs derive from it.

A new kind is a module here (listed in KINDS) and a migration creating its table.
"""

from __future__ import annotations

from newsfacts.facts import date_mentions, entities, quotes, troop_counts
from newsfacts.facts.kind import BODY_CHARS, PROVENANCE, FactKind, FactProvenance

__all__ = [
    "BODY_CHARS",
    "KINDS",
    "PROVENANCE",
    "TABLES",
    "FactKind",
    "FactProvenance",
    "by_table",
]

# In load order; the warehouse and the GX suites follow it.
KINDS: tuple[FactKind, ...] = (
    troop_counts.KIND,
    date_mentions.KIND,
    entities.KIND,
    quotes.KIND,
)
TABLES: tuple[str, ...] = tuple(kind.table for kind in KINDS)


def by_table(table: str) -> FactKind:
    """The kind stored in `table`."""
    for kind in KINDS:
        if kind.table == table:
            return kind
    raise KeyError(f"no fact kind has the table {table!r}")
