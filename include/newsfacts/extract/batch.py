"""Batch interface of the extract stage: JSON lines in, one JSON line of facts out per input."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any

from newsfacts.extract import extract_text


def _published(value: Any) -> tuple[date | None, str | None]:
    """The date part of an ISO date or date-time, or a warning saying why there is none."""
    if value is None or value == "":
        return None, None
    try:
        return date.fromisoformat(str(value).strip()[:10]), None
    except ValueError:
        return None, (
            f"published {value!r} is not a date as YYYY-MM-DD: relative dates were not resolved"
        )


def extract_record(record: dict[str, Any]) -> dict[str, Any]:
    """Facts of one {id, text, lang, published} record as {id, troop_counts, dates}; a record
    whose publication date cannot be read still gets its facts, with a `warning`."""
    published, warning = _published(record.get("published"))
    found = extract_text(record.get("text") or "", record.get("lang"), published)
    result: dict[str, Any] = {
        "id": record.get("id"),
        "troop_counts": [t.to_dict() for t in found.troop_counts],
        "dates": [d.to_dict() for d in found.dates],
    }
    if warning:
        result["warning"] = warning
    return result


def _failed(item_id: Any, number: int, error: str) -> dict[str, Any]:
    return {"id": item_id, "line": number, "error": error, "troop_counts": [], "dates": []}


def extract_jsonl(lines: Iterable[str]) -> Iterator[dict[str, Any]]:
    """One result per non-empty input line. A line that cannot be read (not JSON, not an object,
    a text that is not a string) gives an `error` entry for its id, and the lines after it go on.
    """
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield _failed(None, number, f"invalid JSON: {exc.msg}")
            continue
        if not isinstance(record, dict):
            yield _failed(None, number, f"expected a JSON object, got {type(record).__name__}")
            continue
        if not isinstance(record.get("text", ""), str):
            kind = type(record["text"]).__name__
            yield _failed(record.get("id"), number, f"text must be a string, got {kind}")
            continue
        yield extract_record(record)
