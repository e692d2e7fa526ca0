"""Troop counts: how many troops of which actor, where, as one sentence states it."""

from __future__ import annotations

from typing import Any

from newsfacts.facts.date_mentions import TIMEX_VALUE
from newsfacts.facts.kind import FactKind
from newsfacts.models import Extraction, TroopCount

QUALIFIERS = ("exact", "approx", "at_least", "at_most")
KINDS = ("level", "increase", "decrease", "planned_level")


def _found(extraction: Extraction) -> list[TroopCount]:
    return extraction.troop_counts


def _rules(e: Any, actor_codes: frozenset[str] | None) -> list[Any]:
    rules = [
        e.ExpectColumnValuesToNotBeNull(column="actor"),
        e.ExpectColumnValuesToBeBetween(column="count", min_value=1, max_value=5_000_000),
        e.ExpectColumnValuesToBeInSet(column="qualifier", value_set=list(QUALIFIERS)),
        e.ExpectColumnValuesToBeInSet(column="kind", value_set=list(KINDS)),
        e.ExpectColumnValuesToNotBeNull(column="sentence"),
        e.ExpectColumnValuesToMatchRegex(column="as_of", regex=TIMEX_VALUE),
    ]
    if actor_codes:
        rules += [
            e.ExpectColumnValuesToBeInSet(column="actor", value_set=sorted(actor_codes)),
            e.ExpectColumnValuesToBeInSet(column="location", value_set=sorted(actor_codes)),
        ]
    return rules


KIND = FactKind(
    table="troop_counts",
    record=TroopCount,
    found=_found,
    tag="troops",
    key_fields=("char_start", "char_end", "actor", "location", "count"),
    allowed={"qualifier": QUALIFIERS, "kind": KINDS},
    rules=_rules,
)
