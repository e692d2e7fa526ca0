"""Date mentions: a date as written, resolved to a TIMEX3-style value."""

from __future__ import annotations

from typing import Any

from newsfacts.facts.kind import FactKind
from newsfacts.models import DateMention, Extraction

MODS = ("START", "MID", "END")
CALENDARS = ("gregorian", "hijri")
# YYYY, YYYY-MM, YYYY-MM-DD or YYYY-Www
TIMEX_VALUE = (
    r"^\d{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?|-W(?:0[1-9]|[1-4]\d|5[0-3]))?$"
)


def _found(extraction: Extraction) -> list[DateMention]:
    return extraction.dates


def _rules(e: Any, actor_codes: frozenset[str] | None) -> list[Any]:
    return [
        e.ExpectColumnValuesToMatchRegex(column="value", regex=TIMEX_VALUE),
        e.ExpectColumnValuesToBeInSet(column="mod", value_set=list(MODS)),
    ]


KIND = FactKind(
    table="date_mentions",
    record=DateMention,
    found=_found,
    tag="date",
    key_fields=("char_start", "char_end", "value"),
    allowed={"mod": MODS, "calendar": CALENDARS},
    rules=_rules,
)
