"""Attribution: the actor and the place a clause leaves open, read from the sentence, the sentence
before it, the headline and the article's topic, in that order; and the date the count's clause
gives it (`as_of`). Each choice records where it came from (`actor_from`, `location_from`) so
that an error can be read."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from newsfacts import lexicon
from newsfacts.extract.actors import FoldedMention, alpha3_codes
from newsfacts.extract.document import Document
from newsfacts.extract.troops.lexicon import lexicon_for
from newsfacts.extract.troops.sentence import AMBIGUOUS, Fact
from newsfacts.extract.troops.where import is_place

# A preposition right before a name makes it something other than whose troops they are, and
# one of place makes it where they are ("in Iraq", "إلى سوريا"); "border with X" never is.
_PREPOSITION = {
    "en": re.compile(
        r"\b(?:in|to|into|at|from|near|across|inside|throughout|of|on|with|against|for|by)"
        r"\s+(?:the\s+)?$",
        re.IGNORECASE,
    ),
    "ar": re.compile(r"(?:^|\s)(?:في|الى|إلى|من|على|داخل|نحو|مع|ضد|عن)\s+$"),
}
_PLACE_PREPOSITION = {
    "en": re.compile(
        r"(?<!border )(?<!borders )\b(?:in|to|into|at|from|inside|throughout|within)"
        r"\s+(?:the\s+)?$",
        re.IGNORECASE,
    ),
    "ar": re.compile(r"(?<!الحدود )(?:^|\s)(?:في|الى|إلى|من|داخل)\s+$"),
}
_BORDER = re.compile(r"(?:['’]s)?\s*(?:border|frontier|الحدود|حدود)", re.IGNORECASE)
_BORDER_BEFORE = {
    "en": re.compile(r"border(?:s)?\s+(?:with\s+)?(?:the\s+)?$", re.IGNORECASE),
    "ar": re.compile(r"(?:حدود|الحدود)\s+(?:مع\s+)?$"),
}
_FROM = {
    "en": re.compile(r"\b(?:from|out of)\s+(?:the\s+)?$", re.IGNORECASE),
    "ar": re.compile(r"(?:^|\s)من\s+$"),
}
# DESIGN.md: "along its border with X" is the actor's own country.
_BORDER_WITH = {
    "en": re.compile(r"\b(?:its|their|the)\s+(?:\w+\s+)?borders?\s+with\b", re.IGNORECASE),
    "ar": re.compile(r"(?:حدود|الحدود)\S*\s+مع\s"),
}
# A date that says when something began does not date a level.
_SINCE = re.compile(r"(?:since|منذ|مُنذ)\b", re.IGNORECASE)
# How far after a count the place it goes to is looked for, when a sentence names several.
_AFTER_COUNT = 60
# Sentences looked back at for an actor or a place the count's own sentence does not give.
_LOOK_BACK = 1


@dataclass(frozen=True, slots=True)
class Attributed:
    actor: str
    actor_from: str
    location: str | None
    location_from: str
    as_of: str | None = None  # the TIMEX3 value of a date in the count's clause


def _governed(doc: Document, m: FoldedMention, *, place: bool = False) -> bool:
    """A preposition governs the mention (with `place`, one that says where)."""
    if m.prefix and m.prefix[-1] in "بل":
        return True
    start = m.start - len(m.prefix)
    pattern = (_PLACE_PREPOSITION if place else _PREPOSITION)[doc.lang]
    return bool(pattern.search(doc.whole.text, max(0, start - 16), start))


def _actors(doc: Document, start: int, end: int) -> set[str]:
    return {
        m.code
        for m in doc.mentions_in(start, end)
        if not m.generic and not (is_place(m) and _governed(doc, m))
    }


def _places(doc: Document, start: int, end: int) -> set[str]:
    codes = {
        m.code for m in doc.mentions_in(start, end) if is_place(m) and _governed(doc, m, place=True)
    }
    return codes | {p.code for p in doc.places_in(start, end)}


def _earlier_sentences(doc: Document, index: int) -> list[tuple[int, int]]:
    """The sentences just before, nearest first; news paragraphs are often one sentence long, so
    a paragraph break does not stop the look back."""
    return [doc.sentences[i] for i in range(index - 1, max(-1, index - 1 - _LOOK_BACK), -1)]


def attribute(doc: Document, index: int, fact: Fact, topic: str | None) -> Attributed | None:
    """The fact's actor and location with their sources; None when no actor can be given.

    `topic` is the actor the article is about, the last resort for whose troops they are.
    """
    actor, actor_from = _actor(doc, index, fact, topic)
    if actor is None:
        return None
    location: str | None = fact.location
    location_from = fact.location_from
    if location is None:
        location, location_from = _location(doc, index, fact, actor)
    return Attributed(actor, actor_from, location, location_from, _as_of(doc, index, fact))


def _as_of(doc: Document, index: int, fact: Fact) -> str | None:
    """When the count held: a date in its clause ("had dropped to 8,300 in 2017"), the one
    nearest the number; not a "since" date, which says when something began."""
    lo = doc.folded_span(*doc.sentences[index])[0]
    index_of = doc.whole.index
    start = index_of[lo + fact.clause[0]]
    end = index_of[lo + fact.clause[1] - 1] + 1 if fact.clause[1] > fact.clause[0] else start
    at = index_of[lo + fact.start]
    dated = [
        d
        for d in doc.dates
        if start <= d.char_start and d.char_end <= end and not _SINCE.match(d.text)
    ]
    if not dated:
        return None
    return min(dated, key=lambda d: abs(d.char_start - at)).value


def _actor(doc: Document, index: int, fact: Fact, topic: str | None) -> tuple[str | None, str]:
    implied = _implied_actor(doc, index, fact) if fact.actor in (None, AMBIGUOUS) else None
    if implied is not None:
        return implied, "unit"
    if fact.actor == AMBIGUOUS:
        # "Tokyo and Washington agreed to relocate 9,000 Marines": of the actors the clause
        # names, the one the article is about
        named = _actors(doc, *doc.sentences[index])
        return (topic, "topic among several") if topic in named else (None, "ambiguous")
    if fact.actor is not None:
        return fact.actor, fact.actor_from
    for source, codes in _actor_context(doc, index, fact, topic):
        if len(codes) == 1:
            return next(iter(codes)), source
    return None, "none"


def _implied_actor(doc: Document, index: int, fact: Fact) -> str | None:
    """The actor a unit's name implies ("4,000 Marines"), read from the number to the unit's
    end."""
    vocab = lexicon_for(doc.lang).implied_actors
    if vocab is None:
        return None
    lo = doc.folded_span(*doc.sentences[index])[0]
    found = vocab.any.search(doc.whole.text, lo + fact.start, lo + fact.end)
    return vocab.label(found) if found else None


def _actor_context(
    doc: Document, index: int, fact: Fact, topic: str | None
) -> Iterator[tuple[str, set[str]]]:
    """Actors named around the fact, nearest first; one actor alone settles it."""
    if fact.sentence_actor is not None:
        yield "sentence", {fact.sentence_actor}
    for start, end in _earlier_sentences(doc, index):
        codes = _actors(doc, start, end)
        yield "previous sentence", codes
        if codes:
            break  # what came before a sentence that names others is about something else
    if doc.headline is not None:
        yield "headline", _actors(doc, *doc.headline)
    if topic is not None:
        yield "topic", {topic}


def _location(doc: Document, index: int, fact: Fact, actor: str) -> tuple[str | None, str]:
    start, end = doc.sentences[index]
    lo, hi = doc.folded_span(start, end)
    said = _outright(doc, fact, actor, lo, hi)
    if said is None and fact.place_after is not None:
        said = _place_after(doc, start, end, lo + fact.place_after)
    if said is not None:
        return said
    placed = [
        (pos, code)
        for pos, code in _placed(doc, start, end, withdrawn=fact.kind == "decrease")
        if code != actor
    ]
    here = ({code for _, code in placed} | set(fact.sentence_places)) - {actor}
    if len(here) > 1:
        return _first_after(doc, lo + fact.start, placed, (start, end))
    if here:
        # "في النيجر وتشاد وبوركينا فاسو": one preposition for a list of places
        after = [(pos, code) for pos, code in placed if pos > lo + fact.start]
        if after and _listed(doc, after[:1], _named_places(doc, start, end)):
            return None, "several places"
        return here.pop(), "sentence"
    return _location_around(doc, index, actor)


def _outright(
    doc: Document, fact: Fact, actor: str, lo: int, hi: int
) -> tuple[str | None, str] | None:
    """A region of several countries, or the actor's own border ("to its border with Ukraine"
    is the actor's own country, DESIGN.md)."""
    if fact.region:
        return None, "region"
    after = lo + fact.end
    if actor in _countries() and _BORDER_WITH[doc.lang].search(
        doc.whole.text, after, min(hi, after + 50)
    ):
        return actor, "own border"
    return None


