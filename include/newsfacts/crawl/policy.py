"""What a fetch may do and what it returns: accepted content types, the limits of the fetch
policy, the result record with its error class, and the small rules the fetcher applies."""

from __future__ import annotations

import email.utils
import hashlib
import ipaddress
from dataclasses import dataclass, field
from datetime import UTC, datetime

from newsfacts.settings import Settings

# Article pages: HTML or XML only; anything else is refused before its body is read.
PAGE_TYPES = ("text/html", "application/xhtml+xml", "application/xml", "text/xml")
# Feeds and sitemaps come in more guises, gzip files included.
DISCOVERY_TYPES = (
    *PAGE_TYPES,
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/gzip",
    "application/x-gzip",
    "application/octet-stream",
    "text/plain",
)
RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
# Failures worth another try on a later run; the others would fail the same way again.
TRANSIENT_ERRORS = frozenset(
    {
        "ConnectTimeout",
        "ReadTimeout",
        "ConnectionError",
        "TruncatedBody",
        "ResponseTooSlow",
        "RetryAfterTooLong",
        "RobotsUnavailable",
        "NameResolutionError",
        "RobotsDisallowed",
        *(f"HTTP{s}" for s in RETRY_STATUSES),
    }
)


def is_transient(error_class: str | None) -> bool:
    """Whether a failure of this class may go away if the URL is tried again later."""
    return error_class is not None and error_class in TRANSIENT_ERRORS


@dataclass(frozen=True, slots=True)
class FetchPolicy:
    """Limits of one fetcher: timeouts, retries, sizes, redirects, parallel hosts."""

    user_agent: str
    connect_timeout_s: float = 5.0
    read_timeout_s: float = 20.0
    max_retries: int = 3
    max_body_bytes: int = 10 * 1024 * 1024
    backoff_base_s: float = 0.5
    backoff_max_s: float = 30.0
    max_retry_after_s: float = 120.0
    max_response_s: float = 120.0
    max_redirects: int = 5
    max_parallel_hosts: int = 8
    robots_max_bytes: int = 512 * 1024

    @classmethod
    def from_settings(cls, settings: Settings) -> FetchPolicy:
        """The policy the settings describe."""
        return cls(
            user_agent=settings.user_agent,
            connect_timeout_s=settings.connect_timeout_s,
            read_timeout_s=settings.read_timeout_s,
            max_retries=settings.max_retries,
            max_body_bytes=settings.max_body_bytes,
            backoff_base_s=settings.backoff_base_s,
            backoff_max_s=settings.backoff_max_s,
            max_retry_after_s=settings.max_retry_after_s,
            max_response_s=settings.max_response_s,
            max_redirects=settings.max_redirects,
            max_parallel_hosts=settings.max_parallel_hosts,
        )


@dataclass(slots=True)
class FetchResult:
    """One URL's outcome, retries and redirects included: what the fetch log and archive need."""

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
    # True when we stopped reading the response (size, type, time): its body is not the page.
    refused: bool = False

    @property
    def ok(self) -> bool:
        return self.error_class is None and self.status is not None and 200 <= self.status < 300

    @property
    def not_modified(self) -> bool:
        return self.status == 304 and self.error_class is None

    def header(self, name: str) -> str | None:
        """A response header, whatever its case."""
        wanted = name.lower()
        return next((v for k, v in self.headers.items() if k.lower() == wanted), None)

    def content_hash(self) -> str:
        return hashlib.sha256(self.body).hexdigest()


class FetchRefused(Exception):
    """A request we decided not to make, or a response we decided not to finish reading."""

    def __init__(self, error_class: str, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.error_class = error_class
        self.status = status


def is_public_address(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """True for globally routable unicast addresses (not private, loopback, link-local, ...)."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast


def retry_after_seconds(value: str | None) -> float | None:
    """Seconds a Retry-After header asks us to wait (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return max(0.0, (moment - datetime.now(UTC)).total_seconds())
