"""The environment Airflow runs in for this project: project-local home, SQLite, our DAGs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from newsfacts.settings import PROJECT_ROOT, Settings


def airflow_env(settings: Settings, *, port: int | None = None) -> dict[str, str]:
    """Variables for an Airflow that uses SQLite under <home>/airflow and the project's DAGs.

    Where data lives follows `settings`, and so do the port (NEWSFACTS_AIRFLOW_PORT) and
    whether new DAGs start paused (NEWSFACTS_START_PAUSED); other values already set in the
    environment win, so a deployment can override them (another executor or database, say).
    """
    home = settings.home / "airflow"
    port = port or settings.airflow_port
    defaults = {
        "AIRFLOW__CORE__DAGS_FOLDER": str(PROJECT_ROOT / "dags"),
        "AIRFLOW__CORE__PLUGINS_FOLDER": str(PROJECT_ROOT / "plugins"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        # Unpaused, the ingest DAG fetches the real sources as soon as Airflow is up.
        "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": str(settings.start_paused),
        "AIRFLOW__CORE__PARALLELISM": "4",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{home}/airflow.db",
        "AIRFLOW__API__HOST": "127.0.0.1",
        "AIRFLOW__API__PORT": str(port),
        "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"http://127.0.0.1:{port}/execution/",
        "AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL": "30",
        "AIRFLOW__LOGGING__LOGGING_LEVEL": "INFO",
        "GX_ANALYTICS_ENABLED": "false",
    }
    env = {
        **defaults,
        **os.environ,
        "AIRFLOW_HOME": str(home),
        "NEWSFACTS_HOME": str(settings.home),
        "NEWSFACTS_WAREHOUSE": str(settings.warehouse),
        # standalone starts its components as `airflow ...` found on PATH
        "PATH": f"{Path(airflow_bin()).parent}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    home.mkdir(parents=True, exist_ok=True)
    return env


def airflow_bin() -> str:
    """The `airflow` executable of the running interpreter's environment."""
    return str(Path(sys.executable).with_name("airflow"))


def run_airflow(
    settings: Settings,
    *args: str,
    extra_env: dict[str, str] | None = None,
    capture: bool = False,
    timeout: float | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run an `airflow` command in the project's Airflow environment."""
    env = {**airflow_env(settings), **(extra_env or {})}
    return subprocess.run(
        [airflow_bin(), *args],
        env=env,
        text=True,
        capture_output=capture,
        timeout=timeout,
        check=False,
    )
