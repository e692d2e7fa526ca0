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
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
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


@cache
def suites(actor_codes: frozenset[str] | None = None) -> dict[str, list[Any]]:
    """The expectation suites, one per table, built in code; each fact kind brings its own.

    Built once per process and set of actor codes; callers must not change them.
    """
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
def _locked(folder: Path | None) -> Iterator[None]:
    """Serialize writers of one GX project folder across processes (mapped tasks run at once)."""
    if folder is None:
        yield
        return
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / ".lock").open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@cache
def _context(gx_root: Path | None) -> Any:
    """One GX context per process and project: making one costs more than validating a batch.

    Without `gx_root` it is ephemeral and keeps nothing; with it, results go to that project's
    stores (files), read back by `build_data_docs`.
    """
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context: Any
    if gx_root is None:
        context = gx.get_context(mode="ephemeral")
    else:
        with _locked(gx_root):
            context = gx.get_context(mode="file", project_root_dir=str(gx_root))
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    return context


# (project, table) -> (the suite's expectations as configured, its validation definition)
_DEFINITIONS: dict[tuple[Path | None, str], tuple[list[dict[str, Any]], Any]] = {}


def _definition(gx_root: Path | None, table: str, expectations: list[Any]) -> Any:
    """The table's validation definition (asset, suite), stored once per process and suite."""
    import great_expectations as gx

    configured = [x.configuration.to_json_dict() for x in expectations]
    cached = _DEFINITIONS.get((gx_root, table))
    if cached is not None and cached[0] == configured:
        return cached[1]
    context = _context(gx_root)
    with _locked(gx_root):
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
            gx.ExpectationSuite(
                name=f"{table}_suite", expectations=[x.copy() for x in expectations]
            )
        )
        definition = context.validation_definitions.add_or_update(
            gx.ValidationDefinition(name=f"{table}_validation", data=batch_definition, suite=suite)
        )
    _DEFINITIONS[(gx_root, table)] = (configured, definition)
    return definition


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
    return validate_parts(table, [rows], expectations, gx_root=gx_root, run_name=run_name)[0]


def validate_parts(
    table: str,
    parts: list[list[dict[str, Any]]],
    expectations: list[Any],
    *,
    gx_root: Path | None = None,
    run_name: str | None = None,
) -> list[TableValidation]:
    """Validate several batches' rows of one table in one GX run; one outcome per part.

    A GX run costs about the same for ten rows as for ten thousand (it is set-up per
    expectation), so a process with many batches validates them together. Each part is
    judged as if validated alone: uniqueness holds within a part, and its result rows count
    its own rows.
    """
    suite_name = f"{table}_suite"
    rows = [row for part in parts for row in part]
    if not rows:
        return [TableValidation(table, suite_name, [], []) for _ in parts]
    import great_expectations as gx

    frame = pd.DataFrame(rows)
    frame[ROW_INDEX] = range(len(frame))
    part_of = [n for n, part in enumerate(parts) for _ in part]
    if len(parts) > 1:
        _qualify_unique_columns(frame, expectations, part_of)
    definition = _definition(gx_root, table, expectations)
    with _locked(gx_root):
        outcome = definition.run(
            batch_parameters={"dataframe": frame},
            result_format={
                "result_format": "COMPLETE",
                "unexpected_index_column_names": [ROW_INDEX],
            },
            run_id=gx.RunIdentifier(run_name=run_name or "adhoc"),
        )
    broken: dict[int, list[str]] = defaultdict(list)
    results: list[list[dict[str, Any]]] = [[] for _ in parts]
    for result in outcome.results:
        expectation, column = _expectation_label(result.expectation_config)
        info = result.result or {}
        unexpected = [int(item[ROW_INDEX]) for item in info.get("unexpected_index_list") or []]
        for i in unexpected:
            broken[i].append(f"{expectation}({column})")
        label = {"suite": suite_name, "expectation": expectation, "column_name": column}
        if len(parts) == 1:
            results[0].append(
                {
                    **label,
                    "success": bool(result.success),
                    "element_count": info.get("element_count", len(frame)),
                    "unexpected_count": info.get("unexpected_count", 0 if result.success else None),
                }
            )
            continue
        # Every suite's expectations are row-level, so a part's figures are its own rows'.
        failed_in: Counter[int] = Counter(part_of[i] for i in unexpected)
        counted = "unexpected_count" in info
        for n, part in enumerate(parts):
            if not part:
                continue
            results[n].append(
                {
                    **label,
                    "success": bool(result.success) or (counted and failed_in[n] == 0),
                    "element_count": len(part),
                    "unexpected_count": failed_in[n] if counted else None,
                }
            )
    outcomes = []
    first = 0
    for n, part in enumerate(parts):
        passed = [row for i, row in enumerate(part, first) if i not in broken]
        quarantined = [
            (rows[i], sorted(set(broken[i])))
            for i in range(first, first + len(part))
            if i in broken
        ]
        outcomes.append(TableValidation(table, suite_name, passed, quarantined, results[n]))
        first += len(part)
    return outcomes


def _qualify_unique_columns(
    frame: pd.DataFrame, expectations: list[Any], part_of: list[int]
) -> None:
    """Prefix the values of columns expected unique with their part: unique within a part."""
    for expectation in expectations:
        config = expectation.configuration
        if config.type != "expect_column_values_to_be_unique":
            continue
        column = config.kwargs["column"]
        if column in frame:
            frame[column] = [
                None if pd.isna(value) else f"{part}\x1f{value}"
                for part, value in zip(part_of, frame[column], strict=True)
            ]


def build_data_docs(gx_root: Path, run_names: Collection[str] | None = None) -> Path:
    """Render the Data Docs of the GX project at `gx_root`: once per run, not per batch.

    With `run_names` (batch ids), only those runs' validation results and the suites are
    rendered again, beside the pages already built; without, the whole site is rebuilt.
    The index always lists every result kept.
    """
    from great_expectations.data_context.types.resource_identifiers import (
        ExpectationSuiteIdentifier,
    )

    context = _context(gx_root)
    with _locked(gx_root):
        if run_names is None:
            context.build_data_docs()
        else:
            wanted = set(run_names)
            runs = [
                key
                for key in context.validation_results_store.list_keys()
                if key.run_id.run_name in wanted
            ]
            shown = {key.expectation_suite_identifier.name for key in runs}
            suites = [ExpectationSuiteIdentifier(name=name) for name in sorted(shown)]
            context.build_data_docs(resource_identifiers=[*suites, *runs])
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
