"""One article as the extractors read it: folded once, cut into sentences and paragraphs, with
its headline and the actors and places it names, each looked up once for every extractor."""

from __future__ import annotations

import bisect
from collections import Counter
from dataclasses import dataclass
from datetime import date
from functools import cached_property

from newsfacts import lexicon
from newsfacts.extract import actors
from newsfacts.extract.actors import FoldedMention
from newsfacts.extract.places import PlaceMention, find_places
from newsfacts.models import DateMention
from newsfacts.text.language import detect_language
from newsfacts.text.normalize import Folded, fold
from newsfacts.text.sentences import sentence_spans

# A first line this short with no closing stop reads as a headline.
_HEADLINE_MAX = 220


@dataclass
class Document:
    """`text` in `lang`; offsets of sentences are in `text`, of mentions in `whole.text`."""

    text: str
    lang: str
    published: date | None = None

    @classmethod
    def of(cls, text: str, lang: str | None = None, published: date | None = None) -> Document:
        return cls(text, lang if lang in {"ar", "en"} else detect_language(text), published)

    @cached_property
    def dates(self) -> list[DateMention]:
        """Every date mention, resolved against the publication date, in order."""
        from newsfacts.extract.dates import extract_dates

        return extract_dates(self.text, self.lang, self.published)

    @cached_property
    def low(self) -> Folded:
        """Folded and lower-cased (for the lexicons' case-insensitive matching)."""
        return fold(self.text)

    @cached_property
    def whole(self) -> Folded:
        """Folded with case kept (names: "US" is not "us")."""
        return fold(self.text, lower=False)

    @cached_property
    def sentences(self) -> list[tuple[int, int]]:
        abbreviations = lexicon.load(f"troops_{self.lang}").get("abbreviations") or []
        return sentence_spans(self.text, frozenset(abbreviations))

    @cached_property
    def paragraph_starts(self) -> list[int]:
        """Where each paragraph (a line of the text) starts, in `text`."""
        starts = [0]
        starts += [i + 1 for i, ch in enumerate(self.text) if ch == "\n"]
        return starts

    def paragraph_of(self, pos: int) -> int:
        return bisect.bisect_right(self.paragraph_starts, pos) - 1

    @cached_property
    def headline(self) -> tuple[int, int] | None:
        """The first line when it reads as a headline: short, no stop at its end, text after it."""
        first = self.text.lstrip()
        start = len(self.text) - len(first)
        end = self.text.find("\n", start)
        if end < 0:
            return None
        line = self.text[start:end].strip()
        if (
            not line
            or len(line) > _HEADLINE_MAX
            or line[-1] in ".!?؟:"
            or not self.text[end:].strip()
        ):
            return None
        return start, start + len(line)

    @cached_property
    def mentions(self) -> list[FoldedMention]:
        """Every actor named, in order, with offsets in `whole.text`."""
        return actors.find_actors_folded(self.whole, self.lang)

    @cached_property
    def places(self) -> list[PlaceMention]:
        """Cities, regions and bases named, with the country each is in."""
        return find_places(self.whole, self.lang)

    def folded_span(self, start: int, end: int) -> tuple[int, int]:
        """Offsets in `text` to offsets in the folded texts."""
        index = self.whole.index
        return bisect.bisect_left(index, start), bisect.bisect_left(index, end)

    def mentions_in(self, start: int, end: int) -> list[FoldedMention]:
        """Actors named between two offsets of `text`."""
        lo, hi = self.folded_span(start, end)
        return [m for m in self.mentions if lo <= m.start and m.end <= hi]

    def places_in(self, start: int, end: int) -> list[PlaceMention]:
        lo, hi = self.folded_span(start, end)
        return [p for p in self.places if lo <= p.start and p.end <= hi]

    @cached_property
    def topic_actor(self) -> str | None:
        """The actor the article is about: named clearly more often than any other, the headline
        counting twice; None when no actor stands out."""
        counts: Counter[str] = Counter()
        headline = self.folded_span(*self.headline) if self.headline else (0, 0)
        for m in self.mentions:
            if m.generic or (m.kind == actors.COUNTRY and m.role == "name" and m.prefix):
                continue
            counts[m.code] += 2 if headline[0] <= m.start < headline[1] else 1
        ranked = counts.most_common(2)
        if not ranked or ranked[0][1] < 2:
            return None
        if len(ranked) > 1 and ranked[1][1] * 3 > ranked[0][1] * 2:
            return None
        return ranked[0][0]
