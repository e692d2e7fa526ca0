"""Discover stage: article URLs from RSS/Atom feeds (feedparser) and XML sitemaps (defusedxml)."""

from __future__ import annotations

import logging
import re
import zlib
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit, urlunsplit

import courlan
import feedparser
from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException

from newsfacts.crawl.fetch import Fetcher, FetchRequest, fetch_all
from newsfacts.crawl.policy import DISCOVERY_TYPES, FetchResult

log = logging.getLogger(__name__)

# A feed that declares entities may be an entity bomb; feeds have no use for them.
_ENTITY_DECLARATION = re.compile(rb"<!ENTITY|<!DOCTYPE[^>\[]*\[", re.I)
_SITEMAP_MAX_BYTES = 50 * 1024 * 1024  # the sitemap protocol's own limit, uncompressed


@dataclass(frozen=True, slots=True)
class PageRef:
    """An article URL found by discovery, with the date its feed or sitemap gives."""

    url: str
    source: str
    found_in: str
    lastmod: str | None = None


def normalize_url(url: str) -> str:
    """One spelling per page: lower-case scheme and host, default port, dot segments and
    tracking parameters (utm_*, fbclid, ...) dropped, query sorted, fragment removed.
    """
    url = url.strip()
    try:
        normalized = courlan.normalize_url(url, strict=False)
    except ValueError:
        normalized = url
    parts = urlsplit(normalized)
    path = parts.path or "/"
    if "/." in path:
        # Resolve "." and ".." segments (RFC 3986, 5.2.4) by joining against a bare origin.
        path = urlsplit(urljoin("http://h/", path)).path
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, parts.query, ""))


