"""Crawl frontier: which discovered URLs to fetch, and the rows that record what fetch found.

The frontier lives in the warehouse (table `frontier`), written only by the loader. Fetch tasks
run in parallel and never open the warehouse: they read the Parquet snapshot the loader exports
after each load (`export_frontier`) with an in-memory DuckDB.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import duckdb
import pandas as pd

from newsfacts import warehouse
from newsfacts.crawl.discover import PageRef, normalize_url
from newsfacts.crawl.fetch import FetchRequest
from newsfacts.crawl.policy import FetchResult, is_transient
from newsfacts.parse.decode import charset_from_content_type
from newsfacts.settings import Settings

log = logging.getLogger(__name__)

SNAPSHOT_NAME = "frontier.parquet"
_CANONICAL_TAG = re.compile(rb"<link\b[^>]*\brel\s*=\s*[\"']?canonical\b[^>]*>", re.I)
_HREF = re.compile(rb"\bhref\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>]+))", re.I)
_HEAD_BYTES = 256 * 1024


def snapshot_path(settings: Settings) -> Path:
    """Where the loader leaves the frontier for fetch tasks: <home>/frontier.parquet."""
    return settings.home / SNAPSHOT_NAME


# --- reading the snapshot -------------------------------------------------------------------


def read_known(snapshot: Path, urls: Iterable[str]) -> dict[str, dict[str, Any]]:
    """Frontier rows for the given URLs, keyed by the URL asked for.

    A URL matches its own row, else a row whose canonical link it is (the page was already
    fetched under another address). A missing snapshot means nothing is known yet.
    """
    wanted = pd.DataFrame({"wanted": sorted(set(urls))}, dtype=object)
    if wanted.empty or not snapshot.exists():
        return {}
    con = duckdb.connect()
    try:
        con.register("wanted_urls", wanted)
        cursor = con.execute(warehouse.statement("crawl/known_urls"), {"snapshot": str(snapshot)})
        names = [d[0] for d in cursor.description]
        rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    finally:
        con.close()
    return {row.pop("wanted"): row for row in rows}


# --- deciding what to fetch ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Planned:
    """A discovered URL chosen for this run, why, and its frontier row if it has one."""

    ref: PageRef
    reason: str  # new, changed, retry
    previous: dict[str, Any] | None

    def request(self) -> FetchRequest:
        """The fetch request: conditional when a copy of the page is already known."""
        previous = self.previous or {}
        if self.reason == "new" or previous.get("url") != self.ref.url:
            return FetchRequest(self.ref.url)
        return FetchRequest(self.ref.url, previous.get("etag"), previous.get("last_modified"))


def _instant(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, str) and value.strip():
        try:
            moment = datetime.fromisoformat(value.strip())
        except ValueError:
            return None
    else:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def listing_changed(listed: str | None, row: dict[str, Any]) -> bool:
    """Whether a feed or sitemap date says the page changed since the frontier row."""
    if not listed:
        return False
    before = row.get("listed_lastmod")
    now, then = _instant(listed), _instant(before)
    if before and now is not None and then is not None:
        return now > then
    if before:
        return listed.strip() != str(before).strip()
    fetched = _instant(row.get("last_fetched_at_utc"))
    return now is not None and fetched is not None and now > fetched


def plan(
    refs: list[PageRef], known: dict[str, dict[str, Any]], limit: int
) -> tuple[list[Planned], list[PageRef], Counter[str]]:
    """Choose what to fetch: new URLs, known ones whose listing date moved, and known ones
    whose last fetch failed for a reason that may pass. The rest are left alone.

    Returns the chosen (at most `limit`, new and changed first), the new URLs left over for a
    later run, and counts by decision.
    """
    chosen: list[Planned] = []
    retries: list[Planned] = []
    counts: Counter[str] = Counter()
    for ref in refs:
        row = known.get(ref.url)
        if row is None or row.get("last_fetched_at_utc") is None:
            chosen.append(Planned(ref, "new", row))
        elif listing_changed(ref.lastmod, row):
            chosen.append(Planned(ref, "changed", row))
        elif row.get("last_error_class") and is_transient(row["last_error_class"]):
            retries.append(Planned(ref, "retry", row))
        else:
            counts["known_unchanged"] += 1
    ordered = chosen + retries
    selected = ordered[:limit]
    deferred = [p.ref for p in ordered[limit:] if p.reason == "new"]
    counts.update(p.reason for p in selected)
    counts["over_limit"] += len(ordered) - len(selected)
    return selected, deferred, counts


# --- rows for the loader ---------------------------------------------------------------------


def canonical_link(body: bytes, content_type: str | None, base_url: str) -> str | None:
    """The page's <link rel="canonical"> href, absolute and normalized; None when absent."""
    head = body[:_HEAD_BYTES]
    tag = _CANONICAL_TAG.search(head)
    if tag is None:
        return None
    href = _HREF.search(tag.group(0))
    if href is None:
        return None
    raw = next(g for g in href.groups() if g is not None).strip()
    if not raw:
        return None
    text = raw.decode("latin-1")  # never fails; replaced below by the page's own charset
    for codec in (charset_from_content_type(content_type), "utf-8"):
        if codec is None:
            continue
        try:
            text = raw.decode(codec)
            break
        except UnicodeDecodeError:
            continue
    if not text.lower().startswith(("http://", "https://", "/")):
        return None
    return normalize_url(urljoin(base_url, text))


