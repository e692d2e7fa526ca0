"""fetch_source against a local site that misbehaves on purpose, one fault per test.

Each test checks the outcome, the page's fetch-log row, and that the run went on to the next
page. Timeouts and back-off are made small so the whole file stays well under a minute.
"""

from __future__ import annotations

import gzip
import ipaddress
import json
import tracemalloc
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from newsfacts import warehouse
from newsfacts.crawl import frontier
from newsfacts.crawl.archive import read_responses
from newsfacts.crawl.fetch import Fetcher
from newsfacts.crawl.sources import Source
from newsfacts.flow.batch import Batch
from newsfacts.flow.ingest import fetch_source
from newsfacts.flow.process import parse_batch
from newsfacts.ids import make_batch_id
from newsfacts.settings import Settings
from newsfacts.warehouse import staging
from tests.support import faults
from tests.support.faults import HTML, TEXT, XML, Stamps
from tests.support.server import LocalServer, Route

RUN_1 = "2024-06-20T00-00-00Z"
RUN_2 = "2024-06-20T01-00-00Z"
RUN_3 = "2024-06-20T02-00-00Z"
ROBOTS = (200, TEXT, b"User-agent: *\nAllow: /\n")
NEXT = "/next.html"

TITLE_AR = "وصول تعزيزات عسكرية أميركية إلى قاعدة عين الأسد غربي العراق"
PARAGRAPHS_AR = [
    "أعلنت وزارة الدفاع الأميركية يوم الثلاثاء وصول نحو 500 جندي إضافي إلى قاعدة عين الأسد"
    " الجوية في محافظة الأنبار غربي العراق، في إطار ما وصفته بإعادة انتشار مؤقتة للقوات.",
    "وقال متحدث باسم البنتاغون في مؤتمر صحفي إن عدد القوات الأميركية في العراق سيبقى في حدود"
    " 2500 جندي بعد انتهاء عملية التبديل المقررة خلال الأسابيع المقبلة.",
    "وأضاف أن الجنود الجدد ينتمون إلى وحدة مشاة قادمة من ولاية كنتاكي، وأن مهمتهم تقتصر على"
    " التدريب وتقديم المشورة للقوات العراقية.",
    "من جهتها، أكدت قيادة العمليات المشتركة في بغداد أن وصول التعزيزات جرى بالتنسيق مع الحكومة"
    " العراقية، ولا يمثل زيادة في الوجود العسكري الأجنبي على أراضي البلاد.",
]
PARAGRAPHS_EN = [
    "The Pentagon said on Tuesday that about 500 additional soldiers had arrived at Ain al-Asad"
    " air base in western Iraq as part of a temporary rotation of forces.",
    "A spokesman told reporters the number of US troops in Iraq would remain at around 2,500"
    " once the handover is completed in the coming weeks.",
]


def page(title: str = "Troops rotate through Ain al-Asad") -> tuple[int, dict[str, str], bytes]:
    return 200, HTML, faults.article(title, PARAGRAPHS_EN)


@pytest.fixture
def fast(settings: Settings) -> Settings:
    return replace(
        settings, connect_timeout_s=1.0, read_timeout_s=0.5, max_retries=2, backoff_base_s=0.05
    )


def serve(pages: dict[str, Route], extra: dict[str, Route] | None = None) -> LocalServer:
    """A site whose sitemap lists `pages` in order, then /next.html (a plain good page)."""
    server = LocalServer()
    listed = [*pages, NEXT]
    server.routes.update(
        {
            "/robots.txt": ROBOTS,
            "/sitemap.xml": faults.sitemap([(server.url(p), None) for p in listed]),
            **pages,
            NEXT: page("Next page"),
            **(extra or {}),
        }
    )
    return server


def source_for(server: LocalServer, **fields: Any) -> Source:
    values: dict[str, Any] = {
        "name": "faulty",
        "site": server.base_url,
        "language": "en",
        "sitemaps": (server.url("/sitemap.xml"),),
        "requests_per_second": 20,
        "allow_private_addresses": True,
        **fields,
    }
    return Source(**values)


def fetch(
    settings: Settings, source: Source, run_key: str = RUN_1
) -> tuple[dict[str, dict[str, Any]], dict[str, Any]]:
    """Run the fetch stage; its fetch-log rows by URL path, and its manifest."""
    batch = Batch.at(settings, fetch_source(settings, source, run_key))
    rows = staging.read_table(batch.folder / "fetch_log.parquet")
    return {urlsplit(r["url"]).path: r for r in rows}, batch.read_manifest()


