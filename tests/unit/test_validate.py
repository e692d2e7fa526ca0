import json
from dataclasses import replace
from datetime import datetime

import pytest

from newsfacts import warehouse
from newsfacts.flow.batch import Batch
from newsfacts.flow.load import load_batches
from newsfacts.flow.process import FACT_TABLES, validate_batch
from newsfacts.quality.validate import (
    BatchRejected,
    data_docs_index,
    reject_if_mostly_failed,
    suites,
    validate_parts,
    validate_table,
    with_derived_columns,
)
from newsfacts.settings import Settings
from newsfacts.warehouse import staging
from tests.unit.test_warehouse import BATCH, article, troop

NOW = datetime(2024, 1, 9)


@pytest.fixture(scope="module")
def rules() -> dict:
    return suites(frozenset({"USA", "RUS", "NATO", "IRQ"}))


def test_good_rows_pass_and_bad_rows_name_their_broken_expectations(rules) -> None:
    rows = [
        troop("ok"),
        troop("zero", count=0),
        {**troop("nobody"), "actor": "XXX"},
        {**troop("weird"), "qualifier": "maybe", "char_end": 0},
    ]
    with_derived_columns([article()], {"troop_counts": rows}, NOW)
    checked = validate_table("troop_counts", rows, rules["troop_counts"])
    assert [r["fact_id"] for r in checked.passed] == ["ok"]
    broken = {row["fact_id"]: checks for row, checks in checked.quarantined}
    assert broken["zero"] == ["expect_column_values_to_be_between(count)"]
    assert broken["nobody"] == ["expect_column_values_to_be_in_set(actor)"]
    assert broken["weird"] == [
        "expect_column_pair_values_a_to_be_greater_than_b(char_end,char_start)",
        "expect_column_values_to_be_in_set(qualifier)",
    ]
    failed = {r["expectation"] for r in checked.results if not r["success"]}
    assert "expect_column_values_to_be_between" in failed


def test_duplicate_ids_and_bad_timex_are_caught(rules) -> None:
    date = {
        "fact_id": "d",
        "article_id": "a1",
        "value": "2024-01-08",
        "mod": None,
        "text": "x",
        "calendar": "gregorian",
        "char_start": 0,
        "char_end": 1,
    }
    rows = [
        date,
        dict(date),
        {**date, "fact_id": "e", "value": "2024-13-40"},
        {**date, "fact_id": "w", "value": "2024-W01"},
    ]
    with_derived_columns([article()], {"date_mentions": rows}, NOW)
    checked = validate_table("date_mentions", rows, rules["date_mentions"])
    assert [r["fact_id"] for r in checked.passed] == ["w"]
    assert sorted(r["fact_id"] for r, _ in checked.quarantined) == ["d", "d", "e"]


def test_mostly_failed_batch_is_rejected_with_the_top_expectations(rules) -> None:
    rows = [troop("a", count=0), troop("b", count=0), troop("c")]
    with_derived_columns([article()], {"troop_counts": rows}, NOW)
    checked = validate_table("troop_counts", rows, rules["troop_counts"])
    with pytest.raises(
        BatchRejected,
        match=r"troop_counts_suite: expect_column_values_to_be_between\(count\) \(2 rows\)",
    ):
        reject_if_mostly_failed([checked], 0.5, "b1")
    reject_if_mostly_failed([checked], 0.7, "b1")


