"""The clause reader: numbers whose unit is troops, with the actor, place, qualifier and kind
that the clause itself states. Precision first: what the clause leaves open is left to
`attribution`, which reads the sentence, the paragraph, the headline and the article around it.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass

from newsfacts.extract import actors, numbers
from newsfacts.extract.actors import FoldedMention
from newsfacts.extract.troops.lexicon import Lexicon
from newsfacts.text.normalize import Folded

_MIN_COUNT = 2
_MAX_COUNT = 10_000_000
_YEARS = (1900, 2100)
# Window sizes in characters of folded text.
_BEFORE = 45
_AFTER = 45
_EXCLUDE_AFTER = 30
_LOCATION_AFTER = 80
_VSO_REACH = 15  # an Arabic verb written just before its subject: "تنشر واشنطن"
_ANAPHOR_REACH = 400  # "the alliance" looks back this far for the alliance it stands for

# Clause marks in folded text (، is , and ؛ is ;); a comma between digits groups thousands.
_CLAUSE = re.compile(r"[,;:()](?:(?<!\d,)|(?<!,)|(?!\d))")
# Links that tie a number to the count before it (lexicon `links`).
COMPARE, PAIR, INCLUDE, ADD = "compare", "pair", "include", "add"

AMBIGUOUS = "\x00ambiguous"
_NUMBER_NEXT = re.compile(r"\s*(?:\w+\s+)?\d")

# --- one sentence ---------------------------------------------------------------------------


@dataclass(slots=True)
class _Number:
    value: int
    high: int | None
    start: int
    end: int


@dataclass(slots=True)
class _Phrase:
    """What surrounds a number that makes it a troop count."""

    unit_end: int  # end of the unit (or of the number, for a unit carried on)
    regions: list[tuple[int, int]]  # where an actor named with the troops is looked for
    start: int  # where the troop phrase begins (the noun before the number, or the number)
    possessive: bool = False
    definite: bool = False
    level: bool = False
    increase: bool = False
    carried: bool = False
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
    region: bool = False  # the sentence places the troops in a region of several countries
    clause: tuple[int, int] = (0, 0)  # the count's clause in the sentence's folded text
    border_of: str | None = None  # "along its border with X": the actor's own side


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


class _Sentence:
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
        self.marks = [m.start() for m in _CLAUSE.finditer(self.t)]
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
            if m.prefix[-1] == self.lex.clitic_owner and _owns(self, m):
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


def _resolve(s: _Sentence, found: list[FoldedMention]) -> list[FoldedMention]:
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


def _owns(s: _Sentence, m: FoldedMention) -> bool:
    """An Arabic name with ل followed by a number, a qualifier at most in between."""
    nxt = s.next_number(m.end)
    if nxt - m.end > 16 or s.clause_end(m.end) < nxt:
        return False
    gap = s.t[m.end : nxt].strip()
    return not gap or bool(s.lex.qualifiers.any.fullmatch(gap))


def _numbers(s: _Sentence) -> Iterator[_Number]:
    """Whole, non-vague numbers; a "from X to Y" change keeps only its target Y."""
    lex = s.lex
    for span in s.spans:
        if span.vague or span.value is None or span.value != int(span.value):
            continue
        if span.value_high is None:
            yield _Number(int(span.value), None, span.start, span.end)
            continue
        if span.value_high != int(span.value_high):
            continue
        lo = max(0, span.start - 20)
        if lex.change_by.ends_at(s, lo, span.start):
            # "increase ... by 180,000 to 1.5 million": the change, then the level it reaches.
            for (start, end), value in zip(span.parts, (span.value, span.value_high), strict=True):
                yield _Number(int(value), None, start, end)
            continue
        if lex.from_words.ends_at(s, lo, span.start):
            # "from 12,000 to 8,600": the level before a change, then the level it reaches.
            for (start, end), value in zip(span.parts, (span.value, span.value_high), strict=True):
                yield _Number(int(value), None, start, end)
            continue
        yield _Number(int(span.value), int(span.value_high), span.start, span.end)


def _qualifier_before(s: _Sentence, q: _Number) -> tuple[str, int]:
    lo = max(s.clause_start(q.start), q.start - _BEFORE)
    m = s.lex.qualifiers.ends_at(s, lo, q.start)
    if m is None:
        return "exact", q.start
    return s.lex.qualifiers.label(m), m.start()


def _not_a_count(s: _Sentence, q: _Number) -> bool:
    """Years, days of the month, percentages, money, and numbers of something else."""
    t, lex = s.t, s.lex
    digits = t[q.start : q.end]
    year_like = q.high is None and _YEARS[0] <= q.value <= _YEARS[1] and digits.isdigit()
    if year_like and lex.years.ends_at(s, max(0, q.start - 20), q.start):
        return True
    if q.high is not None and all(_YEARS[0] <= v <= _YEARS[1] for v in (q.value, q.high)):
        return True
    if (
        q.high is None
        and q.value <= 31
        and digits.isdigit()
        # "Feb. 24", "17 أكتوبر": a day of the month
        and (
            lex.day_before.search(t, max(0, q.start - 12), q.start) or lex.day_after.match(t, q.end)
        )
    ):
        return True
    return bool(
        lex.percent.starts.match(t, q.end, q.end + 15)
        or lex.not_units.match(t, q.end)  # "from 14 countries", "three times as many"
        or lex.currency.ends_at(s, max(0, q.start - 6), q.start)
        or lex.currency.starts.match(t, q.end, q.end + 12)
    )


def _unit_after(s: _Sentence, q: _Number) -> _Phrase | None:
    t, lex = s.t, s.lex
    # "(450) جنديا": a number set in parentheses before its unit
    end = q.end + 1 if t[q.end : q.end + 1] == ")" else q.end
    m = lex.unit_after.match(t, end)
    if m is None:
        return None
    end = m.end()
    if lex.not_after_units.starts.match(t, end, end + 12):
        return None
    phrase = _Phrase(unit_end=end, regions=[], start=q.start)
    if lex.lang == "ar":
        stop = lex.tail_stop.search(t, end, min(end + 40, len(t)))
        tail = stop.start() if stop else min(end + 40, len(t))
        phrase.regions.append((end, tail))
        phrase.possessive = m.group("min") is not None and _is_possessive(lex, m.group("min"))
        phrase.increase = bool(lex.increase_markers.search(s, end, tail))
    else:
        phrase.regions.append((q.end, end))
        phrase.possessive = m.groupdict().get("poss") is not None
        phrase.increase = bool(lex.increase_markers.search(s, q.end, end))
    phrase.definite = phrase.possessive
    return phrase


def _is_possessive(lex: Lexicon, noun: str) -> bool:
    return noun in lex.possessive_nouns


def _unit_before(s: _Sentence, q: _Number, qual_start: int) -> _Phrase | None:
    """A troop noun before the number: "القوات البالغ عددها 2500", "US troops numbering 2,500"."""
    t, lex = s.t, s.lex
    lo = max(0, qual_start - 110)
    # Every phrase ends in a link word (or, in Arabic, holds a "count of" word): a cheap test
    # of that spares the full patterns for most numbers.
    for (pattern, cue), gate in zip(lex.before_phrases, lex.before_gates, strict=True):
        if s.low is not None and not gate.search(s.low, lo, qual_start):
            continue
        m = pattern.search(t, lo, qual_start)
        if m is None:
            continue
        groups = m.groupdict()
        start = m.start("pre") if groups.get("pre") is not None else m.start("noun")
        link = m.start("link") if groups.get("link") is not None else m.end()
        noun = m.group("noun")
        possessive = groups.get("poss") is not None or (
            lex.lang == "ar" and _is_possessive(lex, noun)
        )
        return _Phrase(
            unit_end=q.end,
            regions=[(start, link)],
            start=m.start(),
            possessive=possessive,
            # "القوات البالغ عددها 2500", "قواتها الـ2500": troops that are there already (not
            # "قوة قوامها 5 آلاف", a force of that size)
            definite=possessive
            or cue == "definite"
            or (cue == "level" and bool(lex.article) and noun.startswith(lex.article)),
            level=cue == "level",
            before_region=(start, link),
            noun_start=m.start(),
        )
    return None


def _carried(s: _Sentence, q: _Number, qual_start: int, prev: Fact | None) -> _Phrase | None:
    """A number whose unit is carried on from the count before it: "..., and about 900 in Syria"."""
    if prev is None:
        return None
    t, lex = s.t, s.lex
    gap = t[prev.end : qual_start]
    if len(gap) > 90 or any(ch.isdigit() for ch in gap):
        return None
    attached = bool(lex.clitic_and) and t[qual_start - 1 : qual_start] == lex.clitic_and  # و900
    if not (attached or lex.connectors.search(s, prev.end, qual_start)):
        return None
    m = lex.carried_after.match(t, q.end)
    if m is None:
        return None
    marker = m.group("marker")
    phrase = _Phrase(
        unit_end=m.end("marker") if marker else q.end,
        regions=[(prev.end, qual_start)],
        start=q.start,
        carried=True,
    )
    phrase.increase = bool(marker) and bool(lex.increase_markers.any.fullmatch(marker))
    return phrase


def _excluded(s: _Sentence, q: _Number, qual_start: int, phrase: _Phrase) -> bool:
    """Casualties, prisoners, trainees: a number of troops, but not troops on duty."""
    lex = s.lex
    clause = s.clause_start_through(phrase.start)
    lo = max(clause, phrase.start - _BEFORE)
    hi = min(qual_start, phrase.start)
    if lex.exclude.search(s, lo, hi) or lex.exclude_before.search(s, lo, hi):
        return True
    # "وتحتجز قوات سوريا الديمقراطية (قسد) نحو 9 آلاف": the verb before a long subject
    subject = next((m for m in s.mentions if clause <= m.start and m.end <= hi), None)
    if subject is not None and subject.start - len(subject.prefix) - _VSO_REACH < lo:
        start = max(clause, _noun_start(s, subject) - _VSO_REACH)
        if lex.exclude.search(s, start, lo):
            return True
    if phrase.start != qual_start and lex.exclude.search(s, qual_start, q.start):
        return True
    return bool(lex.exclude.search(s, q.end, s.window_after(phrase.unit_end, _EXCLUDE_AFTER)))


def _irregular(s: _Sentence, q: _Number, qual_start: int, phrase: _Phrase) -> bool:
    """ "Turkish-backed fighters", "مقاتلو المعارضة السورية": proxies and rebels, no state's."""
    lo = max(s.clause_start(qual_start), qual_start - 20)
    hi = s.window_after(phrase.unit_end, 40 if s.lex.lang == "ar" else 1)
    return bool(s.lex.not_state.search(s, lo, max(hi, phrase.unit_end)))


