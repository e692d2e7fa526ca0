"""`newsfacts crawl` and `newsfacts sources check` against a site served on 127.0.0.1."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from newsfacts import warehouse
from newsfacts.cli import main
from newsfacts.crawl.sources import load_sources
from tests.support import faults
from tests.support.faults import HTML, TEXT
from tests.support.server import LocalServer

PARAGRAPHS = [
    "Some 300 Dutch marines arrived in Lithuania on Monday for a six-month rotation with the"
    " NATO battle group stationed near Rukla, the defence ministry said.",
    "The deployment brings the multinational force in the country to about 1,600 troops.",
]

SOURCES = """
sources:
  - name: local-news
    site: "{{base_url}}"
    language: en
    feeds: ["{{base_url}}/feed.xml"]
    sitemaps: ["{{base_url}}/sitemap.xml"]
    requests_per_second: 20
    allow_private_addresses: true
  - name: broken-feed
    site: "{{base_url}}"
    language: ar
    feeds: ["{{base_url}}/missing.xml"]
    requests_per_second: 20
    allow_private_addresses: true
  - name: bad-schedule
    site: "{{base_url}}"
    language: en
    feeds: ["{{base_url}}/feed.xml"]
    schedule: "every hour"
"""


@pytest.fixture
def site() -> Any:
    server = LocalServer()
    stories = [f"/2024/06/story-{i}.html" for i in range(4)]
    feed = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Local</title>'
        + "".join(f"<item><link>{server.url(p)}</link></item>" for p in stories[:2])
        + "</channel></rss>"
    ).encode()
    server.routes.update(
        {
            "/robots.txt": (200, TEXT, b"User-agent: *\nDisallow: /2024/06/story-3.html\n"),
            "/feed.xml": (200, {"Content-Type": "application/rss+xml"}, feed),
            "/sitemap.xml": faults.sitemap(
                [(server.url(p), "2024-06-19") for p in stories]
                + [("https://elsewhere.example/x.html", "2024-06-19")]
            ),
            **{p: (200, HTML, faults.article(f"Story {p}", PARAGRAPHS)) for p in stories},
        }
    )
    with server:
        yield server


def sources_file(tmp_path: Path, text: str = SOURCES) -> Path:
    path = tmp_path / "sources.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[str]]:
    code = main(list(argv))
    return code, capsys.readouterr().out.strip().splitlines()


def test_crawl_prints_a_summary_and_a_second_crawl_fetches_nothing(
    tmp_path: Path, site: LocalServer, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["crawl", "--sources", str(sources_file(tmp_path)), "--base-url", site.base_url]
    args += ["--home", str(tmp_path / "home")]
    code, lines = run_cli(capsys, *args, "--run-key", "2024-06-20T00-00-00Z")
    first = json.loads(lines[-1])
    assert code == 0
    assert first["sources"] == 2  # bad-schedule is skipped, the others run
    assert first["pages_fetched"] == 3
    assert first["refused_by_robots"] == 1
    assert first["failed_by_reason"] == {"HTTP404": 1}  # broken-feed's missing feed
    assert first["frontier_recorded"] is True
    assert (tmp_path / "home" / "frontier.parquet").exists()

    before = len(site.hits)
    code, lines = run_cli(capsys, *args, "--run-key", "2024-06-20T01-00-00Z")
    second = json.loads(lines[-1])
    assert [p for p, _ in site.hits[before:] if p.startswith("/2024/")] == []
    assert second["pages_fetched"] == 0 and second["pages_unchanged"] == 0
    assert second["known_not_refetched"] == 3
    assert second["refused_by_robots"] == 1  # asked again each run: robots.txt may change
    with warehouse.connect(tmp_path / "home" / "newsfacts.duckdb", read_only=True) as con:
        urls = con.execute("SELECT count(*) FROM frontier WHERE last_status = 200").fetchone()
    assert urls == (3,)


def test_crawl_of_one_named_source(
    tmp_path: Path, site: LocalServer, capsys: pytest.CaptureFixture[str]
) -> None:
    code, lines = run_cli(
        capsys,
        "crawl",
        "--sources",
        str(sources_file(tmp_path)),
        "--base-url",
        site.base_url,
        "--home",
        str(tmp_path / "home"),
        "--source",
        "broken-feed",
    )
    summary = json.loads(lines[-1])
    assert code == 0 and summary["sources"] == 1 and summary["pages_fetched"] == 0
    assert summary["failed_by_reason"] == {"HTTP404": 1}


def test_sources_check_reports_each_feed_and_sitemap(
    tmp_path: Path, site: LocalServer, capsys: pytest.CaptureFixture[str]
) -> None:
    code, lines = run_cli(
        capsys,
        "sources",
        "check",
        "--sources",
        str(sources_file(tmp_path)),
        "--base-url",
        site.base_url,
        "--home",
        str(tmp_path / "home"),
    )
    assert code == 1  # one feed does not answer and one entry is invalid
    by_url = {line.rsplit(maxsplit=1)[-1]: line for line in lines if "http" in line}
    feed = by_url[site.url("/feed.xml")]
    assert feed.startswith("local-news") and " ok " in feed and "2 article URLs" in feed
    sitemap = by_url[site.url("/sitemap.xml")]
    assert "4 article URLs (+1 on other hosts, skipped)" in sitemap
    missing = by_url[site.url("/missing.xml")]
    assert missing.startswith("broken-feed") and "FAILED" in missing and "HTTP404" in missing
    invalid = [line for line in lines if line.startswith("invalid:")]
    assert len(invalid) == 1
    assert "'bad-schedule'" in invalid[0] and "'schedule'" in invalid[0]
    # Checking reads feeds and sitemaps only: no article page is requested.
    assert not [p for p, _ in site.hits if p.startswith("/2024/")]


def test_sources_check_passes_when_everything_answers(
    tmp_path: Path, site: LocalServer, capsys: pytest.CaptureFixture[str]
) -> None:
    only_good = SOURCES.split("  - name: broken-feed", maxsplit=1)[0]
    code, lines = run_cli(
        capsys,
        "sources",
        "check",
        "--sources",
        str(sources_file(tmp_path, only_good)),
        "--base-url",
        site.base_url,
    )
    assert code == 0 and len(lines) == 2 and all(" ok " in line for line in lines)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("schedule", "'every hour'", "not a cron expression or preset"),
        ("schedule", "'0 * * *'", "not a cron expression or preset"),
        ("allowed_domains", "['https://cdn.example.org']", "not a host name"),
        ("allowed_domains", "['cdn.example.org/path']", "not a host name"),
        ("site", "'{{base_url}}'", "needs a base URL"),
    ],
)
def test_bad_source_fields_are_named(tmp_path: Path, field: str, value: str, message: str) -> None:
    entry = {"name": "x", "site": "'https://news.example'", "language": "en"}
    entry["feeds"] = "['https://news.example/rss']"
    entry[field] = value
    text = "sources:\n  - " + "\n    ".join(f"{k}: {v}" for k, v in entry.items()) + "\n"
    loaded = load_sources(sources_file(tmp_path, text))
    assert loaded.sources == []
    assert [(e.source, e.field) for e in loaded.errors] == [("x", field)]
    assert message in loaded.errors[0].message


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("schedule", "'@daily'"),
        ("schedule", "'15 */2 * * mon-fri'"),
        ("allowed_domains", "['cdn.example.org', 'FEEDS.example.org']"),
    ],
)
def test_good_source_fields_pass(tmp_path: Path, field: str, value: str) -> None:
    text = (
        "sources:\n  - name: x\n    site: 'https://news.example'\n    language: en\n"
        f"    feeds: ['https://news.example/rss']\n    {field}: {value}\n"
    )
    loaded = load_sources(sources_file(tmp_path, text))
    assert loaded.errors == [] and len(loaded.sources) == 1
