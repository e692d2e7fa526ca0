"""A batch knows how far it has got, and a step run again undoes what later steps recorded."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from newsfacts.flow.batch import Batch, Manifest
from newsfacts.flow.records import PageProvenance, ParsedArticle, to_utc
from newsfacts.models import Article


def test_state_follows_the_steps_and_a_rerun_resets_it(tmp_path: Path) -> None:
    batch = Batch("b1", tmp_path / "b1")
    assert batch.state is None and not batch.reached("fetched")
    batch.write_manifest(Manifest(batch_id="b1", run_key="2024-01-08T00-00-00Z", source="demo"))
    assert batch.state == "fetched"
    assert batch.read_manifest().run_key == "2024-01-08T00-00-00Z"
    for stage in ("parsed", "extracted", "validated", "loaded"):
        batch.begin(stage)
        batch.finish(stage)
    assert batch.state == "loaded" and batch.reached("validated")
    batch.begin("parsed")  # reprocessing: earlier validation no longer holds
    assert batch.state == "fetched" and not batch.reached("validated")
    with pytest.raises(ValueError, match="fetched"):
        batch.begin("fetched")  # nothing comes before fetching to fall back to
    assert batch.state == "fetched"


def test_a_folder_from_before_state_was_recorded_reads_its_files(tmp_path: Path) -> None:
    batch = Batch("b1", tmp_path / "b1")
    batch.write_manifest(Manifest(batch_id="b1", run_key="k", source="demo"))
    batch.articles.write_text("")
    assert batch.state == "parsed"
    batch.staged("runs").write_bytes(b"")
    assert batch.state == "validated"


def test_counts_accumulate(tmp_path: Path) -> None:
    batch = Batch("b1", tmp_path / "b1")
    batch.add_counts({"parsed": 2})
    batch.add_counts({"parse:empty": 1})
    assert batch.read_counts() == {"parse:empty": 1, "parsed": 2}


def test_parsed_article_keeps_published_as_a_datetime_and_its_provenance() -> None:
    page = PageProvenance(
        "http://x.test/a", "demo", "a.warc.gz", 12, "2024-01-08T11:00:00+00:00", "b1"
    )
    article = Article(
        url="http://x.test/a",
        canonical_url="http://x.test/a",
        title="t",
        body="US forces: 2500 troops.",
        lang="en",
        published="2024-01-08T13:00:00+03:00",
        methods={"title": "meta"},
    )
    parsed = ParsedArticle.of(article, "a1", "http://x.test/a", "en", page)
    assert parsed.published_at_utc == datetime(2024, 1, 8, 10, 0)
    assert parsed.published_on is not None and parsed.published_on.isoformat() == "2024-01-08"
    row = parsed.row()
    assert row["published_at_utc"] == "2024-01-08T10:00:00"
    assert row["body_chars"] == 23 and row["warc_offset"] == 12 and row["batch_id"] == "b1"
    assert ParsedArticle.from_row(row) == parsed


def test_to_utc_keeps_a_time_without_offset_and_drops_what_is_not_a_date() -> None:
    assert to_utc("2024-01-08") == datetime(2024, 1, 8)
    assert to_utc("2024-01-08T10:00:00Z") == datetime(2024, 1, 8, 10)
    assert to_utc("Monday") is None and to_utc(None) is None
