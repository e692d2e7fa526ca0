"""The clause reader: numbers whose unit is troops, with the actor, place, qualifier and kind
that the clause itself states. Precision first: what the clause leaves open is left to
`attribution`, which reads the sentence, the paragraph, the headline and the article around it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from newsfacts.extract.troops.lexicon import Lexicon
from newsfacts.extract.troops.sentence import (
    AMBIGUOUS,
    COMPARE,
    INCLUDE,
    PAIR,
    Fact,
    Number,
    Phrase,
    Sentence,
    Whole,
)
from newsfacts.extract.troops.where import location_of, places_in_sentence
from newsfacts.extract.troops.whose import (
    VSO_REACH,
    actor_in_sentence,
    actor_of,
    arriving,
    noun_start,
    origin_of,
)
from newsfacts.text.normalize import Folded

_MIN_COUNT = 2
_MAX_COUNT = 10_000_000
_YEARS = (1900, 2100)
# Window sizes in characters of folded text.
_BEFORE = 45
_AFTER = 45
_EXCLUDE_AFTER = 30
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_NUMBER_NEXT = re.compile(r"\s*(?:\w+\s+)?\d")


def _numbers(s: Sentence) -> Iterator[Number]:
    """Whole, non-vague numbers; a "from X to Y" change keeps only its target Y."""
    lex = s.lex
    for span in s.spans:
        if span.vague or span.value is None or span.value != int(span.value):
            continue
        if span.value_high is None:
            yield Number(int(span.value), None, span.start, span.end)
            continue
        if span.value_high != int(span.value_high):
            continue
        lo = max(0, span.start - 20)
        if lex.change_by.ends_at(s, lo, span.start):
            # "increase ... by 180,000 to 1.5 million": the change, then the level it reaches.
            for (start, end), value in zip(span.parts, (span.value, span.value_high), strict=True):
                yield Number(int(value), None, start, end)
            continue
        if lex.from_words.ends_at(s, lo, span.start):
            # "from 12,000 to 8,600": the level before a change, then the level it reaches.
            for (start, end), value in zip(span.parts, (span.value, span.value_high), strict=True):
                yield Number(int(value), None, start, end)
            continue
        yield Number(int(span.value), int(span.value_high), span.start, span.end)


def _qualifier_before(s: Sentence, q: Number) -> tuple[str, int]:
    lo = max(s.clause_start(q.start), q.start - _BEFORE)
    m = s.lex.qualifiers.ends_at(s, lo, q.start)
    if m is None:
        return "exact", q.start
    return s.lex.qualifiers.label(m), m.start()


def _not_a_count(s: Sentence, q: Number) -> bool:
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
        (q.high is None and lex.designation.search(t, max(0, q.start - 30), q.start))
        or lex.percent.starts.match(t, q.end, q.end + 15)
        or lex.not_units.match(t, q.end)  # "from 14 countries", "three times as many"
        or lex.currency.ends_at(s, max(0, q.start - 6), q.start)
        or lex.currency.starts.match(t, q.end, q.end + 12)
    )


def _unit_after(s: Sentence, q: Number) -> Phrase | None:
    t, lex = s.t, s.lex
    # "(450) جنديا": a number set in parentheses before its unit
    end = q.end + 1 if t[q.end : q.end + 1] == ")" else q.end
    m = lex.unit_after.match(t, end)
    if m is None:
        return None
    end = m.end()
    if lex.not_after_units.starts.match(t, end, end + 12):
        return None
    phrase = Phrase(unit_end=end, regions=[], start=q.start)
    if lex.lang == "ar":
        stop = lex.tail_stop.search(t, end, min(end + 40, len(t)))
        tail = stop.start() if stop else min(end + 40, len(t))
        phrase.regions.append((end, tail))
        phrase.possessive = m.group("min") is not None and is_possessive(lex, m.group("min"))
        phrase.increase = bool(lex.increase_markers.search(s, end, tail))
    else:
        phrase.regions.append((q.end, end))
        phrase.possessive = m.groupdict().get("poss") is not None
        phrase.increase = bool(lex.increase_markers.search(s, q.end, end))
    phrase.definite = phrase.possessive
    return phrase


def is_possessive(lex: Lexicon, noun: str) -> bool:
    return noun in lex.possessive_nouns


def _unit_before(s: Sentence, q: Number, qual_start: int) -> Phrase | None:
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
            lex.lang == "ar" and is_possessive(lex, noun)
        )
        return Phrase(
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


def _carried(s: Sentence, q: Number, qual_start: int, prev: Fact | None) -> Phrase | None:
    """A number whose unit is carried on from the count before it: "..., and about 900 in Syria"."""
    if prev is None:
        return None
    t, lex = s.t, s.lex
    gap = t[prev.end : qual_start]
    # "100,000 at its peak in 2011 and dipped to 8,300": a year between is no other count
    if len(gap) > 90 or any(ch.isdigit() for ch in _YEAR.sub("", gap)):
        return None
    attached = bool(lex.clitic_and) and t[qual_start - 1 : qual_start] == lex.clitic_and  # و900
    if not (attached or lex.connectors.search(s, prev.end, qual_start)):
        return None
    m = lex.carried_after.match(t, q.end)
    if m is None:
        # "..., meaning another 6,000 must leave": marked as more of them before the number
        if not lex.more_before.search(t, max(0, qual_start - 20), qual_start):
            return None
        return Phrase(unit_end=q.end, regions=[(prev.end, qual_start)], start=q.start, carried=True)
    marker = m.group("marker")
    phrase = Phrase(
        unit_end=m.end("marker") if marker else q.end,
        regions=[(prev.end, qual_start)],
        start=q.start,
        carried=True,
        anaphor=prev.anaphor,
    )
    phrase.increase = bool(marker) and bool(lex.increase_markers.any.fullmatch(marker))
    return phrase


def _excluded(s: Sentence, q: Number, qual_start: int, phrase: Phrase) -> bool:
    """Casualties, prisoners, trainees: a number of troops, but not troops on duty."""
    lex = s.lex
    clause = s.clause_start_through(phrase.start)
    lo = max(clause, phrase.start - _BEFORE)
    hi = min(qual_start, phrase.start)
    if lex.exclude.search(s, lo, hi) or lex.exclude_before.search(s, lo, hi):
        return True
    # "وتحتجز قوات سوريا الديمقراطية (قسد) نحو 9 آلاف": the verb before a long subject
    subject = next((m for m in s.mentions if clause <= m.start and m.end <= hi), None)
    if subject is not None and subject.start - len(subject.prefix) - VSO_REACH < lo:
        start = max(clause, noun_start(s, subject) - VSO_REACH)
        if lex.exclude.search(s, start, lo):
            return True
    if phrase.start != qual_start and lex.exclude.search(s, qual_start, q.start):
        return True
    return bool(lex.exclude.search(s, q.end, s.window_after(phrase.unit_end, _EXCLUDE_AFTER)))


def _irregular(s: Sentence, q: Number, qual_start: int, phrase: Phrase) -> bool:
    """ "Turkish-backed fighters", "مقاتلو المعارضة السورية": proxies and rebels, no state's."""
    lo = max(s.clause_start(qual_start), qual_start - 20)
    hi = s.window_after(phrase.unit_end, 40 if s.lex.lang == "ar" else 1)
    return bool(s.lex.not_state.search(s, lo, max(hi, phrase.unit_end)))


