import json
import logging
from pathlib import Path

import duckdb
import pytest

from newsfacts import warehouse
from newsfacts.warehouse import staging

BATCH = "2024-01-08T00-00-00Z__demo"


def article(article_id: str = "a1", body: str = "US forces: 2500 troops.") -> dict:
    return {
        "article_id": article_id,
        "canonical_url": f"http://x.test/{article_id}",
        "url": f"http://x.test/{article_id}",
        "source": "demo",
        "title": "t",
        "published_at_utc": "2024-01-08T10:00:00",
        "published_as_written": "2024-01-08T13:00:00+03:00",
        "lang": "en",
        "authors": ["A. Writer"],
        "body": body,
        "body_chars": len(body),
        "parse_methods": "{}",
        "warc_file": "x.warc.gz",
        "warc_offset": 0,
        "fetched_at_utc": "2024-01-08T11:00:00",
        "batch_id": BATCH,
    }


def troop(fact_id: str, article_id: str = "a1", count: int = 2500) -> dict:
    return {
        "fact_id": fact_id,
        "article_id": article_id,
        "actor": "USA",
        "location": "IRQ",
        "count": count,
        "count_high": None,
        "qualifier": "exact",
        "kind": "level",
        "sentence": "US forces: 2500 troops.",
        "char_start": 0,
        "char_end": 23,
        "extractor": "test",
        "extractor_version": "0",
        "batch_id": BATCH,
    }


def stage(folder: Path, **tables: list[dict]) -> Path:
    run = {
        "batch_id": BATCH,
        "run_key": "k",
        "source": "demo",
        "pages_fetched": 1,
        "pages_unchanged": 0,
        "fetch_failures": 0,
        "articles_parsed": 1,
        "parse_failures": 0,
        "facts_loaded": 1,
        "records_quarantined": 0,
        "failures_by_reason": json.dumps({}),
        "extractor_version": "0",
    }
    for table in warehouse.STAGED_TABLES:
        rows = tables.get(table, [run] if table == "runs" else [])
        staging.write_table(rows, table, folder / f"{table}.parquet")
    return folder


@pytest.fixture
def con(tmp_path: Path):
    with warehouse.connect(tmp_path / "w.duckdb") as connection:
        warehouse.migrate(connection)
        yield connection


def test_migrations_apply_once_and_are_recorded(tmp_path: Path) -> None:
    with warehouse.connect(tmp_path / "w.duckdb") as con:
        first = warehouse.migrate(con)
        second = warehouse.migrate(con)
        versions = con.execute("SELECT version FROM schema_migrations ORDER BY 1").fetchall()
    files = sorted(warehouse.MIGRATIONS_DIR.glob("*.sql"))
    assert first == [f.stem for f in files] and first[0].startswith("001_")
    assert second == []
    assert [v[0] for v in versions] == [int(f.name.split("_")[0]) for f in files]


def test_an_older_warehouse_upgrades_in_place(tmp_path: Path, monkeypatch) -> None:
    """A warehouse made with only the first migration gains the later ones and keeps its rows."""
    path = tmp_path / "old.duckdb"
    first_only = tmp_path / "migrations"
    first_only.mkdir()
    (first_only / "001_core.sql").write_text(
        (warehouse.MIGRATIONS_DIR / "001_core.sql").read_text()
    )
    monkeypatch.setattr(warehouse, "MIGRATIONS_DIR", first_only)
    monkeypatch.setattr(warehouse, "VIEWS_DIR", tmp_path / "no-views")  # views need later tables
    with warehouse.connect(path) as con:
        assert warehouse.migrate(con) == ["001_core"]
        con.execute("INSERT INTO actors VALUES ('USA', 'country', 'United States', NULL, [], [])")
    monkeypatch.undo()
    with warehouse.connect(path) as con:
        applied = warehouse.migrate(con)
        assert applied == [f.stem for f in sorted(warehouse.MIGRATIONS_DIR.glob("*.sql"))][1:]
        assert con.execute("SELECT code FROM actors").fetchall() == [("USA",)]
        tables = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    assert "quality_checks" in tables