def assert_went_on(rows: dict[str, dict[str, Any]]) -> None:
    assert rows[NEXT]["status"] == 200 and rows[NEXT]["error_class"] is None


def load_frontier(settings: Settings, run_key: str, source: Source) -> None:
    """What the loader does after a load: merge the batch's frontier, export the snapshot."""
    folder = Batch.at(settings, make_batch_id(run_key, source.name)).folder
    with warehouse.connect(settings.warehouse) as con:
        warehouse.migrate(con)
        frontier.load_staged(con, folder)
        frontier.export_frontier(con, frontier.snapshot_path(settings))


def page_hits(server: LocalServer) -> list[str]:
    return [p for p, _ in server.hits if p.endswith(".html")]


# --- retries -------------------------------------------------------------------------------


@pytest.mark.integration  # waits out real delays or runs a script
def test_429_waits_for_retry_after_and_gives_up_when_it_is_too_long(fast: Settings) -> None:
    stamps = Stamps()
    busy = (429, {**TEXT, "Retry-After": "1"}, b"slow down")
    server = serve(
        {
            "/a.html": stamps.stamp(faults.sequence(busy, page())),
            "/c.html": (429, {**TEXT, "Retry-After": "3600"}, b"come back tomorrow"),
        }
    )
    with server:
        rows, manifest = fetch(fast, source_for(server))
    assert rows["/a.html"]["status"] == 200 and rows["/a.html"]["attempts"] == 2
    assert stamps.gaps("/a.html")[0] >= 1.0
    assert rows["/c.html"]["error_class"] == "RetryAfterTooLong"
    assert rows["/c.html"]["status"] == 429 and rows["/c.html"]["attempts"] == 1
    assert "3600" in rows["/c.html"]["error"]
    assert manifest.counts == {"fetched": 2, "RetryAfterTooLong": 1}
    assert_went_on(rows)


def test_500_then_200_is_retried(fast: Settings) -> None:
    server = serve({"/a.html": faults.sequence((500, TEXT, b"oops"), page())})
    with server:
        rows, manifest = fetch(fast, source_for(server))
    assert rows["/a.html"]["status"] == 200
    assert rows["/a.html"]["attempts"] == 2 and rows["/a.html"]["error_class"] is None
    assert manifest.counts == {"fetched": 2}
    assert_went_on(rows)


def test_500_every_time_is_logged_after_the_last_retry(fast: Settings) -> None:
    server = serve({"/a.html": (503, TEXT, b"down")})
    with server:
        rows, _ = fetch(fast, source_for(server))
    assert rows["/a.html"]["error_class"] == "HTTP503"
    assert rows["/a.html"]["attempts"] == fast.max_retries + 1
    assert page_hits(server).count("/a.html") == fast.max_retries + 1
    assert_went_on(rows)


# --- broken connections --------------------------------------------------------------------


@pytest.mark.integration  # waits out real delays or runs a script
def test_response_slower_than_the_read_timeout(fast: Settings) -> None:
    quick = replace(fast, read_timeout_s=0.3, max_retries=1, max_response_s=1)
    server = serve(
        {
            "/a.html": faults.slow(1.2, page()),
            # Each byte arrives well within the read timeout, the page never does.
            "/t.html": faults.trickle(0.1, 5000),
        }
    )
    with server:
        rows, _ = fetch(quick, source_for(server))
    assert rows["/a.html"]["error_class"] == "ReadTimeout"
    assert rows["/a.html"]["status"] is None and rows["/a.html"]["attempts"] == 2
    assert rows["/a.html"]["elapsed_ms"] < 3000
    assert rows["/t.html"]["error_class"] == "ResponseTooSlow"
    assert rows["/t.html"]["attempts"] == 1 and rows["/t.html"]["elapsed_ms"] < 2500
    assert_went_on(rows)


def test_connection_reset_is_retried(fast: Settings) -> None:
    server = serve(
        {
            "/a.html": faults.reset,
            "/b.html": _reset_then(page()),
        }
    )
    with server:
        rows, manifest = fetch(fast, source_for(server))
    assert rows["/a.html"]["error_class"] == "ConnectionError"
    assert rows["/a.html"]["attempts"] == fast.max_retries + 1
    assert rows["/a.html"]["status"] is None
    assert rows["/b.html"]["status"] == 200 and rows["/b.html"]["attempts"] == 2
    assert manifest.counts == {"fetched": 2, "ConnectionError": 1}
    assert_went_on(rows)


