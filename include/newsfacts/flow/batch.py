"""A batch: one source's pages for one run key, its folder in staging, and how far it has got.

Steps hand each other a batch id; the batch owns every file a step leaves for the next one
(<staging>/<batch_id>/) and records the last step that finished, so a step run again (a retry,
a reprocessing) first undoes what later steps had recorded.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from newsfacts import warehouse
from newsfacts.settings import Settings
from newsfacts.warehouse import staging

# The steps a batch goes through, in order; "loaded" means committed to the warehouse.
STAGES = ("fetched", "parsed", "extracted", "validated", "loaded")
MANIFEST_NAME = "fetched.json"


@dataclass(frozen=True, slots=True)
class Manifest:
    """What the fetch step leaves: where the raw pages are archived, and what it counted."""

    batch_id: str
    run_key: str
    source: str
    language: str | None = None
    warc_files: list[str] = field(default_factory=list)
    discovery_warc_files: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    frontier: dict[str, int] = field(default_factory=dict)

    @classmethod
    def from_json(cls, text: str) -> Manifest:
        return cls(**json.loads(text))


@dataclass(frozen=True, slots=True)
class Batch:
    """One batch's folder, the files in it, and its state."""

    batch_id: str
    folder: Path

    @classmethod
    def at(cls, settings: Settings, batch_id: str) -> Batch:
        return cls(batch_id, settings.staging_dir / batch_id)

    # --- files --------------------------------------------------------------------------------

    @property
    def manifest(self) -> Path:
        """fetched.json: written last and atomically by the fetch step."""
        return self.folder / MANIFEST_NAME

    @property
    def articles(self) -> Path:
        return self.folder / "articles.jsonl"

    @property
    def parse_failures(self) -> Path:
        return self.folder / "parse_failures.jsonl"

    @property
    def extract_failures(self) -> Path:
        return self.folder / "extract_failures.jsonl"

    @property
    def signatures(self) -> Path:
        """Each valid article's MinHash signature, for story grouping at load time."""
        return self.folder / "signatures.jsonl"

    def facts(self, table: str) -> Path:
        """One fact table's rows as extracted, before validation."""
        return self.folder / f"{table}.jsonl"

    def staged(self, table: str) -> Path:
        """One warehouse table's validated rows, typed as the table, for the loader."""
        return self.folder / f"{table}.parquet"

    @property
    def _counts(self) -> Path:
        return self.folder / "counts.json"

    @property
    def _state(self) -> Path:
        return self.folder / "state.json"

    # --- contents ------------------------------------------------------------------------------

    def read_manifest(self) -> Manifest:
        return Manifest.from_json(self.manifest.read_text(encoding="utf-8"))

    def write_manifest(self, manifest: Manifest) -> None:
        """Write the manifest last and atomically: its presence means the fetch finished."""
        _write_atomically(self.manifest, json.dumps(asdict(manifest), indent=1))

    def read_counts(self) -> dict[str, int]:
        """Counts the processing steps recorded (parsed, parse failures by reason)."""
        return dict(json.loads(self._counts.read_text())) if self._counts.exists() else {}

    def add_counts(self, extra: dict[str, int]) -> None:
        _write_atomically(self._counts, json.dumps({**self.read_counts(), **extra}, sort_keys=True))

    # --- state ---------------------------------------------------------------------------------

    @property
    def state(self) -> str | None:
        """The last step that finished (one of STAGES), None when the batch was never fetched."""
        if self._state.exists():
            return str(json.loads(self._state.read_text(encoding="utf-8"))["stage"])
        # A folder from before batches recorded their state: read it from the files left.
        for stage, path in (
            ("validated", self.staged("runs")),
            ("extracted", self.extract_failures),
            ("parsed", self.articles),
            ("fetched", self.manifest),
        ):
            if path.exists():
                return stage
        return None

    def reached(self, stage: str) -> bool:
        """Whether `stage` (or a later one) has finished."""
        return self.state is not None and STAGES.index(self.state) >= STAGES.index(stage)

    def begin(self, stage: str) -> None:
        """`stage` runs (again): what it and later steps recorded no longer holds."""
        position = STAGES.index(stage)
        if position == 0:
            raise ValueError("a batch begins by being fetched: its manifest says so")
        self._set(STAGES[position - 1])

    def finish(self, stage: str) -> None:
        self._set(stage)

    def _set(self, stage: str) -> None:
        _write_atomically(self._state, json.dumps({"stage": stage}))


def _write_atomically(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def pending_batches(settings: Settings) -> list[str]:
    """Batches fetched into the archive but not yet loaded into the warehouse, oldest first.

    The warehouse decides what is loaded (a batch folder may outlive a warehouse replaced).
    """
    fetched = sorted(p.parent.name for p in settings.staging_dir.glob(f"*/{MANIFEST_NAME}"))
    if not fetched or not settings.warehouse.exists():
        return fetched
    with warehouse.connect(settings.warehouse, read_only=True) as con:
        if not warehouse.has_table(con, "runs"):
            return fetched
        return [b for b in fetched if not warehouse.batch_loaded(con, b)]


def archived_batches(settings: Settings, date_from: str, date_to: str) -> list[str]:
    """Batches in the archive whose run key's day is within [date_from, date_to], oldest first."""
    days = (date.fromisoformat(date_from), date.fromisoformat(date_to))
    found = []
    for path in sorted(settings.staging_dir.glob(f"*/{MANIFEST_NAME}")):
        run_key = Batch(path.parent.name, path.parent).read_manifest().run_key
        if days[0] <= date.fromisoformat(run_key[:10]) <= days[1]:
            found.append(path.parent.name)
    return found


def read_optional_jsonl(path: Path) -> list[dict[str, Any]]:
    """Rows of a JSON-lines file a step writes only sometimes; none when it is absent."""
    return staging.read_jsonl(path) if path.exists() else []