def _place_after(doc: Document, start: int, end: int, at: int) -> tuple[str | None, str] | None:
    """The place said right after the count ("900 in the Kurdish region", "to bases around
    Taiwan"), None when what follows is a force rather than a place ("6,000 peacekeepers from
    the UN forces in South Sudan"), so that the rest of the sentence may say where."""
    after = sorted(
        [(p.start, p.code) for p in doc.places_in(start, end) if 0 <= p.start - at <= 40]
        + [(pos, code) for pos, code in _named_places(doc, start, end) if 0 <= pos - at <= 40]
    )
    if after:
        if _listed(doc, after, after):
            return None, "several places"  # "3,000 troops to Poland and Romania"
        return after[0][1], "place after the count"
    forces = [m for m in doc.mentions_in(start, end) if not is_place(m)]
    if any(0 <= m.start - at <= 25 for m in forces):
        return None
    return None, "unknown place"  # said, but only a gazetteer we lack could name it


def _location_around(doc: Document, index: int, actor: str) -> tuple[str | None, str]:
    """The place of a count whose sentence names none, from the text around it."""
    if actor in _groups():
        return None, "group total"  # an armed group's strength has no place its sentence omits
    for source, codes in _location_context(doc, index, actor):
        if len(codes) == 1:
            return codes.pop(), source
        if codes:
            # Of several places, the one the article is about ("في لبنان" in a UNIFIL story)
            about = _topic_place(doc) or _mission_home(doc)
            if about in codes:
                return about, f"{source}, the article's place"
            return None, f"several ({source})"
    return None, "none"


