"""`make run` and `make stop`: Airflow standalone in a session of its own, stopped as a whole.

Killing `airflow standalone` alone leaves its scheduler, api-server, triggerer, dag-processor
and LocalExecutor workers running (the workers ignore SIGTERM; each task even gets a process
group of its own). None of them starts a new session, though, so everything standalone
starts shares its session id: stopping means signalling every process of that session, TERM
first and KILL for what is still there after a grace period. The kernel does not give a pid
to a new process while a session of that id has a member, so the id cannot point at someone
else's processes.

`run_standalone` supervises in the foreground (Ctrl-C, SIGTERM or SIGHUP stop everything) and
records itself in <home>/airflow/standalone.json, which `stop_standalone` (`make stop`) reads
to stop a run started in the background.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import signal
import socket
import subprocess
import time
from pathlib import Path
from types import FrameType

from newsfacts.flow.airflow_env import airflow_bin, airflow_env
from newsfacts.settings import Settings

log = logging.getLogger(__name__)

WRITER_POOL = "duckdb_writer"
# Long enough for the scheduler to mark running tasks and the api-server to close; the
# LocalExecutor workers never leave on TERM, so they take the whole grace period then KILL.
GRACE_S = 15.0


class _Stop(Exception):
    """A signal asked the supervisor to stop."""


def state_file(settings: Settings) -> Path:
    return settings.home / "airflow" / "standalone.json"


def _proc_stat(pid: int) -> list[str] | None:
    """/proc/<pid>/stat's fields after the command name, or None when the process is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text.rsplit(")", 1)[1].split()


def session_members(session: int) -> list[int]:
    """Live processes whose session id is `session` (zombies are dead: they only await reaping)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        fields = _proc_stat(int(entry.name))
        # fields: state, ppid, pgrp, session, ...
        if fields and fields[0] != "Z" and int(fields[3]) == session:
            found.append(int(entry.name))
    return found


def stop_session(session: int, grace_s: float = GRACE_S) -> list[int]:
    """TERM every process of `session`, KILL those left after `grace_s`; returns those KILLed."""
    members = session_members(session)
    if not members:
        return []
    log.info("stopping %d Airflow processes (session %d)", len(members), session)
    _signal_all(members, signal.SIGTERM)
    deadline = time.monotonic() + grace_s
    while time.monotonic() < deadline and session_members(session):
        time.sleep(0.2)
    stubborn = session_members(session)
    if stubborn:
        log.info("%d processes ignored SIGTERM for %.0f s; killing them", len(stubborn), grace_s)
        _signal_all(stubborn, signal.SIGKILL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and session_members(session):
            time.sleep(0.1)
    return stubborn


def _signal_all(pids: list[int], signum: int) -> None:
    for pid in pids:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signum)


def _prepare(settings: Settings, env: dict[str, str]) -> None:
    """Migrate Airflow's database and create the writer pool (tasks in a missing pool hang)."""
    for args in (
        ["db", "migrate"],
        ["pools", "set", WRITER_POOL, "1", "single DuckDB writer"],
    ):
        done = subprocess.run([airflow_bin(), *args], env=env, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"airflow {' '.join(args)} failed ({done.returncode})")


def _raise_stop(signum: int, _frame: FrameType | None) -> None:
    raise _Stop(signal.Signals(signum).name)


