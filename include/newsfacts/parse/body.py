"""Article body of a page: trafilatura on a cleaned tree, then paragraph boilerplate removal."""

from __future__ import annotations

import re
from copy import deepcopy
from dataclasses import dataclass, field

import lxml.html
import trafilatura
from lxml.etree import XPath, strip_elements
from lxml.html import HtmlElement

from newsfacts.parse.published import date_in_text
from newsfacts.parse.rules import SiteRules, fold_key, fold_text

# Below this many characters a precision-first extraction may have picked the wrong block.
_SHORT_BODY = 1000
# A menu or link list is many short lines; a story is mostly lines of a sentence or more.
_PROSE_LINE = 100
_PROSE_SHARE = 0.5
_MAX_CAPTION = 600
_MAX_WIDGET = 80
_MAX_BOILERPLATE_LINE = 240
_DATELINE_WORDS = 6
_MAX_BLOCK_TEXT = 2500
# A block with fewer characters than this besides its heading is a widget, whatever it holds.
_SMALL_BLOCK = 150
# Related-story lists are mostly links; article text is mostly not.
_LINK_BLOCK = 0.5
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6", "header", "strong", "b", "span", "p", "div")
# Headings and widgets are small: the filter runs in libxml2, so wide elements cost nothing.
_SHORT_LABELS = XPath(
    "descendant::*[{tags}][count(*) <= 3][string-length(normalize-space()) <= {most}]".format(
        tags=" or ".join(f"self::{tag}" for tag in _HEADINGS), most=_MAX_WIDGET
    )
)
# Never text of the story, and trafilatura drops them too; gone first, every later XPath over
# the page (ours and trafilatura's, on each pass) has fewer elements to visit.
_NOT_TEXT = (
    "script",
    "style",
    "noscript",
    "svg",
    "iframe",
    "object",
    "embed",
    "canvas",
    "link",
    "nav",
    "footer",
    "aside",
    "button",
    "select",
    "textarea",
    "input",
    "menu",
)
# A paragraph is found in the page by its first characters; the block it spans is covered
# when the precise text has all but a few percent of its text.
_NEEDLE = 30
_COVERED = 1.05
# Where the balanced pass finds what the precise pass left out (nested ones count twice,
# which only makes the test stricter).
_PARAGRAPHS = ("p", "li", "blockquote", "pre", "td", "dd")
_TEXT_WITH = XPath("descendant::text()[contains(., $needle)]/..")
_ELEMENT_WITH = XPath("descendant-or-self::*[contains(normalize-space(.), $needle)]")
_SHOUTED = re.compile(r"[^a-z]*[A-Z]{2}[^a-z]*")
_BLANKS = re.compile(r"[ \t\u00a0\u200b]+")


@dataclass(slots=True)
class Body:
    """The body paragraphs, the captions set apart, and the method that found the text."""

    paragraphs: list[str]
    captions: list[str] = field(default_factory=list)
    method: str = "trafilatura"

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)


def _clean(text: str) -> str:
    return _BLANKS.sub(" ", text).strip()


def _drop(element: HtmlElement) -> None:
    """Remove an element but keep its tail text in the document."""
    if element.getparent() is not None:
        element.drop_tree()


def take_captions(tree: HtmlElement, rules: SiteRules) -> list[str]:
    """Collect caption texts and remove them from the tree, so the body never holds them."""
    captions: list[str] = []
    for xpath in rules.caption_xpath:
        for element in xpath(tree):
            if not isinstance(element, HtmlElement):
                continue
            text = _clean(element.text_content())
            if text and len(text) <= _MAX_CAPTION and text not in captions:
                captions.append(text)
            _drop(element)
    return captions


def _link_share(element: HtmlElement) -> float:
    """Share of an element's text that sits inside links."""
    size = len(element.text_content())
    links = sum(len(a.text_content()) for a in element.iter("a"))
    return links / size if size else 0.0


def _block_of(heading: HtmlElement, stop: HtmlElement) -> HtmlElement:
    """The block a related/category heading introduces: its nearest wrapper made of links.

    The climb stops at any ancestor that holds running text (few links, more than a caption's
    worth of words), so a "Share" label inside a short story never takes the story with it.
    """
    own = len(heading.text_content())
    node = heading
    for _ in range(4):
        parent = node.getparent()
        if parent is None or parent is stop or parent.tag in {"body", "html", "article", "main"}:
            break
        size = len(parent.text_content())
        if size > _MAX_BLOCK_TEXT:
            break
        if size - own > _SMALL_BLOCK and _link_share(parent) < _LINK_BLOCK:
            break
        node = parent
        if size > own * 2:
            break
    return node