def _reset_then(reply: tuple[int, dict[str, str], bytes]) -> Route:
    calls = {"n": 0}

    def handle(handler: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 1:
            return faults.reset(handler)
        return reply

    return handle


def test_truncated_body_is_retried_then_logged(fast: Settings) -> None:
    server = serve({"/a.html": faults.truncated(5000, b"<html><body><p>Half a page")})
    with server:
        rows, manifest = fetch(fast, source_for(server))
    assert rows["/a.html"]["error_class"] == "TruncatedBody"
    assert rows["/a.html"]["attempts"] == fast.max_retries + 1
    assert rows["/a.html"]["bytes"] == 0
    assert manifest.counts["TruncatedBody"] == 1
    assert_went_on(rows)


# --- encodings -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "content_type", ["text/html; charset=windows-1256", "text/html"], ids=["header", "no-header"]
)
def test_windows_1256_arabic_page_comes_out_right_end_to_end(
    fast: Settings, content_type: str
) -> None:
    """fetch -> WARC archive -> parse: the page has no <meta charset>, so without the header
    only detection can find the encoding."""
    body = faults.article(TITLE_AR, PARAGRAPHS_AR, charset="windows-1256", meta=False)
    server = serve({"/ar.html": (200, {"Content-Type": content_type}, body)})
    with server:
        source = source_for(server, language="ar")
        batch_id = fetch_source(fast, source, RUN_1)
    batch = Batch.at(fast, batch_id)
    rows = {
        urlsplit(r["url"]).path: r for r in staging.read_table(batch.folder / "fetch_log.parquet")
    }
    assert rows["/ar.html"]["bytes"] == len(body)
    parse_batch(fast, batch_id)
    articles = {
        urlsplit(a["url"]).path: a for a in staging.read_jsonl(batch.folder / "articles.jsonl")
    }
    arabic = articles["/ar.html"]
    assert arabic["title"] == TITLE_AR
    for paragraph in PARAGRAPHS_AR:
        assert paragraph in arabic["body"]
    assert "\ufffd" not in arabic["body"]
    assert_went_on(rows)


# --- limits --------------------------------------------------------------------------------


def test_gzip_bomb_is_refused_without_inflating_it(fast: Settings) -> None:
    """A 64 GiB bomb (64 MB on the wire) against a 1 MB limit: reading stops at the limit,
    the server never gets to send most of it, and memory stays near the limit.
    """
    small = replace(fast, max_body_bytes=1 << 20)
    stamps = Stamps()
    bomb = faults.streamed(
        faults.gzip_bomb(members=1024),
        {"Content-Type": "text/html", "Content-Encoding": "gzip"},
        stamps,
        "bomb",
    )
    server = serve({"/bomb.html": bomb})
    with server:
        tracemalloc.start()
        try:
            rows, manifest = fetch(small, source_for(server))
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert rows["/bomb.html"]["error_class"] == "BodyTooLarge"
    assert rows["/bomb.html"]["status"] == 200 and rows["/bomb.html"]["bytes"] == 0
    assert peak < 16 << 20, f"peak Python memory {peak} bytes"
    assert stamps.sent["bomb"] < 1024 * 65000 * 0.25  # most of it never left the server
    assert manifest.counts == {"fetched": 1, "BodyTooLarge": 1}
    assert_went_on(rows)


def test_50_mb_page_is_cut_off_at_the_size_limit(fast: Settings) -> None:
    stamps = Stamps()
    fifty_mb = 50 * 1024 * 1024
    server = serve(
        {
            "/huge.html": faults.streamed(faults.filler_html(fifty_mb), HTML, stamps, "huge"),
            # Declared up front: refused before a byte of the body is read.
            "/declared.html": (200, {**HTML, "Content-Length": str(fifty_mb)}, b""),
        }
    )
    with server:
        rows, manifest = fetch(fast, source_for(server))
    limit = fast.max_body_bytes
    assert rows["/huge.html"]["error_class"] == "BodyTooLarge"
    assert str(limit) in rows["/huge.html"]["error"]
    assert stamps.sent["huge"] < fifty_mb * 0.6
    assert rows["/declared.html"]["error_class"] == "BodyTooLarge"
    assert "Content-Length" in rows["/declared.html"]["error"]
    assert manifest.counts["BodyTooLarge"] == 2
    assert_went_on(rows)


