"""Crawl without Airflow: discovery and fetch for every source, then the frontier recorded.

`newsfacts crawl` fills the raw archive through ingest.fetch_source (the function the ingest
DAG and `newsfacts run` call) and, being the only process at work, writes the batches'
fetch_log rows and merges their frontier rows into the warehouse itself, so the next crawl
fetches only what changed. The batches stay pending: the process DAG or the next
`newsfacts run` parses and loads every batch fetched and not loaded yet.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from newsfacts import warehouse
from newsfacts.crawl import frontier
from newsfacts.crawl.discover import EndpointCheck, check_endpoints
from newsfacts.crawl.fetch import Fetcher
from newsfacts.crawl.sources import SourceError, load_sources
from newsfacts.flow.batch import Batch
from newsfacts.flow.ingest import fetch_source, select_sources
from newsfacts.settings import Settings

log = logging.getLogger(__name__)

# Counts in a batch manifest reported on their own rather than as failures.
_NOT_FAILURES = {"fetched", "unchanged", "RobotsDisallowed"}


def crawl(
    settings: Settings,
    sources_path: Path,
    run_key: str,
    *,
    base_url: str | None = None,
    only: set[str] | None = None,
) -> dict[str, Any]:
    """Fetch every valid source (or those named in `only`) for `run_key`; returns the summary:
    pages fetched, unchanged (304 or same hash), refused by robots.txt, failures by reason.
    One source's failure is counted and the others still run.
    """
    sources = select_sources(sources_path, base_url)
    if only:
        unknown = only - {s.name for s in sources}
        if unknown:
            raise ValueError(f"no valid source named {', '.join(sorted(unknown))}")
        sources = [s for s in sources if s.name in only]
    counts: Counter[str] = Counter()
    skipped: Counter[str] = Counter()
    batch_ids = []
    for source in sources:
        try:
            batch_id = fetch_source(settings, source, run_key)
        except Exception as exc:  # one source's failure must not stop the others
            log.error("source %s failed: %s", source.name, exc)
            counts[f"source:{type(exc).__name__}"] += 1
            continue
        batch_ids.append(batch_id)
        manifest = Batch.at(settings, batch_id).read_manifest()
        counts.update(manifest.counts)
        skipped.update(manifest.frontier)
    recorded = record_fetches(settings, batch_ids)
    failures = {
        k: v
        for k, v in sorted(counts.items())
        if k not in _NOT_FAILURES and k != "RobotsDisallowed"
    }
    return {
        "run_key": run_key,
        "sources": len(sources),
        "batches": batch_ids,
        "pages_fetched": counts["fetched"],
        "pages_unchanged": counts["unchanged"],
        "refused_by_robots": counts["RobotsDisallowed"],
        "failed_by_reason": failures,
        "known_not_refetched": skipped["known_unchanged"],
        "left_for_next_run": skipped["over_limit"],
        "frontier_recorded": recorded,
    }


def record_fetches(settings: Settings, batch_ids: list[str]) -> bool:
    """Write the batches' fetch_log rows and merge their frontier rows into the warehouse,
    then export the fetch snapshot.

    Returns False (and logs why) when the warehouse is held by another writer: the rows are
    then recorded when the batches are loaded.
    """
    if not batch_ids:
        return False
    try:
        with warehouse.connect(settings.warehouse) as con:
            warehouse.migrate(con)
            for batch_id in batch_ids:
                warehouse.record_fetches(con, Batch.at(settings, batch_id).folder, batch_id)
            frontier.export_frontier(con, frontier.snapshot_path(settings))
    except duckdb.IOException as exc:
        log.warning("fetches not recorded now (%s); loading the batches will record them", exc)
        return False
    return True


@dataclass(frozen=True, slots=True)
class SourcesReport:
    """`newsfacts sources check`: invalid entries, and each feed and sitemap checked."""

    errors: list[SourceError]
    endpoints: list[EndpointCheck]
    empty: list[str]

    @property
    def ok(self) -> bool:
        return not self.errors and not self.empty and all(e.ok for e in self.endpoints)


def check_sources(
    settings: Settings, sources_path: Path, *, base_url: str | None = None
) -> SourcesReport:
    """Fetch each valid source's feeds and sitemaps (politely, robots.txt obeyed) and count
    the article URLs they list. Needs the sites to be reachable.
    """
    loaded = load_sources(sources_path, base_url=base_url)
    endpoints: list[EndpointCheck] = []
    for source in loaded.sources:
        with Fetcher(
            settings,
            requests_per_second=source.requests_per_second,
            allow_private_addresses=source.allow_private_addresses,
        ) as fetcher:
            endpoints.extend(
                check_endpoints(
                    fetcher, source.name, source.feeds, source.sitemaps, source.domains()
                )
            )
    empty = [s.name for s in loaded.sources if not s.feeds and not s.sitemaps]
    return SourcesReport(loaded.errors, endpoints, empty)


def format_report(report: SourcesReport) -> list[str]:
    """The report as aligned lines, one per feed or sitemap, then one per invalid entry."""
    lines = []
    width = max((len(e.source) for e in report.endpoints), default=6)
    for check in report.endpoints:
        answer = "ok" if check.ok else "FAILED"
        status = str(check.status) if check.status is not None else "-"
        detail = f"{check.urls} article URLs"
        if check.offsite_urls:
            detail += f" (+{check.offsite_urls} on other hosts, skipped)"
        if not check.ok:
            detail = f"{check.error_class}: {check.error}"
        lines.append(
            f"{check.source:<{width}}  {check.kind:<7}  {answer:<6}  {status:>3}  {detail}"
            f"  {check.url}"
        )
    lines.extend(
        f"{name:<{width}}  -        EMPTY   lists no feeds or sitemaps" for name in report.empty
    )
    lines.extend(f"invalid: {error}" for error in report.errors)
    return lines