def test_every_column_is_documented(con) -> None:
    undocumented = con.execute(
        "SELECT table_name, column_name FROM duckdb_columns()"
        " WHERE schema_name = 'main' AND NOT internal AND comment IS NULL"
        " AND table_name NOT IN ('schema_migrations')"
        " AND table_name IN (SELECT table_name FROM duckdb_tables())"
    ).fetchall()
    assert undocumented == []


def test_load_twice_leaves_the_same_warehouse(con, tmp_path: Path) -> None:
    folder = stage(tmp_path / "b", articles=[article()], troop_counts=[troop("f1")])
    warehouse.load_batch(con, folder, BATCH)
    once = warehouse.table_checksums(con)
    warehouse.load_batch(con, folder, BATCH)
    assert warehouse.table_checksums(con) == once
    assert once["troop_counts"][0] == 1 and once["articles"][0] == 1


def test_reloading_an_article_replaces_its_facts(con, tmp_path: Path) -> None:
    warehouse.load_batch(
        con,
        stage(
            tmp_path / "b1",
            articles=[article()],
            troop_counts=[troop("old1"), troop("old2", count=900)],
        ),
        BATCH,
    )
    warehouse.load_batch(
        con, stage(tmp_path / "b2", articles=[article()], troop_counts=[troop("new1")]), BATCH
    )
    assert con.execute("SELECT fact_id FROM troop_counts").fetchall() == [("new1",)]


def test_a_failure_mid_load_leaves_no_partial_rows(con, tmp_path: Path) -> None:
    warehouse.load_batch(
        con, stage(tmp_path / "ok", articles=[article()], troop_counts=[troop("f1")]), BATCH
    )
    before = warehouse.table_checksums(con)
    # A fact breaking a CHECK constraint fails the load after articles were already replaced.
    bad = stage(
        tmp_path / "bad",
        articles=[article(body="changed body")],
        troop_counts=[troop("f2", count=0)],
    )
    with pytest.raises(duckdb.ConstraintException):
        warehouse.load_batch(con, bad, BATCH)
    assert warehouse.table_checksums(con) == before


def test_missing_staging_file_is_a_clear_error(con, tmp_path: Path) -> None:
    folder = stage(tmp_path / "b", articles=[article()])
    (folder / "quotes.parquet").unlink()
    with pytest.raises(FileNotFoundError, match="quotes"):
        warehouse.load_batch(con, folder, BATCH)


def test_staged_parquet_keeps_warehouse_types(tmp_path: Path) -> None:
    path = staging.write_table([article()], "articles", tmp_path / "a.parquet")
    types = dict(
        duckdb.sql(f"DESCRIBE SELECT * FROM '{path}'").fetchall()[i][:2]
        for i in range(len(staging.table_schema("articles")))
    )
    assert types["authors"] == "VARCHAR[]"
    assert types["published_at_utc"] == "TIMESTAMP"
    empty = staging.write_table([], "troop_counts", tmp_path / "t.parquet")
    assert staging.read_table(empty) == []


def test_a_changed_fact_with_the_same_key_is_updated(con, tmp_path: Path) -> None:
    warehouse.load_batch(
        con, stage(tmp_path / "b1", articles=[article()], troop_counts=[troop("f1")]), BATCH
    )
    changed = {**troop("f1"), "extractor_version": "2", "qualifier": "approx"}
    warehouse.load_batch(
        con, stage(tmp_path / "b2", articles=[article()], troop_counts=[changed]), BATCH
    )
    assert con.execute("SELECT qualifier, extractor_version FROM troop_counts").fetchall() == [
        ("approx", "2")
    ]