def _qualifier_after(s: _Sentence, q: _Number, phrase: _Phrase) -> str | None:
    for pos in (q.end, phrase.unit_end):
        m = s.lex.qualifiers_after.starts.match(s.t, pos, pos + 20)
        if m:
            return s.lex.qualifiers_after.label(m)
    return None


def _kind(
    s: _Sentence, q: _Number, qual_start: int, phrase: _Phrase, prev: Fact | None
) -> str | None:
    """level, increase, decrease or planned_level; None when a change is denied or negated."""
    lex = s.lex
    from_side = phrase.link == PAIR and lex.from_words.ends_at(
        s, max(0, qual_start - 12), qual_start
    )
    if phrase.link == COMPARE or from_side or _from_side(s, q, qual_start):
        # "up from 617,000", "from around 600 to about 100": the figure before a change
        return "level"
    target = lex.target_links.ends_at(s, max(0, qual_start - 20), qual_start)
    if phrase.level and not (target and lex.target_verbs.last(s, 0, qual_start)):
        # "سحب قوات حفظ السلام الروسية البالغ قوامها 2000": the verb on the noun says the kind
        gov = None
        if phrase.noun_start is not None:
            gov = lex.cues.ends_at(s, max(0, phrase.noun_start - 25), phrase.noun_start)
        if gov is None or lex.cues.label(gov) not in ("increase", "decrease"):
            return "level"
        return _doubted(s, qual_start, phrase, lex.cues.label(gov), gov.start())
    lo = prev.end if prev else 0
    if phrase.link == PAIR or phrase.level:
        lo = 0  # "will cut its troop presence in Iraq to about 3,000": the verb opens it
    after_hi = s.window_after(phrase.unit_end, _AFTER)
    after = lex.after_cues.search(s, phrase.unit_end, after_hi)
    after_kind = lex.after_cues.label(after) if after else None
    if after_kind == "level":
        return "level"
    before_end = min(phrase.start, qual_start)
    cue = lex.cues.last(s, lo, before_end)
    cue_pos = cue.start() if cue else before_end
    kind: str | None = None
    if phrase.increase:
        kind, cue_pos = "increase", phrase.start
    elif lex.target_links.ends_at(s, max(lo, qual_start - 20), qual_start) and (
        verb := lex.target_verbs.last(s, lo, qual_start)
    ):
        tenses = {lex.tense.label(m) for m in lex.tense.finditer(s, lo, qual_start)}
        kind = "level" if tenses == {"past"} else "planned_level"
        cue_pos = verb.start()
    elif after_kind:
        kind, cue_pos = after_kind, phrase.start
    elif cue:
        kind = lex.cues.label(cue)
    elif phrase.carried and prev:
        kind = prev.kind
    if kind is None:
        kind = "level"
    return _doubted(s, qual_start, phrase, kind, cue_pos)


