"""Per-host politeness holds across fetchers, threads and processes (crawl.pace).

The server on 127.0.0.1 records when each request arrived and when its answer was sent; two
sources on that one host are fetched side by side, and the host must still see one request at
a time, each at least the interval after the one before.
"""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from newsfacts.crawl.fetch import Fetcher
from newsfacts.crawl.pace import HostPace, SharedPace, host_file
from newsfacts.settings import Settings
from tests.support import faults
from tests.support.faults import HTML, TEXT
from tests.support.server import Handler, LocalServer, Reply

RATE = 5.0  # requests per second, for each source
INTERVAL = 1.0 / RATE
# Time-stamps are taken in the server's handler threads as requests arrive: on a busy machine
# one request may be seen late and the next on time. Without the shared pace, two sources at
# 5/s each arrive 0.065 s apart, well below INTERVAL - SLACK.
SLACK = 0.07
PAGES = 10
PARAGRAPHS = ["About 1,000 Italian soldiers serve with UNIFIL in southern Lebanon, officials said."]


class Recorder:
    """Routes that log (path, arrived, answered) and take a moment to answer."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, float, float]] = []
        self._lock = threading.Lock()

    def route(self, reply: Reply, work_s: float = 0.03) -> Any:
        def answer(handler: Handler) -> Reply:
            arrived = time.time()
            time.sleep(work_s)  # long enough for a second request to overlap, if one were sent
            with self._lock:
                self.requests.append((handler.path, arrived, time.time()))
            return reply

        return answer

    def in_order(self) -> list[tuple[str, float, float]]:
        return sorted(self.requests, key=lambda r: r[1])


def pace_violations(
    requests: list[tuple[str, float, float]], interval: float
) -> list[tuple[str, str, float]]:
    """Pairs of consecutive requests that overlapped or started closer than `interval`."""
    found = []
    for (first, start, end), (second, next_start, _) in itertools.pairwise(requests):
        if next_start < end - SLACK or next_start - start < interval - SLACK:
            found.append((first, second, round(next_start - start, 3)))
    return found


@pytest.fixture
def site() -> Any:
    server = LocalServer()
    recorder = Recorder()
    server.routes["/robots.txt"] = recorder.route((200, TEXT, b"User-agent: *\nAllow: /\n"))
    for source in ("a", "b"):
        pages = [f"/{source}/{i}.html" for i in range(PAGES)]
        feed = (
            '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
            + "".join(f"<item><link>{server.url(p)}</link></item>" for p in pages)
            + "</channel></rss>"
        ).encode()
        server.routes[f"/{source}/feed.xml"] = recorder.route(
            (200, {"Content-Type": "application/rss+xml"}, feed)
        )
        for path in pages:
            server.routes[path] = recorder.route(
                (200, HTML, faults.article(f"Story {path}", PARAGRAPHS))
            )
    with server:
        server.recorder = recorder  # type: ignore[attr-defined]
        yield server


def test_the_pace_rule_finds_requests_too_close() -> None:
    ok = [("/1", 0.0, 0.05), ("/2", 0.2, 0.25), ("/3", 0.4, 0.45)]
    assert pace_violations(ok, 0.2) == []
    assert pace_violations([("/1", 0.0, 0.05), ("/2", 0.1, 0.15)], 0.2) == [("/1", "/2", 0.1)]
    assert pace_violations([("/1", 0.0, 0.5), ("/2", 0.3, 0.35)], 0.2) == [("/1", "/2", 0.3)]


def test_two_fetchers_of_one_host_in_two_threads_keep_one_pace(
    settings: Settings, site: LocalServer
) -> None:
    """Two sources' fetchers in one process (two tasks' threads) share the host's pace."""

    def fetch_all(source: str) -> None:
        with Fetcher(settings, requests_per_second=RATE, allow_private_addresses=True) as f:
            for i in range(4):
                assert f.fetch(site.url(f"/{source}/{i}.html")).ok

    threads = [threading.Thread(target=fetch_all, args=(s,)) for s in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    requests = site.recorder.in_order()  # type: ignore[attr-defined]
    pages = [r for r in requests if r[0].endswith(".html")]
    assert len(pages) == 8
    assert pace_violations(requests, INTERVAL) == []


def test_a_hold_asked_by_the_host_reaches_every_fetcher(tmp_path: Path) -> None:
    pace = SharedPace(tmp_path)
    pace.defer("news.example", 30)
    other = SharedPace(tmp_path)  # another fetcher, another process: the same file
    assert other.read("news.example").hold_until > time.time() + 25
    assert other.read("news.example").ready_at(0.1) > time.time() + 25


def test_the_slower_pace_of_two_sources_holds() -> None:
    record = HostPace(last_start=100.0, interval_s=2.0)
    assert record.ready_at(0.5) == 102.0
    assert HostPace(last_start=100.0, interval_s=0.5).ready_at(2.0) == 102.0


def test_host_files_stay_in_their_folder(tmp_path: Path) -> None:
    assert host_file(tmp_path, "News.Example.com") == tmp_path / "news.example.com.pace"
    for odd in ("../../etc/passwd", "a/b", "", "..", "x" * 300):
        assert host_file(tmp_path, odd).parent == tmp_path
        assert host_file(tmp_path, odd).name.startswith("h-")


def test_a_damaged_record_starts_the_host_afresh(tmp_path: Path) -> None:
    host_file(tmp_path, "news.example").write_text('{"last_start": ', encoding="utf-8")
    assert SharedPace(tmp_path).read("news.example") == HostPace()
    ahead = json.dumps({"last_start": time.time() + 10 * 3600})
    host_file(tmp_path, "news.example").write_text(ahead, encoding="utf-8")
    assert SharedPace(tmp_path).read("news.example") == HostPace()


SOURCES = """
sources:
  - name: outlet-a
    site: "{{base_url}}"
    language: en
    feeds: ["{{base_url}}/a/feed.xml"]
    requests_per_second: %(rate)s
    max_pages_per_run: 50
    allow_private_addresses: true
  - name: outlet-b
    site: "{{base_url}}"
    language: en
    feeds: ["{{base_url}}/b/feed.xml"]
    requests_per_second: %(rate)s
    max_pages_per_run: 50
    allow_private_addresses: true
"""


@pytest.mark.integration
def test_two_sources_on_one_host_crawled_by_two_processes_keep_one_pace(
    tmp_path: Path, site: LocalServer
) -> None:
    """Two `newsfacts crawl` processes, one source each, on one host: as two Airflow tasks."""
    sources = tmp_path / "sources.yaml"
    sources.write_text(SOURCES % {"rate": RATE}, encoding="utf-8")
    home = tmp_path / "home"
    newsfacts = str(Path(sys.executable).with_name("newsfacts"))
    env = {**os.environ, "NEWSFACTS_HOME": str(home)}
    crawls = []
    for name in ("outlet-a", "outlet-b"):
        argv = [
            newsfacts, "crawl", "--sources", str(sources), "--base-url", site.base_url,
            "--source", name, "--run-key", "2024-06-20T10:00:00",
        ]  # fmt: skip
        crawls.append(
            subprocess.Popen(
                argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
            )
        )
    outputs = [c.communicate(timeout=120) for c in crawls]
    for crawl, (out, err) in zip(crawls, outputs, strict=True):
        assert crawl.returncode == 0, err[-2000:]
        assert json.loads(out.strip().splitlines()[-1])["pages_fetched"] == PAGES
    requests = site.recorder.in_order()  # type: ignore[attr-defined]
    by_source = {s: [r for r in requests if r[0].startswith(f"/{s}/")] for s in ("a", "b")}
    assert all(len(r) == PAGES + 1 for r in by_source.values())  # feed and pages
    # The two crawls did run side by side: each fetched while the other was fetching.
    a, b = by_source["a"], by_source["b"]
    assert a[0][1] < b[-1][1] and b[0][1] < a[-1][1], "the crawls did not overlap"
    gaps = [round(n[1] - p[1], 3) for p, n in itertools.pairwise(requests)]
    print(
        "request starts (s after the first):", [round(r[1] - requests[0][1], 3) for r in requests]
    )
    print("paths in order:", [r[0] for r in requests])
    print("gaps:", gaps, "min", min(gaps))
    assert pace_violations(requests, INTERVAL) == []
