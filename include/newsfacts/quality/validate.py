"""Validate stage: one Great Expectations suite per table, run on DataFrames before loading.

Rows that break a row-level expectation are split off to quarantine with the expectations they
broke; the rest pass. GX validates pandas DataFrames here because its SQL route cannot read
DuckDB reliably (see the project's stack notes).
"""

from __future__ import annotations

import fcntl
import logging
import os
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd

from newsfacts import facts
from newsfacts.facts import BODY_CHARS
from newsfacts.facts.date_mentions import TIMEX_VALUE  # noqa: F401  (re-exported for date tests)
from newsfacts.models import PUBLISHED_SOURCES

log = logging.getLogger(__name__)

ROW_INDEX = "_row"
# Columns derived for validation only (never loaded): see with_derived_columns.
DAYS_AHEAD = "_published_days_ahead"


class BatchRejected(RuntimeError):
    """Too large a share of a batch failed validation to load any of it."""


@dataclass(slots=True)
class TableValidation:
    """The outcome of one suite on one table's rows."""

    table: str
    suite: str
    passed: list[dict[str, Any]]
    quarantined: list[tuple[dict[str, Any], list[str]]]
    results: list[dict[str, Any]] = field(default_factory=list)


def suites(actor_codes: frozenset[str] | None = None) -> dict[str, list[Any]]:
    """The expectation suites, one per table, built in code; each fact kind brings its own."""
    import great_expectations as gx

    e = gx.expectations
    return {
        "articles": [
            e.ExpectColumnValuesToNotBeNull(column="article_id"),
            e.ExpectColumnValuesToBeUnique(column="article_id"),
            e.ExpectColumnValuesToMatchRegex(column="canonical_url", regex=r"^https?://"),
            e.ExpectColumnValuesToBeBetween(column="body_chars", min_value=1, max_value=500_000),
            e.ExpectColumnValuesToNotBeNull(column="lang"),
            e.ExpectColumnValuesToMatchRegex(column="lang", regex=r"^[a-z]{2}$"),
            # A publication date more than a day ahead of the run: the page states it (it is
            # never replaced by a guess), but it cannot be when the article appeared.
            e.ExpectColumnValuesToBeBetween(column=DAYS_AHEAD, max_value=1),
            e.ExpectColumnValuesToBeInSet(
                column="published_source", value_set=list(PUBLISHED_SOURCES)
            ),
        ],
        **{kind.table: kind.expectations(e, actor_codes) for kind in facts.KINDS},
    }


def with_derived_columns(
    articles: list[dict[str, Any]], facts: dict[str, list[dict[str, Any]]], now: datetime
) -> None:
    """Add the columns some expectations compare against: body length, days published ahead."""
    body_chars = {a["article_id"]: a["body_chars"] for a in articles}
    for article in articles:
        published = article.get("published_at_utc")
        article[DAYS_AHEAD] = (
            (datetime.fromisoformat(published) - now).total_seconds() / 86400 if published else None
        )
    for rows in facts.values():
        for row in rows:
            row[BODY_CHARS] = body_chars.get(row["article_id"], 0)


def _expectation_label(config: Any) -> tuple[str, str]:
    kwargs = config.kwargs
    column = kwargs.get("column") or (
        f"{kwargs['column_A']},{kwargs['column_B']}" if "column_A" in kwargs else "*"
    )
    return config.type, column


@contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """Serialize writers of one GX project folder across processes (mapped tasks run at once)."""
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / ".lock").open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _checkpoint(context: Any, table: str, expectations: list[Any]) -> Any:
    """The table's checkpoint: its data asset, suite and validation, created or updated."""
    import great_expectations as gx

    try:
        source = context.data_sources.get("newsfacts")
    except (KeyError, ValueError):
        source = context.data_sources.add_pandas("newsfacts")
    try:
        asset = source.get_asset(table)
    except LookupError:
        asset = source.add_dataframe_asset(table)
    try:
        batch_definition = asset.get_batch_definition("batch")
    except KeyError:
        batch_definition = asset.add_batch_definition_whole_dataframe("batch")
    suite = context.suites.add_or_update(
        gx.ExpectationSuite(name=f"{table}_suite", expectations=[x.copy() for x in expectations])
    )
    validation = context.validation_definitions.add_or_update(
        gx.ValidationDefinition(name=f"{table}_validation", data=batch_definition, suite=suite)
    )
    return context.checkpoints.add_or_update(
        gx.Checkpoint(
            name=f"{table}_checkpoint",
            validation_definitions=[validation],
            result_format={
                "result_format": "COMPLETE",
                "unexpected_index_column_names": [ROW_INDEX],
            },
        )
    )