def _doubted(s: _Sentence, qual_start: int, phrase: _Phrase, kind: str, cue_pos: int) -> str | None:
    """The kind, unless the count is denied, negated, asked for or only supposed."""
    lex = s.lex
    scope = s.clause_start(cue_pos)
    doubtful = (
        lex.negations.search(s, scope, qual_start)
        or lex.hypothetical.search(s, scope, qual_start)
        or lex.conditionals.search(s, 0, qual_start)
        or (kind != "level" and lex.denials.search(s, 0, qual_start))
    )
    if doubtful:
        # "denied plans to withdraw its 2,500 troops": the number is the troops already there;
        # "does not plan to send 3,000 troops", "asked allies for 2,000 troops": no count at all.
        return "level" if phrase.definite else None
    return kind


def _from_side(s: _Sentence, q: _Number, qual_start: int) -> bool:
    """ "from around 600 to about 100", "من نحو 1700 إلى 900": the first number of a change."""
    lex, t = s.lex, s.t
    if not lex.from_words.ends_at(s, max(0, qual_start - 12), qual_start):
        return False
    m = lex.target_links.starts.match(t, q.end, q.end + 12)
    if m is None:
        return False
    nxt = s.next_number(q.end)
    gap = t[m.end() : nxt]
    return nxt < len(t) and (not gap.strip() or bool(lex.qualifiers.any.fullmatch(gap.strip())))


