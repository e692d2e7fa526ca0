"""Fetch stage: polite, bounded HTTP GETs; failures come back as results with an error class."""

from __future__ import annotations

import ipaddress
import logging
import random
import socket
import threading
import time
import urllib.robotparser
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit

import requests
import urllib3.exceptions
from requests.adapters import HTTPAdapter

from newsfacts.crawl.pace import SharedPace
from newsfacts.crawl.policy import (
    DISCOVERY_TYPES,
    PAGE_TYPES,
    RETRY_STATUSES,
    FetchPolicy,
    FetchRefused,
    FetchResult,
    is_public_address,
    retry_after_seconds,
)
from newsfacts.settings import Settings

log = logging.getLogger(__name__)

_CHUNK = 65536
_KEEP_OUT = ["User-agent: *", "Disallow: /"]
_HOST_REFUSALS = frozenset({"PrivateAddress", "NameResolutionError", "UnsupportedURL"})
_REDIRECTS = frozenset({301, 302, 303, 307, 308})


class _Transient(Exception):
    """A failure another attempt may cure (connection, timeout, truncated body)."""

    def __init__(self, error_class: str, message: str) -> None:
        super().__init__(message)
        self.error_class = error_class


@dataclass(slots=True)
class _Response:
    final_url: str
    status: int
    reason: str
    headers: dict[str, str]
    body: bytes


@dataclass(slots=True)
class _Robots:
    parser: urllib.robotparser.RobotFileParser
    unavailable: bool = False


@dataclass(slots=True)
class _Host:
    """Per-host state of this fetcher: its session, its lock, its interval.

    The pace itself (when the last request started and ended, how long to hold off) is shared
    with every other fetcher of the host, in this process or another (crawl.pace).
    """

    lock: threading.Lock
    session: requests.Session
    interval_s: float


