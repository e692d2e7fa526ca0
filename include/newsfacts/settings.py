"""Run-time settings from one typed place: the environment, read when asked, never at import."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SQL_DIR = PROJECT_ROOT / "include" / "sql"
DEFAULT_SOURCES = PROJECT_ROOT / "include" / "sources.yaml"


@dataclass(frozen=True, slots=True)
class Settings:
    """Where the warehouse, archive and staging live, and how politely to fetch."""

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
            max_body_bytes=int(env.get("NEWSFACTS_MAX_BODY_BYTES", str(10 * 1024 * 1024))),
            quarantine_max_share=float(env.get("NEWSFACTS_QUARANTINE_MAX_SHARE", "0.5")),
        )

    @property
    def gx_dir(self) -> Path:
        """The Great Expectations project: suites, validation results and Data Docs."""
        return self.home / "gx"

    def ensure_dirs(self) -> None:
        """Create the folders this run writes to."""
        for path in (self.home, self.archive_dir, self.staging_dir, self.warehouse.parent):
            path.mkdir(parents=True, exist_ok=True)