def _qualifier_after(s: Sentence, q: Number, phrase: Phrase) -> str | None:
    for pos in (q.end, phrase.unit_end):
        m = s.lex.qualifiers_after.starts.match(s.t, pos, pos + 20)
        if m:
            return s.lex.qualifiers_after.label(m)
    return None


def _kind(s: Sentence, q: Number, qual_start: int, phrase: Phrase, prev: Fact | None) -> str | None:
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


def _doubted(s: Sentence, qual_start: int, phrase: Phrase, kind: str, cue_pos: int) -> str | None:
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


def _from_side(s: Sentence, q: Number, qual_start: int) -> bool:
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


def _partitive(s: Sentence, q: Number) -> bool:
    """ "6,000 of its remaining 14,000", "ثلاثة آلاف من أصل 46 ألفا": a part, then the whole."""
    m = s.lex.partitive_link.match(s.t, q.end)
    return m is not None and s.next_number(q.end) == m.end()


def _read(s: Sentence, q: Number, prev: Fact | None, *, follows: bool = False) -> Fact | None:
    """A troop count read from number `q`, or None; `prev` is the count before it in the
    sentence, and `follows` says the sentence before it in the paragraph counted troops."""
    if not _MIN_COUNT <= q.value <= _MAX_COUNT or _not_a_count(s, q):
        return None
    qualifier, qual_start = _qualifier_before(s, q)
    phrase = _troop_phrase(s, q, qual_start, prev)
    if phrase is None and follows and prev is None:
        phrase = _carried_over(s, q, qual_start)
    link = _link(s, qual_start, prev)
    if phrase is None and (
        link in (COMPARE, PAIR) or (link == INCLUDE and s.lex.part_after.match(s.t, q.end))
    ):
        # "up from 617,000", "from around 600 to about 100": the same troops at another time;
        # "including 300,000 on the front line": part of them
        phrase = Phrase(unit_end=q.end, regions=[], start=q.start, carried=True)
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
    actor = actor_of(s, q, qual_start, phrase, prev)
    # "will leave ..., including 2,500 from the US": a part has the whole's kind
    included = phrase.link == INCLUDE and prev is not None
    kind = prev.kind if included and prev else _kind(s, q, qual_start, phrase, prev)
    if kind is None:
        return None
    location, place_end = location_of(s, q, qual_start, phrase, prev, actor=actor)
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
        anaphor=phrase.anaphor,
    )