def _partitive(s: _Sentence, q: _Number) -> bool:
    """ "6,000 of its remaining 14,000", "ثلاثة آلاف من أصل 46 ألفا": a part, then the whole."""
    m = s.lex.partitive_link.match(s.t, q.end)
    return m is not None and s.next_number(q.end) == m.end()


def _hosting(s: _Sentence, m: FoldedMention) -> bool:
    """A name right after or before a verb of hosting ("تستضيف ألمانيا", "Germany hosts")."""
    start = m.start - len(m.prefix)
    return bool(
        s.lex.hosts.ends_at(s, max(0, start - 16), start)
        or s.lex.hosts.starts.match(s.t, m.end, m.end + 16)
    )


def _pick(cands: list[FoldedMention]) -> str | None:
    countries = {m.code for m in cands if m.kind == actors.COUNTRY}
    if len(countries) == 1:
        return countries.pop()
    if countries:
        return AMBIGUOUS
    codes = {m.code for m in cands}
    if len(codes) == 1:
        return codes.pop()
    return AMBIGUOUS if codes else None


def _phrase_actor(s: _Sentence, q: _Number, qual_start: int, phrase: _Phrase) -> str | None:
    cands: list[FoldedMention] = []
    for lo, hi in phrase.regions:
        for m in s.mentions:
            if m.start < lo or m.end > hi:
                continue
            prep = s.prep_before(m, lo)
            tail = s.lex.lang == "ar" and lo >= q.end and not phrase.carried
            if (
                tail
                and m.kind == actors.COUNTRY
                and m.role != "adjective"
                and (m.prefix or s.t[lo : m.start].strip())
            ):
                continue  # "2500 جندي وروسيا": a name after the unit starts something else
            if prep in ("loc", "other") or (prep == "from" and m.kind == actors.COUNTRY):
                continue
            if _hosting(s, m):
                continue  # "تستضيف ألمانيا نحو 35 ألفا منهم": the host is a place
            cands.append(m)
    # "Russia's 2,000 troops"
    head = s.t[max(0, qual_start - 4) : qual_start]
    if s.lex.lang == "en" and head.rstrip().endswith("'s"):
        apostrophe = qual_start - (len(head) - head.rstrip().rfind("'s"))
        cands += [m for m in s.mentions if m.end == apostrophe]
    return _pick(cands)


