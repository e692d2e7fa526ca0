"""Where a clause puts the troops it counts: a country or capital after a preposition of place, a
place named before in the clause, a host, "there", or the place of the count before it."""

from __future__ import annotations

from newsfacts.extract import actors
from newsfacts.extract.actors import FoldedMention
from newsfacts.extract.troops.sentence import (
    COMPARE,
    INCLUDE,
    PAIR,
    Fact,
    Number,
    Phrase,
    Sentence,
)

_LOCATION_AFTER = 80  # characters after the unit where the place is looked for


def location_of(  # noqa: PLR0911, PLR0912
    s: Sentence,
    q: Number,
    qual_start: int,
    phrase: Phrase,
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
        hi = next((m.end for m in s.mentions if hi < m.start <= hi + 2 and is_place(m)), hi)
    regions = [(lo, hi)]
    if phrase.before_region:
        regions.append(phrase.before_region)
    for rlo, rhi in regions:
        for m in s.mentions:
            if m.start < rlo or m.start >= rhi:
                continue
            code: str | None
            if is_place(m) and not names_troops(s, m):
                code, prep = m.code, s.prep_before(m, rlo if rlo < m.start else 0)
                if _paired(s, m):
                    code = None
            elif m.home:  # "serve in UNIFIL"
                code, prep = m.home, s.prep_before(m, rlo if rlo < m.start else 0)
            elif _in_region(s, m):  # "في منطقة كورسك الروسية"
                code, prep = m.code, "loc"
            else:
                continue
            if (prep == "loc" or (prep == "from" and decreasing())) and not at_border(s, m):
                return code, max(m.end, lo)
    # Earlier in the clause (but not the place of the count before), or "In Iraq, ...".
    clause = max(s.clause_start_through(qual_start), prev.place_end if prev else 0)
    for m in s.mentions:
        if not is_place(m) or m.end > qual_start:
            continue
        opening = not prev and m.start < 25 and t[m.end : m.end + 2].lstrip().startswith(",")
        if (
            (m.start >= clause or opening)
            and s.prep_before(m) == "loc"
            and not at_border(s, m)
            and not names_troops(s, m)
        ):
            return (None if _paired(s, m) else m.code), lo
    # "Germany hosts 35,000 US troops", "تستضيف ألمانيا 35 ألف جندي"
    host = lex.hosts.last(s, 0, qual_start)
    if host:
        around = [
            m
            for m in s.mentions
            if is_place(m)
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
                and is_place(m)
                and s.prep_before(m) in ("loc", "from")
                and not at_border(s, m)
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


def _in_region(s: Sentence, m: FoldedMention) -> bool:
    """A country's adjective on a place in it: "في منطقة كورسك الروسية", "in the Russian region
    of Kursk"."""
    if m.kind != actors.COUNTRY or m.role != "adjective":
        return False
    t, lex = s.t, s.lex
    start = m.start - len(m.prefix)
    if lex.region_before.search(t, max(0, start - 60), start):
        return True
    return bool(lex.region_after.match(t, m.end)) and s.prep_before(m) == "loc"


def is_place(m: FoldedMention) -> bool:
    return m.kind == actors.COUNTRY and m.role in ("name", "capital")


def names_troops(s: Sentence, m: FoldedMention) -> bool:
    """ "in US troops", "UK forces": the name says whose the troops after it are."""
    return bool(s.lex.lang == "en" and s.lex.unit_next.match(s.t, m.end))


def at_border(s: Sentence, m: FoldedMention) -> bool:
    """ "at Ukraine's border", "على حدود أوكرانيا": the place is a border, not where troops are."""
    if s.lex.borders.starts.match(s.t, m.end, m.end + 16):
        return True
    start = m.start - len(m.prefix)
    return bool(s.lex.borders.ends_at(s, max(0, start - 12), start))


def clitic_joined(s: Sentence, m: FoldedMention, gap: str) -> bool:
    """ "العراق وسوريا": the second name carries its "and"."""
    return bool(s.lex.clitic_and) and m.prefix.startswith(s.lex.clitic_and) and not gap.strip()


def _paired(s: Sentence, m: FoldedMention) -> bool:
    """ "in Iraq and Syria", "in Iraq, Syria and Jordan": one count over several places.

    A comma alone ends the phrase ("sent troops to Russia, South Korea said") unless the place
    after it is itself followed by "and" or another comma.
    """
    places = [o for o in s.mentions if o.start >= m.end and is_place(o)]
    for i, other in enumerate(places):
        if other.code == m.code:
            continue
        gap = s.t[m.end : other.start - len(other.prefix)]
        if clitic_joined(s, other, gap):
            return True
        if not s.lex.pair.fullmatch(gap):
            return False
        if gap.strip() != ",":
            return True
        follow = places[i + 1] if i + 1 < len(places) else None
        return follow is not None and (
            bool(s.lex.pair.fullmatch(s.t[other.end : follow.start - len(follow.prefix)]))
            or clitic_joined(s, follow, s.t[other.end : follow.start - len(follow.prefix)])
        )
    return False


def places_in_sentence(s: Sentence, fact: Fact) -> tuple[str, ...]:
    """Countries the sentence places something in ("in Iraq", "to Kuwait", "في سوريا")."""
    codes = []
    for m in s.mentions:
        if _origin(s, fact, m):
            continue
        preps = ("loc", "from") if fact.kind == "decrease" else ("loc",)
        if is_place(m) and s.prep_before(m) in preps and not at_border(s, m):
            codes.append(m.code)
        elif m.home and m.code == fact.actor:
            codes.append(m.home)
    return tuple(dict.fromkeys(codes))


def _origin(s: Sentence, fact: Fact, m: FoldedMention) -> bool:
    """ "2,500 troops from the United States": whose they are, not where, unless withdrawn."""
    return (
        fact.kind != "decrease"
        and 0 <= m.start - fact.end <= 30
        and bool(s.lex.origin.fullmatch(s.t[fact.end : m.start - len(m.prefix)]))
    )