class Fetcher:
    """An HTTP client for one source: robots.txt, per-host pace, retries, redirects, limits.

    Safe to share between threads: each host has its own pooled session and lock. One host
    never sees two requests at once, and requests to it start at least its interval apart
    (1 / requests_per_second, or robots.txt's Crawl-delay when longer), across fetchers,
    tasks and processes too: the pace is kept in <home>/hosts/ (crawl.pace).
    """

    def __init__(
        self,
        settings: Settings,
        *,
        requests_per_second: float = 1.0,
        allow_private_addresses: bool = False,
        policy: FetchPolicy | None = None,
        address_allowed: Callable[[ipaddress.IPv4Address | ipaddress.IPv6Address], bool]
        | None = None,
    ) -> None:
        self.settings = settings
        self.policy = policy or FetchPolicy.from_settings(settings)
        self.min_interval_s = 1.0 / requests_per_second
        # A custom predicate (tests, a stricter deployment) is checked even for private sources.
        self._address_allowed = address_allowed or is_public_address
        self._check_addresses = address_allowed is not None or not allow_private_addresses
        self._hosts: dict[str, _Host] = {}
        self._robots: dict[str, _Robots] = {}
        self._robots_locks: dict[str, threading.Lock] = {}
        self._lock = threading.Lock()
        self._pace = SharedPace(settings.hosts_dir)

    def close(self) -> None:
        with self._lock:
            for host in self._hosts.values():
                host.session.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- hosts and pace ----------------------------------------------------------------------

    def _host(self, name: str) -> _Host:
        with self._lock:
            host = self._hosts.get(name)
            if host is None:
                session = requests.Session()
                adapter = HTTPAdapter(pool_connections=1, pool_maxsize=1, max_retries=0)
                session.mount("http://", adapter)
                session.mount("https://", adapter)
                session.headers["User-Agent"] = self.policy.user_agent
                host = _Host(threading.Lock(), session, self.min_interval_s)
                self._hosts[name] = host
            return host

    @contextmanager
    def _turn(self, name: str) -> Iterator[_Host]:
        """Hold the host for one request (its body read included), once its pace allows."""
        host = self._host(name)
        with host.lock, self._pace.turn(name, host.interval_s):
            yield host

    def _defer(self, name: str, seconds: float) -> None:
        """Let no request reach the host for `seconds` (Retry-After, back-off)."""
        self._pace.defer(name, seconds)

    # --- checks ------------------------------------------------------------------------------

    def _check_address(self, url: str) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise FetchRefused("UnsupportedURL", f"not an http(s) URL: {url}")
        if not self._check_addresses:
            return
        try:
            infos = socket.getaddrinfo(parts.hostname, parts.port, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError) as exc:
            raise FetchRefused("NameResolutionError", f"{parts.hostname}: {exc}") from exc
        for info in infos:
            address = ipaddress.ip_address(info[4][0])
            if not self._address_allowed(address):
                raise FetchRefused(
                    "PrivateAddress", f"{parts.hostname} resolves to non-public {address}"
                )

    def _check_peer(self, response: requests.Response, url: str) -> None:
        """Refuse a response whose socket landed on a forbidden address (DNS rebinding)."""
        if not self._check_addresses or requests.utils.get_environ_proxies(url):
            return
        try:
            peer = response.raw.connection.sock.getpeername()[0]  # type: ignore[union-attr]
        except (AttributeError, OSError):
            return
        address = ipaddress.ip_address(peer)
        if not self._address_allowed(address):
            raise FetchRefused("PrivateAddress", f"connected to non-public {address}")

    def _robots_for(self, url: str) -> _Robots:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        with self._lock:
            robots = self._robots.get(origin)
            origin_lock = self._robots_locks.setdefault(origin, threading.Lock())
        if robots is not None:
            return robots
        with origin_lock:
            robots = self._robots.get(origin)
            if robots is None:
                robots = self._read_robots(origin)
                with self._lock:
                    self._robots[origin] = robots
        return robots

    def _read_robots(self, origin: str) -> _Robots:
        """Fetch and parse robots.txt as RFC 9309 says: 4xx means no rules; 5xx means keep out
        for this run. 401/403 also mean keep out, to stay on the safe side. A network failure
        is raised (as the page's own failure, retried) and nothing is cached.
        """
        parser = urllib.robotparser.RobotFileParser(origin + "/robots.txt")
        try:
            response = self._request(
                origin + "/robots.txt", {}, DISCOVERY_TYPES, self.policy.robots_max_bytes, False
            )
        except FetchRefused as exc:
            if exc.error_class in _HOST_REFUSALS:
                raise  # the page itself would be refused the same way
            log.warning("robots.txt of %s refused (%s); keeping out", origin, exc)
            parser.parse(_KEEP_OUT)
            return _Robots(parser, unavailable=True)
        if response.status in (401, 403) or response.status >= 500:
            log.warning("robots.txt of %s answered %d; keeping out", origin, response.status)
            parser.parse(_KEEP_OUT)
            return _Robots(parser, unavailable=response.status >= 500)
        # 4xx: no robots.txt, so no rules.
        text = "" if response.status >= 400 else response.body.decode("utf-8", "replace")
        parser.parse(text.splitlines())
        return _Robots(parser)

    def _check_robots(self, url: str) -> None:
        robots = self._robots_for(url)
        if not robots.parser.can_fetch(self.policy.user_agent, url):
            if robots.unavailable:
                raise FetchRefused("RobotsUnavailable", "robots.txt unavailable; keeping out")
            raise FetchRefused("RobotsDisallowed", "disallowed by robots.txt")
        interval = self.min_interval_s
        delay = robots.parser.crawl_delay(self.policy.user_agent)
        if delay:
            interval = max(interval, float(delay))
        rate = robots.parser.request_rate(self.policy.user_agent)
        if rate and rate.requests:
            interval = max(interval, rate.seconds / rate.requests)
        self._host(urlsplit(url).hostname or "").interval_s = interval

    # --- one request, redirects followed -----------------------------------------------------

    def _request(
        self,
        url: str,
        headers: dict[str, str],
        accept: tuple[str, ...],
        max_bytes: int,
        check_robots: bool,
    ) -> _Response:
        """GET `url`, following redirects by hand so every hop is checked and paced."""
        visited = [url]
        current = url
        while True:
            self._check_address(current)
            if check_robots:
                self._check_robots(current)
            name = urlsplit(current).hostname or ""
            with self._turn(name) as host:
                deadline = time.monotonic() + self.policy.max_response_s
                try:
                    response = host.session.get(
                        current,
                        headers=headers,
                        timeout=(self.policy.connect_timeout_s, self.policy.read_timeout_s),
                        allow_redirects=False,
                        stream=True,
                    )
                except requests.ConnectTimeout as exc:
                    raise _Transient("ConnectTimeout", str(exc)[:300]) from exc
                except requests.ReadTimeout as exc:
                    raise _Transient("ReadTimeout", str(exc)[:300]) from exc
                except requests.exceptions.InvalidURL as exc:
                    raise FetchRefused("UnsupportedURL", str(exc)[:300]) from exc
                except requests.ConnectionError as exc:
                    raise _Transient("ConnectionError", str(exc)[:300]) from exc
                except requests.RequestException as exc:
                    raise FetchRefused(type(exc).__name__, str(exc)[:300]) from exc
                with response:
                    self._check_peer(response, current)
                    location = response.headers.get("Location")
                    if response.status_code in _REDIRECTS and location:
                        target = urljoin(current, location.strip())
                    else:
                        body = self._read_body(response, accept, max_bytes, deadline)
                        return _Response(
                            current,
                            response.status_code,
                            response.reason or "",
                            dict(response.headers),
                            body,
                        )
            if target in visited:
                raise FetchRefused("TooManyRedirects", f"redirect loop back to {target}")
            if len(visited) > self.policy.max_redirects:
                raise FetchRefused(
                    "TooManyRedirects", f"more than {self.policy.max_redirects} redirects"
                )
            visited.append(target)
            current = target

    def _read_body(
        self, response: requests.Response, accept: tuple[str, ...], max_bytes: int, deadline: float
    ) -> bytes:
        status = response.status_code
        if status == 304 or status in _REDIRECTS:
            return b""
        content_type = response.headers.get("Content-Type", "text/html").split(";")[0]
        content_type = content_type.strip().lower()
        if 200 <= status < 300 and content_type not in accept:
            raise FetchRefused(
                "UnsupportedContentType", f"content type {content_type!r} refused", status
            )
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > max_bytes:
            raise FetchRefused(
                "BodyTooLarge", f"Content-Length {declared} > limit {max_bytes}", status
            )
        raw = response.raw
        chunks: list[bytes] = []
        size = 0
        try:
            while True:
                # read1 returns what has arrived (at most _CHUNK decoded bytes), so the size and
                # time limits are checked as the body comes in, and a gzip bomb is inflated only
                # as far as the limit: urllib3 caps each decompression step at the chunk size.
                chunk = raw.read1(_CHUNK, decode_content=True)
                if not chunk:
                    break
                size += len(chunk)
                if size > max_bytes:
                    raise FetchRefused(
                        "BodyTooLarge", f"body larger than {max_bytes} bytes", status
                    )
                if time.monotonic() > deadline:
                    raise FetchRefused(
                        "ResponseTooSlow",
                        f"body not complete after {self.policy.max_response_s:.0f} s",
                        status,
                    )
                chunks.append(chunk)
        except urllib3.exceptions.ReadTimeoutError as exc:
            raise _Transient("ReadTimeout", str(exc)[:300]) from exc
        except urllib3.exceptions.ProtocolError as exc:
            if any(isinstance(a, urllib3.exceptions.IncompleteRead) for a in exc.args):
                raise _Transient("TruncatedBody", str(exc)[:300]) from exc
            raise _Transient("ConnectionError", str(exc)[:300]) from exc
        except urllib3.exceptions.DecodeError as exc:
            raise FetchRefused("ContentDecodingError", str(exc)[:300], status) from exc
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            raise _Transient("ConnectionError", str(exc)[:300]) from exc
        return b"".join(chunks)

    # --- the public call ---------------------------------------------------------------------

    def _backoff_s(self, attempt: int) -> float:
        ceiling = min(self.policy.backoff_max_s, self.policy.backoff_base_s * 2 ** (attempt - 1))
        return ceiling * random.uniform(0.5, 1.0)

    def fetch(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        accept: tuple[str, ...] = PAGE_TYPES,
    ) -> FetchResult:
        """GET `url` with retries; failures come back as a FetchResult with error_class set.

        `etag` and `last_modified` make the request conditional (a 304 means unchanged).
        Connection errors, timeouts, truncated bodies, 429 and 5xx are retried with
        exponential back-off and jitter; a Retry-After header is obeyed unless it asks for
        more than the policy's max_retry_after_s, in which case we give up (RetryAfterTooLong).
        """
        started = time.monotonic()
        fetched_at = datetime.now(UTC).isoformat(timespec="seconds")
        conditional: dict[str, str] = {}
        if etag:
            conditional["If-None-Match"] = etag
        if last_modified:
            conditional["If-Modified-Since"] = last_modified
        host_name = urlsplit(url).hostname or ""
        attempts = 0
        response: _Response | None = None
        while True:
            attempts += 1
            error_class: str | None = None
            error: str | None = None
            status: int | None = None
            refused = False
            wait: float | None = None
            try:
                response = self._request(
                    url, conditional, accept, self.policy.max_body_bytes, check_robots=True
                )
            except FetchRefused as exc:
                error_class, error, status, refused = exc.error_class, str(exc), exc.status, True
                response = None
            except _Transient as exc:
                error_class, error, response = exc.error_class, str(exc), None
            else:
                status = response.status
                if status in RETRY_STATUSES:
                    error_class, error = f"HTTP{status}", response.reason
                    wait = retry_after_seconds(
                        next(
                            (v for k, v in response.headers.items() if k.lower() == "retry-after"),
                            None,
                        )
                    )
                    if wait is not None and wait > self.policy.max_retry_after_s:
                        error_class = "RetryAfterTooLong"
                        error = (
                            f"HTTP {status} asks to wait {wait:.0f} s,"
                            f" more than the {self.policy.max_retry_after_s:.0f} s allowed"
                        )
                        break
                elif status >= 400:
                    error_class, error = f"HTTP{status}", response.reason
                    break
                else:
                    break
            if refused or attempts > self.policy.max_retries:
                break
            pause = wait if wait is not None else self._backoff_s(attempts)
            log.info(
                "retrying %s in %.1f s after %s (attempt %d)", url, pause, error_class, attempts
            )
            deferred = urlsplit(response.final_url).hostname if response else None
            self._defer(deferred or host_name, pause)
        if error_class is not None:
            log.warning("fetch failed: %s: %s: %s", url, error_class, error)
        request_headers = {
            "User-Agent": self.policy.user_agent,
            "Accept-Encoding": requests.utils.DEFAULT_ACCEPT_ENCODING,
            **conditional,
        }
        return FetchResult(
            url=url,
            final_url=response.final_url if response else url,
            status=response.status if response else status,
            headers=response.headers if response else {},
            body=response.body if response else b"",
            elapsed_ms=int((time.monotonic() - started) * 1000),
            fetched_at_utc=fetched_at,
            attempts=attempts,
            error_class=error_class,
            error=error,
            request_headers=request_headers,
            refused=refused,
        )


