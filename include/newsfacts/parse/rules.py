"""Site rules for cleaning pages, loaded from lexicon/site_rules.yaml and compiled once."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any
from urllib.parse import urlsplit

from lxml.etree import XPath

from newsfacts.lexicon import load
from newsfacts.text.normalize import fold, fold_chars

_PUNCT = re.compile(r"[\s:：.\-–—|»«\"'()\[\]]+")
# Harakat and tatweel: only text carrying them needs the slower, dropping fold.
_MARKS = re.compile("[\u064b-\u065f\u0670\u0640]")


def fold_text(text: str) -> str:
    """Text folded for matching rule patterns (newsfacts' one normalizer, lower case)."""
    return fold(text).text if _MARKS.search(text) else fold_chars(text).lower()


# Pages repeat their short labels (menus, footers, widgets) and sites repeat them across pages.
@lru_cache(maxsize=1 << 14)
def fold_key(text: str) -> str:
    """Text folded for comparing with rule strings: variants unified, lower case, no punctuation."""
    return _PUNCT.sub(" ", fold_text(text)).strip()


@dataclass(frozen=True, slots=True)
class SiteRules:
    """Compiled rules for one host (generic rules plus the host's own)."""

    drop_xpath: tuple[XPath, ...]
    caption_xpath: tuple[XPath, ...]
    block_headings: frozenset[str]
    widget_text: tuple[re.Pattern[str], ...]
    drop_lines: tuple[re.Pattern[str], ...]
    date_xpath: tuple[XPath, ...]
    byline_xpath: tuple[XPath, ...]
    byline_prefixes: tuple[str, ...]
    author_stop: tuple[re.Pattern[str], ...]
    title: str | None


def _host(url: str | None) -> str:
    if not url:
        return ""
    host = urlsplit(url).hostname or ""
    return host.lower().removeprefix("www.")


def _site_entries(host: str) -> list[dict[str, Any]]:
    sites: dict[str, dict[str, Any]] = load("site_rules").get("sites") or {}
    return [rules for name, rules in sites.items() if host == name or host.endswith("." + name)]


def _regexes(items: list[str]) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(fold_text(item)) for item in items)


@cache
def rules_for(host: str) -> SiteRules:
    """The rules that apply to `host` (lower case, without "www.")."""
    generic: dict[str, Any] = load("site_rules").get("generic") or {}
    entries = [generic, *_site_entries(host)]

    def merged(key: str) -> list[str]:
        return [item for entry in entries for item in entry.get(key) or []]

    prefixes = sorted((fold_text(p) for p in merged("byline_prefixes")), key=len)
    return SiteRules(
        drop_xpath=tuple(XPath(x) for x in merged("drop_xpath")),
        caption_xpath=tuple(XPath(x) for x in merged("caption_xpath")),
        block_headings=frozenset(fold_key(h) for h in merged("block_headings")),
        widget_text=_regexes(merged("widget_text")),
        drop_lines=_regexes(merged("drop_lines")),
        date_xpath=tuple(XPath(x) for x in merged("date_xpath")),
        byline_xpath=tuple(XPath(x) for x in merged("byline_xpath")),
        byline_prefixes=tuple(reversed(prefixes)),
        author_stop=_regexes(merged("author_stop")),
        title=next((e["title"] for e in reversed(entries) if e.get("title")), None),
    )


def rules_for_url(url: str | None) -> SiteRules:
    """The rules for the host of `url` (generic rules only when there is no URL)."""
    return rules_for(_host(url))