def test_redirect_loop_and_long_chain_are_cut_and_final_url_recorded(fast: Settings) -> None:
    server = serve(
        {
            "/loop-a.html": faults.redirect("/loop-b.html"),
            "/moved.html": faults.redirect("/new-home.html", 301),
            "/chain-0.html": faults.redirect("/chain-1.html"),
        },
        {
            "/loop-b.html": faults.redirect("/loop-a.html"),
            "/new-home.html": page("Moved here"),
            **{f"/chain-{i}.html": faults.redirect(f"/chain-{i + 1}.html") for i in range(1, 9)},
        },
    )
    with server:
        rows, _ = fetch(fast, source_for(server))
    assert rows["/loop-a.html"]["error_class"] == "TooManyRedirects"
    assert "loop" in rows["/loop-a.html"]["error"]
    assert rows["/chain-0.html"]["error_class"] == "TooManyRedirects"
    assert page_hits(server).count("/chain-0.html") == 1
    assert "/chain-7.html" not in page_hits(server)  # five redirects followed, no more
    assert rows["/moved.html"]["status"] == 200
    assert rows["/moved.html"]["final_url"] == server.url("/new-home.html")
    assert_went_on(rows)


def test_unsupported_content_type_is_refused_with_its_type(fast: Settings) -> None:
    server = serve({"/report.pdf": (200, {"Content-Type": "application/pdf"}, b"%PDF-1.7")})
    with server:
        rows, _ = fetch(fast, source_for(server))
    assert rows["/report.pdf"]["error_class"] == "UnsupportedContentType"
    assert "application/pdf" in rows["/report.pdf"]["error"]
    assert_went_on(rows)


# --- politeness ----------------------------------------------------------------------------


@pytest.mark.integration  # waits out real delays or runs a script
def test_robots_disallow_and_crawl_delay_are_obeyed(fast: Settings) -> None:
    stamps = Stamps()
    robots = b"User-agent: *\nDisallow: /private/\nCrawl-delay: 1\n"
    server = serve(
        {"/a.html": stamps.stamp(page()), "/private/x.html": page("Secret")},
        {"/robots.txt": (200, TEXT, robots), NEXT: stamps.stamp(page("Next page"))},
    )
    with server:
        rows, manifest = fetch(fast, source_for(server))
    assert rows["/private/x.html"]["error_class"] == "RobotsDisallowed"
    assert rows["/private/x.html"]["attempts"] == 1
    assert "/private/x.html" not in page_hits(server)
    assert [p for p, _ in server.hits].count("/robots.txt") == 1  # cached for the run
    assert stamps.times[NEXT][0] - stamps.times["/a.html"][0] >= 1.0  # Crawl-delay: 1
    assert manifest.counts == {"fetched": 2, "RobotsDisallowed": 1}
    assert_went_on(rows)


def test_private_address_is_refused_unless_the_source_allows_it(fast: Settings) -> None:
    server = serve({"/a.html": page()})
    with server:
        rows, manifest = fetch(fast, source_for(server, allow_private_addresses=False))
    assert rows["/sitemap.xml"]["error_class"] == "PrivateAddress"
    assert "127.0.0.1" in rows["/sitemap.xml"]["error"]
    assert server.hits == []  # not even robots.txt
    assert manifest.counts == {"PrivateAddress": 1}


def test_redirect_to_a_private_address_is_refused_at_the_hop(fast: Settings) -> None:
    """Every hop is checked: 127.0.0.1 stands in for a public host, 127.0.0.2 for a private
    one (Fetcher takes the address rule as a parameter for exactly this)."""
    inside = faults.HostServer({"/admin.html": page("Internal")})
    with inside:
        outside = LocalServer(
            {"/robots.txt": ROBOTS, "/go.html": faults.redirect(inside.url("/admin.html"))}
        )
        with (
            outside,
            Fetcher(
                fast,
                requests_per_second=20,
                address_allowed=lambda a: a == ipaddress.ip_address("127.0.0.1"),
            ) as fetcher,
        ):
            result = fetcher.fetch(outside.url("/go.html"))
    assert result.error_class == "PrivateAddress"
    assert "127.0.0.2" in (result.error or "")
    assert inside.hits == []


