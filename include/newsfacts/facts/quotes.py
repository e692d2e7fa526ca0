"""Quotes: reported speech and the speaker it is attributed to."""

from __future__ import annotations

from typing import Any

from newsfacts.facts.kind import FactKind
from newsfacts.models import Extraction, Quote


def _found(extraction: Extraction) -> list[Quote]:
    return extraction.quotes


def _rules(e: Any, actor_codes: frozenset[str] | None) -> list[Any]:
    return [e.ExpectColumnValuesToNotBeNull(column="text")]


KIND = FactKind(
    table="quotes",
    record=Quote,
    found=_found,
    tag="quote",
    key_fields=("char_start", "char_end"),
    allowed={},
    rules=_rules,
)