def remove_boilerplate(tree: HtmlElement, rules: SiteRules) -> int:
    """Remove share bars, reading-time widgets, related-story and category blocks; count them."""
    removed = 0
    for xpath in rules.drop_xpath:
        for element in xpath(tree):
            if isinstance(element, HtmlElement) and element.getparent() is not None:
                element.drop_tree()
                removed += 1
    body = tree.find("body")
    if body is None:
        return removed
    doomed: list[HtmlElement] = []
    for element in _SHORT_LABELS(body):
        key = fold_key(element.text_content())
        if not key:
            continue
        if key in rules.block_headings:
            doomed.append(_block_of(element, body))
        elif any(p.search(key) for p in rules.widget_text):
            doomed.append(element)
    for element in doomed:
        if element.getparent() is not None:
            element.drop_tree()
            removed += 1
    return removed


def _trafilatura(tree: HtmlElement, url: str | None, *, precision: bool, fast: bool = True) -> str:
    # fast=True skips trafilatura's readability/jusText comparison; running both modes instead
    # and merging them below is both faster and closer to the gold bodies.
    text = trafilatura.extract(
        tree,
        url=url,
        fast=fast,
        favor_precision=precision,
        include_comments=False,
        include_tables=True,
        deduplicate=False,
        output_format="txt",
    )
    return text or ""


def _is_prose(text: str) -> bool:
    """Whether most of a text sits in sentence-length lines rather than menu-length ones."""
    lines = [line for line in text.split("\n") if line.strip()]
    total = sum(len(line) for line in lines)
    long_lines = sum(len(line) for line in lines if len(line) >= _PROSE_LINE)
    return total > 0 and long_lines / total >= _PROSE_SHARE


def fill_gaps(precise: str, balanced: str) -> str:
    """The precise extraction with the paragraphs it skipped inside its own extent put back.

    The precision-first pass finds where the story starts and ends but drops some paragraphs
    in between (lists, short lines, embedded quotes); the balanced pass keeps them. Only the
    span from the first to the last paragraph both passes agree on is taken from the balanced
    text, so the balanced pass's extra header and footer blocks stay out.
    """
    kept = [line for line in precise.split("\n") if line.strip()]
    wide = [line for line in balanced.split("\n") if line.strip()]
    shared = set(kept)
    agreed = [i for i, line in enumerate(wide) if line in shared]
    if not agreed:
        return precise
    # Lines in capitals between story paragraphs are promotions ("CLICK HERE TO GET THE APP").
    span = [
        line
        for line in wide[agreed[0] : agreed[-1] + 1]
        if line in shared or not _SHOUTED.fullmatch(line)
    ]
    spanned = "\n".join(span)
    return "\n".join(span + [line for line in kept if line not in spanned])


def _innermost(matches: list[HtmlElement]) -> list[HtmlElement]:
    """The matches none of whose descendants match (document order)."""
    holding = {parent for element in matches for parent in element.iterancestors()}
    return [element for element in matches if element not in holding]


def story_block(tree: HtmlElement, precise: str) -> HtmlElement | None:
    """The nearest element holding the first and last paragraphs of the precise text.

    That block is where the balanced pass could find paragraphs to put back (see fill_gaps).
    Each paragraph is found by the text node that starts it; the first match of the first and
    the last match of the last bound a block that holds the whole extent even when a match
    is not the paragraph itself. None when one cannot be found in the page as written.
    """
    lines = [" ".join(line.split()) for line in precise.split("\n") if line.strip()]
    body = tree.find("body")
    if body is None or not lines:
        return None
    ends = []
    for line, last in ((lines[0], False), (lines[-1], True)):
        matches = _TEXT_WITH(body, needle=line[:_NEEDLE])
        if not matches:
            # A paragraph that starts inside a child element (a link, bold) has no text node
            # starting it: then every element is searched by its whole text, slower.
            matches = _innermost(_ELEMENT_WITH(body, needle=line[:_NEEDLE]))
        if not matches:
            return None
        ends.append(matches[-1] if last else matches[0])
    around = {ends[0], *ends[0].iterancestors()}
    return next(e for e in (ends[1], *ends[1].iterancestors()) if e in around)


