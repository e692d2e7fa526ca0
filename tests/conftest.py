"""Shared fixtures: real data from ../shared (skipped when absent) and project paths."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from newsfacts.settings import PROJECT_ROOT, Settings

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")


def shared_path() -> Path:
    return Path(os.environ.get("NEWSFACTS_SHARED") or PROJECT_ROOT.parent / "shared")


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The team's shared data folder; tests that need it skip when it is absent."""
    path = shared_path()
    if not (path / "seed").is_dir():
        pytest.skip(f"shared data not found at {path} (set NEWSFACTS_SHARED to its location)")
    return path


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings whose warehouse, archive and staging live in a fresh temporary folder."""
    return Settings.from_env(home=tmp_path / "home")
