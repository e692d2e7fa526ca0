import gzip
import time
from dataclasses import replace

import pytest

from newsfacts.crawl.archive import ArchiveWriter, read_responses
from newsfacts.crawl.fetch import Fetcher
from newsfacts.settings import Settings
from tests.support.server import Handler, LocalServer

HTML = {"Content-Type": "text/html; charset=utf-8"}
ROBOTS = (200, {"Content-Type": "text/plain"}, b"User-agent: *\nDisallow: /private/\n")


def test_fetch_then_archive_round_trip(settings: Settings, tmp_path) -> None:
    body = "<html><body><p>قوات أميركية</p></body></html>".encode()
    server = LocalServer({"/robots.txt": ROBOTS, "/a.html": (200, HTML, body)})
    with server, Fetcher(settings, requests_per_second=50, allow_private_addresses=True) as fetcher:
        result = fetcher.fetch(server.url("/a.html"))
    assert result.ok and result.status == 200 and result.body == body
    assert "newsfacts" in server.hits[-1][1]["User-Agent"]
    warc = tmp_path / "x.warc.gz"
    with ArchiveWriter(warc) as archive:
        offset = archive.write(result)
    pages = list(read_responses(warc))
    assert len(pages) == 1
    assert pages[0].body == body
    assert pages[0].url == server.url("/a.html")
    assert pages[0].warc_offset == offset
    assert pages[0].content_type == "text/html; charset=utf-8"


def test_archive_never_overwrites(tmp_path) -> None:
    warc = tmp_path / "x.warc.gz"
    ArchiveWriter(warc).close()
    try:
        ArchiveWriter(warc)
    except FileExistsError:
        pass
    else:
        raise AssertionError("an existing archive file was reopened for writing")


def test_gzip_body_is_stored_decoded(settings: Settings, tmp_path) -> None:
    raw = b"<html><body>" + b"x" * 1000 + b"</body></html>"
    server = LocalServer(
        {
            "/robots.txt": ROBOTS,
            "/z.html": (200, {**HTML, "Content-Encoding": "gzip"}, gzip.compress(raw)),
        }
    )
    with server, Fetcher(settings, allow_private_addresses=True) as fetcher:
        result = fetcher.fetch(server.url("/z.html"))
    warc = tmp_path / "z.warc.gz"
    with ArchiveWriter(warc) as archive:
        archive.write(result)
    assert next(read_responses(warc)).body == raw


def test_robots_disallow_is_refused_without_request(settings: Settings) -> None:
    server = LocalServer({"/robots.txt": ROBOTS, "/private/x.html": (200, HTML, b"secret")})
    with server, Fetcher(settings, allow_private_addresses=True) as fetcher:
        result = fetcher.fetch(server.url("/private/x.html"))
    assert result.error_class == "RobotsDisallowed"
    assert all(path != "/private/x.html" for path, _ in server.hits)


def test_private_address_refused_unless_allowed(settings: Settings) -> None:
    server = LocalServer({"/robots.txt": ROBOTS, "/a.html": (200, HTML, b"<p>x</p>")})
    with server, Fetcher(settings) as fetcher:
        result = fetcher.fetch(server.url("/a.html"))
    assert result.error_class == "PrivateAddress"
    assert server.hits == []


@pytest.mark.integration  # waits out real delays or runs a script
def test_server_error_is_retried_then_succeeds(settings: Settings) -> None:
    calls = {"n": 0}

    def flaky(handler: Handler):
        calls["n"] += 1
        if calls["n"] == 1:
            return 503, {"Content-Type": "text/plain", "Retry-After": "0"}, b"busy"
        return 200, HTML, b"<p>ok</p>"

    server = LocalServer({"/robots.txt": ROBOTS, "/f.html": flaky})
    with server, Fetcher(settings, allow_private_addresses=True) as fetcher:
        result = fetcher.fetch(server.url("/f.html"))
    assert result.ok and result.attempts == 2


def test_oversized_body_is_refused(settings: Settings) -> None:
    small = replace(settings, max_body_bytes=1000)
    server = LocalServer({"/robots.txt": ROBOTS, "/big.html": (200, HTML, b"x" * 5000)})
    with server, Fetcher(small, allow_private_addresses=True) as fetcher:
        result = fetcher.fetch(server.url("/big.html"))
    assert result.error_class == "BodyTooLarge"


def test_unsupported_content_type_is_refused(settings: Settings) -> None:
    server = LocalServer(
        {
            "/robots.txt": ROBOTS,
            "/x.pdf": (200, {"Content-Type": "application/pdf"}, b"%PDF-1.4"),
        }
    )
    with server, Fetcher(settings, allow_private_addresses=True) as fetcher:
        result = fetcher.fetch(server.url("/x.pdf"))
    assert result.error_class == "UnsupportedContentType"


def test_rate_limit_spaces_requests_to_one_host(settings: Settings) -> None:
    server = LocalServer({"/robots.txt": ROBOTS, "/a.html": (200, HTML, b"<p>a</p>")})
    with server, Fetcher(settings, requests_per_second=10, allow_private_addresses=True) as fetcher:
        started = time.monotonic()
        for _ in range(4):
            assert fetcher.fetch(server.url("/a.html")).ok
        elapsed = time.monotonic() - started
    assert elapsed >= 0.3  # four requests at 10/s need three gaps of 0.1 s
