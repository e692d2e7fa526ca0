"""Extract stage, troop counts: how many troops of which actor and where, with their sentence.

Two steps over one `Document`: the clause reader (`reader`, with `whose` and `where`) turns
every number whose unit is troops into a candidate with what its clause states, and
`attribution` fills the actor and the place the clause leaves open from the sentence, the
sentence before, the headline and the article's topic, and dates the level (`as_of`).
Casualties, years, money and negated or hypothetical counts never become candidates. The
vocabulary lives in lexicon/troops_<lang>.yaml (compiled by `lexicon`).
"""

from __future__ import annotations

import bisect
from collections import Counter
from dataclasses import replace
from datetime import date
from typing import Any

from newsfacts.extract import numbers
from newsfacts.extract.document import Document
from newsfacts.extract.troops.attribution import Attributed, attribute
from newsfacts.extract.troops.lexicon import lexicon_for
from newsfacts.extract.troops.reader import sentence_facts
from newsfacts.extract.troops.sentence import AMBIGUOUS, Fact, Whole
from newsfacts.models import TroopCount
from newsfacts.text.normalize import Folded


def extract_troop_counts(
    text: str | Document, lang: str | None = None, published: date | None = None
) -> list[TroopCount]:
    """Troop counts in an article, each with the sentence it was read from as evidence.

    The same (actor, location, count, count_high, kind) seen twice in one text is one fact: the
    first sentence that states it is kept.
    """
    return [count for count, _ in explain_troop_counts(text, lang, published)]


def explain_troop_counts(
    text: str | Document, lang: str | None = None, published: date | None = None
) -> list[tuple[TroopCount, Attributed]]:
    """`extract_troop_counts`, each count with where its actor and location were read from."""
    doc = text if isinstance(text, Document) else Document.of(text, lang, published)
    lex = lexicon_for(doc.lang)
    low, whole = doc.low, doc.whole
    # One cheap pass over the whole text finds the sentences that name troops at all.
    hits = [m.start() for m in lex.prefilter.finditer(low.text)]
    if not hits:
        return []
    index = whole.index
    # The quick tests need the lower-cased fold; `fold` keeps case when lowering would change
    # the length of the text.
    lowered = low.text if low.text == whole.text.lower() else None
    shared = Whole(whole, lex.lang)
    read: list[tuple[int, Fact]] = []
    for number, (start, end) in enumerate(doc.sentences):
        lo, hi = doc.folded_span(start, end)
        # A sentence right after one that counted troops may count more without naming them.
        follows = bool(read) and read[-1][0] == number - 1 and _same_paragraph(doc, number)
        i = bisect.bisect_left(hits, lo)
        if not follows and (i == len(hits) or hits[i] >= hi):
            continue
        if not numbers.may_have_number(low.text[lo:hi], lex.lang):
            continue
        part = Folded(whole.text[lo:hi], doc.text, index[lo:hi])
        shared.offset = lo
        facts = sentence_facts(
            part, lowered[lo:hi] if lowered else None, lex, shared, follows=follows
        )
        read += [(number, fact) for fact in facts]
    # Whose troops the article is about: the actor its clauses name most, else its most named.
    stated = Counter(f.actor for _, f in read if f.actor not in (None, AMBIGUOUS))
    topic = stated.most_common(1)[0][0] if stated else doc.topic_actor
    given_all: list[tuple[int, Fact, Attributed | None]] = []
    for number, fact in read:
        given = attribute(doc, number, fact, topic)
        before = (
            next((g for n, _, g in reversed(given_all) if n < number and g), None)
            if fact.anaphor
            else None
        )
        if given is not None and before is not None:
            # "The figure had swelled to 100,000": whose and where the count before said
            given = replace(
                given,
                actor=before.actor,
                actor_from="count before",
                location=before.location,
                location_from="count before",
            )
        given_all.append((number, fact, given))
    chosen = _best_sentences([(n, f, g) for n, f, g in given_all if g is not None])
    out: list[tuple[TroopCount, Attributed]] = []
    seen: set[tuple[Any, ...]] = set()
    for number, fact, given in given_all:
        if given is None or (number, fact.count, fact.count_high) not in chosen:
            continue
        key = (given.actor, given.location, fact.count, fact.count_high, fact.kind)
        if key in seen:
            continue
        seen.add(key)
        start, end = doc.sentences[number]
        out.append(
            (
                TroopCount(
                    actor=given.actor,
                    location=given.location,
                    count=fact.count,
                    count_high=fact.count_high,
                    qualifier=fact.qualifier,  # type: ignore[arg-type]
                    kind=fact.kind,  # type: ignore[arg-type]
                    sentence=doc.text[start:end],
                    char_start=start,
                    char_end=end,
                    as_of=given.as_of,
                ),
                given,
            )
        )
    return out


# How firmly a source settles an actor or a place: what the clause states, then its sentence,
# then the text around it; a place left open scores nothing.
_STRENGTH = {
    "clause": 3,
    "place after the count": 3,
    "own border": 3,
    "sentence": 2,
    "sentence, after the count": 2,
    "mission": 2,
    "count before": 2,
    "previous sentence": 1,
    "headline": 1,
}


def _best_sentences(
    given: list[tuple[int, Fact, Attributed]],
) -> set[tuple[int, int, int | None]]:
    """(sentence, count, count_high) of the mentions kept: a count stated in several sentences
    (the headline and the body, a summary at the end) is one fact, read where its actor and place
    are stated most firmly (the first such sentence on a tie). Counts stated once are all kept;
    one sentence may give the same count to several places ("500 each to four countries")."""
    best: dict[tuple[int, int | None], tuple[int, int]] = {}
    for number, fact, g in given:
        strength = _STRENGTH.get(g.actor_from, 0) + _STRENGTH.get(g.location_from, 0)
        key = (fact.count, fact.count_high)
        if key not in best or strength > best[key][0]:
            best[key] = (strength, number)
    return {(number, count, high) for (count, high), (_, number) in best.items()}


def _same_paragraph(doc: Document, number: int) -> bool:
    """Sentence `number` is in the paragraph of the sentence before it."""
    return doc.paragraph_of(doc.sentences[number][0]) == doc.paragraph_of(
        doc.sentences[number - 1][0]
    )
