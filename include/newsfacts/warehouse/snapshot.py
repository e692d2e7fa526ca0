"""Read-only snapshots of the warehouse, published by the writer after each load.

DuckDB lets no process read a file while another writes it, and a writer cannot open a file a
reader holds. So the explorer and the report never open the warehouse: after each load the
writer checkpoints, copies the file to <home>/snapshots/<stamp>.duckdb, adds the explorer's
precomputed tables (include/sql/snapshot/) to the copy, and only then points
<home>/snapshots/current at it by an atomic symlink swap. Readers open whatever `current`
names, read-only; they never see a batch half loaded (the copy is taken between transactions)
and never hold a lock the writer needs. The two newest snapshots are kept: a reader that
resolved the older one just before a swap can still open it.
"""

from __future__ import annotations

import logging
import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from newsfacts.settings import SQL_DIR, Settings

log = logging.getLogger(__name__)

SNAPSHOT_SQL_DIR = SQL_DIR / "snapshot"
POINTER = "current"
KEEP = 2


def snapshot_dir(home: Path) -> Path:
    return home / "snapshots"


def publish(con: duckdb.DuckDBPyConnection, settings: Settings) -> Path:
    """Copy the warehouse `con` writes to a new snapshot and make it current; returns its path.

    Call it from the writer, outside any transaction, after the load committed.
    """
    folder = snapshot_dir(settings.home)
    folder.mkdir(parents=True, exist_ok=True)
    published = datetime.now(UTC).replace(tzinfo=None)
    stamp = published.strftime("%Y%m%dT%H%M%S%fZ")
    target = folder / f"{stamp}.duckdb"
    building = folder / f".{stamp}.building"
    # Everything committed goes into the main file, so a plain copy is the whole warehouse.
    con.execute("CHECKPOINT")
    shutil.copyfile(settings.warehouse, building)
    try:
        with duckdb.connect(str(building)) as copy:
            for path in sorted(SNAPSHOT_SQL_DIR.glob("*.sql")):
                text = path.read_text(encoding="utf-8")
                params = {"published_at": published} if "$published_at" in text else None
                copy.execute(text, params)
            copy.execute("CHECKPOINT")
        building.replace(target)
    except BaseException:
        building.unlink(missing_ok=True)
        raise
    _point_at(folder, target)
    _prune(folder, keep=KEEP)
    log.info("published snapshot %s", target)
    return target


def _point_at(folder: Path, target: Path) -> None:
    """Swap the `current` symlink to `target` atomically (rename over the old link)."""
    link = folder / f".{POINTER}.{os.getpid()}"
    link.unlink(missing_ok=True)
    link.symlink_to(target.name)
    link.replace(folder / POINTER)


def _prune(folder: Path, keep: int) -> None:
    """Remove all but the `keep` newest snapshots (a reader keeps an open file until it closes)."""
    current = current_snapshot(folder.parent)
    snapshots = sorted(folder.glob("*.duckdb"), reverse=True)
    for old in snapshots[keep:]:
        if old != current:
            old.unlink(missing_ok=True)
            Path(f"{old}.wal").unlink(missing_ok=True)


def current_snapshot(home: Path) -> Path | None:
    """The snapshot readers should open, or None when no load has published one yet."""
    pointer = snapshot_dir(home) / POINTER
    try:
        name = pointer.readlink()
    except OSError:
        return None
    path = snapshot_dir(home) / name
    return path if path.exists() else None
