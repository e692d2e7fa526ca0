"""Both DAGs on the CeleryExecutor: PostgreSQL, Redis, two workers, all on 127.0.0.1.

One module fixture starts everything (tools.cluster), runs newsfacts_ingest and the
newsfacts_process run its asset triggers, records what the metadata database says, stops every
process it started, then runs the same interval standalone (`newsfacts run`) for comparison.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb
import pytest

from newsfacts import warehouse
from newsfacts.demo.run import DEMO_SOURCES
from newsfacts.demo.site import DemoSite
from tools import cluster

# 540: the process run ends with render_report (charts, about 5 s idle, 13 s seen on a loaded machine)
pytestmark = [pytest.mark.celery, pytest.mark.timeout(540)]

INGEST = "newsfacts_ingest"
PROCESS = "newsfacts_process"
RUN_ID = "celery_test"
WORKERS = ("worker1", "worker2")
# Where the archive copy of a page lives and when it was fetched differ between two homes by
# construction; everything else must be identical.
FETCH_PROVENANCE = {"articles": "EXCLUDE (warc_file, warc_offset, fetched_at_utc)"}


@dataclass(frozen=True)
class TaskRun:
    dag_id: str
    task_id: str
    map_index: int
    try_number: int
    state: str
    hostname: str
    pool: str
    start: datetime
    end: datetime


@dataclass(frozen=True)
class CeleryRun:
    ingest: tuple[str, str]
    process: tuple[str, str]
    ingest_runs: list[tuple[Any, ...]]
    process_runs: list[tuple[Any, ...]]
    tasks: list[TaskRun]
    pool_slots: int
    run_keys: set[str]
    celery_warehouse: Path
    standalone_warehouse: Path
    celery_checksums: dict[str, tuple[int, int]]
    standalone_checksums: dict[str, tuple[int, int]]
    seconds: float


def _comparable(table: str, schema: str) -> str:
    """A query of `table` without the columns that name the archive copy of a page."""
    columns = FETCH_PROVENANCE.get(table, "")
    if table == "quarantine":
        # a quarantined article's record carries its provenance too
        columns = "REPLACE (CASE WHEN table_name = 'articles' THEN NULL ELSE record END AS record)"
    return f"SELECT * {columns} FROM {schema}.{table}"


def comparable_checksums(db: Path) -> dict[str, tuple[int, int]]:
    """`warehouse.table_checksums` of the data tables, fetch provenance left out."""
    con = duckdb.connect()
    try:
        con.execute(f"ATTACH '{db}' AS w (READ_ONLY)")
        for table in warehouse.DATA_TABLES:
            con.execute(f"CREATE TEMP TABLE {table} AS {_comparable(table, 'w')}")
        return warehouse.table_checksums(con, warehouse.DATA_TABLES)
    finally:
        con.close()


def row_differences(first: Path, second: Path, table: str, limit: int = 5) -> list[str]:
    """A few rows of `table` that are in one warehouse and not the other, for failure messages."""
    con = duckdb.connect()
    try:
        con.execute(f"ATTACH '{first}' AS a (READ_ONLY)")
        con.execute(f"ATTACH '{second}' AS b (READ_ONLY)")
        found = []
        for one, other in (("a", "b"), ("b", "a")):
            query = (
                f"{_comparable(table, one)} EXCEPT ALL {_comparable(table, other)} LIMIT {limit}"
            )
            found += [f"only in {one}: {str(row)[:400]}" for row in con.execute(query).fetchall()]
        return found
    finally:
        con.close()


def task_runs(c: cluster.AirflowCluster) -> list[TaskRun]:
    """Every try of every task of both DAGs, retries (task_instance_history) included."""
    columns = "dag_id, task_id, map_index, try_number, state, hostname, pool, start_date, end_date"
    rows = c.pg.query(
        f"SELECT {columns} FROM task_instance WHERE dag_id IN (%s, %s)"
        f" UNION ALL SELECT {columns} FROM task_instance_history WHERE dag_id IN (%s, %s)",
        [INGEST, PROCESS, INGEST, PROCESS],
    )
    return [TaskRun(*r) for r in rows]


def overlaps(runs: list[TaskRun]) -> list[tuple[str, str]]:
    """Pairs of task tries whose [start, end] intervals intersect."""
    ordered = sorted(runs, key=lambda r: r.start)
    found = []
    for i, first in enumerate(ordered):
        for second in ordered[i + 1 :]:
            if second.start < first.end:
                found.append(
                    (f"{first.task_id}[{first.map_index}]", f"{second.task_id}[{second.map_index}]")
                )
    return found


@pytest.fixture(scope="module")
def celery_run(tmp_path_factory: pytest.TempPathFactory) -> CeleryRun:
    missing = cluster.missing_binaries()
    if missing:
        reason = f"{', '.join(missing)} not installed: run scripts/ci-services.sh"
        if os.environ.get("NEWSFACTS_REQUIRE_SERVICES"):
            pytest.fail(reason)
        pytest.skip(reason)
    root = tmp_path_factory.mktemp("celery")
    home = root / "home"
    started = time.monotonic()
    with DemoSite() as site:
        extra = {
            "NEWSFACTS_HOME": str(home),
            "NEWSFACTS_SOURCES": str(DEMO_SOURCES),
            "NEWSFACTS_BASE_URL": site.base_url,
            # No schedule: the only ingest run is the one triggered below, whatever the time.
            "NEWSFACTS_INGEST_SCHEDULE": "none",
        }
        with cluster.running_cluster(root, workers=len(WORKERS), extra_env=extra) as c:
            c.wait_for_dag(INGEST)
            c.wait_for_dag(PROCESS)
            logical_date = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
            c.airflow("dags", "unpause", PROCESS)
            c.airflow("dags", "unpause", INGEST)
            c.airflow(
                "dags", "trigger", INGEST,
                "--logical-date", logical_date.isoformat(), "--run-id", RUN_ID,
            )  # fmt: skip
            ingest = c.wait_for_run(INGEST, run_id=RUN_ID, timeout=180)
            process = c.wait_for_run(PROCESS, timeout=240)
            tasks = task_runs(c)
            ingest_runs = c.dag_runs(INGEST)
            process_runs = c.dag_runs(PROCESS)
            slots = c.pg.query("SELECT slots FROM slot_pool WHERE pool = %s", [cluster.WRITER_POOL])
        seconds = time.monotonic() - started
        # Every process started above is stopped by now; the same interval, standalone:
        run_keys = {
            json.loads(m.read_text())["run_key"] for m in (home / "staging").glob("*/fetched.json")
        }
        other = root / "standalone"
        for run_key in run_keys:
            done = subprocess.run(
                [
                    str(Path(sys.executable).with_name("newsfacts")),
                    "run", "--sources", str(DEMO_SOURCES), "--base-url", site.base_url,
                    "--run-key", run_key, "--home", str(other),
                ],
                capture_output=True, text=True, timeout=300, check=False,
            )  # fmt: skip
            assert done.returncode == 0, done.stderr[-3000:]
            summary = json.loads(done.stdout.strip().splitlines()[-1])
            failed = [k for k in summary["failures_by_reason"] if k.startswith("batch:")]
            assert not failed, done.stderr[-3000:]
    return CeleryRun(
        ingest=ingest,
        process=process,
        ingest_runs=ingest_runs,
        process_runs=process_runs,
        tasks=tasks,
        pool_slots=slots[0][0] if slots else 0,
        run_keys=run_keys,
        celery_warehouse=home / "newsfacts.duckdb",
        standalone_warehouse=other / "newsfacts.duckdb",
        celery_checksums=comparable_checksums(home / "newsfacts.duckdb"),
        standalone_checksums=comparable_checksums(other / "newsfacts.duckdb"),
        seconds=seconds,
    )


def test_both_runs_succeed_once(celery_run: CeleryRun) -> None:
    assert celery_run.ingest == (RUN_ID, "success")
    assert celery_run.process[1] == "success"
    assert [r[0] for r in celery_run.ingest_runs] == [RUN_ID], "an unexpected ingest run"
    assert [r[1] for r in celery_run.process_runs] == ["asset_triggered"]


def test_tasks_ran_on_both_workers(celery_run: CeleryRun) -> None:
    hosts = {t.hostname for t in celery_run.tasks}
    assert hosts == set(WORKERS)
    for dag_id in (INGEST, PROCESS):
        assert {t.state for t in celery_run.tasks if t.dag_id == dag_id} == {"success"}


def test_mapped_tasks_ran_side_by_side(celery_run: CeleryRun) -> None:
    """Two sources, two batches: their mapped tasks overlap in time (and the check can see it)."""
    mapped = [t for t in celery_run.tasks if t.map_index >= 0]
    assert {(t.task_id, t.map_index) for t in mapped} >= {
        ("fetch_pages", 0),
        ("fetch_pages", 1),
        ("parse_articles", 1),
        ("validate_facts", 1),
    }
    assert overlaps(mapped), "no two mapped tasks ran at the same time"


def test_duckdb_writer_pool_never_ran_two_tasks_at_once(celery_run: CeleryRun) -> None:
    assert celery_run.pool_slots == 1
    writers = [t for t in celery_run.tasks if t.pool == cluster.WRITER_POOL]
    assert {t.task_id for t in writers} == {"find_pending_batches", "load_warehouse"}
    assert overlaps(writers) == []


def test_warehouse_matches_a_standalone_run(celery_run: CeleryRun) -> None:
    assert len(celery_run.run_keys) == 1
    assert celery_run.celery_checksums["articles"][0] == 10
    assert celery_run.celery_checksums["troop_counts"][0] > 0
    differing = [
        table
        for table in warehouse.DATA_TABLES
        if celery_run.celery_checksums[table] != celery_run.standalone_checksums[table]
    ]
    details = [
        line
        for table in differing
        for line in row_differences(
            celery_run.celery_warehouse, celery_run.standalone_warehouse, table
        )
    ]
    assert differing == [], "\n".join(details)


def test_overlap_check_finds_intersecting_intervals() -> None:
    t0 = datetime(2024, 6, 20, tzinfo=UTC)

    def run(name: str, start: int, end: int) -> TaskRun:
        at = t0 + timedelta(seconds=start)
        return TaskRun("d", name, -1, 1, "success", "h", "p", at, t0 + timedelta(seconds=end))

    assert overlaps([run("a", 0, 5), run("b", 5, 9), run("c", 10, 12)]) == []
    assert overlaps([run("a", 0, 5), run("b", 4, 9)]) == [("a[-1]", "b[-1]")]
    assert overlaps([run("b", 6, 7), run("a", 0, 10)]) == [("a[-1]", "b[-1]")]