def _instant(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def later_lastmod(first: str | None, second: str | None) -> str | None:
    """The later of two listed dates (ISO 8601); the one that parses when only one does."""
    a, b = _instant(first), _instant(second)
    if a is None or b is None:
        return first if a is not None or (b is None and first) else second
    return second if b > a else first


def parse_feed(body: bytes, source: str, feed_url: str) -> list[PageRef]:
    """Article links of an RSS or Atom document; a malformed feed yields what could be read."""
    if _ENTITY_DECLARATION.search(body[:65536]):
        raise ValueError(f"malformed feed {feed_url}: entity declarations refused")
    parsed = feedparser.parse(body)
    refs = []
    for entry in parsed.entries:
        link = entry.get("link")
        if not link:
            continue
        # Plain dict lookups: feedparser's own .get maps updated to published, with a warning.
        stamp = dict.get(entry, "updated_parsed") or dict.get(entry, "published_parsed")
        lastmod = (
            f"{stamp.tm_year:04d}-{stamp.tm_mon:02d}-{stamp.tm_mday:02d}T"
            f"{stamp.tm_hour:02d}:{stamp.tm_min:02d}:{stamp.tm_sec:02d}+00:00"
            if stamp
            else None
        )
        refs.append(PageRef(normalize_url(urljoin(feed_url, link)), source, feed_url, lastmod))
    if not refs and parsed.bozo:
        raise ValueError(f"malformed feed {feed_url}: {parsed.bozo_exception}")
    if not refs and not parsed.version:
        raise ValueError(f"malformed feed {feed_url}: not an RSS or Atom document")
    return refs


def _gunzip(body: bytes, limit: int, url: str) -> bytes:
    """Inflate a gzip sitemap, refusing it as soon as it grows past `limit` bytes."""
    inflater = zlib.decompressobj(wbits=zlib.MAX_WBITS | 16)
    try:
        data = inflater.decompress(body, limit + 1)
    except zlib.error as exc:
        raise ValueError(f"malformed gzip sitemap {url}: {exc}") from exc
    if len(data) > limit or inflater.unconsumed_tail:
        raise ValueError(f"gzip sitemap {url} inflates past {limit} bytes")
    return data


def parse_sitemap(
    body: bytes, source: str, sitemap_url: str, *, max_bytes: int = _SITEMAP_MAX_BYTES
) -> tuple[list[PageRef], list[str]]:
    """Pages and child sitemaps of a sitemap or sitemap index (gzip allowed, entities refused).

    A page's date is its news:publication_date or lastmod, whichever is later.
    """
    if body[:2] == b"\x1f\x8b":
        body = _gunzip(body, max_bytes, sitemap_url)
    try:
        root = ElementTree.fromstring(body, forbid_dtd=True)
    except (ElementTree.ParseError, DefusedXmlException) as exc:
        raise ValueError(f"unsafe or malformed sitemap {sitemap_url}: {exc}") from exc
    pages: list[PageRef] = []
    children: list[str] = []
    for node in root:
        tag = node.tag.rsplit("}", 1)[-1]
        loc = next((c.text for c in node if c.tag.endswith("loc") and c.text), None)
        if not loc:
            continue
        loc = urljoin(sitemap_url, loc.strip())
        if tag == "sitemap":
            children.append(loc)
        elif tag == "url":
            lastmod = None
            for child in node.iter():
                if child.text and child.tag.rsplit("}", 1)[-1] in ("lastmod", "publication_date"):
                    lastmod = later_lastmod(lastmod, child.text.strip())
            pages.append(PageRef(normalize_url(loc), source, sitemap_url, lastmod))
    return pages, children


def discover(
    fetcher: Fetcher,
    source: str,
    feeds: tuple[str, ...],
    sitemaps: tuple[str, ...],
    *,
    max_sitemaps: int = 50,
    on_response: Callable[[FetchResult], None] | None = None,
) -> tuple[list[PageRef], list[tuple[str, str, str]]]:
    """All article URLs a source's feeds and sitemaps list, each once with its latest date.

    Feeds, then sitemaps level by level (indexes followed, at most `max_sitemaps` in all),
    are fetched hosts in parallel; pages keep the order of the documents that list them.
    `on_response` sees every feed and sitemap fetch (to log and archive it). Returns the
    pages and the failures as (url, error_class, message) triples.
    """
    found: dict[str, PageRef] = {}
    failures: list[tuple[str, str, str]] = []

    def keep(ref: PageRef) -> None:
        seen = found.get(ref.url)
        if seen is None:
            found[ref.url] = ref
        elif ref.lastmod and ref.lastmod != seen.lastmod:
            found[ref.url] = replace(seen, lastmod=later_lastmod(seen.lastmod, ref.lastmod))

    def read_all(
        urls: list[str],
        read: Callable[[bytes, str], tuple[list[PageRef], list[str]]],
        malformed: str,
    ) -> list[str]:
        """Fetch and read `urls`; keep their pages in order; return the child sitemaps."""
        pages: list[list[PageRef]] = [[] for _ in urls]
        children: list[list[str]] = [[] for _ in urls]

        def answered(index: int, result: FetchResult) -> None:
            if on_response is not None:
                on_response(result)
            if not result.ok:
                failures.append((result.url, result.error_class or "HTTP", result.error or ""))
                return
            try:
                pages[index], children[index] = read(result.body, result.url)
            except ValueError as exc:
                failures.append((result.url, malformed, str(exc)))

        requests_ = [FetchRequest(url, accept=DISCOVERY_TYPES) for url in urls]
        fetch_all(fetcher, requests_, answered)
        for listed in pages:
            for ref in listed:
                keep(ref)
        return [child for listed in children for child in listed]

    def read_sitemap(body: bytes, url: str) -> tuple[list[PageRef], list[str]]:
        return parse_sitemap(body, source, url, max_bytes=fetcher.policy.max_body_bytes * 5)

    def read_feed(body: bytes, url: str) -> tuple[list[PageRef], list[str]]:
        return parse_feed(body, source, url), []

    read_all(list(dict.fromkeys(feeds)), read_feed, "MalformedFeed")
    level = list(dict.fromkeys(sitemaps))
    seen: set[str] = set()
    while level:
        batch = []
        for url in level:
            if url in seen:
                continue
            if len(seen) >= max_sitemaps:
                failures.append((url, "TooManySitemaps", f"more than {max_sitemaps} sitemaps"))
                continue
            seen.add(url)
            batch.append(url)
        level = list(dict.fromkeys(read_all(batch, read_sitemap, "MalformedSitemap")))
    for url, error_class, message in failures:
        log.warning("discovery failed for %s: %s %s", url, error_class, message)
    return list(found.values()), failures


@dataclass(frozen=True, slots=True)
class EndpointCheck:
    """Whether one feed or sitemap answers, and how many article URLs it lists."""

    source: str
    kind: str
    url: str
    status: int | None
    error_class: str | None
    error: str | None
    urls: int
    offsite_urls: int

    @property
    def ok(self) -> bool:
        return self.error_class is None


def check_endpoints(
    fetcher: Fetcher,
    source: str,
    feeds: tuple[str, ...],
    sitemaps: tuple[str, ...],
    domains: set[str],
) -> list[EndpointCheck]:
    """Fetch each feed and sitemap (sitemap indexes followed) and count what it lists.

    `urls` counts the article URLs on the source's domains; `offsite_urls` the others,
    which a crawl would skip.
    """
    checks = []
    for kind, url in [("feed", f) for f in feeds] + [("sitemap", s) for s in sitemaps]:
        answers: list[FetchResult] = []
        refs, failures = discover(
            fetcher,
            source,
            (url,) if kind == "feed" else (),
            (url,) if kind == "sitemap" else (),
            on_response=answers.append,
        )
        own = sum(1 for r in refs if urlsplit(r.url).hostname in domains)
        first = answers[0] if answers else None
        failure = next((f for f in failures if f[0] == url), failures[0] if failures else None)
        checks.append(
            EndpointCheck(
                source=source,
                kind=kind,
                url=url,
                status=first.status if first else None,
                error_class=failure[1] if failure else None,
                error=failure[2] if failure else None,
                urls=own,
                offsite_urls=len(refs) - own,
            )
        )
    return checks
