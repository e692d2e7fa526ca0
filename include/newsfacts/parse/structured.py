"""Structured metadata of a page: JSON-LD (also inside Next.js data), OpenGraph, article:* meta."""

from __future__ import annotations

import html
import json
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from lxml.html import HtmlElement

log = logging.getLogger(__name__)

# schema.org types whose object describes the article itself.
ARTICLE_TYPES = frozenset(
    {
        "Article",
        "NewsArticle",
        "ReportageNewsArticle",
        "AnalysisNewsArticle",
        "BackgroundNewsArticle",
        "OpinionNewsArticle",
        "ReviewNewsArticle",
        "AskPublicNewsArticle",
        "SatiricalArticle",
        "LiveBlogPosting",
        "BlogPosting",
        "SocialMediaPosting",
        "Report",
        "TechArticle",
        "ScholarlyArticle",
        "AdvertiserContentArticle",
    }
)
_CONTAINERS = ("@graph", "mainEntity", "mainEntityOfPage", "hasPart", "itemListElement")
_MAX_WALK = 6000  # nodes visited in one Next.js blob; bounds the work on huge or hostile blobs
_JSON_TRAILING_COMMA = re.compile(r",\s*([}\]])")


@dataclass(slots=True)
class Structured:
    """What the page declares about itself; every field optional."""

    headline: str | None = None
    alternative_headline: str | None = None
    description: str | None = None
    authors: list[str] = field(default_factory=list)
    published: str | None = None
    modified: str | None = None
    section: str | None = None
    tags: list[str] = field(default_factory=list)
    lang: str | None = None
    url: str | None = None
    body: str | None = None
    source: str = "json-ld"


def _text(value: Any) -> str | None:
    """A clean one-line string from a JSON-LD value (string, list or {"name"/"@value"})."""
    if isinstance(value, list):
        value = next((v for v in value if _text(v)), None)
    if isinstance(value, dict):
        value = value.get("name") or value.get("@value") or value.get("@id")
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        return None
    # Some CMSs escape HTML entities twice inside JSON-LD strings.
    text = " ".join(html.unescape(str(value)).split())
    return text or None


def _types(obj: dict[str, Any]) -> set[str]:
    kind = obj.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return {k.rsplit("/", 1)[-1] for k in kinds if isinstance(k, str)}


_ORGANIZATIONS = frozenset({"Organization", "NewsMediaOrganization", "Corporation", "WebSite"})


def _names(value: Any) -> list[str]:
    """Person names from an author value: a string, a Person, or a list of either.

    Organizations are left out: the outlet is not a byline.
    """
    items = value if isinstance(value, list) else [value]
    names: list[str] = []
    for item in items:
        if isinstance(item, dict):
            if _types(item) & _ORGANIZATIONS:
                continue
            name = _text(item.get("name"))
            if not name and isinstance(item.get("givenName"), str):
                name = _text(f"{item.get('givenName', '')} {item.get('familyName', '')}")
        else:
            name = _text(item)
        if name and not name.startswith(("http://", "https://")):
            names.append(name)
    return names


def _keywords(value: Any) -> list[str]:
    items = value if isinstance(value, list) else [value]
    out: list[str] = []
    for item in items:
        text = _text(item)
        if text:
            out.extend(part.strip() for part in text.split(",") if part.strip())
    return out


def _load_json(text: str) -> Any:
    text = text.strip()
    if text.startswith("<!--"):
        text = text.removeprefix("<!--").removesuffix("-->")
    text = text.strip().removeprefix("//<![CDATA[").removesuffix("//]]>").strip()
    try:
        return json.loads(text, strict=False)
    except ValueError:
        try:
            return json.loads(_JSON_TRAILING_COMMA.sub(r"\1", text), strict=False)
        except ValueError:
            return None


def _objects(data: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    """Every JSON-LD object in a document: lists, @graph and nested main entities included."""
    if depth > 8:
        return
    if isinstance(data, list):
        for item in data:
            yield from _objects(item, depth + 1)
    elif isinstance(data, dict):
        yield data
        for key in _CONTAINERS:
            if key in data:
                yield from _objects(data[key], depth + 1)


def _next_data_objects(data: Any) -> Iterator[dict[str, Any]]:
    """JSON-LD objects inside a Next.js page-props blob, as objects or as embedded JSON strings."""
    stack, seen = [data], 0
    while stack and seen < _MAX_WALK:
        node = stack.pop()
        seen += 1
        if isinstance(node, dict):
            if "@type" in node:
                yield from _objects(node)
                continue
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, str) and '"@type"' in node and node.lstrip().startswith(("{", "[")):
            inner = _load_json(node)
            if inner is not None:
                yield from _objects(inner)


def _pick_article(objects: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The article object: an article type first, else a WebPage-like object with a headline."""
    articles = [o for o in objects if _types(o) & ARTICLE_TYPES]
    if articles:
        # The richest one: pages often carry a stub Article beside the full NewsArticle.
        return max(articles, key=lambda o: sum(1 for v in o.values() if v))
    pages = [o for o in objects if o.get("headline") and o.get("datePublished")]
    return pages[0] if pages else None


def _from_object(obj: dict[str, Any], source: str) -> Structured:
    url = obj.get("url") or obj.get("mainEntityOfPage")
    if isinstance(url, dict):
        url = url.get("@id") or url.get("url")
    body = obj.get("articleBody")
    return Structured(
        headline=_text(obj.get("headline")) or _text(obj.get("name")),
        alternative_headline=_text(obj.get("alternativeHeadline")),
        description=_text(obj.get("description")),
        authors=_names(obj.get("author") or obj.get("creator")),
        published=_text(obj.get("datePublished") or obj.get("dateCreated")),
        modified=_text(obj.get("dateModified")),
        section=_text(obj.get("articleSection")),
        tags=_keywords(obj.get("keywords")),
        lang=_text(obj.get("inLanguage")),
        url=url if isinstance(url, str) and url.startswith("http") else None,
        body=body if isinstance(body, str) and body.strip() else None,
        source=source,
    )


def json_ld(tree: HtmlElement) -> Structured | None:
    """The page's article as JSON-LD describes it (from script tags, then Next.js data)."""
    objects: list[dict[str, Any]] = []
    for script in tree.iterfind(".//script[@type='application/ld+json']"):
        data = _load_json(script.text or "")
        if data is None:
            log.debug("unreadable JSON-LD block skipped")
            continue
        objects.extend(_objects(data))
    article = _pick_article(objects)
    if article is not None:
        return _from_object(article, "json-ld")
    for script in tree.iterfind(".//script[@id='__NEXT_DATA__']"):
        data = _load_json(script.text or "")
        article = _pick_article(list(_next_data_objects(data))) if data is not None else None
        if article is not None:
            return _from_object(article, "next-data")
    return None


def meta_tags(tree: HtmlElement) -> dict[str, list[str]]:
    """Meta tag contents by lower-cased property or name, in page order."""
    found: dict[str, list[str]] = {}
    for meta in tree.iterfind(".//meta"):
        key = meta.get("property") or meta.get("name") or meta.get("itemprop")
        content = meta.get("content")
        if not key or content is None:
            continue
        content = " ".join(content.split())
        if content:
            found.setdefault(key.strip().lower(), []).append(content)
    return found


def first_meta(meta: dict[str, list[str]], *keys: str) -> str | None:
    """The first non-empty content among the given meta keys, in the order of the keys."""
    for key in keys:
        values = meta.get(key)
        if values:
            return values[0]
    return None