def _mission_home(doc: Document) -> str | None:
    """The one country the missions an article names serve in."""
    homes = {m.home for m in doc.mentions if m.home}
    return homes.pop() if len(homes) == 1 else None


def _named_places(doc: Document, start: int, end: int) -> list[tuple[int, str]]:
    """Countries named as places ("bases around Taiwan", "the north of Cyprus"), not at a
    border."""
    return [
        (m.start, m.code)
        for m in doc.mentions_in(start, end)
        if is_place(m) and not _bordering(doc, m)
    ]


def _bordering(doc: Document, m: FoldedMention) -> bool:
    text = doc.whole.text
    return bool(_BORDER.match(text, m.end)) or bool(
        _BORDER_BEFORE[doc.lang].search(text, max(0, m.start - len(m.prefix) - 16), m.start)
    )


def _first_after(
    doc: Document, count_at: int, placed: list[tuple[int, str]], sentence: tuple[int, int]
) -> tuple[str | None, str]:
    """Of several places in a sentence, the first named shortly after the count is where the
    troops go, unless it opens a list of places."""
    later = [(pos, code) for pos, code in placed if 0 < pos - count_at <= _AFTER_COUNT]
    # "في النيجر وتشاد وبوركينا فاسو": the names after the first carry no preposition
    named = sorted(set(placed) | set(_named_places(doc, *sentence)))
    if not later or _listed(doc, later, named):
        return None, "several places"
    return later[0][1], "sentence, after the count"


@cache
def _countries() -> frozenset[str]:
    return frozenset(alpha3_codes().values())


@cache
def _groups() -> frozenset[str]:
    return frozenset(lexicon.load("actors")["groups"])


def _listed(doc: Document, later: list[tuple[int, str]], placed: list[tuple[int, str]]) -> bool:
    """The first place after the count opens a list ("in Niger, Chad and Burkina Faso")."""
    first = later[0][0]
    nxt = [pos for pos, code in placed if pos > first and code != later[0][1]]
    if not nxt:
        return False
    gap = doc.whole.text[first : nxt[0]]
    name_end = min(
        (i for i in (gap.find(","), gap.find(" و"), gap.find(" and ")) if i > 0), default=-1
    )
    return name_end > 0 and len(gap) - name_end <= 6


def _placed(
    doc: Document, start: int, end: int, *, withdrawn: bool = True
) -> list[tuple[int, str]]:
    """(position, country) of the places a stretch of text puts something in, in order; unless
    the troops are `withdrawn`, a country "from" which something comes is not one of them."""
    text = doc.whole.text
    out = [
        (m.start, m.code)
        for m in doc.mentions_in(start, end)
        if is_place(m)
        and _governed(doc, m, place=True)
        and (
            withdrawn
            or not _FROM[doc.lang].search(
                text, max(0, m.start - len(m.prefix) - 12), m.start - len(m.prefix)
            )
        )
    ]
    out += [(p.start, p.code) for p in doc.places_in(start, end)]
    return sorted(out)


def _location_context(doc: Document, index: int, actor: str) -> Iterator[tuple[str, set[str]]]:
    """Places named around a sentence that names none, nearest first; last, for a mission's
    troops, the country the mission serves in (ATMIS: Somalia)."""
    for start, end in _earlier_sentences(doc, index):
        yield "previous sentence", _places(doc, start, end) - {actor}
    if doc.headline is not None:
        # Headline grammar drops prepositions ("Iraq confirms US troop exit"): any country named.
        named = {m.code for m in doc.mentions_in(*doc.headline) if is_place(m)}
        yield "headline", (_places(doc, *doc.headline) | named) - {actor}
    topic = _topic_place(doc)
    if topic is not None and topic != actor:
        yield "topic", {topic}
    homes = {m.home for m in doc.mentions if m.code == actor and m.home}
    if homes:
        yield "mission", homes


def _topic_place(doc: Document) -> str | None:
    """The place the article is about: named clearly more often than any other."""
    counts: Counter[str] = Counter(
        m.code for m in doc.mentions if is_place(m) and _governed(doc, m, place=True)
    )
    counts.update(p.code for p in doc.places)
    ranked = counts.most_common(2)
    if not ranked or ranked[0][1] < 2:
        return None
    if len(ranked) > 1 and ranked[1][1] * 2 > ranked[0][1]:
        return None
    return ranked[0][0]
