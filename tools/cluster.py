"""Local services for tests and benches: PostgreSQL, Redis and Airflow's components on 127.0.0.1.

Everything is a child process of the caller, stopped by its process id (PostgreSQL through
`pg_ctl stop`), so nothing outlives the test or bench that started it. Airflow runs as `airflow ...`
subprocesses with the CeleryExecutor; this module never imports Airflow.
"""

from __future__ import annotations

import contextlib
import logging
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from newsfacts.settings import PROJECT_ROOT

log = logging.getLogger(__name__)

# Debian keeps the server binaries out of PATH; /usr/local/bin holds symlinks on some machines.
PG_BIN_DIRS = (
    "/usr/local/bin",
    *sorted((str(p) for p in Path("/usr/lib/postgresql").glob("*/bin")), reverse=True),
)
WRITER_POOL = "duckdb_writer"
FINISHED_STATES = frozenset({"success", "failed"})


class ServiceError(RuntimeError):
    """A service did not start, or died while we waited for it."""


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nobody listens on right now (the kernel picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def find_binary(name: str, extra_dirs: Sequence[str] = PG_BIN_DIRS) -> str:
    """The path of an executable on PATH or in `extra_dirs`; FileNotFoundError says what to do."""
    found = shutil.which(name)
    if found:
        return found
    for folder in extra_dirs:
        candidate = Path(folder) / name
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    raise FileNotFoundError(
        f"{name} not found on PATH or in {list(extra_dirs)}: run scripts/ci-services.sh"
    )


def missing_binaries() -> list[str]:
    """The server binaries the Celery setup needs that this machine lacks."""
    missing = []
    for name in ("initdb", "pg_ctl", "postgres", "redis-server"):
        try:
            find_binary(name)
        except FileNotFoundError:
            missing.append(name)
    return missing


# --- processes ------------------------------------------------------------------------------


@dataclass
class Process:
    """A service we started: its own process group, its log file."""

    name: str
    popen: subprocess.Popen[bytes]
    log_path: Path

    @property
    def pid(self) -> int:
        return self.popen.pid

    def alive(self) -> bool:
        return self.popen.poll() is None

    def log_tail(self, lines: int = 40) -> str:
        """The last lines of the log, for error messages."""
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])


