"""A loader killed mid-transaction leaves the warehouse as it was before the load began."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from newsfacts import warehouse
from newsfacts.warehouse import staging
from tests.unit.test_warehouse import BATCH, article, stage, troop

pytestmark = pytest.mark.integration

LOADER = """
import sys
from pathlib import Path
from newsfacts import warehouse
with warehouse.connect(Path(sys.argv[1])) as con:
    print("loading", flush=True)
    warehouse.load_batch(con, Path(sys.argv[2]), sys.argv[3])
    print("done", flush=True)
"""


def big_batch(folder: Path, facts: int) -> Path:
    """A batch replacing article a1 and adding many facts, written straight from DuckDB."""
    stage(folder, articles=[article("a1", body="a new body")])
    con = duckdb.connect()
    columns = ", ".join(f'"{name}"' for name, _ in staging.table_schema("troop_counts"))
    con.execute(
        f"""COPY (SELECT {columns} FROM (
              SELECT printf('big%09d', i) AS fact_id, 'a1' AS article_id, 'USA' AS actor,
                     'IRQ' AS location, 2500::BIGINT AS count, NULL::BIGINT AS count_high,
                     'exact' AS qualifier, 'level' AS kind, repeat('x', 200) AS sentence,
                     0 AS char_start, 10 AS char_end, 'test' AS extractor,
                     '0' AS extractor_version, '{BATCH}' AS batch_id, NULL AS as_of
              FROM range({facts}) t(i)))
           TO '{folder}/troop_counts.parquet' (FORMAT parquet)"""
    )
    con.close()
    return folder


def test_kill_mid_load_keeps_the_old_state(tmp_path: Path) -> None:
    path = tmp_path / "w.duckdb"
    with warehouse.connect(path) as con:
        warehouse.migrate(con)
        warehouse.load_batch(
            con,
            stage(tmp_path / "old", articles=[article("a1")], troop_counts=[troop("f1")]),
            BATCH,
        )
        before = warehouse.table_checksums(con)
    folder = big_batch(tmp_path / "new", facts=3_000_000)

    loader = subprocess.Popen(
        [sys.executable, "-c", LOADER, str(path), str(folder), BATCH],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert loader.stdout is not None
    assert loader.stdout.readline().strip() == "loading"
    time.sleep(1.0)  # well inside a load of millions of rows
    loader.send_signal(signal.SIGKILL)
    rest = loader.stdout.read()
    loader.wait(timeout=30)
    assert "done" not in rest, "the load finished before the kill; make the batch bigger"

    with warehouse.connect(path) as con:
        assert warehouse.table_checksums(con) == before
        assert con.execute("SELECT body FROM articles").fetchall() == [("US forces: 2500 troops.",)]
        # and the warehouse still takes the load afterwards
        warehouse.load_batch(con, folder, BATCH)
        assert con.execute("SELECT count(*) FROM troop_counts").fetchone() == (3_000_000,)