@dataclass(frozen=True, slots=True)
class FetchRequest:
    """A URL to fetch, with the validators of its last copy for a conditional request."""

    url: str
    etag: str | None = None
    last_modified: str | None = None
    accept: tuple[str, ...] = PAGE_TYPES


def fetch_all(
    fetcher: Fetcher,
    requests_: Sequence[FetchRequest],
    on_result: Callable[[int, FetchResult], None],
    *,
    max_parallel_hosts: int | None = None,
) -> None:
    """Fetch every request: hosts in parallel (a bounded pool), each host's URLs in order.

    `on_result(index, result)` is called once per request, one call at a time, from the
    worker threads; an exception it raises stops the remaining work and is raised here.
    """
    by_host: dict[str, list[int]] = {}
    for index, request in enumerate(requests_):
        by_host.setdefault(urlsplit(request.url).hostname or "", []).append(index)
    if not by_host:
        return
    report_lock = threading.Lock()
    stop = threading.Event()

    def work(indexes: list[int]) -> None:
        for index in indexes:
            if stop.is_set():
                return
            request = requests_[index]
            result = fetcher.fetch(
                request.url,
                etag=request.etag,
                last_modified=request.last_modified,
                accept=request.accept,
            )
            with report_lock:
                try:
                    on_result(index, result)
                except BaseException:
                    stop.set()
                    raise

    workers = max(1, min(max_parallel_hosts or fetcher.policy.max_parallel_hosts, len(by_host)))
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="fetch") as pool:
        futures = [pool.submit(work, indexes) for indexes in by_host.values()]
        for future in futures:
            future.result()
