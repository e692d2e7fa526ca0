"""`make run` stops everything it started: on Ctrl-C, and through `make stop` from elsewhere.

Airflow runs for real (standalone: api-server, scheduler, dag-processor, triggerer, LocalExecutor
workers) on a free port of 127.0.0.1 with a home of its own and its DAGs paused, so nothing is
fetched. Every process it starts inherits NEWSFACTS_HOME, which is how the test finds them all.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from newsfacts.flow.standalone import port_free
from newsfacts.settings import PROJECT_ROOT
from tools.cluster import free_port, http_ok, wait_until

pytestmark = [pytest.mark.integration, pytest.mark.airflow, pytest.mark.timeout(900)]


def processes_of(home: Path) -> list[str]:
    """Live processes (not zombies, not this one) of the run in `home`: those whose environment
    names it, and the members of make's session and of Airflow's (recorded by the run), since
    Airflow's components rewrite their command line over their environment (setproctitle)."""
    marker = f"NEWSFACTS_HOME={home}\0".encode()
    sessions = set(_SESSIONS.get(home, ()))
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            environ = (entry / "environ").read_bytes()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if fields[0] != "Z" and (marker in environ or int(fields[3]) in sessions):
            found.append(f"{entry.name}: {cmdline[:120]}")
    return found


# The sessions each run's processes belong to: make's own, and the one Airflow runs in.
_SESSIONS: dict[Path, list[int]] = {}


def start_make_run(home: Path, port: int, log_path: Path) -> subprocess.Popen[bytes]:
    """`make run` as a terminal starts it: its own process group, which Ctrl-C signals."""
    env = {
        **os.environ,
        "NEWSFACTS_HOME": str(home),
        "NEWSFACTS_AIRFLOW_PORT": str(port),
        "NEWSFACTS_START_PAUSED": "1",
    }
    for name in ("AIRFLOW_HOME", "AIRFLOW__API__PORT", "AIRFLOW__CORE__EXECUTION_API_SERVER_URL"):
        env.pop(name, None)
    with log_path.open("ab") as out:
        make = subprocess.Popen(
            ["make", "run"],
            cwd=PROJECT_ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    _SESSIONS[home] = [make.pid]
    try:
        wait_until(
            lambda: http_ok(f"http://127.0.0.1:{port}/api/v2/monitor/health"),
            "Airflow's api-server",
            timeout=300,
            interval=1,
        )
        state = json.loads((home / "airflow" / "standalone.json").read_text(encoding="utf-8"))
        _SESSIONS[home].append(int(state["session"]))
        # The scheduler starts its LocalExecutor workers; wait for them too.
        wait_until(
            lambda: sum("LocalExecutor" in p for p in processes_of(home)) >= 1,
            "LocalExecutor workers",
            timeout=120,
            interval=1,
        )
    except BaseException:
        os.killpg(make.pid, signal.SIGINT)
        make.wait(timeout=120)
        raise
    return make


def assert_all_gone(home: Path, port: int) -> None:
    left = processes_of(home)
    assert left == [], "processes left:\n" + "\n".join(left)
    assert port_free(port, wait_s=10), f"port {port} still taken"


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One home for both runs: the second finds Airflow's database made, and starts sooner."""
    return tmp_path_factory.mktemp("standalone") / "home"


def test_ctrl_c_on_make_run_stops_every_airflow_process(tmp_path: Path, home: Path) -> None:
    port = free_port()
    make = start_make_run(home, port, tmp_path / "run.log")
    running = processes_of(home)
    assert any("scheduler" in p for p in running) and any("api_server" in p for p in running)
    started = time.monotonic()
    os.killpg(make.pid, signal.SIGINT)  # what Ctrl-C in the terminal does
    assert make.wait(timeout=120) is not None
    print(f"Ctrl-C: {len(running)} processes stopped in {time.monotonic() - started:.1f} s")
    assert_all_gone(home, port)
    assert not (home / "airflow" / "standalone.json").exists()


def test_make_stop_stops_a_run_in_the_background(tmp_path: Path, home: Path) -> None:
    port = free_port()
    make = start_make_run(home, port, tmp_path / "run.log")
    running = processes_of(home)
    started = time.monotonic()
    stop = subprocess.run(
        ["make", "stop"],
        cwd=PROJECT_ROOT,
        env={**os.environ, "NEWSFACTS_HOME": str(home)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert stop.returncode == 0, stop.stdout + stop.stderr
    make.wait(timeout=60)
    print(f"make stop: {len(running)} processes stopped in {time.monotonic() - started:.1f} s")
    assert_all_gone(home, port)
    # Nothing left to stop: says so, and succeeds.
    again = subprocess.run(
        ["make", "stop"],
        cwd=PROJECT_ROOT,
        env={**os.environ, "NEWSFACTS_HOME": str(home)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert again.returncode == 0
    assert "no Airflow run recorded" in again.stderr