def test_connection_that_lands_on_a_forbidden_address_is_refused(fast: Settings) -> None:
    """DNS rebinding: the name checked out, the socket went elsewhere. The peer address of
    every connection is checked again (the rule passes the names, then refuses)."""
    verdicts = iter([True, True])  # the page's name, then robots.txt's name
    server = LocalServer({"/robots.txt": ROBOTS, "/a.html": page()})
    with (
        server,
        Fetcher(
            fast, requests_per_second=20, address_allowed=lambda _a: next(verdicts, False)
        ) as fetcher,
    ):
        result = fetcher.fetch(server.url("/a.html"))
    assert result.error_class == "PrivateAddress"
    assert "connected to non-public 127.0.0.1" in (result.error or "")
    assert result.status is None and result.body == b""


# --- discovery faults ----------------------------------------------------------------------


def test_malformed_feed_is_logged_and_the_sitemap_still_read(fast: Settings) -> None:
    server = serve(
        {"/a.html": page()},
        {
            "/feed.xml": (
                200,
                {"Content-Type": "application/rss+xml"},
                b"<rss><channel><item><title>Cut off",
            )
        },
    )
    with server:
        rows, manifest = fetch(fast, source_for(server, feeds=(server.url("/feed.xml"),)))
    assert rows["/feed.xml"]["error_class"] == "MalformedFeed"
    assert rows["/feed.xml"]["status"] == 200
    assert rows["/a.html"]["status"] == 200
    assert manifest.counts == {"fetched": 2, "MalformedFeed": 1}
    assert_went_on(rows)


def test_entity_bomb_in_a_sitemap_is_refused_and_the_other_sitemaps_read(
    fast: Settings,
) -> None:
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
        b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
        b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        b"<url><loc>&lol3;</loc></url></urlset>"
    )
    server = LocalServer()
    good = faults.sitemap([(server.url("/a.html"), "2024-06-19")])[2]
    index = (
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<sitemap><loc>{server.url('/bomb.xml')}</loc></sitemap>"
        f"<sitemap><loc>{server.url('/news.xml.gz')}</loc></sitemap>"
        "</sitemapindex>"
    ).encode()
    server.routes.update(
        {
            "/robots.txt": ROBOTS,
            "/sitemap.xml": (200, XML, index),
            "/bomb.xml": (200, XML, bomb),
            "/news.xml.gz": (200, {"Content-Type": "application/x-gzip"}, gzip.compress(good)),
            "/a.html": page(),
        }
    )
    with server:
        rows, manifest = fetch(fast, source_for(server))
    assert rows["/bomb.xml"]["error_class"] == "MalformedSitemap"
    assert "unsafe or malformed" in rows["/bomb.xml"]["error"]
    assert rows["/news.xml.gz"]["error_class"] is None
    assert rows["/a.html"]["status"] == 200
    assert manifest.counts == {"fetched": 1, "MalformedSitemap": 1}


# --- the frontier: only what changed -------------------------------------------------------


def test_conditional_request_answered_304_counts_as_unchanged(fast: Settings) -> None:
    server = LocalServer()
    listing = {"/a.html": "2024-06-19T08:00:00Z", "/b.html": "2024-06-19T08:00:00Z"}

    def site_map(_handler: Any) -> tuple[int, dict[str, str], bytes]:
        return faults.sitemap([(server.url(p), d) for p, d in listing.items()])

    server.routes.update(
        {
            "/robots.txt": ROBOTS,
            "/sitemap.xml": site_map,
            "/a.html": faults.conditional(
                '"v1"', "Wed, 19 Jun 2024 08:00:00 GMT", page("Validators honoured")
            ),
            # Ignores validators: sends the same page again, whose hash has not changed.
            "/b.html": page("Validators ignored"),
        }
    )
    source = source_for(server)
    with server:
        fetch(fast, source, RUN_1)
        load_frontier(fast, RUN_1, source)
        listing.update(dict.fromkeys(listing, "2024-06-20T00:30:00Z"))
        before = len(server.hits)
        rows, manifest = fetch(fast, source, RUN_2)
    second = dict(server.hits[before:])
    assert second["/a.html"]["If-None-Match"] == '"v1"'
    assert second["/a.html"]["If-Modified-Since"] == "Wed, 19 Jun 2024 08:00:00 GMT"
    assert rows["/a.html"]["status"] == 304 and rows["/a.html"]["error_class"] is None
    assert rows["/b.html"]["status"] == 200
    assert manifest.counts == {"unchanged": 2}
    assert manifest.frontier["changed"] == 2
    staged = staging.read_table(
        Batch.at(fast, make_batch_id(RUN_2, source.name)).folder / "frontier.parquet"
    )
    kept = {urlsplit(r["url"]).path: r for r in staged}
    assert kept["/a.html"]["etag"] == '"v1"' and kept["/a.html"]["last_status"] == 304
    assert kept["/a.html"]["content_hash"]  # the last good copy's hash is kept


