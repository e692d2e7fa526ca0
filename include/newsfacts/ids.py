"""Ids derived from content: the same page, fact or run always gets the same id."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime


def digest(*parts: object) -> str:
    """First 32 hex digits of SHA-256 of the parts, joined by the unit separator."""
    return hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).hexdigest()[:32]


def article_id(canonical_url: str) -> str:
    """An article's id: its canonical URL (already normalized) digested."""
    return digest(canonical_url)


def make_batch_id(run_key: str, source: str) -> str:
    """A batch id safe for file names: the run key and the source name."""
    return re.sub(r"[^A-Za-z0-9_.-]", "-", f"{run_key}__{source}")


def run_key_for(moment: datetime) -> str:
    """The run key of an interval starting at `moment` (UTC, to the second)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H-%M-%SZ")
