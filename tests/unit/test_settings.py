"""Settings are read from the environment in one place and passed down from there."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from newsfacts.crawl.policy import FetchPolicy
from newsfacts.settings import PROJECT_ROOT, Settings

PACKAGE = PROJECT_ROOT / "include" / "newsfacts"
_READS = re.compile(r"""(?:getenv|environ\.get|env\.get|environ\[)\(?\s*["']NEWSFACTS_""")


def test_only_settings_reads_newsfacts_variables() -> None:
    readers = sorted(
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if _READS.search(path.read_text(encoding="utf-8"))
    )
    assert readers == ["settings.py"]


def test_fetch_limits_and_sources_come_from_the_environment_once(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("NEWSFACTS_SOURCES", str(tmp_path / "s.yaml"))
    monkeypatch.setenv("NEWSFACTS_BASE_URL", "http://127.0.0.1:1")
    monkeypatch.setenv("NEWSFACTS_BACKOFF_BASE", "0.05")
    monkeypatch.setenv("NEWSFACTS_MAX_RESPONSE_SECONDS", "7")
    monkeypatch.setenv("NEWSFACTS_FETCH_PARALLEL_HOSTS", "3")
    settings = Settings.from_env(home=tmp_path)
    monkeypatch.setenv("NEWSFACTS_BACKOFF_BASE", "9")  # too late: settings are already read
    policy = FetchPolicy.from_settings(settings)
    assert settings.sources_path == tmp_path / "s.yaml"
    assert settings.base_url == "http://127.0.0.1:1"
    assert (policy.backoff_base_s, policy.max_response_s, policy.max_parallel_hosts) == (0.05, 7, 3)
    assert policy.user_agent == settings.user_agent


def test_airflow_and_demo_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    defaults = Settings.from_env(home=tmp_path)
    assert (defaults.ingest_schedule, defaults.start_paused) == ("@hourly", False)
    assert (defaults.airflow_port, defaults.demo_port) == (8080, 8765)
    assert defaults.hosts_dir == tmp_path.resolve() / "hosts"
    monkeypatch.setenv("NEWSFACTS_INGEST_SCHEDULE", "None")
    monkeypatch.setenv("NEWSFACTS_START_PAUSED", "yes")
    monkeypatch.setenv("NEWSFACTS_AIRFLOW_PORT", "8090")
    settings = Settings.from_env(home=tmp_path)
    assert (settings.ingest_schedule, settings.start_paused, settings.airflow_port) == (
        None,
        True,
        8090,
    )
    from newsfacts.flow.airflow_env import airflow_env

    env = airflow_env(settings)
    assert env["AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION"] == "True"
    assert env["AIRFLOW__CORE__EXECUTION_API_SERVER_URL"] == "http://127.0.0.1:8090/execution/"
    monkeypatch.setenv("NEWSFACTS_START_PAUSED", "maybe")
    with pytest.raises(ValueError, match="NEWSFACTS_START_PAUSED"):
        Settings.from_env(home=tmp_path)
