"""Run-time settings from one typed place: the environment, read when asked, never at import.

`Settings.from_env()` is the only reader of NEWSFACTS_* variables: each entry point (a DAG task,
a command) calls it once and passes the settings down.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SQL_DIR = PROJECT_ROOT / "include" / "sql"
DEFAULT_SOURCES = PROJECT_ROOT / "include" / "sources.yaml"
# Pages (and HTML given to the parser) larger than this are refused.
DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024
# What NEWSFACTS_INGEST_SCHEDULE may say for "no schedule: runs are triggered by hand".
_NO_SCHEDULE = frozenset({"", "none", "null"})
_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"", "0", "false", "no", "off"})


@dataclass(frozen=True, slots=True)
class Settings:
    """Where the sources, warehouse, archive and staging are, and how politely to fetch."""

    home: Path
    warehouse: Path
    archive_dir: Path
    staging_dir: Path
    user_agent: str
    connect_timeout_s: float
    read_timeout_s: float
    max_retries: int
    max_body_bytes: int
    quarantine_max_share: float
    sources_path: Path = DEFAULT_SOURCES
    # Replaces {{base_url}} in the sources file (the demo site, a test server).
    base_url: str | None = None
    # The fetcher's finer limits (see crawl.policy.FetchPolicy).
    backoff_base_s: float = 0.5
    backoff_max_s: float = 30.0
    max_retry_after_s: float = 120.0
    max_response_s: float = 120.0
    max_redirects: int = 5
    max_parallel_hosts: int = 8
    # Data-quality checks: hours within which each source must bring a new article (a source
    # may set its own, `expected_article_hours`), and failed runs in a row that fail a source.
    quality_max_age_hours: float = 48.0
    quality_max_failed_runs: int = 3
    # newsfacts_ingest's schedule (cron or preset); None: only runs triggered by hand.
    ingest_schedule: str | None = "@hourly"
    # New DAGs start paused (`make run`): nothing is fetched until someone unpauses them.
    start_paused: bool = False
    # The port `make run` serves Airflow's UI and API on (127.0.0.1).
    airflow_port: int = 8080
    # The port `make demo` serves the demo site on: the URLs it stores work again whenever
    # `newsfacts demo-site` serves it there (0 takes any free port).
    demo_port: int = 8765

    @classmethod
    def from_env(
        cls, home: Path | str | None = None, warehouse: Path | str | None = None
    ) -> Settings:
        """Build settings from NEWSFACTS_* variables; arguments override the environment."""
        env = os.environ
        root = Path(home or env.get("NEWSFACTS_HOME") or PROJECT_ROOT / "var").resolve()
        contact = env.get("NEWSFACTS_CONTACT_URL", "https://github.com/newsfacts/newsfacts")
        return cls(
            home=root,
            warehouse=Path(
                warehouse or env.get("NEWSFACTS_WAREHOUSE") or root / "newsfacts.duckdb"
            ),
            archive_dir=root / "archive",
            staging_dir=root / "staging",
            user_agent=env.get("NEWSFACTS_USER_AGENT", f"newsfacts/0.1 (+{contact})"),
            connect_timeout_s=float(env.get("NEWSFACTS_CONNECT_TIMEOUT", "5")),
            read_timeout_s=float(env.get("NEWSFACTS_READ_TIMEOUT", "20")),
            max_retries=int(env.get("NEWSFACTS_MAX_RETRIES", "3")),
            max_body_bytes=int(env.get("NEWSFACTS_MAX_BODY_BYTES", str(DEFAULT_MAX_BODY_BYTES))),
            quarantine_max_share=float(env.get("NEWSFACTS_QUARANTINE_MAX_SHARE", "0.5")),
            sources_path=Path(env.get("NEWSFACTS_SOURCES") or DEFAULT_SOURCES),
            base_url=env.get("NEWSFACTS_BASE_URL") or None,
            backoff_base_s=float(env.get("NEWSFACTS_BACKOFF_BASE", "0.5")),
            backoff_max_s=float(env.get("NEWSFACTS_BACKOFF_MAX", "30")),
            max_retry_after_s=float(env.get("NEWSFACTS_MAX_RETRY_AFTER", "120")),
            max_response_s=float(env.get("NEWSFACTS_MAX_RESPONSE_SECONDS", "120")),
            max_redirects=int(env.get("NEWSFACTS_MAX_REDIRECTS", "5")),
            max_parallel_hosts=int(env.get("NEWSFACTS_FETCH_PARALLEL_HOSTS", "8")),
            quality_max_age_hours=float(env.get("NEWSFACTS_QUALITY_MAX_AGE_HOURS", "48")),
            quality_max_failed_runs=int(env.get("NEWSFACTS_QUALITY_MAX_FAILED_RUNS", "3")),
            ingest_schedule=_schedule(env.get("NEWSFACTS_INGEST_SCHEDULE", "@hourly")),
            start_paused=_flag("NEWSFACTS_START_PAUSED", env.get("NEWSFACTS_START_PAUSED", "")),
            airflow_port=int(env.get("NEWSFACTS_AIRFLOW_PORT", "8080")),
            demo_port=int(env.get("NEWSFACTS_DEMO_PORT", "8765")),
        )

    @property
    def gx_dir(self) -> Path:
        """The Great Expectations project: suites, validation results and Data Docs."""
        return self.home / "gx"

    @property
    def hosts_dir(self) -> Path:
        """Each host's shared politeness record and lock (crawl.pace)."""
        return self.home / "hosts"

    def ensure_dirs(self) -> None:
        """Create the folders this run writes to."""
        for path in (self.home, self.archive_dir, self.staging_dir, self.warehouse.parent):
            path.mkdir(parents=True, exist_ok=True)


def _schedule(value: str) -> str | None:
    return None if value.strip().lower() in _NO_SCHEDULE else value.strip()


def _flag(name: str, value: str) -> bool:
    word = value.strip().lower()
    if word not in _TRUE | _FALSE:
        raise ValueError(f"{name}={value!r}: say 1 or 0 (true/false, yes/no, on/off)")
    return word in _TRUE
