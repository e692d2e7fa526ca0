from datetime import datetime
from pathlib import Path

import pytest

from newsfacts import facts, warehouse
from newsfacts.cli import main
from newsfacts.quality.checks import (
    ExpectedSource,
    QualityBreach,
    Thresholds,
    breach_message,
    expected_sources,
    measure,
    record_checks,
    run_checks,
)
from tests.support.server import LocalServer
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
        "article_count",
        "fetch_health",
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


# --- every configured source is checked, by name (issue 12 item 3) ---

SOURCES = """
sources:
  - {name: wire, site: "{{base_url}}", language: en, feeds: ["{{base_url}}/feed.xml"],
     requests_per_second: 50, allow_private_addresses: true}
  - {name: weekly, site: "{{base_url}}", language: en, feeds: ["{{base_url}}/weekly.xml"],
     requests_per_second: 50, allow_private_addresses: true, expected_article_hours: 200}
  - {name: broken, site: "not a url", language: en}
"""


def sources_file(tmp_path: Path) -> Path:
    path = tmp_path / "sources.yaml"
    path.write_text(SOURCES, encoding="utf-8")
    return path


def test_an_empty_warehouse_fails_by_source_name_not_silently(tmp_path: Path) -> None:
    thresholds = Thresholds()
    expected, invalid = expected_sources(sources_file(tmp_path), "http://127.0.0.1:9", thresholds)
    assert [(e.source, e.max_age_hours) for e in expected] == [("wire", 48.0), ("weekly", 200.0)]
    results = measure(tmp_path / "w.duckdb", AS_OF, thresholds, expected, invalid)
    failed = {(r.check_name, r.subject): r.message for r in results if not r.passed}
    assert failed == {
        ("article_count", "*"): "0 articles in the warehouse",
        ("freshness", "wire"): "wire: no article in the warehouse (expected one every 48 hours)",
        (
            "freshness",
            "weekly",
        ): "weekly: no article in the warehouse (expected one every 200 hours)",
        ("source_config", "broken"): failed[("source_config", "broken")],
    }
    assert "field 'site'" in failed[("source_config", "broken")]
    assert "freshness[wire]" in (breach_message(results) or "")


def test_a_source_window_is_its_own(loaded: Path) -> None:
    expected = [ExpectedSource("demo", 100.0)]
    with warehouse.connect(loaded) as con:
        late = datetime(2024, 1, 12)  # 86 hours after the newest article
        found = {(r.check_name, r.subject): r for r in run_checks(con, late, expected=expected)}
    assert found[("freshness", "demo")].passed
    assert found[("freshness", "demo")].threshold == 100.0


def unreachable_base_url() -> str:
    """The address of a server that has stopped: connections to it are refused (no network)."""
    server = LocalServer()
    base = server.base_url
    with server:
        pass
    return base


def test_quality_fails_by_name_on_a_source_whose_fetches_all_failed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSFACTS_QUALITY_MAX_FAILED_RUNS", "2")
    monkeypatch.setenv("NEWSFACTS_MAX_RETRIES", "0")
    home = tmp_path / "home"
    where = ["--sources", str(sources_file(tmp_path)), "--base-url", unreachable_base_url()]
    where += ["--home", str(home)]
    for hour in (0, 1):
        assert main(["crawl", *where, "--run-key", f"2024-01-08T0{hour}-00-00Z"]) == 0
        capsys.readouterr()
        assert main(["quality", *where, "--as-of", "2024-01-08T12:00"]) == 1
        out, err = capsys.readouterr()
    assert err.startswith("newsfacts quality: ")
    assert "freshness[wire] None vs limit 48.0: wire: no article in the warehouse" in err
    assert "fetch_health[wire] 2.0 vs limit 2.0: wire: every fetch failed in its last 2 runs" in err
    assert "source_config[broken]" in err
    assert "FAIL  fetch_health[weekly]" in out
    with warehouse.connect(home / "newsfacts.duckdb", read_only=True) as con:
        health = con.execute(
            "SELECT source, runs, last_success_at_utc, consecutive_failures,"
            " map_keys(last_run_error_classes) FROM source_health ORDER BY source"
        ).fetchall()
    assert health == [
        ("weekly", 2, None, 2, ["ConnectionError"]),
        ("wire", 2, None, 2, ["ConnectionError"]),
    ]


def test_quality_says_a_bad_sources_file_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["quality", "--sources", str(tmp_path / "none.yaml"), "--home", str(tmp_path)])
    assert code == 1
    assert capsys.readouterr().err.startswith("newsfacts quality: cannot read sources file")


def test_the_quality_task_checks_the_configured_sources_and_fails_by_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsfacts.flow import tasks

    monkeypatch.setenv("NEWSFACTS_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("NEWSFACTS_SOURCES", str(sources_file(tmp_path)))
    monkeypatch.setenv("NEWSFACTS_BASE_URL", "http://127.0.0.1:9")
    with pytest.raises(QualityBreach) as breach:
        tasks.check_quality()
    for name in ("freshness[wire]", "freshness[weekly]", "source_config[broken]"):
        assert name in str(breach.value)


def test_facts_per_article_counts_every_fact_kind(loaded: Path) -> None:
    """Two articles with one troop count and two date mentions: 1.5 facts each, not 1.0."""
    found = results(loaded)[("facts_per_article", "demo")]
    assert found.observed == pytest.approx(1.5)
    assert ", ".join(facts.TABLES) in found.message
