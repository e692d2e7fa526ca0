"""Parse stage against 13 real pages with expected fields (shared/fixtures/html): >= 95% right."""

from __future__ import annotations

import json
import os
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from newsfacts.parse.article import parse_article
from newsfacts.parse.published import to_instant
from tools.body_score import score_page, tokens

SHARED = Path(
    os.environ.get("NEWSFACTS_SHARED") or Path(__file__).resolve().parents[1] / ".." / "shared"
)
FIXTURES = SHARED / "fixtures" / "html"
MIN_SHARE_RIGHT = 0.95
MIN_BODY_F1 = 0.9

pytestmark = pytest.mark.skipif(
    not FIXTURES.is_dir(), reason=f"shared fixtures not found at {FIXTURES} (set NEWSFACTS_SHARED)"
)

# Decisions for fields the sidecars do not hand-check (see shared/fixtures/html/README.md).
# arabic-cnn-com: the sidecar is newspaper4k's own output. Read the page: the title is the <h1>
# and og:title, which the sidecar matches; the body is the seven story paragraphs under the
# headline, which body_text matches (the comment-policy notice below them is not the story);
# there is no byline, so authors are []. The date is left unscored: the URL says 3 August 2013
# (the text's "Friday-Saturday night" fits), while the timestamp under the headline says
# Wednesday 28 August 2013, "last updated 14:00" - the page contradicts itself.
# assabah-com-tn: no date or author in the sidecar; only title and body snippets are scored.
CHECKED_BY_READING = {"arabic-cnn-com_2013-08-03_syria-clashes": {"authors": []}}
SKIP_FIELDS = {
    "arabic-cnn-com_2013-08-03_syria-clashes": {"published"},
    "assabah-com-tn_article-164913": {"published", "authors"},
}


def _pages() -> list[Path]:
    return sorted(FIXTURES.glob("*/*.html")) if FIXTURES.is_dir() else []


def _same_title(got: str | None, want: str) -> bool:
    return got is not None and [t.casefold() for t in tokens(got)] == [
        t.casefold() for t in tokens(want)
    ]


def _same_date(got: str | None, want: str | None) -> bool:
    if want is None:
        return got is None
    if got is None:
        return False
    mine, theirs = to_instant(got), datetime.fromisoformat(want)
    if isinstance(mine, datetime):
        return mine == theirs
    return mine == theirs.date() if isinstance(mine, date) else False


def _same_authors(got: list[str], want: list[str] | None) -> bool:
    return {a.casefold() for a in got} == {a.casefold() for a in (want or [])}


def _body_right(body: str, expected: dict[str, Any]) -> tuple[bool, str]:
    if "body_paragraphs" in expected or "body_text" in expected:
        gold = expected.get("body_text") or "\n\n".join(expected["body_paragraphs"])
        f1 = score_page(body, gold).f1
        return f1 >= MIN_BODY_F1, f"F1 {f1:.3f}"
    missing = [s for s in expected.get("body_must_contain", []) if s not in body]
    present = [s for s in expected.get("body_must_not_contain", []) if s in body]
    return not missing and not present, f"missing {missing} present {present}"


def _check(page: Path) -> dict[str, tuple[bool, str]]:
    """Field -> (right, note) for one page."""
    expected = json.loads(page.with_suffix(".expected.json").read_text(encoding="utf-8"))
    expected.update(CHECKED_BY_READING.get(page.stem, {}))
    skip = SKIP_FIELDS.get(page.stem, set())
    article = parse_article(page.read_bytes(), expected["url"])
    results: dict[str, tuple[bool, str]] = {
        "title": (_same_title(article.title, expected["title"]), f"{article.title!r}"),
        "body": _body_right(article.body, expected),
        "lang": (article.lang == page.parent.name, f"{article.lang}"),
    }
    if "published" not in skip:
        want = expected.get("publishing_date")
        results["published"] = (_same_date(article.published, want), f"{article.published}")
    if "authors" not in skip:
        results["authors"] = (
            _same_authors(article.authors, expected.get("authors")),
            f"{article.authors}",
        )
    return results


@pytest.fixture(scope="module")
def checked() -> dict[str, dict[str, tuple[bool, str]]]:
    return {page.stem: _check(page) for page in _pages()}


def test_there_are_thirteen_pages() -> None:
    pages = _pages()
    assert len(pages) == 13
    assert sum(p.parent.name == "ar" for p in pages) == 3


def test_fields_right_overall(checked: dict[str, dict[str, tuple[bool, str]]]) -> None:
    per_field: dict[str, list[bool]] = {}
    wrong = []
    for stem, fields in checked.items():
        for name, (right, note) in fields.items():
            per_field.setdefault(name, []).append(right)
            if not right:
                wrong.append(f"{stem}.{name}: {note}")
    report = ", ".join(f"{n} {sum(v)}/{len(v)}" for n, v in sorted(per_field.items()))
    total = [r for v in per_field.values() for r in v]
    share = sum(total) / len(total)
    print(f"\nparse fixtures: {share:.1%} of {len(total)} fields right ({report})")
    for line in wrong:
        print("  wrong:", line)
    assert share >= MIN_SHARE_RIGHT, f"{share:.1%} right ({report}); wrong: {wrong}"


@pytest.mark.parametrize("page", _pages(), ids=lambda p: p.stem)
def test_body_and_language_per_page(page: Path, checked: dict) -> None:
    """Body and language have no excuse to be wrong on any page."""
    fields = checked[page.stem]
    assert fields["body"][0], fields["body"][1]
    assert fields["lang"][0], fields["lang"][1]