def start_process(
    name: str,
    argv: Sequence[str],
    log_path: Path,
    *,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
) -> Process:
    """Start `argv` in a new session (its pid is its process group), output to `log_path`."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("ab") as out:
        popen = subprocess.Popen(
            list(argv),
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=env,
            cwd=cwd,
            start_new_session=True,
        )
    log.info("started %s (pid %d, log %s)", name, popen.pid, log_path)
    return Process(name, popen, log_path)


def _signal_group(pid: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signum)


def stop_process(process: Process, timeout: float = 20.0) -> None:
    """SIGTERM the process group we started, SIGKILL it after `timeout` seconds."""
    # Airflow's components fork (celery pool, task supervisors, api-server workers): the group
    # takes them along, and its id is the pid we started.
    _signal_group(process.pid, signal.SIGTERM)
    try:
        process.popen.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        log.warning(
            "%s (pid %d) ignored SIGTERM for %.0fs; killing", process.name, process.pid, timeout
        )
        _signal_group(process.pid, signal.SIGKILL)
        process.popen.wait(timeout=10)
    # Children that outlived the leader still carry its group id.
    _signal_group(process.pid, signal.SIGKILL)
    log.info("stopped %s (pid %d, exit %s)", process.name, process.pid, process.popen.returncode)


def wait_until(
    check: Callable[[], bool],
    what: str,
    *,
    timeout: float,
    interval: float = 0.5,
    watch: Sequence[Process] = (),
) -> None:
    """Poll `check` until it is true; fail early when a watched process dies."""
    deadline = time.monotonic() + timeout
    while True:
        for process in watch:
            if not process.alive():
                raise ServiceError(
                    f"{process.name} exited ({process.popen.returncode}) while waiting for {what}:"
                    f"\n{process.log_tail()}"
                )
        if check():
            return
        if time.monotonic() > deadline:
            tails = "\n".join(f"--- {p.name}:\n{p.log_tail(15)}" for p in watch)
            raise TimeoutError(f"{what}: not ready after {timeout:.0f}s\n{tails}")
        time.sleep(interval)


def http_ok(url: str) -> bool:
    """Whether `url` answers 200."""
    try:
        with urllib.request.urlopen(url, timeout=3) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def log_contains(path: Path, text: str) -> bool:
    try:
        return text in path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False


# --- PostgreSQL ------------------------------------------------------------------------------


@dataclass
class Postgres:
    """A throwaway PostgreSQL cluster on 127.0.0.1 with one database for Airflow."""

    data_dir: Path
    port: int
    log_path: Path
    run_as: str | None
    remove_on_stop: bool = False
    database: str = "airflow"
    user: str = "airflow"
    password: str = "airflow"
    host: str = "127.0.0.1"

    def url(self, driver: str = "postgresql+psycopg2") -> str:
        """SQLAlchemy URL of the Airflow database."""
        return f"{driver}://{self.user}:{self.password}@{self.host}:{self.port}/{self.database}"

    def connect(self) -> Any:
        """A psycopg2 connection to the Airflow database (autocommit)."""
        import psycopg2

        con = psycopg2.connect(
            host=self.host,
            port=self.port,
            user=self.user,
            password=self.password,
            dbname=self.database,
        )
        con.autocommit = True
        return con

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Rows of one query on the Airflow database."""
        con = self.connect()
        try:
            with con.cursor() as cur:
                cur.execute(sql, tuple(params))
                return list(cur.fetchall())
        finally:
            con.close()


