"""The crawl frontier: what to fetch again, conditional requests, canonical links, the merge."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest

from newsfacts import warehouse
from newsfacts.crawl import frontier
from newsfacts.crawl.discover import PageRef, later_lastmod, normalize_url
from newsfacts.crawl.policy import FetchResult
from newsfacts.warehouse import staging

FETCHED = datetime(2024, 6, 19, 10, 0, 0)


def row(url: str = "https://news.example/a", **fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "url": url,
        "source": "s",
        "canonical_url": None,
        "final_url": url,
        "first_seen_at_utc": FETCHED,
        "listed_lastmod": "2024-06-19T08:00:00+00:00",
        "last_fetched_at_utc": FETCHED,
        "last_status": 200,
        "last_error_class": None,
        "etag": '"v1"',
        "last_modified": "Wed, 19 Jun 2024 08:00:00 GMT",
        "content_hash": "h1",
        "content_changed_at_utc": FETCHED,
        "batch_id": "b1",
    }
    return {**base, **fields}


def result(url: str, status: int | None = 200, body: bytes = b"<p>x</p>", **kw: Any) -> FetchResult:
    return FetchResult(
        url=url,
        final_url=url,
        status=status,
        headers=kw.pop("headers", {"Content-Type": "text/html"}),
        body=body,
        elapsed_ms=5,
        fetched_at_utc="2024-06-20T01:00:00+00:00",
        **kw,
    )


# --- URL identity ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("HTTPS://News.Example:443/a?b=2&a=1#top", "https://news.example/a?a=1&b=2"),
        ("https://news.example/a?utm_source=rss&utm_medium=feed", "https://news.example/a"),
        ("https://news.example/world/../a", "https://news.example/a"),
        ("https://news.example", "https://news.example/"),
        (
            "https://news.example/ar/قوات?id=7",
            "https://news.example/ar/%D9%82%D9%88%D8%A7%D8%AA?id=7",
        ),
        ("http://127.0.0.1:8080/a.html", "http://127.0.0.1:8080/a.html"),
    ],
)
def test_urls_are_spelled_one_way(raw: str, expected: str) -> None:
    assert normalize_url(raw) == expected


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        ("2024-06-19", "2024-06-20T09:00:00+03:00", "2024-06-20T09:00:00+03:00"),
        ("2024-06-20T09:00:00+03:00", "2024-06-19", "2024-06-20T09:00:00+03:00"),
        (None, "2024-06-19", "2024-06-19"),
        ("yesterday", "2024-06-19", "2024-06-19"),
        ("2024-06-19", None, "2024-06-19"),
    ],
)
def test_later_listing_date_wins(first: str | None, second: str | None, expected: str) -> None:
    assert later_lastmod(first, second) == expected


# --- what to fetch --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("listed", "known", "changed"),
    [
        (None, {}, False),
        ("2024-06-19T08:00:00+00:00", {}, False),
        ("2024-06-19T11:00:00+03:00", {}, False),  # the same instant, another offset
        ("2024-06-19T09:30:00Z", {}, True),
        ("2024-06-18", {}, False),
        ("2024-06-20", {"listed_lastmod": None}, True),  # later than the last fetch
        ("2024-06-19", {"listed_lastmod": None}, False),  # midnight, before the fetch
        ("Tue, 18 Jun", {"listed_lastmod": "Mon, 17 Jun"}, True),  # unparsed: differs
        ("Mon, 17 Jun", {"listed_lastmod": "Mon, 17 Jun"}, False),
    ],
)
def test_listing_date_says_whether_a_page_changed(
    listed: str | None, known: dict[str, Any], changed: bool
) -> None:
    assert frontier.listing_changed(listed, row(**known)) is changed


def test_plan_fetches_new_changed_and_retryable_and_leaves_the_rest() -> None:
    def ref(path: str, lastmod: str | None = None) -> PageRef:
        return PageRef(f"https://news.example/{path}", "s", "feed", lastmod)

    refs = [
        ref("same"),
        ref("timeout"),
        ref("moved", "2024-06-20T00:00:00Z"),
        ref("gone"),
        ref("robots"),
        ref("new-1"),
        ref("new-2"),
    ]
    known = {
        r.url: row(r.url, **fields)
        for r, fields in zip(
            refs[:5],
            [
                {},
                {"last_error_class": "ReadTimeout", "last_status": None},
                {},
                {"last_error_class": "HTTP404", "last_status": 404},
                {"last_error_class": "RobotsDisallowed", "last_status": None},
            ],
            strict=True,
        )
    }
    chosen, left, counts = frontier.plan(refs, known, limit=4)
    assert [(p.ref.url.rsplit("/", 1)[1], p.reason) for p in chosen] == [
        ("moved", "changed"),
        ("new-1", "new"),
        ("new-2", "new"),
        ("timeout", "retry"),
    ]
    assert [r.url.rsplit("/", 1)[1] for r in left] == []  # only a retry is over the limit
    assert counts == {
        "known_unchanged": 2,
        "changed": 1,
        "new": 2,
        "retry": 1,
        "over_limit": 1,
    }
    assert chosen[0].request().etag == '"v1"'  # known: asked conditionally
    assert chosen[1].request().etag is None


def test_new_urls_over_the_limit_are_left_for_the_next_run() -> None:
    refs = [PageRef(f"https://news.example/{i}", "s", "feed") for i in range(5)]
    chosen, left, counts = frontier.plan(refs, {}, limit=2)
    assert len(chosen) == 2 and [r.url for r in left] == [r.url for r in refs[2:]]
    assert counts["over_limit"] == 3


def test_url_known_only_as_another_pages_canonical_is_not_fetched_again(tmp_path: Path) -> None:
    snapshot = tmp_path / "frontier.parquet"
    staging.write_table(
        [row("https://news.example/a?ref=home", canonical_url="https://news.example/a")],
        "frontier",
        snapshot,
    )
    known = frontier.read_known(snapshot, ["https://news.example/a", "https://news.example/b"])
    assert set(known) == {"https://news.example/a"}
    chosen, _, counts = frontier.plan(
        [PageRef("https://news.example/a", "s", "sitemap", "2024-06-18")], known, limit=10
    )
    assert chosen == [] and counts["known_unchanged"] == 1


def test_no_snapshot_means_nothing_known(tmp_path: Path) -> None:
    assert frontier.read_known(tmp_path / "missing.parquet", ["https://news.example/a"]) == {}


# --- after the fetch ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("html", "content_type", "expected"),
    [
        (
            b'<link rel="canonical" href="https://news.example/a?utm_source=x">',
            None,
            "https://news.example/a",
        ),
        (b"<link href='/world/a.html' rel='canonical'>", None, "https://news.example/world/a.html"),
        (b"<LINK REL=canonical HREF=/b>", None, "https://news.example/b"),
        (
            '<link rel="canonical" href="/ar/قوات">'.encode("cp1256"),
            "text/html; charset=windows-1256",
            "https://news.example/ar/%D9%82%D9%88%D8%A7%D8%AA",
        ),
        (b'<link rel="alternate" href="https://news.example/amp">', None, None),
        (b'<link rel="canonical" href="javascript:void(0)">', None, None),
        (b"<p>no head at all</p>", None, None),
    ],
)
def test_canonical_link(html: bytes, content_type: str | None, expected: str | None) -> None:
    page = b"<html><head>" + html + b"</head><body></body></html>"
    assert frontier.canonical_link(page, content_type, "https://news.example/x/y") == expected


def test_rows_after_fetch_keep_the_last_good_copy() -> None:
    url = "https://news.example/a"
    planned = frontier.Planned(PageRef(url, "s", "feed", "2024-06-20"), "changed", row(url))
    not_modified = result(url, 304, b"", headers={"ETag": '"v1"'})
    assert frontier.is_unchanged(planned, not_modified)
    after = frontier.row_after_fetch(planned, not_modified, "b2", unchanged=True)
    assert (after["etag"], after["content_hash"], after["last_status"]) == ('"v1"', "h1", 304)
    assert after["content_changed_at_utc"] == FETCHED
    assert after["listed_lastmod"] == "2024-06-20"

    failed = result(url, None, b"", error_class="ReadTimeout")
    after = frontier.row_after_fetch(planned, failed, "b2", unchanged=False)
    assert after["etag"] == '"v1"' and after["content_hash"] == "h1"
    assert after["last_error_class"] == "ReadTimeout" and after["last_status"] is None

    body = b'<html><head><link rel="canonical" href="https://news.example/a-story"></head></html>'
    fresh = result(url, 200, body, headers={"Content-Type": "text/html", "ETag": '"v2"'})
    assert not frontier.is_unchanged(planned, fresh)
    after = frontier.row_after_fetch(planned, fresh, "b2", unchanged=False)
    assert after["etag"] == '"v2"' and after["content_hash"] == fresh.content_hash()
    assert after["canonical_url"] == "https://news.example/a-story"
    assert after["content_changed_at_utc"] == "2024-06-20T01:00:00+00:00"
    assert after["first_seen_at_utc"] == FETCHED


def test_same_body_again_counts_as_unchanged() -> None:
    url = "https://news.example/a"
    same = result(url, 200, b"<p>same</p>")
    planned = frontier.Planned(
        PageRef(url, "s", "feed"), "changed", row(url, content_hash=same.content_hash())
    )
    assert frontier.is_unchanged(planned, same)
    assert not frontier.is_unchanged(planned, result(url, 200, b"<p>edited</p>"))


# --- the loader's merge and the snapshot -----------------------------------------------------


@pytest.fixture
def con(tmp_path: Path):
    with warehouse.connect(tmp_path / "w.duckdb") as connection:
        warehouse.migrate(connection)
        yield connection


def stage(folder: Path, rows: list[dict[str, Any]]) -> Path:
    staging.write_table(rows, "frontier", folder / "frontier.parquet")
    return folder


def table(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[Any, ...]]:
    found = con.execute(
        "SELECT url, last_status, etag, first_seen_at_utc, batch_id FROM frontier"
    ).fetchall()
    return {r[0]: r[1:] for r in found}


def test_every_frontier_column_is_documented(con: duckdb.DuckDBPyConnection) -> None:
    undocumented = con.execute(
        "SELECT column_name FROM duckdb_columns() WHERE table_name = 'frontier'"
        " AND (comment IS NULL OR comment = '')"
    ).fetchall()
    assert undocumented == []
    keys = con.execute(
        "SELECT constraint_column_names FROM duckdb_constraints()"
        " WHERE table_name = 'frontier' AND constraint_type = 'PRIMARY KEY'"
    ).fetchall()
    assert keys == [(["url"],)]


def test_merge_keeps_the_latest_fetch_and_never_rolls_back(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    a, b = "https://news.example/a", "https://news.example/b"
    old = stage(tmp_path / "old", [row(a), row(b, last_fetched_at_utc=None, last_status=None)])
    new = stage(
        tmp_path / "new",
        [
            row(
                a,
                first_seen_at_utc=datetime(2024, 6, 20, 1),
                last_fetched_at_utc=datetime(2024, 6, 20, 1),
                last_status=304,
                batch_id="b2",
            ),
            row(b, first_seen_at_utc=datetime(2024, 6, 20, 1), batch_id="b2", etag='"w"'),
        ],
    )
    assert frontier.load_staged(con, old) == 2
    frontier.load_staged(con, new)
    after_new = table(con)
    assert after_new[a] == (304, '"v1"', FETCHED, "b2")  # first seen stays the earliest
    assert after_new[b][0] == 200 and after_new[b][3] == "b2"
    frontier.load_staged(con, old)  # reprocessing an old batch
    assert table(con) == after_new
    before = warehouse.table_checksums(con, ("frontier",))
    frontier.load_staged(con, new)  # the same batch again
    assert warehouse.table_checksums(con, ("frontier",)) == before


def test_export_writes_the_snapshot_fetch_reads(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    frontier.load_staged(con, stage(tmp_path / "b", [row("https://news.example/a")]))
    path = frontier.export_frontier(con, tmp_path / "home" / "frontier.parquet")
    assert not path.with_name(path.name + ".tmp").exists()
    known = frontier.read_known(path, ["https://news.example/a"])
    assert known["https://news.example/a"]["etag"] == '"v1"'
