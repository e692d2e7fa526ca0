"""The whole flow without Airflow, over a small site with one page that cannot be parsed."""

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from newsfacts import warehouse
from newsfacts.cli import main
from newsfacts.demo.run import DEMO_SOURCES
from newsfacts.demo.site import DemoSite
from newsfacts.flow.pipeline import run_once
from newsfacts.settings import Settings
from tests.support.server import LocalServer

HTML = {"Content-Type": "text/html; charset=utf-8"}
GOOD = """<html lang="en"><head><title>US keeps troops in Iraq</title>
<meta property="article:published_time" content="2024-01-08T10:00:00+00:00"></head>
<body><article><h1>US keeps troops in Iraq</h1>
<p>The United States has no plans to withdraw its roughly 2,500 troops from Iraq, the Pentagon
said on Monday, a week after Baghdad announced steps to end the coalition's mission.</p>
<p>Washington also keeps about 900 troops in Syria as part of the same coalition, officials said,
adding that attacks on its forces had risen since October.</p></article></body></html>"""


def test_a_page_that_cannot_be_parsed_is_quarantined_and_the_run_goes_on(
    settings: Settings, tmp_path: Path
) -> None:
    server = LocalServer()
    base = server.base_url
    feed = f"""<rss version="2.0"><channel><title>t</title>
      <item><link>{base}/good.html</link></item><item><link>{base}/empty.html</link></item>
    </channel></rss>"""
    server.routes.update(
        {
            "/robots.txt": (200, {"Content-Type": "text/plain"}, b"User-agent: *\nAllow: /\n"),
            "/feed.xml": (200, {"Content-Type": "application/rss+xml"}, feed.encode()),
            "/good.html": (200, HTML, GOOD.encode()),
            "/empty.html": (200, HTML, b""),
        }
    )
    sources = tmp_path / "sources.yaml"
    sources.write_text(
        "sources:\n  - {name: local, site: '{{base_url}}', language: en,"
        " feeds: ['{{base_url}}/feed.xml'], requests_per_second: 50, allow_private_addresses: true}\n"
    )
    with server:
        summary = run_once(settings, sources, "2024-01-08T00-00-00Z", base_url=base)
    assert summary["articles_parsed"] == 1
    assert summary["failures_by_reason"] == {"parse:empty": 1}
    with warehouse.connect(settings.warehouse, read_only=True) as con:
        facts = con.execute(
            "SELECT actor, location, count FROM troop_counts ORDER BY count"
        ).fetchall()
        page = con.execute(
            "SELECT record_key, record, failed_expectations FROM quarantine WHERE table_name = 'pages'"
        ).fetchone()
    assert facts == [("USA", "SYR", 900), ("USA", "IRQ", 2500)]
    assert page[0] == f"{base}/empty.html"
    assert page[2][0].startswith("parse error: empty")
    assert json.loads(page[1])["warc_file"].endswith(".warc.gz")


def test_a_run_after_a_crawl_loads_the_pages_the_crawl_fetched(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Issue 12 item 1: the run loaded nothing (`articles_parsed: 0`) and fetch_log stayed empty.
    home = tmp_path / "home"
    with DemoSite() as site:
        where = ["--sources", str(DEMO_SOURCES), "--base-url", site.base_url, "--home", str(home)]
        assert main(["crawl", *where, "--run-key", "2024-06-20T00-00-00Z"]) == 0
        crawled = json.loads(capsys.readouterr().out.splitlines()[-1])
        with warehouse.connect(home / "newsfacts.duckdb", read_only=True) as con:
            logged = con.execute("SELECT count(*) FROM fetch_log").fetchone()
            pages = con.execute(
                "SELECT count(*) FROM fetch_log WHERE status = 200 AND url LIKE '%.html'"
            ).fetchone()
        assert pages == (crawled["pages_fetched"],) == (10,)
        assert main(["run", *where, "--run-key", "2024-06-20T01-00-00Z"]) == 0
        ran = json.loads(capsys.readouterr().out.splitlines()[-1])
        # Item 3: checked right after the fetch, the volume counts what was just fetched.
        assert main(["quality", *where]) == 0
        checks = capsys.readouterr().out.splitlines()
    assert ran["earlier_batches"] == 2
    assert ran["pages_fetched"] == 10 and ran["articles_parsed"] == 10
    with warehouse.connect(home / "newsfacts.duckdb", read_only=True) as con:
        assert con.execute("SELECT count(*) FROM articles").fetchone() == (10,)
        # the load replaced the crawl's fetch_log rows rather than adding them again
        crawl_rows = con.execute(
            "SELECT count(*) FROM fetch_log WHERE batch_id LIKE '2024-06-20T00%'"
        ).fetchone()
    assert crawl_rows == logged
    volume = [" ".join(line.split()) for line in checks if "volume[" in line]
    assert volume == [
        f"ok volume[{source}] {source}: 5 articles in the last day against a trailing-week"
        " mean of 0.0"
        for source in ("demo-ar", "demo-en")
    ]


def test_a_page_dated_ahead_is_quarantined_with_its_reason_not_loaded_with_a_guess(
    settings: Settings, tmp_path: Path
) -> None:
    # Issue 12 item 2: five days ahead was loaded with a date htmldate guessed from last week.
    ahead = (datetime.now(UTC) + timedelta(days=5)).strftime("%Y-%m-%dT%H:%M:%S+00:00")
    pages = {
        "/good.html": GOOD,
        "/ahead.html": GOOD.replace("2024-01-08T10:00:00+00:00", ahead),
        "/far.html": GOOD.replace("2024-01-08T10:00:00+00:00", "2099-01-01T00:00:00Z"),
    }
    server = LocalServer()
    base = server.base_url
    feed = "".join(f"<item><link>{base}{path}</link></item>" for path in pages)
    server.routes.update(
        {
            "/robots.txt": (200, {"Content-Type": "text/plain"}, b"User-agent: *\nAllow: /\n"),
            "/feed.xml": (
                200,
                {"Content-Type": "application/rss+xml"},
                f'<rss version="2.0"><channel><title>t</title>{feed}</channel></rss>'.encode(),
            ),
            **{path: (200, HTML, html.encode()) for path, html in pages.items()},
        }
    )
    sources = tmp_path / "sources.yaml"
    sources.write_text(
        "sources:\n  - {name: local, site: '{{base_url}}', language: en,"
        " feeds: ['{{base_url}}/feed.xml'], requests_per_second: 50, allow_private_addresses: true}\n"
    )
    # Two of three articles (and their facts) held back: more than the default share allows.
    lenient = replace(settings, quarantine_max_share=0.9)
    with server:
        run_once(lenient, sources, "2024-01-08T00-00-00Z", base_url=base)
    with warehouse.connect(settings.warehouse, read_only=True) as con:
        loaded = con.execute(
            "SELECT url, published_as_written, published_source FROM articles"
        ).fetchall()
        held = con.execute(
            "SELECT record, failed_expectations FROM quarantine"
            " WHERE table_name = 'articles' ORDER BY record_key"
        ).fetchall()
    assert loaded == [(f"{base}/good.html", "2024-01-08T10:00:00+00:00", "meta")]
    stated = {json.loads(record)["url"]: json.loads(record) for record, _ in held}
    assert stated[f"{base}/ahead.html"]["published_as_written"] == ahead
    assert stated[f"{base}/far.html"]["published_as_written"] == "2099-01-01T00:00:00+00:00"
    assert {r["published_source"] for r in stated.values()} == {"meta"}
    assert [broken for _, broken in held] == [
        ["expect_column_values_to_be_between(_published_days_ahead)"]
    ] * 2
