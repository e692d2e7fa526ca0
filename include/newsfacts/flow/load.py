"""Load step: validated batches into the warehouse, each in one transaction, stories grouped.

Runs in the single writer (the `duckdb_writer` pool): DuckDB allows one writing process.
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from typing import Any

import duckdb

from newsfacts import warehouse
from newsfacts.crawl import frontier
from newsfacts.flow.batch import Batch
from newsfacts.settings import Settings
from newsfacts.warehouse import snapshot, staging, stories

log = logging.getLogger(__name__)

# The columns of load/batch_summary.sql, summed over the batches of a run.
_SUMMED = (
    "pages_fetched",
    "pages_unchanged",
    "articles_parsed",
    "facts_loaded",
    "records_quarantined",
)


def group_stories(con: duckdb.DuckDBPyConnection, batch: Batch) -> None:
    """Write the batch's article_stories.parquet: each article joins its near duplicates' story.

    Runs in the writer (it reads the stories already in the warehouse); the batch's own
    articles are left out of what is known, so loading a batch again gives the same stories.
    """
    new = [
        stories.Known(r["article_id"], r["story_id"], r["published"], r["minhash"])
        for r in staging.read_jsonl(batch.signatures)
    ]
    ids = [k.article_id for k in new]
    known = [
        stories.Known(article_id, story_id, str(published or ""), list(minhash))
        for article_id, story_id, published, minhash in con.execute(
            warehouse.statement("load/known_stories"), {"batch_articles": ids}
        ).fetchall()
    ]
    assigned = stories.assign_stories(new, known)
    rows = [
        {
            "article_id": k.article_id,
            "story_id": assigned[k.article_id],
            "minhash": k.minhash,
            "batch_id": batch.batch_id,
        }
        for k in new
    ]
    staging.write_table(rows, "article_stories", batch.staged("article_stories"))


def prepare_warehouse(settings: Settings) -> list[str]:
    """Create or upgrade the warehouse and refresh its reference data; returns new migrations."""
    settings.ensure_dirs()
    with warehouse.connect(settings.warehouse) as con:
        applied = warehouse.migrate(con)
        try:
            from newsfacts.extract.actors import actor_reference
        except ImportError:
            return applied
        path = staging.write_table(
            actor_reference(), "actors", settings.staging_dir / "actors.parquet"
        )
        warehouse.load_reference(con, path)
    return applied


def load_batches(settings: Settings, batch_ids: list[str]) -> dict[str, Any]:
    """Load validated batches, each in its own transaction; returns the run summary."""
    prepare_warehouse(settings)
    summary: Counter[str] = Counter()
    reasons: Counter[str] = Counter()
    with warehouse.connect(settings.warehouse) as con:
        for batch_id in batch_ids:
            batch = Batch.at(settings, batch_id)
            group_stories(con, batch)
            warehouse.load_batch(con, batch.folder, batch_id)
            batch.finish("loaded")
            row = con.execute(
                warehouse.statement("load/batch_summary"), {"batch_id": batch_id}
            ).fetchone()
            if row:
                summary.update(dict(zip(_SUMMED, row[:5], strict=True)))
                reasons.update(json.loads(row[5]))
            log.info("batch %s loaded", batch_id)
        # Fetch tasks read this snapshot, so they never need to open the warehouse file.
        frontier.export_frontier(con, frontier.snapshot_path(settings))
        snapshot.publish(con, settings)  # what the explorer and the report read (snapshot.py)
    return {
        "batches": len(batch_ids),
        **{name: summary[name] for name in _SUMMED},
        "failures_by_reason": dict(sorted(reasons.items())),
    }