def run_standalone(settings: Settings) -> int:
    """Start Airflow standalone and supervise it until a signal or its own exit; then stop
    every process it started. Returns standalone's exit code (0 when we stopped it)."""
    env = airflow_env(settings)
    port = env["AIRFLOW__API__PORT"]
    state = state_file(settings)
    running = read_state(state)
    if running and _alive(running.get("supervisor", 0)):
        log.error("Airflow already runs for %s (pid %s): `make stop` first", settings.home, running)
        return 1
    if running and session_members(int(running.get("session", 0))):
        # Its supervisor was killed outright: what it started still holds the port.
        log.warning("stopping what an earlier run left in session %s", running.get("session"))
        stop_session(int(running.get("session", 0)))
    _prepare(settings, env)
    paused = env["AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION"].lower() == "true"
    log.info(
        "Airflow UI: http://127.0.0.1:%s (user admin; the password is printed below and saved"
        " in %s/simple_auth_manager_passwords.json.generated)",
        port,
        env["AIRFLOW_HOME"],
    )
    log.info(
        "DAGs: newsfacts_ingest (%s, %s) -> newsfacts_process; new DAGs start %s",
        settings.ingest_schedule or "triggered by hand",
        settings.sources_path,
        "paused (NEWSFACTS_START_PAUSED=1)" if paused else "unpaused and fetch at once",
    )
    log.info("Warehouse: %s. Stop with Ctrl-C, or `make stop` from elsewhere.", settings.warehouse)
    previous = {s: signal.signal(s, _raise_stop) for s in (signal.SIGTERM, signal.SIGHUP)}
    # Even when started in the background of a script, which ignores SIGINT: `kill -INT` stops.
    previous[signal.SIGINT] = signal.signal(signal.SIGINT, signal.default_int_handler)
    process: subprocess.Popen[bytes] | None = None
    code = 0
    try:
        process = subprocess.Popen(
            [airflow_bin(), "standalone"],
            env=env,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        _write_state(state, {"supervisor": os.getpid(), "session": process.pid, "port": port})
        code = process.wait()
        log.warning("airflow standalone exited (%d); stopping what it left", code)
    except (KeyboardInterrupt, _Stop) as why:
        log.info("stopping Airflow (%s)", str(why) or "Ctrl-C")
    finally:
        # A second Ctrl-C must not cut the clean-up short and leave processes behind.
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, signal.SIG_IGN)
        if process is not None:
            stop_session(process.pid)
            process.wait()
        state.unlink(missing_ok=True)
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    log.info("Airflow stopped; port %s %s", port, "free" if port_free(int(port)) else "still taken")
    return code


def stop_standalone(settings: Settings, timeout_s: float = GRACE_S + 30) -> bool:
    """Stop the run recorded for this home (`make stop`); False when none was running."""
    state = state_file(settings)
    running = read_state(state)
    if not running:
        log.info("no Airflow run recorded in %s", state)
        return False
    supervisor, session = int(running.get("supervisor", 0)), int(running.get("session", 0))
    if _alive(supervisor) and _is_newsfacts(supervisor):
        # The supervisor stops its session itself, then exits.
        os.kill(supervisor, signal.SIGTERM)
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline and _alive(supervisor):
            time.sleep(0.2)
    # Whatever the supervisor could not stop (it was killed, say) is stopped here.
    if session:
        stop_session(session)
    state.unlink(missing_ok=True)
    port = int(running.get("port", 0))
    log.info("Airflow stopped; port %s %s", port, "free" if port_free(port) else "still taken")
    return True


def port_free(port: int, wait_s: float = 5.0) -> bool:
    """Whether 127.0.0.1:`port` can be listened on (waiting `wait_s` for a closing socket)."""
    deadline = time.monotonic() + wait_s
    while True:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                sock.bind(("127.0.0.1", port))
                return True
            except OSError:
                if time.monotonic() > deadline:
                    return False
        time.sleep(0.2)


def read_state(path: Path) -> dict[str, int | str] | None:
    try:
        return dict(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return None


def _write_state(path: Path, values: dict[str, int | str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(values), encoding="utf-8")
    tmp.replace(path)


def _alive(pid: int | str) -> bool:
    fields = _proc_stat(int(pid)) if int(pid) > 0 else None
    return fields is not None and fields[0] != "Z"


def _is_newsfacts(pid: int) -> bool:
    """Whether `pid` still runs our command line (not a process that reused the pid)."""
    try:
        return b"newsfacts" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False
