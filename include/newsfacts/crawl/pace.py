"""Per-host politeness shared by every fetcher: one lock file and one pace record per host.

Airflow runs each source's fetch in its own task process, and Celery spreads those over
workers, so two sources on one host fetch side by side. Their fetchers meet in
<home>/hosts/<host>.pace: whoever holds that file's lock is the one request in flight to the
host, and the record in it says when the last request started and ended and how long the host
asked us to hold off, so the next request, from whichever process, keeps the pace.

Why a lock file rather than one Airflow pool per host: a pool limits task slots, not requests,
so a pool of one per host would run one source's whole task while the other waits, could not
cover the other hosts a source links to (allowed_domains), needs a pool created per host, and
would not exist for `newsfacts crawl` or `newsfacts run`, which fetch without Airflow. Workers
on several machines share the limit when NEWSFACTS_HOME is on shared storage: the locks are
POSIX record locks (fcntl), which NFS carries; the kernel drops a lock when its process dies.
"""

from __future__ import annotations

import fcntl
import json
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO

from newsfacts.ids import digest

# Ends of recent requests kept per host (the window rule in `ready_at` looks this far back).
_MAX_ENDS = 64
# A record from further ahead than this is a clock that jumped back, not a host's wish.
_MAX_AHEAD_S = 3600.0
_SAFE_NAME = re.compile(r"[a-z0-9.-]{1,120}")

# POSIX locks belong to a process, so threads of one process also queue on a lock of their own.
_thread_locks: dict[Path, threading.Lock] = {}
_thread_locks_guard = threading.Lock()


@dataclass(slots=True)
class HostPace:
    """What the next request to a host must respect (wall-clock seconds, shared by processes)."""

    last_start: float = -1e9
    # the interval the last request kept: a slower source's pace holds for the next request too
    interval_s: float = 0.0
    hold_until: float = 0.0  # Retry-After and back-off
    ends: list[float] = field(default_factory=list)

    def ready_at(self, interval_s: float) -> float:
        """When the next request may start.

        Starts are `interval_s` apart. And however the network delays requests, the server
        never sees more than n = rate requests within n intervals (one second): a request
        starts n intervals after the request n before it *ended*, and the server saw that
        one before it ended and sees this one after it starts.
        """
        interval = max(interval_s, self.interval_s)
        ready = max(self.hold_until, self.last_start + interval)
        window = max(1, min(_MAX_ENDS, int(1.0 / interval + 1e-9)))
        if len(self.ends) >= window:
            ready = max(ready, self.ends[-window] + window * interval)
        return ready


def host_file(folder: Path, host: str) -> Path:
    """The lock and record file of `host` (an odd name is hashed, never used as a path)."""
    name = host.lower().strip(".")
    if not _SAFE_NAME.fullmatch(name) or ".." in name:
        name = "h-" + digest(host)[:32]
    return folder / f"{name}.pace"


class SharedPace:
    """The pace of every host, kept in `folder` for all processes that fetch."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @contextmanager
    def turn(self, host: str, interval_s: float) -> Iterator[None]:
        """Hold the host for one request (its body read included), once its pace allows."""
        with self._locked(host) as (handle, pace):
            delay = pace.ready_at(interval_s) - time.time()
            if delay > 0:
                time.sleep(delay)
            pace.last_start = time.time()
            pace.interval_s = interval_s
            _write(handle, pace)
            try:
                yield
            finally:
                pace.ends = [*pace.ends, time.time()][-_MAX_ENDS:]
                _write(handle, pace)

    def defer(self, host: str, seconds: float) -> None:
        """Let no request reach the host for `seconds`, from any process (Retry-After, back-off)."""
        with self._locked(host) as (handle, pace):
            pace.hold_until = max(pace.hold_until, time.time() + seconds)
            _write(handle, pace)

    def read(self, host: str) -> HostPace:
        """The host's record as it stands (for reports and tests)."""
        with self._locked(host) as (_handle, pace):
            return pace

    @contextmanager
    def _locked(self, host: str) -> Iterator[tuple[IO[str], HostPace]]:
        path = host_file(self.folder, host)
        with _thread_lock(path):
            self.folder.mkdir(parents=True, exist_ok=True)
            with path.open("a+", encoding="utf-8") as handle:
                fcntl.lockf(handle, fcntl.LOCK_EX)  # released when the file closes
                yield handle, _read(handle)


@contextmanager
def _thread_lock(path: Path) -> Iterator[None]:
    with _thread_locks_guard:
        lock = _thread_locks.setdefault(path, threading.Lock())
    with lock:
        yield


def _read(handle: IO[str]) -> HostPace:
    handle.seek(0)
    try:
        pace = HostPace(**json.loads(handle.read() or "{}"))
    except (ValueError, TypeError):
        return HostPace()  # a record cut short (a full disk) only costs one host its history
    now = time.time()
    if max(pace.last_start, pace.hold_until, *pace.ends, 0.0) > now + _MAX_AHEAD_S:
        return HostPace()
    return pace


def _write(handle: IO[str], pace: HostPace) -> None:
    handle.seek(0)
    handle.truncate()
    handle.write(json.dumps(asdict(pace)))
    handle.flush()
