"""Each analytics view on known data."""

from pathlib import Path

import pytest

from newsfacts import warehouse
from newsfacts.warehouse import staging
from tests.unit.test_warehouse import BATCH, article, stage, troop


def at(article_id: str, source: str, published: str, body: str) -> dict:
    return {**article(article_id, body=body), "source": source, "published_at_utc": published}


def story(article_id: str, story_id: str) -> dict:
    return {"article_id": article_id, "story_id": story_id, "minhash": [1, 2], "batch_id": BATCH}


@pytest.fixture
def con(tmp_path: Path):
    articles = [
        at("a1", "wire", "2024-01-08T10:00:00", "body one"),
        at("a2", "paper", "2024-01-08T12:00:00", "body two"),
        at("a3", "paper", "2024-02-01T09:00:00", "body three"),
    ]
    facts = [
        troop("f1", "a1", count=2500),
        troop("f2", "a2", count=3000),
        troop("f3", "a3", count=2000),
        {**troop("f4", "a3", count=500), "kind": "increase"},
    ]
    folder = stage(
        tmp_path / "b",
        articles=articles,
        troop_counts=facts,
        article_stories=[story("a1", "a1"), story("a2", "a1"), story("a3", "a3")],
    )
    staging.write_table([], "frontier", folder / "frontier.parquet")
    with warehouse.connect(tmp_path / "w.duckdb") as connection:
        warehouse.migrate(connection)
        warehouse.load_batch(connection, folder, BATCH)
        yield connection


def test_latest_troop_levels(con) -> None:
    row = con.execute(
        "SELECT latest_count, latest_source, latest_published_at_utc::DATE::VARCHAR, sources,"
        " spread_between_sources FROM latest_troop_levels WHERE actor = 'USA' AND location = 'IRQ'"
    ).fetchone()
    # the latest level is February's 2,000 (the increase is not a level); each outlet's latest
    # report is wire 2,500 and paper 2,000, so they are 500 apart
    assert row == (2000, "paper", "2024-02-01", ["paper", "wire"], 500)


def spreads(tmp_path: Path, reports: list[tuple[str, int, int | None]]) -> tuple:
    """spread_between_sources of USA in IRQ when each (source, count, count_high) reports it."""
    articles = [
        at(f"a{i}", source, "2024-01-08T10:00:00", f"body {i}")
        for i, (source, _, _) in enumerate(reports)
    ]
    facts = [
        {**troop(f"f{i}", f"a{i}", count=count), "count_high": high}
        for i, (_, count, high) in enumerate(reports)
    ]
    folder = stage(tmp_path / "b", articles=articles, troop_counts=facts)
    staging.write_table([], "frontier", folder / "frontier.parquet")
    with warehouse.connect(tmp_path / "w.duckdb") as con:
        warehouse.migrate(con)
        warehouse.load_batch(con, folder, BATCH)
        row = con.execute(
            "SELECT spread_between_sources, latest_count, latest_count_high"
            " FROM latest_troop_levels"
        ).fetchone()
    assert row is not None
    return tuple(row)


@pytest.mark.parametrize(
    ("reports", "expected"),
    [
        # one outlet, even with a range: nothing to compare, so no spread
        ([("wire", 2000, 3000)], (None, 2000, 3000)),
        ([("wire", 2500, None)], (None, 2500, 2500)),
        # two outlets that agree, or whose ranges overlap: 0
        ([("wire", 2500, None), ("paper", 2500, None)], 0),
        ([("wire", 2000, 3000), ("paper", 2500, None)], 0),
        # apart: the highest low end minus the lowest high end
        ([("wire", 2000, 2200), ("paper", 3000, 3500)], 800),
    ],
    ids=["one-range", "one", "agree", "overlap", "apart"],
)
def test_spread_between_sources_compares_outlets_only(
    tmp_path: Path, reports: list[tuple[str, int, int | None]], expected: object
) -> None:
    found = spreads(tmp_path, reports)
    # with one outlet the latest report is its own, range and all
    assert (found if len(reports) == 1 else found[0]) == expected


def test_troop_timeline(con) -> None:
    rows = con.execute(
        "SELECT published_date::VARCHAR, source, kind, count FROM troop_timeline ORDER BY 1, 2, 3"
    ).fetchall()
    assert rows == [
        ("2024-01-08", "paper", "level", 3000),
        ("2024-01-08", "wire", "level", 2500),
        ("2024-02-01", "paper", "increase", 500),
        ("2024-02-01", "paper", "level", 2000),
    ]


def test_troop_timeline_dates_a_level_by_its_sentence(tmp_path: Path) -> None:
    # "had dropped to 8,300 in 2017", read in 2024: the level is 2017's, not the article's day
    folder = stage(
        tmp_path / "b",
        articles=[at("a1", "wire", "2024-01-08T10:00:00", "body one")],
        troop_counts=[{**troop("f1", "a1", count=8300), "as_of": "2017"}, troop("f2", "a1")],
        article_stories=[story("a1", "a1")],
    )
    staging.write_table([], "frontier", folder / "frontier.parquet")
    with warehouse.connect(tmp_path / "w.duckdb") as con:
        warehouse.migrate(con)
        warehouse.load_batch(con, folder, BATCH)
        rows = con.execute(
            "SELECT as_of, published_date::VARCHAR, count FROM troop_timeline ORDER BY as_of"
        ).fetchall()
    assert rows == [("2017", "2024-01-08", 8300), ("2024-01-08", "2024-01-08", 2500)]


def test_outlet_disagreements_and_story_counts(con) -> None:
    rows = con.execute(
        "SELECT story_id, sources, min_count, max_count, spread FROM outlet_disagreements"
    ).fetchall()
    assert rows == [("a1", 2, 2500, 3000, 500)]
    counted = con.execute(
        "SELECT story_id, count, sources FROM story_troop_counts ORDER BY story_id, count"
    ).fetchall()
    assert counted == [("a1", 2500, 1), ("a1", 3000, 1), ("a3", 500, 1), ("a3", 2000, 1)]


def test_facts_per_source_day(con) -> None:
    rows = con.execute(
        "SELECT source, published_date::VARCHAR, articles, troop_counts FROM facts_per_source_day ORDER BY 2, 1"
    ).fetchall()
    assert rows == [
        ("paper", "2024-01-08", 1, 1),
        ("wire", "2024-01-08", 1, 1),
        ("paper", "2024-02-01", 1, 2),
    ]
