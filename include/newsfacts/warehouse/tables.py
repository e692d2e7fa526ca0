"""Warehouse tables the loader fills, by who owns their rows; fact tables from the registry."""

from __future__ import annotations

from newsfacts import facts

# Tables whose rows belong to articles (replaced per article, by key) and to batches (per batch).
ARTICLE_TABLES = {
    "articles": "article_id",
    "article_stories": "article_id",
    **{kind.table: "fact_id" for kind in facts.KINDS},
}
BATCH_TABLES = ("quarantine", "validation_results", "fetch_log", "runs")
# Tables the loader fills from a batch's staging folder, each from <name>.parquet.
STAGED_TABLES = (*ARTICLE_TABLES, *BATCH_TABLES)
# Staged only by batches that were fetched (a batch staged by hand or before the frontier
# existed has none); merged URL by URL, never rolled back by an older batch.
OPTIONAL_STAGED_TABLES = ("frontier",)
# What analysts query, as opposed to operations records.
DATA_TABLES = (*ARTICLE_TABLES, "quarantine")
# Written outside batch loads: reference data, the daily checks, the migrations applied.
OTHER_TABLES = ("actors", "quality_checks", "schema_migrations")
ALL_TABLES = (*STAGED_TABLES, *OPTIONAL_STAGED_TABLES, *OTHER_TABLES)
