"""Ingest step: discover one source's pages, fetch the new and changed ones into the raw archive."""

from __future__ import annotations

import logging
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from newsfacts.crawl import frontier
from newsfacts.crawl.archive import ArchiveWriter
from newsfacts.crawl.discover import PageRef, discover
from newsfacts.crawl.fetch import Fetcher, fetch_all
from newsfacts.crawl.policy import FetchPolicy, FetchResult
from newsfacts.crawl.sources import Source, load_sources
from newsfacts.flow.batch import Batch, Manifest
from newsfacts.ids import digest, make_batch_id
from newsfacts.settings import Settings
from newsfacts.warehouse import staging

log = logging.getLogger(__name__)


def select_sources(sources_path: Path, base_url: str | None = None) -> list[Source]:
    """Valid sources of a file; invalid entries are logged and skipped, never fatal alone."""
    loaded = load_sources(sources_path, base_url=base_url)
    if not loaded.sources:
        problems = "; ".join(str(e) for e in loaded.errors) or "no sources listed"
        raise ValueError(f"{sources_path}: no valid source ({problems})")
    return loaded.sources


def _log_row(result: FetchResult) -> dict[str, Any]:
    return {
        "url": result.url,
        "final_url": result.final_url,
        "status": result.status,
        "error_class": result.error_class,
        "error": result.error,
        "attempts": result.attempts,
        "bytes": len(result.body),
        "elapsed_ms": result.elapsed_ms,
        "fetched_at_utc": result.fetched_at_utc,
    }


def _discovery_failure_row(url: str, error_class: str, message: str) -> dict[str, Any]:
    return {
        "url": url,
        "error_class": error_class,
        "error": message,
        "attempts": 1,
        "bytes": 0,
        "elapsed_ms": 0,
        "fetched_at_utc": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def _count_page(counts: Counter[str], result: FetchResult, unchanged: bool) -> None:
    if unchanged:
        counts["unchanged"] += 1
    elif result.ok:
        counts["fetched"] += 1
    else:
        counts[result.error_class or "unknown"] += 1


def _discover_pages(
    fetcher: Fetcher,
    source: Source,
    warc_path: Path,
    log_rows: dict[str, dict[str, Any]],
    counts: Counter[str],
) -> list[PageRef]:
    """Read the source's feeds and sitemaps (archived, logged); its pages on allowed hosts."""
    with ArchiveWriter(warc_path) as archive:

        def answered(result: FetchResult) -> None:
            archive.write(result)
            log_rows[result.url] = _log_row(result)

        refs, failures = discover(
            fetcher, source.name, source.feeds, source.sitemaps, on_response=answered
        )
    for url, error_class, message in failures:
        counts[error_class] += 1
        row = log_rows.setdefault(url, _discovery_failure_row(url, error_class, message))
        # Fetched but unreadable (malformed feed, entity bomb): the row says why.
        row["error_class"], row["error"] = error_class, message
    allowed = source.domains()
    return [r for r in refs if urlsplit(r.url).hostname in allowed]


def fetch_source(settings: Settings, source: Source, run_key: str) -> str:
    """Discover one source's pages and fetch the new and changed ones into the raw archive.

    Returns the batch id. Idempotent: a batch already fetched for this run key is reused, so
    re-running an interval re-reads the same raw pages instead of fetching again.

    What to fetch is decided against the frontier snapshot the loader exports
    (<home>/frontier.parquet): new URLs; known ones whose feed or sitemap date moved, asked
    conditionally so an unchanged page costs a 304; known ones whose last fetch failed for a
    reason that may pass. Hosts are fetched in parallel, each one request at a time at its
    own pace. Every response goes to the WARC archive (pages, and feeds and sitemaps in a
    discovery file); fetch_log.parquet and frontier.parquet are staged for the loader.
    """

    settings.ensure_dirs()
    batch = Batch.at(settings, make_batch_id(run_key, source.name))
    if batch.reached("fetched"):
        log.info("batch %s already fetched; reusing its archive", batch.batch_id)
        return batch.batch_id
    stem = settings.archive_dir / run_key[:10] / source.name / batch.batch_id
    stamp = digest(datetime.now(UTC))[:8]
    warc_path = stem.with_name(f"{stem.name}-{stamp}.warc.gz")
    discovery_path = stem.with_name(f"{stem.name}-{stamp}-discovery.warc.gz")
    policy = FetchPolicy.from_settings(settings)
    log_rows: dict[str, dict[str, Any]] = {}
    frontier_rows: list[dict[str, Any]] = []
    counts: Counter[str] = Counter()
    with Fetcher(
        settings,
        requests_per_second=source.requests_per_second,
        allow_private_addresses=source.allow_private_addresses,
        policy=policy,
    ) as fetcher:
        refs = _discover_pages(fetcher, source, discovery_path, log_rows, counts)
        known = frontier.read_known(frontier.snapshot_path(settings), [r.url for r in refs])
        selected, deferred, decisions = frontier.plan(refs, known, source.max_pages_per_run)
        log.info(
            "source %s: %d pages discovered, %d known; fetching %s",
            source.name,
            len(refs),
            len(known),
            {k: v for k, v in decisions.items() if k in ("new", "changed", "retry")},
        )
        warc_files: list[str] = []
        if selected:
            warc_files.append(str(warc_path))
            with ArchiveWriter(warc_path) as archive:
                done = 0

                def fetched(index: int, result: FetchResult) -> None:
                    nonlocal done
                    planned = selected[index]
                    archive.write(result)
                    log_rows[result.url] = _log_row(result)
                    unchanged = frontier.is_unchanged(planned, result)
                    frontier_rows.append(
                        frontier.row_after_fetch(
                            planned, result, batch.batch_id, unchanged=unchanged
                        )
                    )
                    _count_page(counts, result, unchanged)
                    done += 1
                    if done % 25 == 0 or done == len(selected):
                        log.info("source %s: fetched %d/%d pages", source.name, done, len(selected))

                fetch_all(fetcher, [p.request() for p in selected], fetched)
    seen_at = datetime.now(UTC).isoformat(timespec="seconds")
    frontier_rows.extend(frontier.row_listed(ref, batch.batch_id, seen_at) for ref in deferred)
    rows = [
        {**row, "batch_id": batch.batch_id, "source": source.name}
        for _, row in sorted(log_rows.items())
    ]
    staging.write_table(rows, "fetch_log", batch.staged("fetch_log"))
    staging.write_table(frontier_rows, "frontier", batch.staged("frontier"))
    batch.write_manifest(
        Manifest(
            batch_id=batch.batch_id,
            run_key=run_key,
            source=source.name,
            language=source.language,
            warc_files=warc_files,
            discovery_warc_files=[str(discovery_path)],
            counts=dict(counts),
            frontier=dict(decisions),
        )
    )
    return batch.batch_id
