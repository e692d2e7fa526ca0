"""Batch interface of the extract stage: JSON lines in, one JSON line of facts out per input."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any

from newsfacts.extract import extract_text


def _published(value: Any) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def extract_record(record: dict[str, Any]) -> dict[str, Any]:
    """Facts of one {id, text, lang, published} record as {id, troop_counts, dates}."""
    found = extract_text(
        record.get("text") or "", record.get("lang"), _published(record.get("published"))
    )
    return {
        "id": record.get("id"),
        "troop_counts": [t.to_dict() for t in found.troop_counts],
        "dates": [d.to_dict() for d in found.dates],
    }


def extract_jsonl(lines: Iterable[str]) -> Iterator[dict[str, Any]]:
    """One result per non-empty input line; a line that is not JSON yields an `error` entry."""
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield {
                "id": None,
                "line": number,
                "error": f"invalid JSON: {exc.msg}",
                "troop_counts": [],
                "dates": [],
            }
            continue
        yield extract_record(record)
