from datetime import datetime
from pathlib import Path

import pytest

from newsfacts import facts, warehouse
from newsfacts.quality.checks import QualityBreach, record_checks, run_checks
from tests.unit.test_warehouse import BATCH, article, stage, troop

AS_OF = datetime(2024, 1, 8, 12, 0)


def date_fact(fact_id: str, article_id: str) -> dict:
    return {
        "fact_id": fact_id,
        "article_id": article_id,
        "value": "2024-01-08",
        "mod": None,
        "text": "Monday",
        "calendar": "gregorian",
        "char_start": 0,
        "char_end": 6,
        "extractor": "t",
        "extractor_version": "0",
        "batch_id": BATCH,
    }


@pytest.fixture
def loaded(tmp_path: Path) -> Path:
    path = tmp_path / "w.duckdb"
    articles = [
        {**article("a1"), "fetched_at_utc": "2024-01-08T10:00:00"},
        {**article("a2", body="Another body."), "fetched_at_utc": "2024-01-08T09:00:00"},
    ]
    with warehouse.connect(path) as con:
        warehouse.migrate(con)
        warehouse.load_batch(
            con,
            stage(
                tmp_path / "b",
                articles=articles,
                troop_counts=[troop("f1")],
                date_mentions=[date_fact("d1", "a1"), date_fact("d2", "a2")],
            ),
            BATCH,
        )
    return path


def results(path: Path, as_of: datetime = AS_OF) -> dict:
    with warehouse.connect(path) as con:
        return {(r.check_name, r.subject): r for r in run_checks(con, as_of)}


def test_a_healthy_warehouse_passes_and_is_recorded(loaded: Path) -> None:
    checked = record_checks(loaded, AS_OF)
    assert all(r.passed for r in checked)
    names = {r.check_name for r in checked}
    assert names == {
        "freshness",
        "volume",
        "duplicate_rate",
        "referential_integrity",
        "facts_per_article",
        "quarantine_share",
    }
    with warehouse.connect(loaded, read_only=True) as con:
        assert con.execute("SELECT count(*) FROM quality_checks").fetchone() == (len(checked),)
    record_checks(loaded, AS_OF)  # the same day again replaces, not appends
    with warehouse.connect(loaded, read_only=True) as con:
        assert con.execute("SELECT count(*) FROM quality_checks").fetchone() == (len(checked),)


def test_stale_source_breaches_freshness(loaded: Path) -> None:
    late = datetime(2024, 1, 12)
    freshness = results(loaded, late)[("freshness", "demo")]
    assert not freshness.passed and freshness.observed == pytest.approx(86.0)
    with pytest.raises(QualityBreach, match=r"freshness\[demo\]"):
        record_checks(loaded, late)


def test_orphan_facts_and_duplicate_bodies_are_caught(loaded: Path) -> None:
    with warehouse.connect(loaded) as con:
        con.execute("DELETE FROM articles WHERE article_id = 'a2'")
        con.execute(
            "INSERT INTO articles SELECT * REPLACE ('a3' AS article_id) FROM articles WHERE article_id = 'a1'"
        )
    found = results(loaded)
    assert not found[("referential_integrity", "date_mentions")].passed
    assert found[("referential_integrity", "date_mentions")].observed == 1
    assert found[("referential_integrity", "troop_counts")].passed
    assert found[("duplicate_rate", "*")].observed == pytest.approx(0.5)
    assert not found[("duplicate_rate", "*")].passed


def test_facts_per_article_counts_every_fact_kind(loaded: Path) -> None:
    """Two articles with one troop count and two date mentions: 1.5 facts each, not 1.0."""
    found = results(loaded)[("facts_per_article", "demo")]
    assert found.observed == pytest.approx(1.5)
    assert ", ".join(facts.TABLES) in found.message