def _alone(block: HtmlElement) -> HtmlElement:
    """A page holding only a copy of `block`."""
    page = lxml.html.document_fromstring("<html><body></body></html>")
    page.find("body").append(deepcopy(block))
    return page


def covers(block: HtmlElement, precise: str) -> bool:
    """Whether the precise text already holds nearly all the paragraph text of `block`."""
    held = sum(len(" ".join(e.text_content().split())) for e in block.iter(*_PARAGRAPHS))
    return held <= len(" ".join(precise.split())) * _COVERED


def _is_boilerplate(line: str, rules: SiteRules) -> bool:
    if len(line) > _MAX_BOILERPLATE_LINE:
        return False
    folded = fold_text(line).strip()
    if any(p.search(folded) for p in rules.drop_lines):
        return True
    # A paragraph that is only a dateline ("الاثنين 8 كانون الثاني 2024") is page furniture.
    return len(line.split()) <= _DATELINE_WORDS and date_in_text(line) is not None


def clean_paragraphs(
    text: str, rules: SiteRules, *, titles: set[str], captions: list[str]
) -> list[str]:
    """Split extracted text into paragraphs and drop titles, captions and boilerplate lines."""
    caption_keys = {fold_key(c) for c in captions}
    paragraphs: list[str] = []
    for index, raw in enumerate(text.split("\n")):
        line = _clean(raw)
        if not line:
            continue
        key = fold_key(line)
        # The headline repeated at the top of the body belongs to Article.title.
        if index < 3 and not paragraphs and key in titles:
            continue
        if key in caption_keys or _is_boilerplate(line, rules):
            continue
        paragraphs.append(line)
    return paragraphs


def extract_body(
    tree: HtmlElement,
    url: str | None,
    rules: SiteRules,
    *,
    titles: set[str],
    fallback_text: str | None = None,
) -> Body:
    """The article body of a parsed page; the tree is cleaned in place (captions, widgets).

    Trafilatura runs precision-first and balanced; the balanced run fills the gaps inside the
    precise text (see fill_gaps). When the precise text is long, the balanced run reads only
    the block the precise paragraphs span (story_block), the one place fill_gaps takes lines
    from, and is skipped when the precise text already holds that block's paragraphs. When the
    precise text is short and under half of the balanced one, the balanced text is taken whole:
    a precision run sometimes keeps a notice block and drops the story. JSON-LD articleBody is
    the last resort.
    """
    strip_elements(tree, *_NOT_TEXT, with_tail=False)
    captions = take_captions(tree, rules)
    remove_boilerplate(tree, rules)
    precise = _trafilatura(tree, url, precision=True)
    rescued = False
    if len(precise) < _SHORT_BODY:
        # Without its fallback extractors the precise pass misses some layouts entirely.
        slow = _trafilatura(tree, url, precision=True, fast=False)
        rescued = len(slow) > len(precise)
        precise = slow if rescued else precise
    block = story_block(tree, precise) if not rescued and len(precise) >= _SHORT_BODY else None
    if block is not None and covers(block, precise):
        # The balanced pass only fills gaps inside the precise text's extent; there are none.
        paragraphs = clean_paragraphs(precise, rules, titles=titles, captions=captions)
        return Body(paragraphs=paragraphs, captions=captions, method="trafilatura")
    balanced = _trafilatura(
        tree if block is None or block.tag in {"body", "html"} else _alone(block),
        url,
        precision=False,
    )
    if len(precise) < _SHORT_BODY and len(precise) < len(balanced) / 2 and _is_prose(balanced):
        text, method = balanced, "trafilatura-balanced"
    elif rescued:
        # The fallback extractors split lines their own way: merging by line would repeat text.
        text, method = precise, "trafilatura-fallback"
    else:
        text, method = fill_gaps(precise, balanced), "trafilatura"
    paragraphs = clean_paragraphs(text, rules, titles=titles, captions=captions)
    if not paragraphs and fallback_text:
        paragraphs = clean_paragraphs(fallback_text, rules, titles=titles, captions=captions)
        method = "json-ld"
    return Body(paragraphs=paragraphs, captions=captions, method=method)
