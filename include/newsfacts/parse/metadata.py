"""Article metadata from a parsed page: title, authors, dates, language, URL, section, tags."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import urljoin

from lxml.html import HtmlElement

from newsfacts.parse.published import date_in_text, date_in_url, htmldate_date, normalize_date
from newsfacts.parse.rules import SiteRules, fold_key, fold_text
from newsfacts.parse.structured import Structured, first_meta
from newsfacts.text.language import detect_language
from newsfacts.text.normalize import fold

_TITLE_SEPARATORS = re.compile(r"\s+(?:\||-|–|—|::|·|•|«|»)\s+")
_SITE_NAME_WORDS = 4
_MAX_NAME = 60
_MAX_NAME_WORDS = 6
# A one-word byline is nearly always the outlet ("LBCI", "Reuters") or a handle, not a person.
_MIN_NAME_WORDS = 2
_MIN_SUBTITLE_WORDS = 4
_MAX_DATE_TEXT = 200
# "و" joins Arabic names only as a word of its own; attached, it starts names such as وليد.
_NAME_SPLIT = re.compile(r"\s*(?:,|;|&|\||\band\b|\s+و\s+|\s+[-–—]\s+)\s*", re.I)
# Languages written in Arabic script that a page may rightly declare for Arabic-script text.
_ARABIC_SCRIPT_LANGS = frozenset({"ar", "fa", "ur", "ps", "ku", "ckb", "sd", "ug"})

PUBLISHED_META = (
    "article:published_time",
    "og:article:published_time",
    "datepublished",
    "article.published",
    "published_time",
    "pubdate",
    "publishdate",
    "publish-date",
    "publication_date",
    "sailthru.date",
    "parsely-pub-date",
    "dc.date.issued",
    "dcterms.created",
    "dc.date",
    "date",
)
MODIFIED_META = (
    "article:modified_time",
    "og:article:modified_time",
    "og:updated_time",
    "datemodified",
    "last-modified",
    "dcterms.modified",
)
AUTHOR_META = (
    "author",
    "article:author",
    "article:author_name",
    "og:article:author",
    "parsely-author",
    "sailthru.author",
    "dc.creator",
    "byl",
)


@dataclass(slots=True)
class Found:
    """A field's value with the method that found it."""

    value: str | None = None
    method: str | None = None


@dataclass(slots=True)
class FoundList:
    """A list field's values with the method that found them."""

    values: list[str] = field(default_factory=list)
    method: str | None = None


def _clean(text: str | None) -> str | None:
    if text is None:
        return None
    text = " ".join(text.split())
    return text or None


def strip_site_name(title: str) -> str:
    """A <title> without the site name that pages append (" | Site", " - Site")."""
    parts = _TITLE_SEPARATORS.split(title)
    while len(parts) > 1 and len(parts[-1].split()) <= _SITE_NAME_WORDS:
        parts.pop()
    return " - ".join(parts) if len(parts) > 1 else parts[0]


def title_candidates(tree: HtmlElement, meta: dict[str, list[str]], ld: Structured | None) -> dict:
    """Every headline the page states, by source, in order of trust."""
    title_tag = tree.find(".//title")
    candidates = {
        (ld.source if ld else "json-ld"): _clean(ld.headline) if ld else None,
        "og": _clean(first_meta(meta, "og:title")),
        "twitter": _clean(first_meta(meta, "twitter:title")),
        "title": _clean(strip_site_name(title_tag.text_content()))
        if title_tag is not None
        else None,
    }
    return {source: text for source, text in candidates.items() if text}


