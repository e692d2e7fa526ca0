"""The real pipeline, run by Airflow (`airflow dags test`), against the demo site on 127.0.0.1."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsfacts import warehouse
from newsfacts.demo.run import DEMO_SOURCES, run_dags
from newsfacts.demo.site import DemoSite
from newsfacts.settings import PROJECT_ROOT, Settings

pytestmark = pytest.mark.airflow

LOGICAL_DATE = "2024-06-20T00:00:00+00:00"
EXPECTED = json.loads((PROJECT_ROOT / "include" / "demo_site" / "expected.json").read_text())[
    "articles"
]


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory: pytest.TempPathFactory):
    """Both DAGs run once through Airflow; yields the settings and the warehouse checksums."""
    settings = Settings.from_env(home=tmp_path_factory.mktemp("e2e"))
    with DemoSite() as site:
        run_dags(settings, site.base_url, LOGICAL_DATE, settings.home / "logs")
        with warehouse.connect(settings.warehouse, read_only=True) as con:
            first = warehouse.table_checksums(con)
        yield settings, site, first


def rows(settings: Settings, query: str) -> list[tuple]:
    with warehouse.connect(settings.warehouse, read_only=True) as con:
        return con.execute(query).fetchall()


def test_every_demo_article_lands_once(demo_run) -> None:
    settings, _, _ = demo_run
    titles = {t for (t,) in rows(settings, "SELECT title FROM articles")}
    assert titles == {a["title"] for a in EXPECTED.values()}
    assert rows(settings, "SELECT count(*) FROM articles") == [(len(EXPECTED),)]


def test_troop_counts_land_with_their_evidence(demo_run) -> None:
    settings, _, _ = demo_run
    found = set(rows(settings, "SELECT actor, location, count FROM troop_counts"))
    expected = {
        (t["actor"], t["location"], t["count"])
        for a in EXPECTED.values()
        for t in a["troop_counts"]
    }
    assert ("USA", "IRQ", 2500) in found
    recall = len(found & expected) / len(expected)
    assert recall >= 0.8, f"recall {recall:.2f}; missing: {sorted(expected - found, key=str)}"
    mismatched = rows(
        settings,
        "SELECT t.fact_id FROM troop_counts t JOIN articles a USING (article_id)"
        " WHERE substr(a.body, t.char_start + 1, t.char_end - t.char_start) <> t.sentence",
    )
    assert mismatched == []


def test_dates_resolve_against_publication(demo_run) -> None:
    settings, _, _ = demo_run
    found = set(rows(settings, "SELECT value, mod FROM date_mentions"))
    expected = {(d["value"], d["mod"]) for a in EXPECTED.values() for d in a["dates"]}
    assert len(found & expected) / len(expected) >= 0.8, (
        f"missing: {sorted(expected - found, key=str)}"
    )


def test_run_is_recorded_with_validation_results(demo_run) -> None:
    settings, _, _ = demo_run
    runs = rows(settings, "SELECT source, pages_fetched, articles_parsed, facts_loaded FROM runs")
    assert runs and all(
        fetched > 0 and parsed > 0 and facts > 0 for _, fetched, parsed, facts in runs
    )
    suites = {s for (s,) in rows(settings, "SELECT DISTINCT suite FROM validation_results")}
    assert {"articles_suite", "troop_counts_suite", "date_mentions_suite"} <= suites
    log = rows(settings, "SELECT count(*) FROM fetch_log WHERE status = 200")
    assert log[0][0] >= len(EXPECTED)


def test_raw_pages_are_archived(demo_run) -> None:
    settings, _, _ = demo_run
    warcs = list(Path(settings.archive_dir).rglob("*.warc.gz"))
    assert warcs
    archived = {w for (w,) in rows(settings, "SELECT DISTINCT warc_file FROM articles")}
    assert archived <= {str(w) for w in warcs}


def test_running_the_same_interval_again_changes_nothing(demo_run) -> None:
    settings, site, first = demo_run
    run_dags(settings, site.base_url, LOGICAL_DATE, settings.home / "logs-rerun")
    with warehouse.connect(settings.warehouse, read_only=True) as con:
        assert warehouse.table_checksums(con) == first


def test_reprocessing_the_same_raw_pages_without_airflow_changes_nothing(demo_run) -> None:
    """`newsfacts run` with the run key of the Airflow run re-parses and reloads every batch."""
    from newsfacts.cli import main

    settings, site, first = demo_run
    code = main(
        [
            "run",
            "--sources",
            str(DEMO_SOURCES),
            "--base-url",
            site.base_url,
            "--run-key",
            "2024-06-20T00-00-00Z",
            "--home",
            str(settings.home),
        ]
    )
    assert code == 0
    with warehouse.connect(settings.warehouse, read_only=True) as con:
        assert warehouse.table_checksums(con) == first


def test_reprocess_run_reloads_archived_batches_and_changes_nothing(demo_run) -> None:
    """newsfacts_process triggered with a date range re-parses the archive with the current code."""
    from newsfacts.flow.airflow_env import run_airflow

    settings, _, first = demo_run
    conf = json.dumps({"date_from": "2024-06-20", "date_to": "2024-06-20"})
    done = run_airflow(
        settings,
        "dags",
        "test",
        "newsfacts_process",
        LOGICAL_DATE,
        "--conf",
        conf,
        capture=True,
        timeout=600,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0 and "state=failed" not in output, output[-3000:]
    assert "2024-06-20T00-00-00Z__demo-ar" in output  # the batch really went through parse again
    with warehouse.connect(settings.warehouse, read_only=True) as con:
        assert warehouse.table_checksums(con) == first
