"""Entry points for the DAG tasks: one call each; settings read once, at run time, passed down."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from newsfacts.flow import batch, ingest, load, process
from newsfacts.ids import run_key_for
from newsfacts.settings import Settings

log = logging.getLogger(__name__)


def list_source_names() -> list[str]:
    """Names of the valid sources in $NEWSFACTS_SOURCES (default include/sources.yaml)."""
    settings = Settings.from_env()
    return [s.name for s in ingest.select_sources(settings.sources_path, settings.base_url)]


def fetch_source(source_name: str, interval_start: datetime) -> str:
    """Fetch one source for the interval starting at `interval_start`; returns the batch id."""
    settings = Settings.from_env()
    sources = {s.name: s for s in ingest.select_sources(settings.sources_path, settings.base_url)}
    if source_name not in sources:
        raise ValueError(
            f"source {source_name!r} is not in {settings.sources_path} (or is invalid)"
        )
    return ingest.fetch_source(settings, sources[source_name], run_key_for(interval_start))


def announce_batches(batch_ids: list[str]) -> list[str]:
    """The batches one ingest run fetched, in a stable order, as the raw-pages asset's news."""
    return sorted(batch_ids)


def batches_to_process(params: dict[str, Any]) -> list[str]:
    """Batches not loaded yet or, given `date_from` and `date_to`, every batch of those days."""
    settings = Settings.from_env()
    if params.get("date_from") or params.get("date_to"):
        first = params.get("date_from") or "0001-01-01"
        last = params.get("date_to") or "9999-12-31"
        return batch.archived_batches(settings, first, last)
    return batch.pending_batches(settings)


def parse_batch(batch_id: str) -> str:
    return process.parse_batch(Settings.from_env(), batch_id)


def extract_batch(batch_id: str) -> str:
    return process.extract_batch(Settings.from_env(), batch_id)


def validate_batch(batch_id: str) -> str:
    # The run's Data Docs are rendered once, after every batch (build_data_docs).
    return process.validate_batch(Settings.from_env(), batch_id, data_docs=False)


def build_data_docs(batch_ids: list[str]) -> str:
    """Render the Data Docs of the batches validated in this run, once for the whole run."""
    from newsfacts.quality import validate

    settings = Settings.from_env()
    ready = [b for b in batch_ids if batch.Batch.at(settings, b).reached("validated")]
    return str(validate.build_data_docs(settings.gx_dir, ready))


def load_batches(batch_ids: list[str]) -> dict[str, Any]:
    """Load the batches that were validated; fail after loading them if any batch was not."""
    settings = Settings.from_env()
    ready = [b for b in batch_ids if batch.Batch.at(settings, b).reached("validated")]
    summary = load.load_batches(settings, ready)
    log.info("run summary: %s", summary)
    missing = sorted(set(batch_ids) - set(ready))
    if missing:
        raise RuntimeError(f"loaded {len(ready)} batches; not validated, so not loaded: {missing}")
    return summary


def check_quality() -> int:
    """Run the data-quality checks over every configured source and the warehouse, as of
    now: what has been fetched by the time the checks run counts, whatever the run's logical
    date. Raises QualityBreach naming every failed check.
    """
    from newsfacts.quality.checks import QualityBreach, check_sources_and_warehouse

    results, breach = check_sources_and_warehouse(Settings.from_env(), datetime.now(UTC))
    if breach:
        raise QualityBreach(breach)
    return len(results)