def find_title(
    tree: HtmlElement, meta: dict[str, list[str]], ld: Structured | None, rules: SiteRules
) -> Found:
    """The displayed headline when a metadata source confirms it, else the declared headline.

    Pages often carry a search-engine headline in their metadata beside the one they show;
    an <h1> that one of the metadata titles repeats is the one readers see.
    """
    candidates = title_candidates(tree, meta, ld)
    h1s = [t for t in (_clean(h.text_content()) for h in tree.iterfind(".//h1")) if t][:5]
    if rules.title and rules.title in candidates:
        return Found(candidates[rules.title], rules.title)
    # The <title> tag does not confirm an <h1>: both are often the long search-engine headline.
    keys = {fold_key(text) for source, text in candidates.items() if source != "title"}
    for h1 in h1s:
        if fold_key(h1) in keys:
            return Found(h1, "h1")
    for source, text in candidates.items():
        return Found(text, source)
    if h1s:
        return Found(h1s[0], "h1")
    return Found()


def _split_names(text: str, rules: SiteRules) -> list[str]:
    folded = fold(text)
    for prefix in rules.byline_prefixes:
        if folded.text.startswith(prefix) and (
            len(folded.text) == len(prefix) or not folded.text[len(prefix)].isalnum()
        ):
            text = text[folded.span(0, len(prefix))[1] :]
            break
    text = text.strip(" :-–—|")
    names = []
    for part in _NAME_SPLIT.split(text):
        name = part.strip(" .:-–—|")
        words = len(name.split())
        if not name or len(name) > _MAX_NAME or not _MIN_NAME_WORDS <= words <= _MAX_NAME_WORDS:
            continue
        if any(p.search(fold_text(name)) for p in rules.author_stop):
            continue
        names.append(name)
    return names