def _pg_run(pg_user: str | None, argv: Sequence[str], cwd: Path) -> None:
    done = subprocess.run(
        list(argv), user=pg_user, cwd=cwd, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise ServiceError(f"{' '.join(argv)} failed ({done.returncode}):\n{done.stderr[-2000:]}")


def start_postgres(root: Path | None = None, port: int | None = None) -> Postgres:
    """initdb a cluster and start it on 127.0.0.1 with an `airflow` database.

    PostgreSQL refuses to run as root, so as root the cluster belongs to the `postgres` user and
    lives in its own folder under the temp dir (pytest's tmp folders are closed to other users);
    `stop_postgres` removes that folder. Durability is off: the data is thrown away after the run.
    """
    run_as = "postgres" if os.geteuid() == 0 else None
    if run_as or root is None:
        root = Path(tempfile.mkdtemp(prefix="newsfacts-pg-"))
        owned = True
    else:
        root.mkdir(parents=True, exist_ok=True)
        owned = False
    if run_as:
        shutil.chown(root, run_as, run_as)
    root.chmod(0o700)
    pg = Postgres(root / "data", port or free_port(), root / "postgres.log", run_as, owned)
    try:
        _pg_run(
            run_as,
            [find_binary("initdb"), "-D", str(pg.data_dir), "-U", "postgres", "--auth=trust",
             "-E", "UTF8", "--no-sync"],
            root,
        )  # fmt: skip
        options = (
            f"-p {pg.port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off"
            " -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        pg_ctl = [find_binary("pg_ctl"), "-D", str(pg.data_dir), "-l", str(pg.log_path)]
        _pg_run(run_as, [*pg_ctl, "-o", options, "-w", "-t", "60", "start"], root)
        import psycopg2

        con = psycopg2.connect(host=pg.host, port=pg.port, user="postgres", dbname="postgres")
        con.autocommit = True
        with con.cursor() as cur:
            cur.execute(f"CREATE ROLE {pg.user} LOGIN PASSWORD %s", (pg.password,))
            cur.execute(f"CREATE DATABASE {pg.database} OWNER {pg.user}")
        con.close()
    except BaseException:
        stop_postgres(pg)
        raise
    log.info("postgres on %s:%d (data %s)", pg.host, pg.port, pg.data_dir)
    return pg


def stop_postgres(pg: Postgres) -> None:
    """`pg_ctl stop -m fast`; if that fails, SIGTERM the postmaster by the pid it recorded."""
    pid_file = pg.data_dir / "postmaster.pid"
    if pid_file.exists():
        done = subprocess.run(
            [find_binary("pg_ctl"), "-D", str(pg.data_dir), "-m", "fast", "-w", "stop"],
            user=pg.run_as,
            cwd=pg.data_dir.parent,
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0 and pid_file.exists():
            postmaster = int(pid_file.read_text().split()[0])
            log.warning(
                "pg_ctl stop failed (%s); SIGTERM to postmaster %d", done.stderr, postmaster
            )
            with contextlib.suppress(ProcessLookupError):
                os.kill(postmaster, signal.SIGTERM)
    if pg.remove_on_stop:
        shutil.rmtree(pg.data_dir.parent, ignore_errors=True)


# --- Redis -----------------------------------------------------------------------------------


@dataclass
class Redis:
    process: Process
    port: int
    host: str = "127.0.0.1"

    @property
    def url(self) -> str:
        return f"redis://{self.host}:{self.port}/0"


def redis_ping(host: str, port: int) -> bool:
    """Whether a Redis server answers PING (plain RESP over a socket)."""
    try:
        with socket.create_connection((host, port), timeout=2) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(64).startswith(b"+PONG")
    except OSError:
        return False


def start_redis(root: Path, port: int | None = None) -> Redis:
    """A Redis without persistence on 127.0.0.1, for the Celery broker."""
    root.mkdir(parents=True, exist_ok=True)
    port = port or free_port()
    argv = [
        find_binary("redis-server"), "--bind", "127.0.0.1", "--port", str(port),
        "--save", "", "--appendonly", "no", "--dir", str(root),
    ]  # fmt: skip
    redis = Redis(start_process("redis", argv, root / "redis.log"), port)
    try:
        wait_until(lambda: redis_ping(redis.host, port), "redis", timeout=20, watch=[redis.process])
    except BaseException:
        stop_process(redis.process)
        raise
    return redis


# --- Airflow with the CeleryExecutor ----------------------------------------------------------


def worker_hostname() -> str:
    """`[core] hostname_callable` for workers: NEWSFACTS_WORKER_NAME, else the machine's FQDN.

    Two workers on one machine would otherwise record the same host on their task instances.
    """
    return os.environ.get("NEWSFACTS_WORKER_NAME") or socket.getfqdn()


def airflow_executable() -> str:
    """`airflow` of the running interpreter's environment."""
    return str(Path(sys.executable).with_name("airflow"))


def celery_env(
    airflow_home: Path,
    pg: Postgres,
    redis: Redis,
    api_port: int,
    *,
    extra: dict[str, str] | None = None,
) -> dict[str, str]:
    """Environment for every Airflow component: CeleryExecutor, PostgreSQL, Redis, one secret."""
    env = {
        **os.environ,
        "AIRFLOW_HOME": str(airflow_home),
        "AIRFLOW__CORE__EXECUTOR": "CeleryExecutor",
        "AIRFLOW__CORE__DAGS_FOLDER": str(PROJECT_ROOT / "dags"),
        "AIRFLOW__CORE__PLUGINS_FOLDER": str(PROJECT_ROOT / "plugins"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "True",
        "AIRFLOW__CORE__PARALLELISM": "16",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": pg.url(),
        "AIRFLOW__CELERY__BROKER_URL": redis.url,
        "AIRFLOW__CELERY__RESULT_BACKEND": "db+" + pg.url("postgresql"),
        "AIRFLOW__API__HOST": "127.0.0.1",
        "AIRFLOW__API__PORT": str(api_port),
        "AIRFLOW__API__WORKERS": "1",
        "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"http://127.0.0.1:{api_port}/execution/",
        # One secret for all components: workers authenticate to the Execution API with it.
        "AIRFLOW__API_AUTH__JWT_SECRET": secrets.token_urlsafe(32),
        "AIRFLOW__SCHEDULER__ENABLE_HEALTH_CHECK": "True",
        "AIRFLOW__SCHEDULER__SCHEDULER_HEALTH_CHECK_SERVER_PORT": str(free_port()),
        "AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL": "5",
        "AIRFLOW__LOGGING__LOGGING_LEVEL": "INFO",
        "GX_ANALYTICS_ENABLED": "false",
        "PATH": f"{Path(airflow_executable()).parent}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    env.update(extra or {})
    return env


@dataclass
class AirflowCluster:
    """PostgreSQL, Redis and Airflow's components started for one test or bench."""

    root: Path
    postgres: Postgres | None = None
    redis: Redis | None = None
    env: dict[str, str] = field(default_factory=dict)
    api_port: int = 0
    processes: list[Process] = field(default_factory=list)
    worker_names: list[str] = field(default_factory=list)

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.api_port}"

    @property
    def pg(self) -> Postgres:
        if self.postgres is None:
            raise ServiceError("postgres is not running")
        return self.postgres

    def airflow(self, *args: str, timeout: float = 180) -> str:
        """Run an `airflow` CLI command against this cluster; its stdout, or ServiceError."""
        done = subprocess.run(
            [airflow_executable(), *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if done.returncode != 0:
            raise ServiceError(f"airflow {' '.join(args)} failed:\n{done.stderr[-3000:]}")
        return done.stdout

    def start_component(self, name: str, *args: str, env: dict[str, str] | None = None) -> Process:
        argv = [airflow_executable(), *args]
        process = start_process(
            name, argv, self.root / "logs" / f"{name}.log", env={**self.env, **(env or {})}
        )
        self.processes.append(process)
        return process

    def wait_for_dag(self, dag_id: str, timeout: float = 120) -> None:
        """Wait until the dag-processor has serialized `dag_id` into the metadata database."""
        wait_until(
            lambda: bool(self.pg.query("SELECT 1 FROM serialized_dag WHERE dag_id = %s", [dag_id])),
            f"DAG {dag_id} parsed",
            timeout=timeout,
            interval=1,
            watch=self.processes,
        )

    def dag_runs(self, dag_id: str) -> list[tuple[str, str, str, datetime | None, datetime | None]]:
        """(run_id, run_type, state, start_date, end_date) of a DAG's runs, oldest first."""
        rows = self.pg.query(
            "SELECT run_id, run_type, state, start_date, end_date FROM dag_run"
            " WHERE dag_id = %s ORDER BY id",
            [dag_id],
        )
        return [(r[0], r[1], r[2], r[3], r[4]) for r in rows]

    def wait_for_run(
        self, dag_id: str, *, run_id: str | None = None, timeout: float = 300
    ) -> tuple[str, str]:
        """Wait for a run (`run_id`, else the first) of `dag_id` to finish: (run_id, state)."""
        found: list[tuple[str, str]] = []

        def finished() -> bool:
            runs = [r for r in self.dag_runs(dag_id) if run_id is None or r[0] == run_id]
            if runs and runs[0][2] in FINISHED_STATES:
                found.append((runs[0][0], runs[0][2]))
                return True
            return False

        wait_until(finished, f"a finished run of {dag_id}", timeout=timeout, interval=1,
                   watch=self.processes)  # fmt: skip
        return found[0]


def start_cluster(
    root: Path,
    *,
    workers: int = 2,
    concurrency: int = 2,
    extra_env: dict[str, str] | None = None,
    pools: dict[str, int] | None = None,
) -> AirflowCluster:
    """Start PostgreSQL, Redis, migrate, create pools, then api-server, scheduler, dag-processor
    and `workers` Celery workers (celery hostnames worker1@..., worker2@...).

    Everything started so far is stopped again if a later step fails.
    """
    root.mkdir(parents=True, exist_ok=True)
    cluster = AirflowCluster(root)
    try:
        started = time.monotonic()
        cluster.postgres = start_postgres(root / "pg")
        cluster.redis = start_redis(root / "redis")
        cluster.api_port = free_port()
        cluster.env = celery_env(
            root / "airflow", cluster.postgres, cluster.redis, cluster.api_port, extra=extra_env
        )
        cluster.airflow("db", "migrate", timeout=300)
        for pool, slots in (pools if pools is not None else {WRITER_POOL: 1}).items():
            cluster.airflow("pools", "set", pool, str(slots), "single DuckDB writer")
        api = cluster.start_component("api-server", "api-server")
        scheduler = cluster.start_component("scheduler", "scheduler")
        cluster.start_component("dag-processor", "dag-processor")
        for number in range(1, workers + 1):
            name = f"worker{number}"
            cluster.worker_names.append(name)
            cluster.start_component(
                name,
                "celery", "worker",
                "--celery-hostname", f"{name}@%h",
                "--concurrency", str(concurrency),
                "--pid", str(root / f"{name}.pid"),
                env={
                    "NEWSFACTS_WORKER_NAME": name,
                    "AIRFLOW__CORE__HOSTNAME_CALLABLE": "tools.cluster.worker_hostname",
                    # The hostname callable lives in this development module, outside the package.
                    "PYTHONPATH": os.pathsep.join(
                        filter(None, [str(PROJECT_ROOT), os.environ.get("PYTHONPATH")])
                    ),
                    "AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT": str(free_port()),
                },
            )  # fmt: skip
        health_port = cluster.env["AIRFLOW__SCHEDULER__SCHEDULER_HEALTH_CHECK_SERVER_PORT"]
        checks: list[tuple[str, Callable[[], bool]]] = [
            ("api-server", lambda: http_ok(f"{cluster.api_url}/api/v2/monitor/health")),
            ("scheduler", lambda: http_ok(f"http://127.0.0.1:{health_port}/health")),
        ]
        for process in cluster.processes:
            if process.name.startswith("worker"):
                # Celery prints "<name>@<host> ready." once it consumes from the broker.
                checks.append(
                    (process.name, lambda p=process: log_contains(p.log_path, " ready."))  # type: ignore[misc]
                )
        for what, check in checks:
            wait_until(check, what, timeout=180, watch=cluster.processes)
        log.info(
            "cluster up in %.1fs: api %s, scheduler pid %d, api pid %d",
            time.monotonic() - started,
            cluster.api_url,
            scheduler.pid,
            api.pid,
        )
    except BaseException:
        stop_cluster(cluster)
        raise
    return cluster


def stop_cluster(cluster: AirflowCluster) -> None:
    """Stop workers first (they finish their tasks), then the rest, Redis, and PostgreSQL."""
    errors: list[BaseException] = []
    order = sorted(cluster.processes, key=lambda p: not p.name.startswith("worker"))
    for process in order:
        try:
            stop_process(process, timeout=30)
        except (OSError, subprocess.SubprocessError) as exc:
            errors.append(exc)
    cluster.processes.clear()
    if cluster.redis is not None:
        stop_process(cluster.redis.process)
        cluster.redis = None
    if cluster.postgres is not None:
        stop_postgres(cluster.postgres)
        cluster.postgres = None
    if errors:
        raise ServiceError(f"some processes did not stop cleanly: {errors}")


@contextlib.contextmanager
def running_cluster(root: Path, **options: Any) -> Iterator[AirflowCluster]:
    """`start_cluster` as a context manager: everything is stopped on exit, error or not."""
    cluster = start_cluster(root, **options)
    try:
        yield cluster
    finally:
        stop_cluster(cluster)