def test_quarantined_record_is_kept_not_loaded(settings: Settings, rules) -> None:
    settings = replace(settings, quarantine_max_share=0.9)
    batch = Batch.at(settings, BATCH)
    batch.folder.mkdir(parents=True)
    batch.manifest.write_text(
        json.dumps(
            {
                "batch_id": BATCH,
                "run_key": "k",
                "source": "demo",
                "warc_files": [],
                "counts": {"fetched": 2},
            }
        )
    )
    (batch.folder / "counts.json").write_text(json.dumps({"parsed": 2}))
    staging.write_table([], "fetch_log", batch.folder / "fetch_log.parquet")
    staging.write_jsonl([article("a1"), article("a2", body="")], batch.folder / "articles.jsonl")
    staging.write_jsonl(
        [troop("good"), troop("bad", count=9_000_000), troop("orphan", article_id="a2")],
        batch.folder / "troop_counts.jsonl",
    )
    for table in ("date_mentions", "entities", "quotes"):
        staging.write_jsonl([], batch.folder / f"{table}.jsonl")
    validate_batch(settings, BATCH, actor_codes=frozenset({"USA", "IRQ"}))
    load_batches(settings, [BATCH])
    with warehouse.connect(settings.warehouse, read_only=True) as con:
        assert con.execute("SELECT fact_id FROM troop_counts").fetchall() == [("good",)]
        assert con.execute("SELECT article_id FROM articles").fetchall() == [("a1",)]
        quarantined = dict(
            con.execute("SELECT record_key, failed_expectations FROM quarantine").fetchall()
        )
        run = con.execute("SELECT records_quarantined, facts_loaded FROM runs").fetchone()
        record = json.loads(
            con.execute("SELECT record FROM quarantine WHERE record_key='bad'").fetchone()[0]
        )
    assert quarantined == {
        "a2": ["expect_column_values_to_be_between(body_chars)"],
        "bad": ["expect_column_values_to_be_between(count)"],
        "orphan": ["parent article quarantined"],
    }
    assert record["count"] == 9_000_000
    assert run == (3, 1)
    docs = data_docs_index(settings.gx_dir)
    assert docs.exists()
    validations = settings.gx_dir / "gx" / "uncommitted" / "validations" / "troop_counts_suite"
    assert any(validations.rglob("*.json")), "the validation result is kept for Data Docs"


def test_an_article_whose_extraction_crashed_is_quarantined_with_the_error(
    settings: Settings,
) -> None:
    settings = replace(settings, quarantine_max_share=0.9)
    batch = Batch.at(settings, BATCH)
    batch.folder.mkdir(parents=True)
    batch.manifest.write_text(
        json.dumps(
            {"batch_id": BATCH, "run_key": "k", "source": "demo", "warc_files": [], "counts": {}}
        )
    )
    (batch.folder / "counts.json").write_text(json.dumps({"parsed": 2}))
    staging.write_table([], "fetch_log", batch.folder / "fetch_log.parquet")
    staging.write_table([], "frontier", batch.folder / "frontier.parquet")
    staging.write_jsonl([article("a1"), article("a2")], batch.folder / "articles.jsonl")
    for table in FACT_TABLES:
        staging.write_jsonl([], batch.folder / f"{table}.jsonl")
    staging.write_jsonl(
        [{"article_id": "a2", "error": "KeyError: 'x'"}], batch.folder / "extract_failures.jsonl"
    )
    validate_batch(settings, BATCH, actor_codes=frozenset({"USA", "IRQ"}))
    load_batches(settings, [BATCH])
    with warehouse.connect(settings.warehouse, read_only=True) as con:
        assert con.execute("SELECT article_id FROM articles").fetchall() == [("a1",)]
        assert con.execute("SELECT record_key, failed_expectations FROM quarantine").fetchall() == [
            ("a2", ["extraction failed: KeyError: 'x'"])
        ]


def test_evidence_past_the_body_and_future_articles_are_caught(rules) -> None:
    articles = [article("a1"), {**article("a2"), "published_at_utc": "2024-03-01T00:00:00"}]
    facts = [troop("inside"), {**troop("outside"), "char_start": 20, "char_end": 400}]
    with_derived_columns(articles, {"troop_counts": facts}, NOW)
    checked = validate_table("troop_counts", facts, rules["troop_counts"])
    assert [r["fact_id"] for r in checked.passed] == ["inside"]
    assert checked.quarantined[0][1] == [
        "expect_column_pair_values_a_to_be_greater_than_b(_article_body_chars,char_end)"
    ]
    checked = validate_table("articles", articles, rules["articles"])
    assert [r["article_id"] for r in checked.passed] == ["a1"]
    assert checked.quarantined[0][1] == [
        "expect_column_values_to_be_between(_published_days_ahead)"
    ]


def test_batches_validated_together_are_judged_each_as_if_alone(rules) -> None:
    first = [troop("same"), troop("zero", count=0)]
    second = [troop("same"), troop("dup"), troop("dup")]
    with_derived_columns([article()], {"troop_counts": first + second}, NOW)
    together = validate_parts("troop_counts", [first, second, []], rules["troop_counts"])
    alone = [
        validate_table("troop_counts", part, rules["troop_counts"]) for part in (first, second)
    ]
    for joint, single in zip(together, alone, strict=False):
        assert joint.passed == single.passed
        assert joint.quarantined == single.quarantined
        assert joint.results == single.results
    assert [r["fact_id"] for r in together[1].passed] == ["same"]
    assert together[2].passed == together[2].quarantined == together[2].results == []
