"""Data-quality stage: checks over the whole warehouse and every configured source, stored in
quality_checks; the quality DAG and `newsfacts quality` run the same ones.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd

from newsfacts import facts, warehouse
from newsfacts.crawl.sources import load_sources
from newsfacts.settings import SQL_DIR, Settings

log = logging.getLogger(__name__)

QUALITY_DIR = SQL_DIR / "quality"
# The configured sources as the check queries see them (a table registered for the run).
EXPECTED_SOURCES = "expected_sources"


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Limits the checks hold the warehouse to."""

    max_age_hours: float = 48.0
    min_volume_ratio: float = 0.2
    max_duplicate_rate: float = 0.2
    min_facts_per_article: float = 0.5
    max_quarantine_share: float = 0.2
    max_failed_runs: int = 3

    @classmethod
    def from_settings(cls, settings: Settings) -> Thresholds:
        return cls(
            max_age_hours=settings.quality_max_age_hours,
            max_failed_runs=settings.quality_max_failed_runs,
        )


@dataclass(frozen=True, slots=True)
class ExpectedSource:
    """A configured source, and the hours within which it should bring a new article."""

    source: str
    max_age_hours: float


class QualityBreach(RuntimeError):
    """One or more checks failed; the message lists them."""


@dataclass(frozen=True, slots=True)
class CheckResult:
    check_name: str
    subject: str
    observed: float | None
    threshold: float
    passed: bool
    message: str


def expected_sources(
    sources_path: Path, base_url: str | None, thresholds: Thresholds
) -> tuple[list[ExpectedSource], list[CheckResult]]:
    """Every source of the sources file, with its window; an invalid entry is a failed check
    (it is never fetched, so nothing else would notice it). Raises ValueError when the file
    cannot be read at all.
    """
    loaded = load_sources(sources_path, base_url=base_url)
    expected = [
        ExpectedSource(s.name, s.expected_article_hours or thresholds.max_age_hours)
        for s in loaded.sources
    ]
    invalid = [
        CheckResult("source_config", e.source, None, 0.0, False, f"not checked: {e}")
        for e in loaded.errors
    ]
    return expected, invalid


def _known_sources(con: duckdb.DuckDBPyConnection, thresholds: Thresholds) -> list[ExpectedSource]:
    """Without a sources file: the sources the warehouse has seen, with the default window."""
    names = con.execute(warehouse.statement("quality/sources/known_sources")).fetchall()
    return [ExpectedSource(str(name), thresholds.max_age_hours) for (name,) in names]


def run_checks(
    con: duckdb.DuckDBPyConnection,
    as_of: datetime,
    thresholds: Thresholds = Thresholds(),
    expected: Sequence[ExpectedSource] | None = None,
) -> list[CheckResult]:
    """Run every check in include/sql/quality/ against the warehouse as of `as_of` (UTC).

    Per-source checks cover `expected` (the configured sources), whether or not the warehouse
    holds anything of theirs; without it, the sources the warehouse has seen.
    """
    moment = as_of.astimezone(UTC) if as_of.tzinfo else as_of
    stamp = moment.replace(tzinfo=None, microsecond=0).isoformat(sep=" ")
    params = {
        **asdict(thresholds),
        "as_of": stamp,
        # every fact kind's table, from the registry, for checks over all facts
        "fact_tables": list(facts.TABLES),
    }
    queries = [path.read_text(encoding="utf-8") for path in sorted(QUALITY_DIR.glob("*.sql"))]
    # Checks that hold for every fact table, run once per fact kind.
    queries += [
        warehouse.statement(f"quality/per_fact_table/{path.stem}", table=table)
        for path in sorted((QUALITY_DIR / "per_fact_table").glob("*.sql"))
        for table in facts.TABLES
    ]
    sources = list(expected) if expected is not None else _known_sources(con, thresholds)
    frame = pd.DataFrame(
        {
            "source": pd.Series([s.source for s in sources], dtype=object),
            "max_age_hours": pd.Series([s.max_age_hours for s in sources], dtype="float64"),
        }
    )
    con.register(EXPECTED_SOURCES, frame)
    try:
        results = []
        for query in queries:
            used = {k: v for k, v in params.items() if f"${k}" in query}
            for row in con.execute(query, used).fetchall():
                results.append(CheckResult(*row))
    finally:
        con.unregister(EXPECTED_SOURCES)
    return results


def measure(
    warehouse_path: Path,
    as_of: datetime,
    thresholds: Thresholds = Thresholds(),
    expected: Sequence[ExpectedSource] | None = None,
    extra: Sequence[CheckResult] = (),
) -> list[CheckResult]:
    """Run the checks as of `as_of`, add `extra` results, and replace that day's rows."""
    check_date = as_of.date()
    with warehouse.connect(warehouse_path) as con:
        warehouse.migrate(con)
        results = [*extra, *run_checks(con, as_of, thresholds, expected)]
        with warehouse.transaction(con):
            con.execute(
                warehouse.statement("load/delete_quality_checks"), {"check_date": check_date}
            )
            con.executemany(
                warehouse.statement("load/insert_quality_check"),
                [{"check_date": check_date, **asdict(r)} for r in results],
            )
    for result in results:
        (log.info if result.passed else log.error)(
            "%s %s: %s", result.check_name, result.subject, result.message
        )
    return results


def breach_message(results: Sequence[CheckResult]) -> str | None:
    """One line naming every failed check and what it found; None when all passed."""
    failed = [r for r in results if not r.passed]
    if not failed:
        return None
    details = "; ".join(
        f"{r.check_name}[{r.subject}] {r.observed} vs limit {r.threshold}: {r.message}"
        for r in failed
    )
    return f"{len(failed)} of {len(results)} data-quality checks failed: {details}"


def record_checks(
    warehouse_path: Path,
    as_of: datetime,
    thresholds: Thresholds = Thresholds(),
    expected: Sequence[ExpectedSource] | None = None,
    extra: Sequence[CheckResult] = (),
) -> list[CheckResult]:
    """Run and store the checks as of `as_of`; raise QualityBreach naming every failed one."""
    results = measure(warehouse_path, as_of, thresholds, expected, extra)
    message = breach_message(results)
    if message:
        raise QualityBreach(message)
    return results


def check_sources_and_warehouse(
    settings: Settings, as_of: datetime
) -> tuple[list[CheckResult], str | None]:
    """The checks the quality DAG and `newsfacts quality` run: every source of the settings'
    sources file and the whole warehouse. Returns the results and the breach message, if any.
    """
    thresholds = Thresholds.from_settings(settings)
    expected, invalid = expected_sources(settings.sources_path, settings.base_url, thresholds)
    results = measure(settings.warehouse, as_of, thresholds, expected, invalid)
    return results, breach_message(results)