def validate_table(
    table: str,
    rows: list[dict[str, Any]],
    expectations: list[Any],
    *,
    gx_root: Path | None = None,
    run_name: str | None = None,
) -> TableValidation:
    """Run `table`'s suite over `rows`; split them into passed and quarantined.

    With `gx_root`, results are kept in that GX project (see `build_data_docs`); without it,
    GX runs in memory and keeps nothing.
    """
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    import great_expectations as gx

    suite_name = f"{table}_suite"
    if not rows:
        return TableValidation(table, suite_name, [], [])
    frame = pd.DataFrame(rows)
    frame[ROW_INDEX] = range(len(frame))
    from great_expectations.data_context.types.base import ProgressBarsConfig

    run_id = gx.RunIdentifier(run_name=run_name or "adhoc")
    context: Any
    if gx_root is None:
        context = gx.get_context(mode="ephemeral")
        context.variables.progress_bars = ProgressBarsConfig(globally=False)
        outcome = _checkpoint(context, table, expectations).run(
            batch_parameters={"dataframe": frame}, run_id=run_id
        )
    else:
        with _locked(gx_root):
            context = gx.get_context(mode="file", project_root_dir=str(gx_root))
            context.variables.progress_bars = ProgressBarsConfig(globally=False)
            outcome = _checkpoint(context, table, expectations).run(
                batch_parameters={"dataframe": frame}, run_id=run_id
            )
    broken: dict[int, list[str]] = defaultdict(list)
    results = []
    for validation in outcome.run_results.values():
        for result in validation.results:
            expectation, column = _expectation_label(result.expectation_config)
            info = result.result or {}
            results.append(
                {
                    "suite": suite_name,
                    "expectation": expectation,
                    "column_name": column,
                    "success": bool(result.success),
                    "element_count": info.get("element_count", len(frame)),
                    "unexpected_count": info.get("unexpected_count", 0 if result.success else None),
                }
            )
            for item in info.get("unexpected_index_list") or []:
                broken[int(item[ROW_INDEX])].append(f"{expectation}({column})")
    passed = [row for i, row in enumerate(rows) if i not in broken]
    quarantined = [(rows[i], sorted(set(checks))) for i, checks in sorted(broken.items())]
    return TableValidation(table, suite_name, passed, quarantined, results)


def build_data_docs(gx_root: Path) -> Path:
    """Rebuild the Data Docs of the GX project at `gx_root` (once per batch, not per table)."""
    import great_expectations as gx

    with _locked(gx_root):
        gx.get_context(mode="file", project_root_dir=str(gx_root)).build_data_docs()
    return data_docs_index(gx_root)


def data_docs_index(gx_root: Path) -> Path:
    """Where the Data Docs of the GX project at `gx_root` are built."""
    return gx_root / "gx" / "uncommitted" / "data_docs" / "local_site" / "index.html"


def reject_if_mostly_failed(
    validations: list[TableValidation], max_share: float, batch_id: str
) -> None:
    """Raise BatchRejected when more than `max_share` of the batch's records failed."""
    total = sum(len(v.passed) + len(v.quarantined) for v in validations)
    failed = sum(len(v.quarantined) for v in validations)
    if total == 0 or failed / total <= max_share:
        return
    top: Counter[str] = Counter()
    for v in validations:
        for _, checks in v.quarantined:
            top.update(f"{v.suite}: {check}" for check in checks)
    worst = "; ".join(f"{name} ({n} rows)" for name, n in top.most_common(3))
    raise BatchRejected(
        f"batch {batch_id}: {failed} of {total} records failed validation "
        f"({failed / total:.0%} > {max_share:.0%} allowed). Top failing expectations: {worst}"
    )
