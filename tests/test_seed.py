"""The article the project started from: `newsfacts extract` finds exactly its expected facts."""

from __future__ import annotations

import io
import json
from contextlib import redirect_stdout
from pathlib import Path

from newsfacts.cli import main

SEED_TEXT = "asharq-2024-01-08-us-troops-iraq.ar.txt"


def run_extract(path: Path) -> dict:
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["extract", "--lang", "ar", "--published", "2024-01-08", str(path)]) == 0
    return json.loads(out.getvalue())


def test_seed_troop_counts_and_dates(shared_dir: Path) -> None:
    expected = json.loads((shared_dir / "seed" / "expected.json").read_text(encoding="utf-8"))
    text = (shared_dir / "seed" / SEED_TEXT).read_text(encoding="utf-8")
    found = run_extract(shared_dir / "seed" / SEED_TEXT)

    keys = ("actor", "location", "count", "count_high", "qualifier", "kind")
    assert [tuple(t[k] for k in keys) for t in found["troop_counts"]] == [
        tuple(t[k] for k in keys) for t in expected["troop_counts"]
    ]
    for fact, gold in zip(found["troop_counts"], expected["troop_counts"], strict=True):
        assert text[fact["char_start"] : fact["char_end"]] == fact["sentence"]
        assert gold["evidence"] in fact["sentence"]

    assert sorted((d["value"], d["mod"], d["text"]) for d in found["dates"]) == sorted(
        (d["value"], d["mod"], d["text"]) for d in expected["dates"]
    )
    for date in found["dates"]:
        assert text[date["char_start"] : date["char_end"]] == date["text"]