def test_other_articles_keep_their_facts(con, tmp_path: Path) -> None:
    warehouse.load_batch(
        con,
        stage(
            tmp_path / "b1",
            articles=[article("a1"), article("a2")],
            troop_counts=[troop("f1", "a1"), troop("f2", "a2")],
        ),
        BATCH,
    )
    warehouse.load_batch(
        con, stage(tmp_path / "b2", articles=[article("a1")], troop_counts=[]), BATCH
    )
    assert con.execute("SELECT fact_id FROM troop_counts").fetchall() == [("f2",)]
    assert con.execute("SELECT count(*) FROM articles").fetchone() == (2,)


def test_articles_loaded_before_published_source_get_it_from_parse_methods() -> None:
    con = duckdb.connect()
    con.execute(warehouse.statement("schema/create_schema_migrations"))
    for path in sorted(warehouse.MIGRATIONS_DIR.glob("*.sql")):
        if int(path.name[:3]) >= 6:
            break
        con.execute(warehouse.sql_file(path))
        con.execute(
            warehouse.statement("schema/record_migration"),
            {"version": int(path.name[:3]), "name": path.stem},
        )
    old = {"a1": '{"published": "byline"}', "a2": '{"published": "meta"}', "a3": "{}"}
    for article_id, methods in old.items():
        row = {**article(article_id), "parse_methods": methods}
        if article_id == "a3":
            row.update(published_at_utc=None, published_as_written=None)
        con.execute(
            f"INSERT INTO articles BY NAME SELECT {', '.join(f'${k} AS {k}' for k in row)}", row
        )
    assert "006_published_source" in warehouse.migrate(con)
    found = con.execute(
        "SELECT article_id, published_source FROM articles ORDER BY article_id"
    ).fetchall()
    assert found == [("a1", "text"), ("a2", "meta"), ("a3", None)]


def test_a_task_logs_one_schema_line_and_staging_none(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Staging reads table types from an in-memory copy of the schema: that is no migration."""
    staging._schema_catalog.cache_clear()  # as in a fresh task process
    with caplog.at_level(logging.DEBUG, logger="newsfacts"):
        for table in ("fetch_log", "frontier", "articles", "troop_counts", "runs"):
            staging.write_table([], table, tmp_path / f"{table}.parquet")
    assert [r.getMessage() for r in caplog.records if "migration" in r.getMessage()] == []
    caplog.clear()
    with (
        caplog.at_level(logging.INFO, logger="newsfacts"),
        warehouse.connect(tmp_path / "w.duckdb") as con,
    ):
        warehouse.migrate(con)
        warehouse.migrate(con)
    latest = sorted(warehouse.MIGRATIONS_DIR.glob("*.sql"))[-1].stem
    assert [r.getMessage() for r in caplog.records] == [
        f"warehouse schema now at {latest}: applied {len(list(warehouse.MIGRATIONS_DIR.glob('*.sql')))}"
        f" migration(s), "
        + ", ".join(p.stem for p in sorted(warehouse.MIGRATIONS_DIR.glob("*.sql"))),
        f"warehouse schema up to date at {latest}",
    ]


def test_every_column_of_every_table_and_view_has_a_comment(con) -> None:
    """README: `SELECT table_name, column_name, comment FROM duckdb_columns()` documents all."""
    undocumented = con.execute(
        "SELECT table_name || '.' || column_name FROM duckdb_columns()"
        " WHERE NOT internal AND schema_name = 'main' AND coalesce(comment, '') = ''"
        " ORDER BY 1"
    ).fetchall()
    assert undocumented == []
    views = con.execute(
        "SELECT view_name FROM duckdb_views() WHERE NOT internal AND coalesce(comment, '') = ''"
    ).fetchall()
    assert views == []
    # the comments survive a second migrate(), which makes the views again
    warehouse.migrate(con)
    again = con.execute(
        "SELECT count(*) FROM duckdb_columns() WHERE NOT internal AND schema_name = 'main'"
        " AND coalesce(comment, '') = ''"
    ).fetchone()
    assert again == (0,)