def _subject(s: _Sentence, before: int, after: int, need_cue: bool) -> str | None:
    """The actor the sentence is about: the nearest name before `before` that is no place.

    With `need_cue`, a verb of having, sending or withdrawing must stand between the name and
    the number (or just before the name, Arabic verb-subject order), and a verb of hosting makes
    the name a place, not an actor.
    """
    lex, t = s.lex, s.t
    named = [
        m
        for m in s.mentions
        if m.end <= before
        and not s.prep_before(m)
        and not s.in_relative(m, before)
        # "من مقاتلي تنظيم داعش": the owner of other troops, not the subject
        and not lex.construct_before.search(t, max(0, m.start - len(m.prefix) - 24), m.start)
    ]
    if not need_cue:
        # "its forces": clear only when every actor named before is the same one; a possessor
        # of something else ("to bolster NATO's eastern flank") is not what "its" stands for.
        named = [m for m in named if t[m.end : m.end + 2] != "'s"]
        if len({m.code for m in named}) > 1:
            return None
    for m in reversed(named):
        i = s.mentions.index(m)
        if i and not s.prep_before(s.mentions[i - 1]) and _coordinated(s, s.mentions[i - 1], m):
            return AMBIGUOUS  # "The US and Britain will send": whose troops is not said
        owner = bool(lex.clitic_owner) and m.prefix.endswith(lex.clitic_owner)
        if not need_cue or (owner and _owns(s, m)):
            return m.code
        cue = lex.cues.last(s, m.end, after)
        if cue is None:
            anchor = _noun_start(s, m)
            cue = lex.cues.ends_at(s, max(0, anchor - _VSO_REACH), anchor)
        if cue is None:
            cue = _cue_before_parenthesis(s, m)
        if cue is None or lex.hosts.search(s, cue.start(), cue.end()):
            return None
        return m.code
    return None


def _noun_start(s: _Sentence, m: FoldedMention) -> int:
    """Where the noun phrase of a mention starts: an Arabic adjective follows its noun
    ("واستدعى الجيش الإسرائيلي"), and a force's name its head noun ("وتضم قوة اليونيفيل"), so
    the verb before the subject stands before that noun."""
    start = m.start - len(m.prefix)
    if s.lex.lang != "ar" or m.prefix:
        return start
    word = s.t.rfind(" ", 0, max(0, start - 1)) + 1
    head = s.t[word:start].strip()
    if not head or _CLAUSE.search(s.t, word, start):
        return start
    if m.role == "adjective" or s.lex.mission_head.fullmatch(head):
        return word
    return start


def _cue_before_parenthesis(s: _Sentence, m: FoldedMention) -> re.Match[str] | None:
    """ "وتضم بعثة الاتحاد في البوسنة (يوفور ألثيا) حاليا 1100 جندي": a name in parentheses
    names the noun before them, whose verb may open the clause."""
    t = s.t
    opening = m.start - len(m.prefix) - 1
    while opening >= 0 and t[opening] == " ":
        opening -= 1
    if opening < 0 or t[opening] != "(" or t[m.end : m.end + 2].strip()[:1] != ")":
        return None
    cue = s.lex.cues.last(s, s.clause_start_through(opening), opening)
    if cue is None:
        return None
    others = {
        o.code for o in s.mentions if cue.end() <= o.start and o.end <= opening and not _is_place(o)
    }
    return cue if others <= {m.code} else None


def _coordinated(s: _Sentence, first: FoldedMention, second: FoldedMention) -> bool:
    if first.code == second.code:
        return False
    gap = s.t[first.end : second.start - len(second.prefix)]
    return bool(s.lex.pair.fullmatch(gap)) or _clitic_joined(s, second, gap)


def _actor(
    s: _Sentence, q: _Number, qual_start: int, phrase: _Phrase, prev: Fact | None
) -> str | None:
    code = _phrase_actor(s, q, qual_start, phrase)
    if code is not None:
        return code
    if phrase.carried or (prev and phrase.link in (COMPARE, PAIR)):
        # "including 600 from the United States": a national part of the count before
        for m in s.mentions:
            if (
                q.end <= m.start <= q.end + 25
                and _is_place(m)
                and s.prep_before(m, q.end) == "from"
            ):
                return m.code
        return prev.actor if prev else None
    if phrase.possessive or (
        s.lex.lang == "en"
        and s.lex.possessive_before.search(s.t, max(0, qual_start - 8), qual_start)
    ):
        phrase.definite = True
        code = _subject(s, phrase.start, qual_start, need_cue=False)
    else:
        code = _subject(s, phrase.start, qual_start, need_cue=True)
    if code is None and prev and phrase.link in (INCLUDE, ADD):
        return prev.actor  # "إلى جانب نحو ثلاثمئة من العسكريين": more of the same troops
    return code