def _troop_phrase(s: Sentence, q: Number, qual_start: int, prev: Fact | None) -> Phrase | None:
    """What makes the number troops: a unit after it, a troop noun before it (or both), the
    unit of the count before it, or the unit after the other number of a pair or a whole."""
    phrase = _unit_after(s, q)
    before = _unit_before(s, q, qual_start)
    if phrase is None:
        phrase = before or _same_later(s, q, qual_start, prev) or _carried(s, q, qual_start, prev)
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
            after = _unit_after(s, Number(int(nxt.value), None, nxt.start, nxt.end))
            if after is not None:
                phrase = Phrase(unit_end=q.end, regions=after.regions, start=q.start)
    return phrase


def _same_later(s: Sentence, q: Number, qual_start: int, prev: Fact | None) -> Phrase | None:
    """ "..., and this number will rise to 9,000": the count before, at another time."""
    if prev is None or not s.lex.level_anaphor.search(
        s.t, max(prev.end, qual_start - 90), qual_start
    ):
        return None
    return Phrase(unit_end=q.end, regions=[], start=q.start, carried=True, level=True)


def _carried_over(s: Sentence, q: Number, qual_start: int) -> Phrase | None:
    """ "... 56,000 troops remain. Another 6,000 must leave": more of the troops the sentence
    before counted, marked as such, with no unit of its own."""
    lex = s.lex
    if lex.level_anaphor.search(s.t, max(0, qual_start - 90), qual_start):
        # "The figure had swelled to nearly 100,000": the same troops at another time
        return Phrase(
            unit_end=q.end, regions=[], start=q.start, carried=True, level=True, anaphor=True
        )
    marked = lex.more_before.search(s.t, max(0, qual_start - 20), qual_start)
    after = lex.carried_after.match(s.t, q.end)
    if not marked and not (after and after.group("marker")):
        return None
    if any(m.start < qual_start for m in s.mentions) or s.next_number(q.end) < len(s.t):
        return None  # a sentence that names an actor first, or counts more, says what it counts
    return Phrase(unit_end=q.end, regions=[], start=q.start, carried=True)


def _link(s: Sentence, qual_start: int, prev: Fact | None) -> str | None:
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
    folded: Folded,
    low: str | None,
    lex: Lexicon,
    whole: Whole | None = None,
    *,
    follows: bool = False,
) -> list[Fact]:
    """The troop counts of one sentence; `follows` says the sentence before it (in the same
    paragraph) counted troops, so that "another 6,000" may carry its unit over."""
    s = Sentence(folded, low, lex, whole)
    facts: list[Fact] = []
    prev: Fact | None = None
    for q in _numbers(s):
        fact = _read(s, q, prev, follows=follows)
        if fact is not None:
            fact.clause = (s.clause_start(fact.start), s.clause_end(fact.end))
            if fact.actor is None and arriving(s, fact):
                # "130 troops from Romania arrived in Kosovo": where they come from is whose.
                fact.sentence_actor = origin_of(s, fact)
            if fact.actor is None and fact.definite and facts and facts[-1].actor != AMBIGUOUS:
                # "about 9,000 of the 19,000 Marines": the whole is the same troops' as the part
                fact.sentence_actor = facts[-1].actor or facts[-1].sentence_actor
            if fact.actor is None and fact.sentence_actor is None and not fact.definite:
                # "Iraq wants the 2,500 troops to leave": the owner of definite troops is named
                # before this sentence, if anywhere.
                fact.sentence_actor = actor_in_sentence(s, fact.start)
            if fact.location is None and not fact.anaphor:
                after = s.lex.prep_after.match(s.t, fact.end)
                # "in the country" points back to a place named before: attribution finds it;
                # "from 19,815 to 16,215" goes on to a number, not a place.
                if (
                    after
                    and not s.lex.place_anaphors.match(s.t, after.end())
                    and not _NUMBER_NEXT.match(s.t, after.end())
                ):
                    fact.place_after = fact.end
                fact.sentence_places = places_in_sentence(s, fact)
                clause = s.clause_start(fact.start), s.clause_end(fact.end)
                fact.region = bool(s.lex.regions.search(s.t, *clause))
            facts.append(fact)
            prev = fact
    return facts
