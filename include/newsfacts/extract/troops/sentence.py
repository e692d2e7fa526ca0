"""One folded sentence as the troop reader sees it: its numbers, actor mentions and clause
marks, and the records the reader builds (a number, the phrase that makes it troops, a fact)."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from newsfacts.extract import actors, numbers
from newsfacts.extract.actors import FoldedMention
from newsfacts.extract.troops.lexicon import Lexicon
from newsfacts.text.normalize import Folded

# "the alliance" looks back this far for the alliance it stands for
_ANAPHOR_REACH = 400

# Clause marks in folded text (، is , and ؛ is ;); a comma between digits groups thousands.
CLAUSE = re.compile(r"[,;:()](?:(?<!\d,)|(?<!,)|(?!\d))")
# Links that tie a number to the count before it (lexicon `links`).
COMPARE, PAIR, INCLUDE, ADD = "compare", "pair", "include", "add"
# A clause that names several actors for one count.
AMBIGUOUS = "\x00ambiguous"


@dataclass(slots=True)
class Number:
    value: int
    high: int | None
    start: int
    end: int


@dataclass(slots=True)
class Phrase:
    """What surrounds a number that makes it a troop count."""

    unit_end: int  # end of the unit (or of the number, for a unit carried on)
    regions: list[tuple[int, int]]  # where an actor named with the troops is looked for
    start: int  # where the troop phrase begins (the noun before the number, or the number)
    possessive: bool = False
    definite: bool = False
    level: bool = False
    increase: bool = False
    carried: bool = False
    anaphor: bool = False  # "the figure had swelled to ...": the troops of the sentence before
    before_region: tuple[int, int] | None = None
    link: str | None = None  # how the number relates to the count before it (COMPARE...)
    noun_start: int | None = None  # the troop noun before the number, where one is


@dataclass(slots=True)
class Fact:
    actor: str | None  # None: the clause does not say whose; AMBIGUOUS: it names several
    location: str | None
    count: int
    count_high: int | None
    qualifier: str
    kind: str
    end: int  # end of the unit phrase in folded text
    place_end: int  # end of the place named after it (or `end`)
    bare: bool = False  # no unit after the number ("from around 600 to ...")
    start: int = 0  # where the number starts in the sentence's folded text
    definite: bool = False  # "the 2,500 troops", "its troops": someone's troops named before
    place_after: int | None = None  # "in ..." right after the count that the clause could not place
    actor_from: str = "clause"  # how the actor was chosen: clause, sentence, previous sentence...
    location_from: str = "clause"
    # Sentence-level guesses for what the clause left open, kept for attribution to weigh.
    sentence_actor: str | None = None
    sentence_places: tuple[str, ...] = ()
    anaphor: bool = False  # the troops the sentence before counted, at another time
    region: bool = False  # the sentence places the troops in a region of several countries
    clause: tuple[int, int] = (0, 0)  # the count's clause in the sentence's folded text


@dataclass(slots=True)
class Whole:
    """The whole folded text around a sentence, and where the sentence starts in it."""

    folded: Folded
    lang: str
    offset: int = 0
    _all: list[FoldedMention] | None = None
    _starts: list[int] | None = None

    def _load(self) -> tuple[list[FoldedMention], list[int]]:
        if self._all is None or self._starts is None:
            self._all = actors.find_actors_folded(self.folded, self.lang)
            self._starts = [m.start - len(m.prefix) for m in self._all]
        return self._all, self._starts

    def last_before(self, kind: str, pos: int) -> FoldedMention | None:
        """The last actor of `kind` named shortly before `pos` (in the sentence) in the text."""
        found, starts = self._load()
        end = self.offset + pos
        i = bisect.bisect_left(starts, end)
        for m in reversed(found[:i]):
            if m.end <= end - _ANAPHOR_REACH:
                break
            if m.kind == kind and m.end <= end:
                return m
        return None

    def mentions(self, length: int) -> list[FoldedMention]:
        """The actors named in the sentence, with offsets in the sentence."""
        found, starts = self._load()
        lo, hi = self.offset, self.offset + length
        i = bisect.bisect_left(starts, lo)
        out = []
        for m in found[i:]:
            if m.end > hi:
                break
            out.append(
                FoldedMention(
                    m.code, m.kind, m.role, m.start - lo, m.end - lo, m.prefix, m.home, m.generic
                )
            )
        return out


class Sentence:
    """One folded sentence with its numbers, actor mentions and clause marks."""

    def __init__(
        self, folded: Folded, low: str | None, lex: Lexicon, whole: Whole | None = None
    ) -> None:
        """`low` is `folded.text` lower-cased (same length) for the quick tests, or None.

        `whole` is the text the sentence was cut from, and where in its fold the sentence starts:
        the actors are looked up once over the whole text (the entity extractor needs them too).
        """
        self.folded = folded
        self.whole = whole
        self.t = folded.text
        self.low = low
        self.lex = lex
        self.spans = numbers.scan_folded(folded, lex.lang)
        self._mentions: list[FoldedMention] | None = None
        self._preps: dict[tuple[int, int], str | None] = {}
        self._relatives: list[tuple[int, int]] | None = None
        self.marks = [m.start() for m in CLAUSE.finditer(self.t)]
        self.starts = [s.start for s in self.spans]

    @property
    def mentions(self) -> list[FoldedMention]:
        """Actors named in the sentence, resolved only once a number reads as troops."""
        if self._mentions is None:
            if self.whole is None:
                found = actors.find_actors_folded(self.folded, self.lex.lang)
            else:
                found = self.whole.mentions(len(self.t))
            self._mentions = _resolve(self, found)
        return self._mentions

    def clause_start_through(self, pos: int) -> int:
        """Like `clause_start`, but a parenthesis ("في مالي (مينوسما) التي") does not end it."""
        start = self.clause_start(pos)
        while start and self.t[start - 1] == ")":
            opening = self.t.rfind("(", 0, start - 1)
            if opening < 0:
                break
            start = self.clause_start(opening)
        return start

    def in_relative(self, m: FoldedMention, before: int) -> bool:
        """Inside ", which ...," (or "، التي ...،") that closes before `before`."""
        if self._relatives is None:
            self._relatives = [r.span() for r in self.lex.relatives.finditer(self.t)]
        return any(lo < m.start and m.end <= hi < before for lo, hi in self._relatives)

    def clause_start(self, pos: int) -> int:
        i = bisect.bisect_left(self.marks, pos)
        return self.marks[i - 1] + 1 if i else 0

    def clause_end(self, pos: int) -> int:
        i = bisect.bisect_left(self.marks, pos)
        return self.marks[i] if i < len(self.marks) else len(self.t)

    def next_number(self, pos: int) -> int:
        i = bisect.bisect_left(self.starts, pos)
        return self.starts[i] if i < len(self.starts) else len(self.t)

    def window_after(self, pos: int, size: int) -> int:
        return min(pos + size, self.clause_end(pos), self.next_number(pos))

    def prep_before(self, m: FoldedMention, lo: int = 0) -> str | None:
        """Say "loc", "from" or "other" when a preposition governs the mention, else None."""
        if m.prefix and m.prefix[-1] in self.lex.clitic_place:
            # "وللولايات المتحدة نحو 900 جندي": ل right before a number is "has", not "to".
            if m.prefix[-1] == self.lex.clitic_owner and owns(self, m):
                return None
            return "loc"
        w = max(lo, m.start - 40)
        key = (m.start, w)
        if key not in self._preps:
            self._preps[key] = self._prep(w, m.start)
        return self._preps[key]

    def _prep(self, lo: int, hi: int) -> str | None:
        lex = self.lex
        if lex.loc_prep.search(self.t, lo, hi) or lex.city_comma.search(self.t, lo, hi):
            return "loc"
        if lex.from_prep.search(self.t, lo, hi):
            return "from"
        if lex.other_prep.search(self.t, lo, hi):
            return "other"
        return None


def _resolve(s: Sentence, found: list[FoldedMention]) -> list[FoldedMention]:
    """Mentions as the troop reader needs them.

    An armed group's nationality is not an actor ("مجموعة فاغنر الروسية", "Russian Wagner
    fighters"); a common noun for a UN force gives way to the nation or body named with it
    ("the EU's peacekeeping force", "قوات حفظ السلام الروسية"); "الحزب", "the alliance" stand
    for the last group or alliance named before them in the sentence.
    """
    t = s.t
    drop: set[int] = set()
    for i in range(len(found) - 1):
        a, b = found[i], found[i + 1]
        gap = t[a.end : b.start - len(b.prefix)]
        if b.prefix or not (not gap.strip() or gap.strip() == "'s"):
            continue
        if a.kind == actors.GROUP and b.kind == actors.COUNTRY and b.role == "adjective":
            drop.add(i + 1)  # مجموعة فاغنر الروسية
        elif b.kind == actors.GROUP and a.kind == actors.COUNTRY:
            drop.add(i)  # Russian Wagner fighters, Russia's Wagner group
        elif a.generic and b.code != a.code and b.role == "adjective":
            drop.add(i)  # قوات حفظ السلام الروسية
        elif b.generic and a.code != b.code:
            drop.add(i + 1)  # Indian peacekeepers, the EU's peacekeeping force
    out = [m for i, m in enumerate(found) if i not in drop]
    for word in s.lex.anaphors.finditer(s, 0, len(t)):
        kind = s.lex.anaphors.label(word)
        after = t[word.end() : word.end() + 3].lstrip()
        if s.lex.lang == "ar" and after.startswith("ال"):
            continue  # "الحزب الديمقراطي" names another party
        named = [m for m in out if m.kind == kind and m.end <= word.start()]
        last = named[-1] if named else None
        if last is None and s.whole is not None:
            # "The alliance already keeps ...": the alliance named in the sentences before
            last = s.whole.last_before(kind, word.start())
        if last is not None:
            start = word.start("w") if word.group("w") else word.start()
            prefix = t[word.start() : start]
            out.append(
                FoldedMention(last.code, last.kind, "name", start, word.end(), prefix, last.home)
            )
    out.sort(key=lambda m: m.start)
    return out


def owns(s: Sentence, m: FoldedMention) -> bool:
    """An Arabic name with ل followed by a number, a qualifier at most in between."""
    nxt = s.next_number(m.end)
    if nxt - m.end > 16 or s.clause_end(m.end) < nxt:
        return False
    gap = s.t[m.end : nxt].strip()
    return not gap or bool(s.lex.qualifiers.any.fullmatch(gap))
