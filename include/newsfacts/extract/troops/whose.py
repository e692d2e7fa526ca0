"""Whose troops a clause counts: a name or adjective with the troops, the subject with a verb of
having, sending or withdrawing, the count before it, or (for the sentence as a whole) the one
actor named, the origin after "from", a national contingent beside a mission."""

from __future__ import annotations

import re

from newsfacts.extract import actors
from newsfacts.extract.actors import FoldedMention
from newsfacts.extract.troops.sentence import (
    ADD,
    AMBIGUOUS,
    CLAUSE,
    COMPARE,
    INCLUDE,
    PAIR,
    Fact,
    Number,
    Phrase,
    Sentence,
    owns,
)
from newsfacts.extract.troops.where import at_border, clitic_joined, is_place

VSO_REACH = 15  # an Arabic verb written just before its subject: "تنشر واشنطن"


def hosting(s: Sentence, m: FoldedMention) -> bool:
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


def _phrase_actor(s: Sentence, q: Number, qual_start: int, phrase: Phrase) -> str | None:
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
            if hosting(s, m):
                continue  # "تستضيف ألمانيا نحو 35 ألفا منهم": the host is a place
            cands.append(m)
    # "Russia's 2,000 troops"
    head = s.t[max(0, qual_start - 4) : qual_start]
    if s.lex.lang == "en" and head.rstrip().endswith("'s"):
        apostrophe = qual_start - (len(head) - head.rstrip().rfind("'s"))
        cands += [m for m in s.mentions if m.end == apostrophe]
    return _pick(cands)


def _subject(s: Sentence, before: int, after: int, need_cue: bool) -> str | None:
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
        if i and not s.prep_before(s.mentions[i - 1]) and coordinated(s, s.mentions[i - 1], m):
            return AMBIGUOUS  # "The US and Britain will send": whose troops is not said
        owner = bool(lex.clitic_owner) and m.prefix.endswith(lex.clitic_owner)
        if not need_cue or (owner and owns(s, m)):
            return m.code
        cue = lex.cues.last(s, m.end, after)
        if cue is None:
            anchor = noun_start(s, m)
            cue = lex.cues.ends_at(s, max(0, anchor - VSO_REACH), anchor)
        if cue is None:
            cue = _cue_before_parenthesis(s, m)
        if cue is None or lex.hosts.search(s, cue.start(), cue.end()):
            return None
        return m.code
    return None


def noun_start(s: Sentence, m: FoldedMention) -> int:
    """Where the noun phrase of a mention starts: an Arabic adjective follows its noun
    ("واستدعى الجيش الإسرائيلي"), and a force's name its head noun ("وتضم قوة اليونيفيل"), so
    the verb before the subject stands before that noun."""
    start = m.start - len(m.prefix)
    if s.lex.lang != "ar" or m.prefix:
        return start
    word = s.t.rfind(" ", 0, max(0, start - 1)) + 1
    head = s.t[word:start].strip()
    if not head or CLAUSE.search(s.t, word, start):
        return start
    if m.role == "adjective" or s.lex.mission_head.fullmatch(head):
        return word
    return start


def _cue_before_parenthesis(s: Sentence, m: FoldedMention) -> re.Match[str] | None:
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
        o.code for o in s.mentions if cue.end() <= o.start and o.end <= opening and not is_place(o)
    }
    return cue if others <= {m.code} else None


def coordinated(s: Sentence, first: FoldedMention, second: FoldedMention) -> bool:
    if first.code == second.code:
        return False
    gap = s.t[first.end : second.start - len(second.prefix)]
    return bool(s.lex.pair.fullmatch(gap)) or clitic_joined(s, second, gap)


def actor_of(
    s: Sentence, q: Number, qual_start: int, phrase: Phrase, prev: Fact | None
) -> str | None:
    code = _phrase_actor(s, q, qual_start, phrase)
    if code is not None:
        return code
    part = phrase.carried or (prev and phrase.link in (COMPARE, PAIR))
    if part or (prev and phrase.link == INCLUDE):
        # "including 600 from the United States": a national part of the count before
        for m in s.mentions:
            if q.end <= m.start <= q.end + 25 and is_place(m) and s.prep_before(m, q.end) == "from":
                if not _listed(s, m):
                    return m.code
                # "بينهم 9347 من فرنسا وإيطاليا وإسبانيا": several nations' part of the whole
                return prev.actor if prev and phrase.link == INCLUDE else AMBIGUOUS
    if part:
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
        # "إلى جانب نحو ثلاثمئة من العسكريين": more of the same troops, whoever the sentence
        # made them
        return prev.actor or prev.sentence_actor
    return code


def arriving(s: Sentence, fact: Fact) -> bool:
    """Troops sent, or there, with no withdrawal said before them in the clause."""
    if fact.kind == "increase":
        return True
    lo = s.clause_start(fact.start)
    return fact.kind == "level" and not any(
        s.lex.cues.label(c) == "decrease" for c in s.lex.cues.finditer(s, lo, fact.start)
    )


def origin_of(s: Sentence, fact: Fact) -> str | None:
    """A country named right after the unit with "from"/"من": "troops from Romania"; troops
    from several countries are no one country's."""
    for m in s.mentions:
        if fact.end <= m.start <= fact.end + 25 and m.kind == actors.COUNTRY:
            gap = s.t[fact.end : m.start - len(m.prefix)]
            if s.lex.origin.fullmatch(gap):
                return None if _listed(s, m) else m.code
    return None


def _listed(s: Sentence, m: FoldedMention) -> bool:
    """The country opens a list: "from Kenya, Ethiopia and Uganda", "من فرنسا وإيطاليا"."""
    i = s.mentions.index(m)
    nxt = s.mentions[i + 1] if i + 1 < len(s.mentions) else None
    return nxt is not None and nxt.kind == actors.COUNTRY and coordinated(s, m, nxt)


def actor_in_sentence(s: Sentence, pos: int) -> str | None:
    """Whose troops, from the sentence: the one actor named that is not a place ("the Russian
    president said some 1,500 soldiers are deployed in ..."), else the nearest such actor
    before the number."""
    named = [
        m
        for m in s.mentions
        if (
            not m.generic
            and s.prep_before(m) is None
            and not hosting(s, m)
            and not at_border(s, m)
            and s.t[m.end : m.end + 2] != "'s"
        )
        or (m.role == "adjective" and s.prep_before(m) is None)
    ]
    # A country's name after the count is where the troops go or come from ("left Mali"), not
    # whose they are; adjectives after it name them ("جندي روسي").
    named = [m for m in named if m.end <= pos or m.role != "name" or m.kind != actors.COUNTRY]
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
