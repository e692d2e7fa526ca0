"""Data-quality stage: daily checks over the whole warehouse, stored in quality_checks."""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

import duckdb

from newsfacts import facts, warehouse
from newsfacts.settings import SQL_DIR

log = logging.getLogger(__name__)

QUALITY_DIR = SQL_DIR / "quality"


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Limits the checks hold the warehouse to."""

    max_age_hours: float = 48.0
    min_volume_ratio: float = 0.2
    max_duplicate_rate: float = 0.2
    min_facts_per_article: float = 0.5
    max_quarantine_share: float = 0.2


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


def run_checks(
    con: duckdb.DuckDBPyConnection, as_of: datetime, thresholds: Thresholds = Thresholds()
) -> list[CheckResult]:
    """Run every check in include/sql/quality/ against the warehouse as of `as_of` (UTC)."""
    params = {
        **asdict(thresholds),
        "as_of": as_of.replace(tzinfo=None).isoformat(sep=" "),
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
    results = []
    for query in queries:
        used = {k: v for k, v in params.items() if f"${k}" in query}
        cursor = con.execute(query, used)
        for row in cursor.fetchall():
            results.append(CheckResult(*row))
    return results


def record_checks(
    warehouse_path: Path, as_of: datetime, thresholds: Thresholds = Thresholds()
) -> list[CheckResult]:
    """Run the checks as of `as_of`, replace that day's results, and fail on any breach."""
    check_date = as_of.date()
    with warehouse.connect(warehouse_path) as con:
        warehouse.migrate(con)
        results = run_checks(con, as_of, thresholds)
        with warehouse.transaction(con):
            con.execute(
                warehouse.statement("load/delete_quality_checks"), {"check_date": check_date}
            )
            con.executemany(
                warehouse.statement("load/insert_quality_check"),
                [{"check_date": check_date, **asdict(r)} for r in results],
            )
    failed = [r for r in results if not r.passed]
    for result in results:
        (log.info if result.passed else log.error)(
            "%s %s: %s", result.check_name, result.subject, result.message
        )
    if failed:
        details = "; ".join(
            f"{r.check_name}[{r.subject}] {r.observed} vs limit {r.threshold}: {r.message}"
            for r in failed
        )
        raise QualityBreach(
            f"{len(failed)} of {len(results)} data-quality checks failed: {details}"
        )
    return results