def test_second_run_fetches_nothing_that_has_not_changed(fast: Settings) -> None:
    server = LocalServer()
    paths = [f"/story-{i}.html" for i in range(5)]
    dates = dict.fromkeys(paths, "2024-06-19")
    bodies = {p: faults.article(f"Story {p}", PARAGRAPHS_EN) for p in paths}

    def site_map(_handler: Any) -> tuple[int, dict[str, str], bytes]:
        return faults.sitemap([(server.url(p), d) for p, d in dates.items()])

    def story(handler: Any) -> tuple[int, dict[str, str], bytes]:
        return 200, HTML, bodies[handler.path]

    feed = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
        + "".join(f"<item><link>{server.url(p)}?utm_source=rss</link></item>" for p in paths[:3])
        + "</channel></rss>"
    ).encode()
    server.routes.update(
        {
            "/robots.txt": ROBOTS,
            "/sitemap.xml": site_map,
            "/feed.xml": (200, {"Content-Type": "application/rss+xml"}, feed),
            **dict.fromkeys(paths, story),
        }
    )
    source = source_for(server, feeds=(server.url("/feed.xml"),))
    with server:
        _, first = fetch(fast, source, RUN_1)
        load_frontier(fast, RUN_1, source)
        before = len(server.hits)
        rows, second = fetch(fast, source, RUN_2)
        second_hits = [p for p, _ in server.hits[before:]]
        load_frontier(fast, RUN_2, source)
        # One story is updated: its sitemap date moves and its text changes.
        dates["/story-3.html"] = "2024-06-20T01:30:00+00:00"
        bodies["/story-3.html"] = faults.article("Story updated", PARAGRAPHS_EN[::-1])
        before = len(server.hits)
        rows3, third = fetch(fast, source, RUN_3)
        third_hits = [p for p, _ in server.hits[before:]]
    assert first.counts == {"fetched": 5}  # the feed's tracking links are the same pages
    assert [p for p in second_hits if p.endswith(".html")] == []
    assert second.counts == {}
    assert second.frontier == {"known_unchanged": 5, "over_limit": 0}
    assert set(rows) == {"/sitemap.xml", "/feed.xml"}
    assert [p for p in third_hits if p.endswith(".html")] == ["/story-3.html"]
    assert third.counts == {"fetched": 1}
    assert rows3["/story-3.html"]["status"] == 200
    with warehouse.connect(fast.warehouse, read_only=True) as con:
        hashes = con.execute("SELECT count(DISTINCT content_hash) FROM frontier").fetchone()
    assert hashes == (5,)  # before the third run's load: every story fetched once


def test_page_budget_leaves_new_urls_for_the_next_run(fast: Settings) -> None:
    server = serve({f"/p{i}.html": page(f"P{i}") for i in range(4)})
    source = source_for(server, max_pages_per_run=3)
    with server:
        _, first = fetch(fast, source, RUN_1)
        load_frontier(fast, RUN_1, source)
        rows, second = fetch(fast, source, RUN_2)
    assert first.counts == {"fetched": 3} and first.frontier["over_limit"] == 2
    assert second.counts == {"fetched": 2}  # the two left over, nothing fetched twice
    assert {p for p in rows if p.endswith(".html")} == {"/p3.html", NEXT}
    snapshot = staging.read_table(frontier.snapshot_path(fast))
    pending = [r for r in snapshot if r["last_fetched_at_utc"] is None]
    assert len(pending) == 2 and all(r["first_seen_at_utc"] for r in pending)


def test_archive_holds_pages_and_discovery_separately(fast: Settings) -> None:
    server = serve({"/a.html": page()})
    with server:
        _, manifest = fetch(fast, source_for(server))
    pages = [p.url for w in manifest.warc_files for p in read_responses(Path(w))]
    found = [p.url for w in manifest.discovery_warc_files for p in read_responses(Path(w))]
    assert sorted(urlsplit(u).path for u in pages) == ["/a.html", NEXT]
    assert [urlsplit(u).path for u in found] == ["/sitemap.xml"]
    assert json.dumps(asdict(manifest))  # plain JSON all through