def _timestamp(value: str) -> str:
    return value.replace("Z", "+00:00")


def row_after_fetch(
    planned: Planned, result: FetchResult, batch_id: str, *, unchanged: bool
) -> dict[str, Any]:
    """The frontier row a fetch leaves: validators and hash of the last good copy kept."""
    previous = planned.previous if (planned.previous or {}).get("url") == planned.ref.url else {}
    previous = previous or {}
    fetched_at = _timestamp(result.fetched_at_utc)
    good = result.ok or result.not_modified
    canonical = None
    if result.ok:
        canonical = canonical_link(result.body, result.header("Content-Type"), result.final_url)
    if canonical == planned.ref.url:
        canonical = None
    return {
        "url": planned.ref.url,
        "source": planned.ref.source,
        "canonical_url": canonical if result.ok else previous.get("canonical_url"),
        "final_url": result.final_url,
        "first_seen_at_utc": previous.get("first_seen_at_utc") or fetched_at,
        "listed_lastmod": planned.ref.lastmod or previous.get("listed_lastmod"),
        "last_fetched_at_utc": fetched_at,
        "last_status": result.status,
        "last_error_class": result.error_class,
        "etag": (result.header("ETag") or previous.get("etag")) if good else previous.get("etag"),
        "last_modified": (result.header("Last-Modified") or previous.get("last_modified"))
        if good
        else previous.get("last_modified"),
        "content_hash": result.content_hash() if result.ok else previous.get("content_hash"),
        "content_changed_at_utc": fetched_at
        if result.ok and not unchanged
        else previous.get("content_changed_at_utc"),
        "batch_id": batch_id,
    }


def row_listed(ref: PageRef, batch_id: str, seen_at: str) -> dict[str, Any]:
    """The frontier row of a new URL listed but left for a later run (over the page budget)."""
    return {
        "url": ref.url,
        "source": ref.source,
        "first_seen_at_utc": _timestamp(seen_at),
        "listed_lastmod": ref.lastmod,
        "batch_id": batch_id,
    }


def is_unchanged(planned: Planned, result: FetchResult) -> bool:
    """A 304, or a 200 whose body hashes the same as the copy fetched before."""
    if result.not_modified:
        return True
    previous = planned.previous or {}
    return (
        result.ok
        and previous.get("url") == planned.ref.url
        and previous.get("content_hash") == result.content_hash()
    )


# --- the loader's side -----------------------------------------------------------------------


def load_staged(con: duckdb.DuckDBPyConnection, staging: Path) -> int:
    """Merge one batch's staged frontier into the warehouse on its own (`newsfacts crawl`)."""
    return warehouse.merge_frontier(con, staging)


def export_frontier(con: duckdb.DuckDBPyConnection, path: Path) -> Path:
    """Write the warehouse's frontier to `path` as Parquet, atomically (the fetch snapshot).

    Call it after every load, from the process that holds the warehouse.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    con.execute(warehouse.statement("crawl/export_frontier"), {"path": str(tmp)})
    tmp.replace(path)
    return path