def _unique(names: list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for name in names:
        key = name.casefold()
        if key not in seen:
            seen.add(key)
            out.append(name)
    return out


def find_authors(
    tree: HtmlElement, meta: dict[str, list[str]], ld: Structured | None, rules: SiteRules
) -> FoundList:
    """Authors from JSON-LD, then author meta tags, then the page's byline."""
    if ld and ld.authors:
        names = [n for a in ld.authors for n in _split_names(a, rules)]
        if names:
            return FoundList(_unique(names), ld.source)
    for key in AUTHOR_META:
        names = [n for value in meta.get(key, []) for n in _split_names(value, rules)]
        if names:
            return FoundList(_unique(names), "meta")
    for xpath in rules.byline_xpath:
        names = []
        for element in xpath(tree):
            if isinstance(element, HtmlElement) and len(element) <= 6:
                names.extend(_split_names(element.text_content(), rules))
        if names:
            return FoundList(_unique(names), "byline")
    return FoundList()


def _time_element_date(tree: HtmlElement) -> str | None:
    for time in tree.iterfind(".//time[@datetime]"):
        marked = (
            time.get("itemprop") == "datePublished"
            or time.get("pubdate") is not None
            or "publish" in (time.get("class") or "")
        )
        if marked:
            found = normalize_date(time.get("datetime"))
            if found:
                return found
    return None


def _date_in_page_text(tree: HtmlElement, rules: SiteRules) -> str | None:
    for xpath in rules.date_xpath:
        for element in xpath(tree):
            if not isinstance(element, HtmlElement) or len(element) > 6:
                continue
            text = element.text_content()
            if len(text) > _MAX_DATE_TEXT:
                continue
            found = date_in_text(text)
            if found:
                return found
    return None


def _stated_dates(
    tree: HtmlElement,
    meta: dict[str, list[str]],
    ld: Structured | None,
    rules: SiteRules,
    url: str | None,
) -> Iterator[Found]:
    """Publication dates the page states, most trusted first (read lazily, one at a time)."""
    if ld:
        yield Found(normalize_date(ld.published), ld.source)
    for key in PUBLISHED_META:
        for value in meta.get(key, []):
            yield Found(normalize_date(value), "meta")
    yield Found(_time_element_date(tree), "time")
    yield Found(date_in_url(url), "url")
    yield Found(_date_in_page_text(tree, rules), "text")


def find_published(
    tree: HtmlElement,
    meta: dict[str, list[str]],
    ld: Structured | None,
    rules: SiteRules,
    url: str | None,
) -> Found:
    """Publication date as the page states it: JSON-LD, meta tags, a marked <time>, the URL,
    a date in words; htmldate's guess only when the page states none. A stated date is kept
    even when it lies ahead (validation quarantines it): nothing guessed replaces it.

    The method is one of models.PUBLISHED_SOURCES.
    """
    for found in _stated_dates(tree, meta, ld, rules, url):
        if found.value:
            return found
    guess = htmldate_date(tree, url)
    return Found(guess, "htmldate") if guess else Found()


def find_modified(meta: dict[str, list[str]], ld: Structured | None) -> Found:
    """Last modification date from JSON-LD or meta tags (no guessing)."""
    if ld:
        found = normalize_date(ld.modified)
        if found:
            return Found(found, ld.source)
    for key in MODIFIED_META:
        for value in meta.get(key, []):
            found = normalize_date(value)
            if found:
                return Found(found, "meta")
    return Found()


def _lang_code(value: str | None) -> str | None:
    if not value:
        return None
    code = re.split(r"[-_]", value.strip().lower(), maxsplit=1)[0]
    return code if code.isalpha() and 2 <= len(code) <= 3 else None


def find_lang(
    tree: HtmlElement, meta: dict[str, list[str]], ld: Structured | None, body: str
) -> Found:
    """The page's declared language, overruled when the body's script contradicts it."""
    declared, method = None, None
    for value, source in (
        (tree.get("lang") or tree.get("xml:lang"), "html-lang"),
        (first_meta(meta, "content-language", "language", "dc.language"), "meta"),
        (first_meta(meta, "og:locale"), "og"),
        (ld.lang if ld else None, ld.source if ld else "json-ld"),
    ):
        declared = _lang_code(value)
        if declared:
            method = source
            break
    if not body:
        return Found(declared, method)
    script = detect_language(body)
    if script == "ar":
        if declared in _ARABIC_SCRIPT_LANGS:
            return Found(declared, method)
        return Found("ar", "script" if declared is None else f"{method}+script")
    if declared is None or declared in _ARABIC_SCRIPT_LANGS:
        return Found(script, "script")
    return Found(declared, method)


def find_canonical(tree: HtmlElement, meta: dict[str, list[str]], url: str | None) -> Found:
    """<link rel=canonical>, else og:url, else the URL the page was fetched from."""
    for link in tree.iterfind(".//link[@rel]"):
        if "canonical" in link.get("rel", "").lower().split() and link.get("href"):
            href = link.get("href", "").strip()
            return Found(urljoin(url or "", href), "link-canonical")
    og_url = first_meta(meta, "og:url")
    if og_url:
        return Found(urljoin(url or "", og_url), "og")
    return Found(url, "url" if url else None)


def find_section(meta: dict[str, list[str]], ld: Structured | None) -> Found:
    """The section the outlet files the story under."""
    if ld and ld.section:
        return Found(ld.section, ld.source)
    section = first_meta(meta, "article:section", "og:article:section", "section")
    return Found(section, "meta" if section else None)


def find_tags(meta: dict[str, list[str]], ld: Structured | None) -> FoundList:
    """Keywords and tags the page declares."""
    if ld and ld.tags:
        return FoundList(_unique(ld.tags), ld.source)
    for key in ("article:tag", "og:article:tag", "news_keywords", "keywords"):
        tags = [t.strip() for v in meta.get(key, []) for t in v.split(",") if t.strip()]
        if tags:
            return FoundList(_unique(tags), "meta")
    return FoundList()


def find_subtitle(meta: dict[str, list[str]], ld: Structured | None) -> Found:
    """The standfirst: JSON-LD alternative headline or description, else the meta description."""
    for value, source in (
        (ld.alternative_headline if ld else None, ld.source if ld else None),
        (ld.description if ld else None, ld.source if ld else None),
        (first_meta(meta, "og:description"), "og"),
        (first_meta(meta, "description"), "meta"),
    ):
        # Short descriptions are site slogans or section names, not a standfirst.
        if value and source and len(value.split()) >= _MIN_SUBTITLE_WORDS:
            return Found(value, source)
    return Found()
