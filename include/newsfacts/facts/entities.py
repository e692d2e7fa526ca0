"""Entities: a person, organization or location named in the text."""

from __future__ import annotations

from typing import Any

from newsfacts.facts.kind import FactKind
from newsfacts.models import Entity, Extraction

KINDS = ("person", "organization", "location")


def _found(extraction: Extraction) -> list[Entity]:
    return extraction.entities


def _rules(e: Any, actor_codes: frozenset[str] | None) -> list[Any]:
    return [e.ExpectColumnValuesToBeInSet(column="kind", value_set=list(KINDS))]


KIND = FactKind(
    table="entities",
    record=Entity,
    found=_found,
    tag="entity",
    key_fields=("char_start", "char_end", "kind"),
    allowed={"kind": KINDS},
    rules=_rules,
)
