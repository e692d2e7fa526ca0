"""The facts explorer's pages over a made-up warehouse's snapshot, through FastAPI's TestClient.

The app is newsfacts.explore's own (the plugin adds only Airflow's login: test_explorer_plugin).
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import duckdb
import pytest
from bs4 import BeautifulSoup
from fastapi import FastAPI
from fastapi.testclient import TestClient

from newsfacts.explore.app import create_app
from newsfacts.warehouse import snapshot
from tools import synthetic_warehouse


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return synthetic_warehouse.build(tmp_path_factory.mktemp("explore"), facts=2_000).home


@pytest.fixture(scope="module")
def client(home: Path) -> TestClient:
    return TestClient(create_app(home=lambda: home))


def snapshot_rows(home: Path, sql: str, params: dict | None = None) -> list[tuple]:
    path = snapshot.current_snapshot(home)
    assert path is not None
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(sql, params).fetchall()


def fact_rows(page: str) -> list[BeautifulSoup]:
    return BeautifulSoup(page, "html.parser").select("tr.fact")


def cells(row: BeautifulSoup) -> list[str]:
    return [td.get_text(" ", strip=True) for td in row.find_all("td")]


def test_every_route_only_reads(client: TestClient) -> None:
    app = client.app
    assert isinstance(app, FastAPI)
    for route in app.routes:
        methods = getattr(route, "methods", None) or set()
        assert methods <= {"GET", "HEAD"}, route


def test_the_table_filters_by_actor_and_location_and_shows_both_names(
    client: TestClient, home: Path
) -> None:
    page = client.get("/", params={"actor": "USA", "location": "IRQ", "per_page": 500})
    assert page.status_code == 200
    rows = fact_rows(page.text)
    (expected,) = snapshot_rows(
        home, "SELECT count(*) FROM troop_counts WHERE actor = 'USA' AND location = 'IRQ'"
    )
    assert len(rows) == expected[0] > 0
    for row in rows:
        actor, location = cells(row)[2], cells(row)[3]
        assert actor.startswith("USA United States") and "الولايات المتحدة" in actor
        assert location.startswith("IRQ Iraq") and "العراق" in location
    assert f"{expected[0]} rows" in page.text


@pytest.mark.parametrize(
    ("params", "where"),
    [
        ({"source": "gazette-ar"}, "a.source = 'gazette-ar'"),
        ({"lang": "en"}, "a.lang = 'en'"),
        ({"kind": "decrease"}, "t.kind = 'decrease'"),
        ({"qualifier": "at_most"}, "t.qualifier = 'at_most'"),
        ({"location": "-"}, "t.location IS NULL"),
        (
            {"published_from": "2020-02-01", "published_to": "2020-02-29"},
            "a.published_at_utc::DATE BETWEEN DATE '2020-02-01' AND DATE '2020-02-29'",
        ),
        # as_of when the sentence gives one (first day of a year), else the publication day
        (
            {"level_from": "2019-01-01", "level_to": "2019-01-01"},
            "t.as_of = '2019' OR (t.as_of IS NULL AND a.published_at_utc::DATE = DATE '2019-01-01')",
        ),
    ],
)
def test_each_filter_gives_the_facts_sql_gives(
    client: TestClient, home: Path, params: dict, where: str
) -> None:
    exported = client.get("/export.csv", params=params)
    assert exported.status_code == 200
    ids = {r["fact_id"] for r in csv.DictReader(io.StringIO(exported.text))}
    expected = {
        fact_id
        for (fact_id,) in snapshot_rows(
            home,
            f"SELECT fact_id FROM troop_counts t JOIN articles a USING (article_id) WHERE {where}",
        )
    }
    assert ids == expected and expected


def test_pages_are_disjoint_sorted_and_cover_every_row(client: TestClient, home: Path) -> None:
    seen: list[tuple[int, str]] = []
    page_number = 1
    while True:
        page = client.get(
            "/",
            params={
                "actor": "FRA",
                "sort": "count",
                "order": "asc",
                "per_page": 25,
                "page": page_number,
            },
        )
        rows = fact_rows(page.text)
        seen += [(int(cells(r)[4].split("–")[0].replace(",", "")), r["data-fact-id"]) for r in rows]
        if 'rel="next"' not in page.text:
            break
        page_number += 1
    (total,) = snapshot_rows(home, "SELECT count(*) FROM troop_counts WHERE actor = 'FRA'")[0]
    assert page_number == -(-total // 25) > 1
    assert len({fact_id for _, fact_id in seen}) == len(seen) == total
    assert [count for count, _ in seen] == sorted(count for count, _ in seen)


def test_bad_values_are_refused_with_400(client: TestClient) -> None:
    assert client.get("/", params={"published_from": "04/03/2025"}).status_code == 400
    assert client.get("/", params={"sort": "body; DROP TABLE x"}).status_code == 400
    assert client.get("/", params={"page": "x"}).status_code == 400


def test_export_has_the_codebook_columns_in_csv_and_parquet(
    client: TestClient, home: Path, tmp_path: Path
) -> None:
    codebook = BeautifulSoup(client.get("/codebook").text, "html.parser")
    columns = [code.get_text() for code in codebook.select("table.codebook code")]
    assert columns[:3] == ["fact_id", "article_id", "actor"]
    assert all(td.get_text(strip=True) for td in codebook.select("table.codebook td:nth-child(3)"))
    exported = client.get("/export.csv", params={"actor": "NATO"})
    assert exported.headers["content-type"].startswith("text/csv")
    assert "troop_counts.csv" in exported.headers["content-disposition"]
    reader = csv.DictReader(io.StringIO(exported.text))
    records = list(reader)
    assert reader.fieldnames == columns
    assert {r["actor"] for r in records} == {"NATO"}
    first = records[0]
    stored = snapshot_rows(
        home,
        "SELECT count, sentence FROM troop_counts WHERE fact_id = $id",
        {"id": first["fact_id"]},
    )
    assert stored == [(int(first["count"]), first["sentence"])]

    parquet = client.get("/export.parquet", params={"actor": "NATO"})
    path = tmp_path / "t.parquet"
    path.write_bytes(parquet.content)
    with duckdb.connect() as con:
        table = con.execute("SELECT * FROM read_parquet($p)", {"p": str(path)})
        names = [d[0] for d in table.description]
        assert names == columns and len(table.fetchall()) == len(records)


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_a_fact_page_highlights_exactly_the_stored_evidence(
    client: TestClient, home: Path, lang: str
) -> None:
    fact_id, start, end, sentence, url, title = snapshot_rows(
        home,
        "SELECT t.fact_id, t.char_start, t.char_end, t.sentence, a.canonical_url, a.title"
        " FROM troop_counts t JOIN articles a USING (article_id) WHERE a.lang = $lang"
        " ORDER BY t.char_start DESC, t.fact_id LIMIT 1",
        {"lang": lang},
    )[0]
    page = client.get(f"/facts/{fact_id}")
    assert page.status_code == 200
    soup = BeautifulSoup(page.text, "html.parser")
    body = soup.select_one("#body")
    mark = body.select_one("mark#evidence")
    assert body["dir"] == ("rtl" if lang == "ar" else "ltr")
    assert mark.get_text() == sentence
    assert (int(mark["data-char-start"]), int(mark["data-char-end"])) == (start, end)
    before = "".join(str(s) for s in mark.previous_siblings)
    assert len(before) == start
    link = soup.select_one("a.external")
    assert link["href"] == url and link["target"] == "_blank" and "noopener" in link["rel"]
    assert soup.h1.get_text() == title


def test_an_unknown_fact_is_404(client: TestClient) -> None:
    assert client.get("/facts/0000").status_code == 404


def test_timeline_points_link_to_their_facts(client: TestClient, home: Path) -> None:
    page = client.get("/timeline", params={"actor": "USA", "location": "IRQ"})
    assert page.status_code == 200
    soup = BeautifulSoup(page.text, "html.parser")
    spec = json.loads(soup.select_one("#chart-spec").get_text())
    values = spec["data"]["values"]
    assert values and all(v["href"] for v in values)
    facts = sum(v["facts"] for v in values)
    (total,) = snapshot_rows(
        home, "SELECT count(*) FROM troop_counts WHERE actor = 'USA' AND location = 'IRQ'"
    )[0]
    assert facts == total
    single = next(v for v in values if v["facts"] == 1)
    assert client.get(single["href"]).status_code == 200
    several = next((v for v in values if v["facts"] > 1), None)
    if several:
        listed = fact_rows(client.get(several["href"]).text)
        assert len(listed) == several["facts"]


def test_disagreements_are_the_views_rows(client: TestClient, home: Path) -> None:
    page = client.get("/disagreements", params={"actor": "USA"})
    (expected,) = snapshot_rows(
        home, "SELECT count(*) FROM outlet_disagreements WHERE actor = 'USA'"
    )[0]
    assert f"{expected} rows" in page.text and expected > 0
    assert "United States" in page.text


def test_quality_shows_batches_quarantine_and_source_health(client: TestClient) -> None:
    soup = BeautifulSoup(client.get("/quality").text, "html.parser")
    assert soup.select("table.batches tbody tr")
    assert "expect_column_values_to_be_between(count)" in soup.select_one("table.quarantine").text
    assert soup.select_one("#source-health") is not None
    assert soup.select_one("table.source-health") is not None


def test_without_a_snapshot_the_pages_say_so(tmp_path: Path) -> None:
    client = TestClient(create_app(home=lambda: tmp_path))
    page = client.get("/")
    assert page.status_code == 503 and "No data yet" in page.text
    assert client.get("/export.csv").status_code == 503


def test_assets_are_served_by_the_app_itself(client: TestClient) -> None:
    page = client.get("/timeline", params={"actor": "USA", "location": "IRQ"}).text
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert not [s for s in sources if s.startswith(("http:", "https:", "//"))]
    for asset in ("/static/explorer.css", "/static/explorer.js", "/static/vega.js"):
        assert asset in sources
        assert client.get(asset).status_code == 200
    assert client.get("/static/../app.py").status_code == 404


def test_links_carry_the_mount_prefix(home: Path) -> None:
    parent = FastAPI()
    parent.mount("/newsfacts", create_app(home=lambda: home))
    page = TestClient(parent).get("/newsfacts/").text
    links = re.findall(r'href="([^"]+)"', page)
    assert links and all(link.startswith("/newsfacts/") for link in links if link.startswith("/"))
