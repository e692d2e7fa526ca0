"""Fetch stage: polite HTTP GETs with timeouts, retries, robots.txt and size limits."""

from __future__ import annotations

import ipaddress
import logging
import socket
import threading
import time
import urllib.robotparser
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from newsfacts.settings import Settings

log = logging.getLogger(__name__)

ACCEPTED_TYPES = (
    "text/html",
    "application/xhtml+xml",
    "application/xml",
    "text/xml",
    "application/rss+xml",
    "application/atom+xml",
    "text/plain",
)


@dataclass(slots=True)
class FetchResult:
    """One fetch attempt's outcome: what a fetch-log row and the archive need."""

    url: str
    final_url: str
    status: int | None
    headers: dict[str, str]
    body: bytes
    elapsed_ms: int
    fetched_at_utc: str
    attempts: int = 1
    error_class: str | None = None
    error: str | None = None
    request_headers: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.error_class is None and self.status is not None and 200 <= self.status < 300

    @property
    def not_modified(self) -> bool:
        return self.status == 304


class FetchRefused(Exception):
    """A request we decided not to make or not to finish (robots, private address, size, type)."""

    def __init__(self, error_class: str, message: str) -> None:
        super().__init__(message)
        self.error_class = error_class


def is_private_host(host: str) -> bool:
    """True when any address `host` resolves to is private, loopback, link-local or reserved."""
    try:
        infos = socket.getaddrinfo(host, None)
    except socket.gaierror:
        return False
    for info in infos:
        addr = ipaddress.ip_address(info[4][0])
        if addr.is_private or addr.is_loopback or addr.is_link_local or addr.is_reserved:
            return True
    return False


class Fetcher:
    """A pooled HTTP client for one source: robots.txt, per-host rate limit, retries, limits."""

    def __init__(
        self,
        settings: Settings,
        *,
        requests_per_second: float = 1.0,
        allow_private_addresses: bool = False,
    ) -> None:
        self.settings = settings
        self.min_interval_s = 1.0 / requests_per_second
        self.allow_private = allow_private_addresses
        self.session = requests.Session()
        retry = Retry(
            total=settings.max_retries,
            connect=settings.max_retries,
            read=settings.max_retries,
            status=settings.max_retries,
            backoff_factor=0.5,
            backoff_jitter=0.25,
            status_forcelist=(429, 500, 502, 503, 504),
            allowed_methods=frozenset({"GET", "HEAD"}),
            respect_retry_after_header=True,
            raise_on_status=False,
        )
        adapter = HTTPAdapter(max_retries=retry, pool_connections=8, pool_maxsize=8)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self.session.max_redirects = 5
        self.session.headers["User-Agent"] = settings.user_agent
        self._robots: dict[str, urllib.robotparser.RobotFileParser] = {}
        self._last_request: dict[str, float] = {}
        self._lock = threading.Lock()

    def close(self) -> None:
        self.session.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _wait_turn(self, host: str, delay_s: float) -> None:
        with self._lock:
            now = time.monotonic()
            ready_at = self._last_request.get(host, 0.0) + delay_s
            self._last_request[host] = max(now, ready_at)
        if ready_at > now:
            time.sleep(ready_at - now)

    def _robots_for(self, url: str) -> urllib.robotparser.RobotFileParser:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        parser = self._robots.get(origin)
        if parser is None:
            parser = urllib.robotparser.RobotFileParser(origin + "/robots.txt")
            try:
                response = self.session.get(
                    origin + "/robots.txt",
                    timeout=(self.settings.connect_timeout_s, self.settings.read_timeout_s),
                )
                if response.status_code in (401, 403):
                    parser.disallow_all = True
                elif response.status_code >= 400:
                    parser.allow_all = True
                else:
                    parser.parse(response.text.splitlines())
            except requests.RequestException as exc:
                # An unreachable robots.txt is treated as "no rules", as major crawlers do.
                log.warning("robots.txt unreachable for %s: %s", origin, exc)
                parser.allow_all = True
            self._robots[origin] = parser
        return parser

    def _check_allowed(self, url: str) -> float:
        host = urlsplit(url).hostname or ""
        if not self.allow_private and is_private_host(host):
            raise FetchRefused("PrivateAddress", f"{host} resolves to a private address")
        robots = self._robots_for(url)
        if not robots.can_fetch(self.settings.user_agent, url):
            raise FetchRefused("RobotsDisallowed", "disallowed by robots.txt")
        crawl_delay = robots.crawl_delay(self.settings.user_agent)
        return max(self.min_interval_s, float(crawl_delay or 0))

    def fetch(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None
    ) -> FetchResult:
        """GET `url`; failures come back as a FetchResult with error_class set, never raised."""
        started = time.monotonic()
        fetched_at = datetime.now(UTC).isoformat(timespec="seconds")
        request_headers: dict[str, str] = {}
        if etag:
            request_headers["If-None-Match"] = etag
        if last_modified:
            request_headers["If-Modified-Since"] = last_modified
        try:
            delay = self._check_allowed(url)
            self._wait_turn(urlsplit(url).netloc, delay)
            with self.session.get(
                url,
                headers=request_headers,
                timeout=(self.settings.connect_timeout_s, self.settings.read_timeout_s),
                stream=True,
            ) as response:
                body = self._read_body(response)
                retries = response.raw.retries
                attempts = 1 + (len(retries.history) if retries is not None else 0)
                return FetchResult(
                    url=url,
                    final_url=response.url,
                    status=response.status_code,
                    headers=dict(response.headers),
                    body=body,
                    elapsed_ms=int((time.monotonic() - started) * 1000),
                    fetched_at_utc=fetched_at,
                    attempts=attempts,
                    error_class=None
                    if response.status_code < 400 or response.status_code == 304
                    else f"HTTP{response.status_code}",
                    error=None if response.status_code < 400 else response.reason,
                    request_headers={**self.session.headers, **request_headers},  # type: ignore[dict-item]
                )
        except FetchRefused as exc:
            error_class, error = exc.error_class, str(exc)
        except requests.RequestException as exc:
            error_class, error = type(exc).__name__, str(exc)[:500]
        log.warning("fetch failed: %s: %s: %s", url, error_class, error)
        return FetchResult(
            url=url,
            final_url=url,
            status=None,
            headers={},
            body=b"",
            elapsed_ms=int((time.monotonic() - started) * 1000),
            fetched_at_utc=fetched_at,
            error_class=error_class,
            error=error,
            request_headers={**self.session.headers, **request_headers},  # type: ignore[dict-item]
        )

    def _read_body(self, response: requests.Response) -> bytes:
        if response.status_code == 304:
            return b""
        content_type = response.headers.get("Content-Type", "text/html").split(";")[0].strip()
        if response.ok and content_type.lower() not in ACCEPTED_TYPES:
            raise FetchRefused("UnsupportedContentType", f"content type {content_type!r} refused")
        limit = self.settings.max_body_bytes
        chunks: list[bytes] = []
        size = 0
        # iter_content decompresses gzip/deflate, so the limit bounds the decoded size too.
        for chunk in response.iter_content(chunk_size=65536):
            size += len(chunk)
            if size > limit:
                raise FetchRefused("BodyTooLarge", f"body larger than {limit} bytes")
            chunks.append(chunk)
        return b"".join(chunks)
