"""Snapshots: the writer publishes a read-only copy after each load; readers never block it."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from newsfacts import warehouse
from newsfacts.explore import store
from newsfacts.flow.load import prepare_warehouse
from newsfacts.settings import Settings
from newsfacts.warehouse import snapshot


@pytest.fixture
def migrated(settings: Settings) -> Settings:
    prepare_warehouse(settings)
    return settings


def test_publish_points_current_at_a_copy_with_the_explorer_tables(migrated: Settings) -> None:
    assert snapshot.current_snapshot(migrated.home) is None
    with warehouse.connect(migrated.warehouse) as con:
        path = snapshot.publish(con, migrated)
    assert snapshot.current_snapshot(migrated.home) == path
    assert (path.parent / "current").is_symlink()
    with duckdb.connect(str(path), read_only=True) as con:
        tables = {t for (t,) in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
        assert {
            "explore_facts",
            "explore_disagreements",
            "explore_options",
            "snapshot_info",
        } <= tables
        assert {"articles", "troop_counts", "actors"} <= tables
        assert con.execute("SELECT count(*) FROM actors").fetchone()[0] > 200


def test_only_the_two_newest_snapshots_are_kept(migrated: Settings) -> None:
    published = []
    with warehouse.connect(migrated.warehouse) as con:
        for _ in range(4):
            published.append(snapshot.publish(con, migrated))
    left = sorted(p for p in (migrated.home / "snapshots").iterdir() if p.name != "current")
    assert left == published[-2:]
    assert snapshot.current_snapshot(migrated.home) == published[-1]


def test_a_reader_on_the_snapshot_never_blocks_the_writer(migrated: Settings) -> None:
    """The explorer holds a snapshot open while the loader writes and publishes again."""
    with warehouse.connect(migrated.warehouse) as con:
        snapshot.publish(con, migrated)
    with store.reader(migrated.home) as reader:
        before = reader.execute("SELECT count(*) FROM explore_facts").fetchone()
        # a second process would be refused the warehouse while a reader held it; not a snapshot
        with warehouse.connect(migrated.warehouse) as con:
            con.execute(
                "INSERT INTO quality_checks VALUES (DATE '2024-01-01', 'x', '*', 1, 1, true, 'ok')"
            )
            newer = snapshot.publish(con, migrated)
        assert reader.execute("SELECT count(*) FROM explore_facts").fetchone() == before
    with store.reader(migrated.home) as reader:
        assert reader.execute("SELECT count(*) FROM quality_checks").fetchone() == (1,)
    assert snapshot.current_snapshot(migrated.home) == newer


def test_an_uncommitted_load_is_not_in_the_snapshot(migrated: Settings) -> None:
    """Published between transactions: a batch half loaded never shows."""
    with warehouse.connect(migrated.warehouse) as con:
        con.begin()
        con.execute(
            "INSERT INTO quality_checks VALUES (DATE '2024-01-01', 'x', '*', 1, 1, true, 'ok')"
        )
        con.rollback()
        path = snapshot.publish(con, migrated)
    with duckdb.connect(str(path), read_only=True) as reader:
        assert reader.execute("SELECT count(*) FROM quality_checks").fetchone() == (0,)


def test_a_failed_build_leaves_the_current_snapshot(migrated: Settings, tmp_path: Path) -> None:
    with warehouse.connect(migrated.warehouse) as con:
        first = snapshot.publish(con, migrated)
        con.execute("DROP VIEW outlet_disagreements")  # the snapshot's disagreements need it
        with pytest.raises(duckdb.Error):
            snapshot.publish(con, migrated)
    assert snapshot.current_snapshot(migrated.home) == first
    assert not list((migrated.home / "snapshots").glob(".*building"))
