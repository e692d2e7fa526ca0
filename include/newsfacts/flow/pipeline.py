"""The whole pipeline once, without Airflow: what `newsfacts run` calls.

The same steps the DAG tasks call, in order: ingest (flow.ingest), parse, extract and validate
(flow.process), load (flow.load); a batch (flow.batch) carries each source's pages between them.
"""

from __future__ import annotations

import logging
from collections import Counter
from pathlib import Path
from typing import Any

from newsfacts.flow.batch import pending_batches
from newsfacts.flow.ingest import fetch_source, select_sources
from newsfacts.flow.load import load_batches
from newsfacts.flow.process import extract_batch, parse_batch, validate_batches
from newsfacts.settings import Settings

log = logging.getLogger(__name__)


def run_once(
    settings: Settings, sources_path: Path, run_key: str, base_url: str | None = None
) -> dict[str, Any]:
    """The whole pipeline once, without Airflow, through the same functions the DAGs call.

    Besides this run's batches it processes and loads every batch fetched earlier and not
    loaded yet (a `newsfacts crawl`, a run that stopped before its load): pages in the
    archive must reach the warehouse, and the frontier will not fetch them again.
    """
    own = [
        fetch_source(settings, source, run_key) for source in select_sources(sources_path, base_url)
    ]
    earlier = [b for b in pending_batches(settings) if b not in own]
    if earlier:
        log.info("also loading %d batches fetched earlier: %s", len(earlier), earlier)
    batch_ids = []
    failed: Counter[str] = Counter()
    for batch_id in [*earlier, *own]:
        try:
            batch_ids.append(extract_batch(settings, parse_batch(settings, batch_id)))
        except Exception as exc:  # one batch's failure must not stop the others
            log.error("batch %s failed: %s", batch_id, exc)
            failed[type(exc).__name__] += 1
    # All batches in one validation: a GX run costs per run far more than per row.
    rejected = validate_batches(settings, batch_ids)
    failed.update(type(exc).__name__ for exc in rejected.values())
    summary = load_batches(settings, [b for b in batch_ids if b not in rejected])
    summary["earlier_batches"] = len(earlier)
    for reason, n in failed.items():
        summary["failures_by_reason"][f"batch:{reason}"] = n
    return summary