def _location(  # noqa: PLR0911, PLR0912
    s: _Sentence,
    q: _Number,
    qual_start: int,
    phrase: _Phrase,
    prev: Fact | None,
    *,
    actor: str | None,
) -> tuple[str | None, int]:
    """The place the troops are in, and where its name ends (the unit's end when none)."""
    t, lex = s.t, s.lex

    def decreasing() -> bool:
        return any(lex.cues.label(c) == "decrease" for c in lex.cues.finditer(s, 0, qual_start))

    lo = phrase.unit_end
    hi = min(lo + _LOCATION_AFTER, s.clause_end(lo), s.next_number(lo))
    if hi < len(t) and t[hi] == ",":
        # "in Gyumri, Armenia": the comma after a town the gazetteer does not know
        hi = next((m.end for m in s.mentions if hi < m.start <= hi + 2 and _is_place(m)), hi)
    regions = [(lo, hi)]
    if phrase.before_region:
        regions.append(phrase.before_region)
    for rlo, rhi in regions:
        for m in s.mentions:
            if m.start < rlo or m.start >= rhi:
                continue
            code: str | None
            if _is_place(m):
                code, prep = m.code, s.prep_before(m, rlo if rlo < m.start else 0)
                if _paired(s, m):
                    code = None
            elif m.home:  # "serve in UNIFIL"
                code, prep = m.home, s.prep_before(m, rlo if rlo < m.start else 0)
            elif _in_region(s, m):  # "في منطقة كورسك الروسية"
                code, prep = m.code, "loc"
            else:
                continue
            if (prep == "loc" or (prep == "from" and decreasing())) and not _at_border(s, m):
                return code, max(m.end, lo)
    # Earlier in the clause (but not the place of the count before), or "In Iraq, ...".
    clause = max(s.clause_start_through(qual_start), prev.place_end if prev else 0)
    for m in s.mentions:
        if not _is_place(m) or m.end > qual_start:
            continue
        opening = not prev and m.start < 25 and t[m.end : m.end + 2].lstrip().startswith(",")
        if (m.start >= clause or opening) and s.prep_before(m) == "loc" and not _at_border(s, m):
            return (None if _paired(s, m) else m.code), lo
    # "Germany hosts 35,000 US troops", "تستضيف ألمانيا 35 ألف جندي"
    host = lex.hosts.last(s, 0, qual_start)
    if host:
        around = [
            m
            for m in s.mentions
            if _is_place(m)
            and (m.end <= host.start() or host.end() <= m.start - len(m.prefix) <= host.end() + 1)
        ]
        after = [m for m in around if m.start >= host.end()]
        named = after[0] if after else (around[-1] if around else None)
        if named and not s.prep_before(named):
            return named.code, lo
    # "raising its contingent there", "650 عسكريا ... هناك": the place named before.
    regions = [(lo, hi), *([phrase.before_region] if phrase.before_region else [])]
    if any(lex.there.search(t, rlo, rhi) for rlo, rhi in regions):
        for m in reversed(s.mentions):
            if (
                m.end <= qual_start
                and _is_place(m)
                and s.prep_before(m) in ("loc", "from")
                and not _at_border(s, m)
            ):
                return m.code, lo
        if prev and prev.location:
            return prev.location, lo
    # "up from 617,000", "to about 100", "including 1,000 Italian soldiers": the same place.
    if prev and (
        phrase.link == INCLUDE or (phrase.link in (COMPARE, PAIR) and prev.actor == actor)
    ):
        return prev.location, lo
    # "and 500 more" says nothing of the place: the count before it does. "and 900 in X" with an
    # X we cannot place says something else; "and KFOR about 4,500" is another force.
    if phrase.carried and prev and prev.actor == actor and not lex.prep_after.match(t, q.end):
        return prev.location, lo
    # A mission named on its own (UNIFIL, MINUSMA) serves in one country.
    homes = {m.home for m in s.mentions if m.home and m.code == actor and m.start < hi}
    if len(homes) == 1:
        return homes.pop(), lo
    return None, lo


def _in_region(s: _Sentence, m: FoldedMention) -> bool:
    """A country's adjective on a place in it: "في منطقة كورسك الروسية", "in the Russian region
    of Kursk"."""
    if m.kind != actors.COUNTRY or m.role != "adjective":
        return False
    t, lex = s.t, s.lex
    start = m.start - len(m.prefix)
    if lex.region_before.search(t, max(0, start - 60), start):
        return True
    return bool(lex.region_after.match(t, m.end)) and s.prep_before(m) == "loc"


def _is_place(m: FoldedMention) -> bool:
    return m.kind == actors.COUNTRY and m.role in ("name", "capital")


def _at_border(s: _Sentence, m: FoldedMention) -> bool:
    """ "at Ukraine's border", "على حدود أوكرانيا": the place is a border, not where troops are."""
    if s.lex.borders.starts.match(s.t, m.end, m.end + 16):
        return True
    start = m.start - len(m.prefix)
    return bool(s.lex.borders.ends_at(s, max(0, start - 12), start))


