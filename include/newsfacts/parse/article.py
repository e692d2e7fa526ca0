"""Parse stage: an HTML page (bytes or text) becomes an Article, or a ParseError with its reason."""

from __future__ import annotations

import logging
import re

import lxml.html
from lxml.etree import ElementDefaultClassLookup, ParserError
from lxml.html import HtmlComment, HtmlElement, HtmlEntity, HtmlProcessingInstruction

from newsfacts.models import Article
from newsfacts.parse import metadata
from newsfacts.parse.body import extract_body
from newsfacts.parse.decode import check_bytes, check_content_type, check_text, decode_html
from newsfacts.parse.errors import ParseError
from newsfacts.parse.rules import fold_key, rules_for_url
from newsfacts.parse.structured import json_ld, meta_tags
from newsfacts.settings import DEFAULT_MAX_BODY_BYTES

__all__ = ["ParseError", "parse_article"]

log = logging.getLogger(__name__)

# lxml refuses text that still declares its byte encoding.
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)


# lxml.html picks each element's class in Python, for every element Python touches (some
# 2,000 times a page over the body passes); one class for all, chosen in C, is the same
# HtmlElement API without that cost (the form and input classes are never used here).
_ONE_CLASS = ElementDefaultClassLookup(
    element=HtmlElement, comment=HtmlComment, pi=HtmlProcessingInstruction, entity=HtmlEntity
)


def _parse_tree(text: str) -> HtmlElement:
    # Comments left in the tree split text nodes and make trafilatura drop whole paragraphs.
    parser = lxml.html.HTMLParser(collect_ids=False, remove_comments=True, remove_pis=True)
    parser.set_element_class_lookup(_ONE_CLASS)
    try:
        tree = lxml.html.document_fromstring(_XML_DECLARATION.sub("", text, count=1), parser=parser)
    except (ParserError, ValueError) as exc:
        raise ParseError("empty", str(exc)) from exc
    # libxml2 stops descending at 256 levels and drops the rest of the page without failing.
    if any("Excessive depth" in entry.message for entry in parser.error_log):
        raise ParseError("too deep", "nesting beyond the HTML parser's depth limit")
    return tree


def parse_article(
    html: bytes | str,
    url: str | None = None,
    *,
    content_type: str | None = None,
    max_bytes: int = DEFAULT_MAX_BODY_BYTES,
) -> Article:
    """Parse one HTML page into an Article.

    `html` may be the raw bytes (decoded by the HTTP charset in `content_type`, then the page's
    meta charset, then detection) or text. Input over `max_bytes` (the pipeline passes its
    `max_body_bytes` setting; 10 MB by default) is refused. Raises ParseError, whose `reason` is one
    of "empty", "binary", "not html", "too large", "too deep", "no body".
    """
    check_content_type(content_type)
    if isinstance(html, bytes):
        check_bytes(html, max_bytes)
        text, _codec = decode_html(html, content_type)
    else:
        text = html
    check_text(text, max_bytes)
    tree = _parse_tree(text)
    page_body = tree.find("body")
    if page_body is None or not page_body.text_content().strip():
        raise ParseError("no body", "the page has no body text")

    rules = rules_for_url(url)
    meta = meta_tags(tree)
    ld = json_ld(tree)
    methods: dict[str, str] = {}

    def keep(name: str, found: metadata.Found | metadata.FoundList) -> None:
        if found.method:
            methods[name] = found.method

    title = metadata.find_title(tree, meta, ld, rules)
    authors = metadata.find_authors(tree, meta, ld, rules)
    modified = metadata.find_modified(meta, ld)
    canonical = metadata.find_canonical(tree, meta, url)
    section = metadata.find_section(meta, ld)
    tags = metadata.find_tags(meta, ld)
    subtitle = metadata.find_subtitle(meta, ld)
    titles = {fold_key(t) for t in metadata.title_candidates(tree, meta, ld).values()}
    if title.value:
        titles.add(fold_key(title.value))
    # Dates in words are searched in the page as shown, before the body pass prunes it.
    published = metadata.find_published(tree, meta, ld, rules, url)

    body = extract_body(tree, url, rules, titles=titles, fallback_text=ld.body if ld else None)
    if not body.paragraphs:
        raise ParseError("no body", "no article text found")
    lang = metadata.find_lang(tree, meta, ld, body.text)

    for name, found in (
        ("title", title),
        ("authors", authors),
        ("published", published),
        ("modified", modified),
        ("canonical_url", canonical),
        ("section", section),
        ("tags", tags),
        ("subtitle", subtitle),
        ("lang", lang),
    ):
        keep(name, found)
    methods["body"] = body.method
    page_url = url or canonical.value or ""
    return Article(
        url=page_url,
        canonical_url=canonical.value or page_url,
        title=title.value,
        body=body.text,
        lang=lang.value,
        published=published.value,
        modified=modified.value,
        authors=authors.values,
        subtitle=subtitle.value,
        section=section.value,
        tags=tags.values,
        captions=body.captions,
        methods=methods,
    )
