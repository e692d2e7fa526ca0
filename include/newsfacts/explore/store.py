"""The explorer's read side: the current warehouse snapshot, opened read-only, and its SQL.

The explorer never opens the warehouse itself (see warehouse/snapshot.py). A snapshot file is
never written after it is published, so one read-only connection per snapshot is kept and
shared: each request takes its own cursor from it. When the loader publishes a newer snapshot,
the next request opens that one; the old connection is closed one publication later, so
requests still running on it finish.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

import duckdb

from newsfacts.settings import SQL_DIR
from newsfacts.warehouse.snapshot import current_snapshot

EXPLORE_SQL = SQL_DIR / "explore"
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


class NoSnapshot(LookupError):
    """No load has published a snapshot yet."""


class _Connections:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._open: list[tuple[Path, duckdb.DuckDBPyConnection]] = []

    def for_path(self, path: Path) -> duckdb.DuckDBPyConnection:
        with self._lock:
            for opened, con in self._open:
                if opened == path:
                    return con
            con = duckdb.connect(str(path), read_only=True)
            self._open.append((path, con))
            # keep this one and the one before it (requests may still be reading it)
            while len(self._open) > 2:
                _, old = self._open.pop(0)
                old.close()
            return con


_CONNECTIONS = _Connections()


@contextmanager
def reader(home: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A cursor on the current snapshot under `home`; NoSnapshot when none is published."""
    path = current_snapshot(home)
    if path is None:
        raise NoSnapshot(f"no snapshot under {home / 'snapshots'}: it is published after a load")
    cursor = _CONNECTIONS.for_path(path.resolve()).cursor()
    try:
        yield cursor
    finally:
        cursor.close()


@cache
def _text(name: str) -> str:
    return (EXPLORE_SQL / f"{name}.sql").read_text(encoding="utf-8")


def query(name: str, **fill: str) -> str:
    """include/sql/explore/<name>.sql with its {placeholders} filled.

    Values are never user input: they are other statements of this folder, ORDER BY clauses
    chosen from a fixed list, and paths and formats the export picks itself.
    """

    def value(match: re.Match[str]) -> str:
        if match.group(1) not in fill:
            raise KeyError(f"explore/{name}.sql: no value for {{{match.group(1)}}}")
        return fill[match.group(1)]

    return _PLACEHOLDER.sub(value, _text(name))