def _clitic_joined(s: _Sentence, m: FoldedMention, gap: str) -> bool:
    """ "العراق وسوريا": the second name carries its "and"."""
    return bool(s.lex.clitic_and) and m.prefix.startswith(s.lex.clitic_and) and not gap.strip()


def _paired(s: _Sentence, m: FoldedMention) -> bool:
    """ "in Iraq and Syria", "in Iraq, Syria and Jordan": one count over several places.

    A comma alone ends the phrase ("sent troops to Russia, South Korea said") unless the place
    after it is itself followed by "and" or another comma.
    """
    places = [o for o in s.mentions if o.start >= m.end and _is_place(o)]
    for i, other in enumerate(places):
        if other.code == m.code:
            continue
        gap = s.t[m.end : other.start - len(other.prefix)]
        if _clitic_joined(s, other, gap):
            return True
        if not s.lex.pair.fullmatch(gap):
            return False
        if gap.strip() != ",":
            return True
        follow = places[i + 1] if i + 1 < len(places) else None
        return follow is not None and (
            bool(s.lex.pair.fullmatch(s.t[other.end : follow.start - len(follow.prefix)]))
            or _clitic_joined(s, follow, s.t[other.end : follow.start - len(follow.prefix)])
        )
    return False


def _read(s: _Sentence, q: _Number, prev: Fact | None) -> Fact | None:
    if not _MIN_COUNT <= q.value <= _MAX_COUNT or _not_a_count(s, q):
        return None
    qualifier, qual_start = _qualifier_before(s, q)
    phrase = _unit_after(s, q)
    before = _unit_before(s, q, qual_start)
    if phrase is None:
        phrase = before or _carried(s, q, qual_start, prev)
    elif before is not None:
        # "قواتها البالغ عددها قرابة 2500 جندي": both; the noun before says level and whose.
        phrase.regions += before.regions
        phrase.start = before.start
        phrase.possessive = phrase.possessive or before.possessive
        phrase.definite = phrase.definite or before.definite
        phrase.level = before.level
        phrase.before_region = before.before_region
        phrase.noun_start = before.noun_start
    if phrase is None and (_from_side(s, q, qual_start) or _partitive(s, q)):
        # "from 12,000 to 8,600 troops", "6,000 of its remaining 14,000 troops": the unit
        # written once, after the second number
        nxt = next((p for p in s.spans if p.start >= q.end), None)
        if nxt is not None and nxt.value is not None:
            after = _unit_after(s, _Number(int(nxt.value), None, nxt.start, nxt.end))
            if after is not None:
                phrase = _Phrase(unit_end=q.end, regions=after.regions, start=q.start)
    link = _link(s, qual_start, prev)
    if phrase is None and (
        link in (COMPARE, PAIR) or (link == INCLUDE and s.lex.part_after.match(s.t, q.end))
    ):
        # "up from 617,000", "from around 600 to about 100": the same troops at another time;
        # "including 300,000 on the front line": part of them
        phrase = _Phrase(unit_end=q.end, regions=[], start=q.start, carried=True)
    if (
        phrase is None
        or _excluded(s, q, qual_start, phrase)
        or _irregular(s, q, qual_start, phrase)
    ):
        return None
    phrase.link = link
    if qualifier == "exact":
        qualifier = _qualifier_after(s, q, phrase) or "exact"
    if qualifier == "exact" and q.high is not None:
        qualifier = "approx"  # a range is an estimate (tests/fixtures/gold/README.md)
    if s.lex.definite_before.search(s.t, max(0, qual_start - 8), qual_start) or (
        s.t[max(0, qual_start - 3) : qual_start].rstrip().endswith("'s")
    ):
        phrase.definite = True
    # An actor the clause does not name is left to attribution (None); several is AMBIGUOUS.
    actor = _actor(s, q, qual_start, phrase, prev)
    kind = _kind(s, q, qual_start, phrase, prev)
    if kind is None:
        return None
    location, place_end = _location(s, q, qual_start, phrase, prev, actor=actor)
    return Fact(
        actor,
        location,
        q.value,
        q.high,
        qualifier,
        kind,
        phrase.unit_end,
        place_end,
        bare=phrase.unit_end == q.end,
        start=q.start,
        definite=phrase.definite,
    )


