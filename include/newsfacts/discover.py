"""Discover stage: article URLs from RSS/Atom feeds (feedparser) and XML sitemaps (defusedxml)."""

from __future__ import annotations

import gzip
import logging
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import feedparser
from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException

from newsfacts.fetch import Fetcher

log = logging.getLogger(__name__)

_TRACKING_PARAMS = ("utm_", "fbclid", "gclid", "mc_cid", "mc_eid", "ocid", "cmpid")


@dataclass(frozen=True, slots=True)
class PageRef:
    """An article URL found by discovery, with the date its feed or sitemap gives."""

    url: str
    source: str
    found_in: str
    lastmod: str | None = None


def normalize_url(url: str) -> str:
    """Lower-case scheme and host, drop fragments and tracking parameters, keep the rest."""
    parts = urlsplit(url.strip())
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not k.lower().startswith(_TRACKING_PARAMS)
    ]
    path = parts.path or "/"
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, urlencode(query), ""))


def parse_feed(body: bytes, source: str, feed_url: str) -> list[PageRef]:
    """Article links of an RSS or Atom document; a malformed feed yields what could be read."""
    parsed = feedparser.parse(body)
    refs = []
    for entry in parsed.entries:
        link = entry.get("link")
        if not link:
            continue
        stamp = entry.get("published_parsed") or entry.get("updated_parsed")
        lastmod = (
            f"{stamp.tm_year:04d}-{stamp.tm_mon:02d}-{stamp.tm_mday:02d}T"
            f"{stamp.tm_hour:02d}:{stamp.tm_min:02d}:{stamp.tm_sec:02d}+00:00"
            if stamp
            else None
        )
        refs.append(PageRef(normalize_url(link), source, feed_url, lastmod))
    if not refs and parsed.bozo:
        raise ValueError(f"malformed feed {feed_url}: {parsed.bozo_exception}")
    if not refs and not parsed.version:
        raise ValueError(f"malformed feed {feed_url}: not an RSS or Atom document")
    return refs


def parse_sitemap(body: bytes, source: str, sitemap_url: str) -> tuple[list[PageRef], list[str]]:
    """Pages and child sitemaps of a sitemap or sitemap index (gzip allowed, entities refused)."""
    if body[:2] == b"\x1f\x8b":
        body = gzip.decompress(body)
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
        if tag == "sitemap":
            children.append(loc.strip())
        elif tag == "url":
            lastmod = next(
                (
                    c.text.strip()
                    for c in node.iter()
                    if c.text and c.tag.rsplit("}", 1)[-1] in ("lastmod", "publication_date")
                ),
                None,
            )
            pages.append(PageRef(normalize_url(loc), source, sitemap_url, lastmod))
    return pages, children


def discover(
    fetcher: Fetcher,
    source: str,
    feeds: tuple[str, ...],
    sitemaps: tuple[str, ...],
    *,
    max_sitemaps: int = 50,
) -> tuple[list[PageRef], list[tuple[str, str, str]]]:
    """All article URLs a source's feeds and sitemaps list, first occurrence kept.

    Returns the pages and the failures as (url, error_class, message) triples.
    """
    found: dict[str, PageRef] = {}
    failures: list[tuple[str, str, str]] = []
    for feed_url in feeds:
        result = fetcher.fetch(feed_url)
        if not result.ok:
            failures.append((feed_url, result.error_class or "HTTP", result.error or ""))
            continue
        try:
            for ref in parse_feed(result.body, source, feed_url):
                found.setdefault(ref.url, ref)
        except ValueError as exc:
            failures.append((feed_url, "MalformedFeed", str(exc)))
    queue = list(sitemaps)
    seen: set[str] = set()
    while queue and len(seen) < max_sitemaps:
        sitemap_url = queue.pop(0)
        if sitemap_url in seen:
            continue
        seen.add(sitemap_url)
        result = fetcher.fetch(sitemap_url)
        if not result.ok:
            failures.append((sitemap_url, result.error_class or "HTTP", result.error or ""))
            continue
        try:
            pages, children = parse_sitemap(result.body, source, sitemap_url)
        except ValueError as exc:
            failures.append((sitemap_url, "MalformedSitemap", str(exc)))
            continue
        queue.extend(children)
        for ref in pages:
            found.setdefault(ref.url, ref)
    for url, error_class, message in failures:
        log.warning("discovery failed for %s: %s %s", url, error_class, message)
    return list(found.values()), failures
