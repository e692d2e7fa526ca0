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