def _link(s: _Sentence, qual_start: int, prev: Fact | None) -> str | None:
    """How the number relates to the count before it in the sentence, from the words just
    before it: COMPARE ("up from"), PAIR ("from 600 to 100"), INCLUDE ("including"), ADD."""
    if prev is None:
        return None
    t, lex = s.t, s.lex
    m = lex.links.ends_at(s, max(prev.end, qual_start - 30), qual_start)
    if m is None:
        return None
    kind = lex.links.label(m)
    gap = t[prev.end : m.start()]
    if kind == PAIR:
        # Only the link between two bare numbers: not "2,000 troops to 12 bases".
        return PAIR if prev.bare and not gap.strip() else None
    if len(gap) > 120 or (kind != COMPARE and any(ch.isdigit() for ch in gap)):
        return None
    return kind


def sentence_facts(
    folded: Folded, low: str | None, lex: Lexicon, whole: Whole | None = None
) -> list[Fact]:
    s = _Sentence(folded, low, lex, whole)
    facts: list[Fact] = []
    prev: Fact | None = None
    for q in _numbers(s):
        fact = _read(s, q, prev)
        if fact is not None:
            fact.clause = (s.clause_start(fact.start), s.clause_end(fact.end))
            if fact.actor is None and _arriving(s, fact):
                # "130 troops from Romania arrived in Kosovo": where they come from is whose.
                fact.sentence_actor = _origin(s, fact)
            if fact.actor is None and fact.definite and facts and facts[-1].actor != AMBIGUOUS:
                # "about 9,000 of the 19,000 Marines": the whole is the same troops' as the part
                fact.sentence_actor = facts[-1].actor or facts[-1].sentence_actor
            if fact.actor is None and fact.sentence_actor is None and not fact.definite:
                # "Iraq wants the 2,500 troops to leave": the owner of definite troops is named
                # before this sentence, if anywhere.
                fact.sentence_actor = _sentence_actor(s, fact.start)
            if fact.location is None:
                after = s.lex.prep_after.match(s.t, fact.end)
                # "in the country" points back to a place named before: attribution finds it;
                # "from 19,815 to 16,215" goes on to a number, not a place.
                if (
                    after
                    and not s.lex.place_anaphors.match(s.t, after.end())
                    and not _NUMBER_NEXT.match(s.t, after.end())
                ):
                    fact.place_after = fact.end
                fact.sentence_places = _sentence_places(s, fact)
                clause = s.clause_start(fact.start), s.clause_end(fact.end)
                fact.region = bool(s.lex.regions.search(s.t, *clause))
            facts.append(fact)
            prev = fact
    return facts


def _arriving(s: _Sentence, fact: Fact) -> bool:
    """Troops sent, or there, with no withdrawal said before them in the clause."""
    if fact.kind == "increase":
        return True
    lo = s.clause_start(fact.start)
    return fact.kind == "level" and not any(
        s.lex.cues.label(c) == "decrease" for c in s.lex.cues.finditer(s, lo, fact.start)
    )


def _origin(s: _Sentence, fact: Fact) -> str | None:
    """A country named right after the unit with "from"/"من": "troops from Romania"."""
    for m in s.mentions:
        if fact.end <= m.start <= fact.end + 25 and m.kind == actors.COUNTRY:
            gap = s.t[fact.end : m.start - len(m.prefix)]
            if s.lex.origin.fullmatch(gap):
                return m.code
    return None


def _sentence_actor(s: _Sentence, pos: int) -> str | None:
    """Whose troops, from anywhere in the sentence: the one actor named that is not a place
    ("the Russian president said some 1,500 soldiers are deployed in ..."), else the nearest
    such actor before the number."""
    named = [
        m
        for m in s.mentions
        if (
            not m.generic
            and s.prep_before(m) is None
            and not _hosting(s, m)
            and not _at_border(s, m)
            and s.t[m.end : m.end + 2] != "'s"
        )
        or (m.role == "adjective" and s.prep_before(m) is None)
    ]
    codes = {m.code for m in named}
    if len(codes) == 1:
        return codes.pop()
    # "the Italian unit in UNIFIL": a national contingent in a mission is its state's.
    states = {m.code for m in named if m.kind == actors.COUNTRY and m.role == "adjective"}
    if len(states) == 1 and all(
        m.kind == actors.MULTINATIONAL for m in named if m.code not in states
    ):
        return states.pop()
    before = [m for m in named if m.end <= pos]
    return before[-1].code if before else None


def _sentence_places(s: _Sentence, fact: Fact) -> tuple[str, ...]:
    """Countries the sentence places something in ("in Iraq", "to Kuwait", "في سوريا")."""
    codes = []
    for m in s.mentions:
        if _is_place(m) and s.prep_before(m) in ("loc", "from") and not _at_border(s, m):
            codes.append(m.code)
        elif m.home and m.code == fact.actor:
            codes.append(m.home)
    return tuple(dict.fromkeys(codes))
