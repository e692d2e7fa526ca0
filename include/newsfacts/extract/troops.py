"""Extract stage, troop counts: how many troops of which actor and where, with their sentence.

`extract_troop_counts(text, lang)` reads each sentence that names troops, finds the numbers whose
unit is troops (written, or carried on from the count before it), and resolves the actor whose
forces they are, the place, the qualifier and the kind of count. Precision comes first: when the
actor cannot be resolved, or the number is a casualty, a year or money, nothing is emitted. The
vocabulary lives in lexicon/troops_<lang>.yaml; numbers and actors come from their own modules.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

from newsfacts import lexicon
from newsfacts.extract import actors, numbers
from newsfacts.extract.actors import FoldedMention
from newsfacts.extract.normalize import fold, fold_chars
from newsfacts.models import TroopCount

_MIN_COUNT = 2
_MAX_COUNT = 10_000_000
_YEARS = (1900, 2100)
# Window sizes in characters of folded text.
_BEFORE = 45
_AFTER = 45
_EXCLUDE_AFTER = 30
_LOCATION_AFTER = 80
_VSO_REACH = 15  # an Arabic verb written just before its subject: "تنشر واشنطن"

_DIACRITICS = "[\u064b-\u065f\u0670\u0640]*"
# Clause marks in folded text (، is , and ؛ is ;); a comma between digits groups thousands.
_CLAUSE = re.compile(r"(?<!\d),|,(?!\d)|[;:()]")
_SENTENCE_END = re.compile(r"[.!?؟]+(?=[\s\"'”»)\]]|$)|\n")
_INITIALS = re.compile(r"(?:[A-Za-z]\.)*[A-Za-z]")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)$")
_MID = r"(?:\s+[^\s\d,;:()]+)"
# A capitalised word between a number and its unit ("2,500 U.S. troops"), never "F-16".
_CAP = r"(?-i:[A-Z])[^\W\d_]*(?:[.'-][^\W\d_]*)*"

AMBIGUOUS = "\x00ambiguous"


def _key(item: str) -> str:
    return " ".join(fold(item).text.split())


def _alt(items: Iterable[str]) -> str:
    return numbers.alternation(_key(i) for i in items if i)


class _Vocab:
    """A word list matched on folded text, each match mapped back to its label."""

    def __init__(
        self, prefix: str, labelled: dict[str, Iterable[str]], unless: Iterable[str] = ()
    ) -> None:
        """`prefix` is a regex for letters that may be written onto each word (Arabic clitics)."""
        self.labels: dict[str, str] = {}
        for label, items in labelled.items():
            for item in items:
                self.labels.setdefault(_key(item), label)
        words = [i for i in self.labels if i[:1].isalnum() and i[-1:].isalnum()]
        marks = [i for i in self.labels if i not in words]
        guard = f"(?!(?:{_alt(unless)})(?!\\w))" if unless else ""
        body = f"(?<!\\w){prefix}{guard}(?P<w>{_alt(words)})(?!\\w)"
        if marks:
            body = f"(?:{body}|(?P<s>{_alt(marks)}))"
        self.any = re.compile(body, re.IGNORECASE)
        self.ends = re.compile(f"{body}\\s*$", re.IGNORECASE)
        self.starts = re.compile(f"\\s*{body}", re.IGNORECASE)

    def label(self, m: re.Match[str]) -> str:
        return self.labels.get(" ".join((m.group("w") or m.group("s") or "").lower().split()), "")

    def last(self, t: str, lo: int, hi: int) -> re.Match[str] | None:
        found = None
        for found in self.any.finditer(t, lo, hi):  # noqa: B007
            pass
        return found


def _one(prefix: str, items: Iterable[str], unless: Iterable[str] = ()) -> _Vocab:
    return _Vocab(prefix, {"x": items}, unless)


def _stem_pattern(stems: Iterable[str]) -> re.Pattern[str]:
    """Stems to look for in text passed through `fold_chars` and lower-cased (same length as the
    text): the letters are folded already, only diacritics and tatweel may sit between them."""
    alts = [_DIACRITICS.join(re.escape(ch) for ch in fold_chars(stem).lower()) for stem in stems]
    return re.compile("|".join(sorted(alts, key=len, reverse=True)))


@dataclass(frozen=True)
class _Lexicon:
    lang: str
    prefilter: re.Pattern[str]
    abbreviations: frozenset[str]
    unit_after: re.Pattern[str]
    before_phrases: tuple[tuple[re.Pattern[str], str], ...]
    possessive_before: re.Pattern[str]
    definite_before: re.Pattern[str]
    tail_stop: re.Pattern[str]
    qualifiers: _Vocab
    qualifiers_after: _Vocab
    cues: _Vocab
    after_cues: _Vocab
    hosts: _Vocab
    increase_markers: _Vocab
    target_links: _Vocab
    target_verbs: _Vocab
    tense: _Vocab
    negations: _Vocab
    denials: _Vocab
    hypothetical: _Vocab
    conditionals: _Vocab
    exclude: _Vocab
    exclude_before: _Vocab
    years: _Vocab
    percent: _Vocab
    currency: _Vocab
    loc_prep: re.Pattern[str]
    from_prep: re.Pattern[str]
    other_prep: re.Pattern[str]
    connectors: _Vocab
    carried_after: re.Pattern[str]
    prep_after: re.Pattern[str]
    borders: _Vocab
    not_state: _Vocab
    not_after_units: _Vocab
    from_words: _Vocab
    pair: re.Pattern[str]
    possessive_nouns: frozenset[str]
    clitic_and: str
    clitic_place: tuple[str, ...]
    clitic_owner: str


def _possessive_forms(data: dict[str, Any]) -> list[str]:
    forms = []
    for stem in data.get("possessive_stems", []):
        base = _key(stem)
        if base.endswith("ه"):  # ة before a suffix is written ت: قوة -> قوتها
            base = base[:-1] + "ت"
        forms += [base + _key(end) for end in data.get("possessive_endings", [])]
    return forms


def _prep_pattern(prefix: str, preps: list[str], directions: list[str]) -> re.Pattern[str]:
    return re.compile(
        rf"(?<!\w){prefix}(?:{_alt(preps)})(?:\s+(?:{_alt(directions)})){{0,2}}\s*$",
        re.IGNORECASE,
    )


@cache
def _lexicon(lang: str) -> _Lexicon:
    data = lexicon.load(f"troops_{lang}")
    units = _alt(data["units"])
    clitics = data.get("clitics") or []
    prefix = f"[{''.join(clitics)}]{{0,2}}" if clitics else ""
    partitive = _alt(data["partitive"])
    before_phrases: tuple[tuple[re.Pattern[str], str], ...]
    if lang == "ar":
        poss = _possessive_forms(data)
        unit_after = re.compile(
            rf"\s*(?:{partitive}\s+(?P<min>{_alt([*data['units_after_min'], *poss])})"
            rf"|(?P<unit>{units}))(?!\w)"
        )
        nouns = _alt([*data["nouns_before"], *poss])
        before_phrases = (
            (
                re.compile(
                    rf"(?<!\w){prefix}(?P<noun>{nouns})(?P<mid>{_MID}{{0,6}}?)"
                    rf"\s+(?P<link>{_alt(data['links_before'])})\s*$"
                ),
                "level",
            ),
            (
                re.compile(
                    rf"(?<!\w){prefix}(?:{_alt(data['number_of'])})\s+"
                    rf"(?P<noun>{_alt([*data['units_after_min'], *poss])})(?P<mid>{_MID}{{0,5}}?)"
                    rf"\s+(?P<link>{_alt(data['number_of_links'])})\s*$"
                ),
                "",
            ),
            (
                re.compile(
                    rf"(?<!\w){prefix}(?:{_alt(data['count_of'])})\s+"
                    rf"(?P<noun>{_alt([*data['units_after_min'], *data['nouns_before'], *poss])})"
                    rf"(?P<mid>{_MID}{{0,5}}?)\s*$"
                ),
                "level",
            ),
        )
        possessive_before = re.compile(r"(?!)")
        definite_before = re.compile(r"(?!)")
    else:
        modword = rf"(?:(?:{_alt(data['unit_modifiers'])})|{_CAP})"
        forces = _alt([*data["force_nouns"], *data["level_nouns"]])
        unit_after = re.compile(
            rf"(?:-(?:{_alt(data['compound_suffixes'])})\s+(?:{modword}\s+){{0,3}}?"
            rf"(?P<cunit>{forces}|{units})"
            rf"|\s+(?:{partitive}\s+(?:(?P<poss>{_alt(data['possessives'])})|{_alt(data['determiners'])})\s+)?"
            rf"(?P<mods>(?:{modword}\s+){{0,4}}?)(?P<unit>{units}))(?!\w)",
            re.IGNORECASE,
        )
        owner = rf"(?:(?P<poss>{_alt(data['possessives'])})\s+)?"
        pre = rf"(?P<pre>(?:{modword}\s+){{0,3}})"
        before_phrases = (
            (
                re.compile(
                    rf"(?<!\w){owner}{pre}(?P<noun>{units})(?P<mid>{_MID}{{0,6}}?)"
                    rf",?\s+(?P<link>{_alt(data['unit_links'])})\s*$",
                    re.IGNORECASE,
                ),
                "level",
            ),
            (
                re.compile(
                    rf"(?<!\w){owner}{pre}(?P<noun>{_alt(data['level_nouns'])})"
                    rf"\s+(?P<link>{_alt(data['force_links'])})\s*$",
                    re.IGNORECASE,
                ),
                "level",
            ),
            (
                re.compile(
                    rf"(?<!\w){owner}{pre}(?P<noun>{_alt(data['force_nouns'])})"
                    rf"\s+(?P<link>{_alt(data['force_links'])})\s*$",
                    re.IGNORECASE,
                ),
                "",
            ),
            (
                re.compile(
                    rf"(?<!\w)(?:{_alt(data['number_of'])})\s+{owner}{pre}(?P<noun>{units})"
                    rf"(?P<mid>{_MID}{{0,5}}?)\s+(?P<link>{_alt(data['number_of_links'])})\s*$",
                    re.IGNORECASE,
                ),
                "",
            ),
        )
        possessive_before = re.compile(
            rf"(?<!\w)(?:{_alt(data['possessives'])})\s*$", re.IGNORECASE
        )
        definite_before = re.compile(
            rf"(?<!\w)(?:{_alt([*data['definite'], *data['possessives']])})\s*$", re.IGNORECASE
        )
    preps = _alt(data["location_preps"])
    kinds = data["kinds"]
    return _Lexicon(
        lang=lang,
        prefilter=_stem_pattern(data["prefilter"]),
        abbreviations=frozenset(data.get("abbreviations") or []),
        unit_after=unit_after,
        before_phrases=before_phrases,
        possessive_before=possessive_before,
        definite_before=definite_before,
        tail_stop=re.compile(rf"[,;:()\d]|(?<!\w){prefix}(?:{preps})(?!\w)", re.IGNORECASE),
        qualifiers=_Vocab(prefix, data["qualifiers"]),
        qualifiers_after=_Vocab(prefix, data["qualifiers_after"]),
        cues=_Vocab(prefix, kinds),
        after_cues=_Vocab(prefix, {"level": data["level_after"], **data["kinds_after"]}),
        hosts=_one(prefix, data["hosts"]),
        increase_markers=_one(prefix, data["increase_markers"]),
        target_links=_one(prefix, data["target_links"]),
        target_verbs=_one(prefix, data["target_verbs"]),
        tense=_Vocab(prefix, {"future": data["future_markers"], "past": data["past_markers"]}),
        negations=_one(prefix, data["negations"], data.get("not_negations") or []),
        denials=_one(prefix, data["denials"]),
        conditionals=_one(prefix, data["conditionals"]),
        hypothetical=_one(prefix, data["hypothetical"], data.get("not_hypothetical") or []),
        exclude=_one(prefix, data["exclude"]),
        exclude_before=_one(prefix, data["exclude_before"]),
        years=_one(prefix, data["year_markers"]),
        percent=_one(prefix, data["percent"]),
        currency=_one(prefix, data["currency"]),
        loc_prep=_prep_pattern(prefix, data["location_preps"], data["directions"]),
        from_prep=_prep_pattern(prefix, data["location_from"], data["directions"]),
        other_prep=_prep_pattern(prefix, data["non_subject_preps"], data["directions"]),
        connectors=_one(prefix, data["connectors"]),
        carried_after=re.compile(
            rf"\s*(?:(?P<marker>{_alt(data['carried_markers'])})(?!\w))?\s*"
            rf"(?:(?=(?<!\w){prefix}(?:{preps})(?!\w))|(?=[,;:.)]|$))",
            re.IGNORECASE,
        ),
        borders=_one(prefix, data["border_words"]),
        not_state=_one(prefix, data["not_state_markers"]),
        prep_after=re.compile(
            rf"\s*(?:(?:{_alt(data['carried_markers'])})\s+)?{prefix}(?:{preps})(?!\w)",
            re.IGNORECASE,
        ),
        not_after_units=_one(prefix, data.get("not_after_units") or []),
        from_words=_one(prefix, data["from_words"]),
        pair=re.compile(rf"\s*(?:{_alt(data['list_joiners'])})\s*", re.IGNORECASE),
        clitic_and=data.get("clitic_and", ""),
        clitic_place=tuple(data.get("clitic_place") or ()),
        clitic_owner=data.get("clitic_owner", ""),
        possessive_nouns=frozenset(_possessive_forms(data)),
    )


# --- sentences --------------------------------------------------------------------------------


def _sentences(text: str, lex: _Lexicon) -> list[tuple[int, int]]:
    """Spans of sentences: split on . ! ? ؟ and newlines, not after abbreviations or initials."""
    out: list[tuple[int, int]] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        mark = m.group()
        if mark[0] == ".":
            before = text[m.start() - 1 : m.start()]
            if before.isascii() and before.isalpha():
                word = _WORD_BEFORE.search(text, max(0, m.start() - 12), m.start())
                if word and (
                    word.group(1) in lex.abbreviations or _INITIALS.fullmatch(word.group(1))
                ):
                    continue
        _add_trimmed(out, text, start, m.start() if mark == "\n" else m.end())
        start = m.end()
    _add_trimmed(out, text, start, len(text))
    return out


def _add_trimmed(out: list[tuple[int, int]], text: str, start: int, end: int) -> None:
    segment = text[start:end]
    body = segment.lstrip()
    start += len(segment) - len(body)
    body = body.rstrip()
    if body:
        out.append((start, start + len(body)))


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


@dataclass(slots=True)
class _Fact:
    actor: str
    location: str | None
    count: int
    count_high: int | None
    qualifier: str
    kind: str
    end: int  # end of the unit phrase in folded text
    place_end: int  # end of the place named after it (or `end`)


class _Sentence:
    """One folded sentence with its numbers, actor mentions and clause marks."""

    def __init__(self, text: str, lex: _Lexicon) -> None:
        folded = fold(text, lower=False)
        self.t = folded.text
        self.lex = lex
        self.spans = numbers.scan_folded(folded, lex.lang)
        self.mentions: list[FoldedMention] = []
        if self.spans:
            self.mentions = actors.find_actors_folded(folded, lex.lang)
        self.marks = [m.start() for m in _CLAUSE.finditer(self.t)]
        self.starts = [s.start for s in self.spans]

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
        if self.lex.loc_prep.search(self.t, w, m.start):
            return "loc"
        if self.lex.from_prep.search(self.t, w, m.start):
            return "from"
        if self.lex.other_prep.search(self.t, w, m.start):
            return "other"
        return None


def _owns(s: _Sentence, m: FoldedMention) -> bool:
    """An Arabic name with ل followed by a number, a qualifier at most in between."""
    nxt = s.next_number(m.end)
    if nxt - m.end > 16 or s.clause_end(m.end) < nxt:
        return False
    gap = s.t[m.end : nxt].strip()
    return not gap or bool(s.lex.qualifiers.any.fullmatch(gap))


def _numbers(s: _Sentence) -> Iterator[_Number]:
    """Whole, non-vague numbers; a "from X to Y" change keeps only its target Y."""
    lex, t = s.lex, s.t
    for span in s.spans:
        if span.vague or span.value is None or span.value != int(span.value):
            continue
        if span.value_high is None:
            yield _Number(int(span.value), None, span.start, span.end)
            continue
        if span.value_high != int(span.value_high):
            continue
        lo = max(0, span.start - 20)
        if lex.from_words.ends.search(t, lo, span.start) and lex.target_verbs.any.search(
            t, s.clause_start(span.start), span.start
        ):
            high = span.parts[-1]
            yield _Number(int(span.value_high), None, high[0], high[1])
            continue
        yield _Number(int(span.value), int(span.value_high), span.start, span.end)


def _qualifier_before(s: _Sentence, q: _Number) -> tuple[str, int]:
    lo = max(s.clause_start(q.start), q.start - _BEFORE)
    m = s.lex.qualifiers.ends.search(s.t, lo, q.start)
    if m is None:
        return "exact", q.start
    return s.lex.qualifiers.label(m), m.start()


def _not_a_count(s: _Sentence, q: _Number) -> bool:
    """Years, percentages and money."""
    t, lex = s.t, s.lex
    digits = t[q.start : q.end]
    year_like = q.high is None and _YEARS[0] <= q.value <= _YEARS[1] and digits.isdigit()
    if year_like and lex.years.ends.search(t, max(0, q.start - 20), q.start):
        return True
    if q.high is not None and all(_YEARS[0] <= v <= _YEARS[1] for v in (q.value, q.high)):
        return True
    if lex.percent.starts.match(t, q.end, q.end + 15):
        return True
    if lex.currency.ends.search(t, max(0, q.start - 6), q.start):
        return True
    return bool(lex.currency.starts.match(t, q.end, q.end + 12))


def _unit_after(s: _Sentence, q: _Number) -> _Phrase | None:
    t, lex = s.t, s.lex
    m = lex.unit_after.match(t, q.end)
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
        phrase.increase = bool(lex.increase_markers.any.search(t, end, tail))
    else:
        phrase.regions.append((q.end, end))
        phrase.possessive = m.groupdict().get("poss") is not None
        phrase.increase = bool(lex.increase_markers.any.search(t, q.end, end))
    phrase.definite = phrase.possessive
    return phrase


def _is_possessive(lex: _Lexicon, noun: str) -> bool:
    return noun in lex.possessive_nouns


def _unit_before(s: _Sentence, q: _Number, qual_start: int) -> _Phrase | None:
    """A troop noun before the number: "القوات البالغ عددها 2500", "US troops numbering 2,500"."""
    t, lex = s.t, s.lex
    lo = max(0, qual_start - 110)
    for pattern, cue in lex.before_phrases:
        m = pattern.search(t, lo, qual_start)
        if m is None:
            continue
        groups = m.groupdict()
        start = m.start("pre") if groups.get("pre") is not None else m.start("noun")
        link = m.start("link") if "link" in groups else m.end()
        noun = m.group("noun")
        possessive = groups.get("poss") is not None or (
            lex.lang == "ar" and _is_possessive(lex, noun)
        )
        return _Phrase(
            unit_end=q.end,
            regions=[(start, link)],
            start=m.start(),
            possessive=possessive,
            definite=possessive,
            level=cue == "level",
            before_region=(start, link),
        )
    return None


def _carried(s: _Sentence, q: _Number, qual_start: int, prev: _Fact | None) -> _Phrase | None:
    """A number whose unit is carried on from the count before it: "..., and about 900 in Syria"."""
    if prev is None:
        return None
    t, lex = s.t, s.lex
    gap = t[prev.end : qual_start]
    if len(gap) > 90 or any(ch.isdigit() for ch in gap):
        return None
    attached = bool(lex.clitic_and) and t[qual_start - 1 : qual_start] == lex.clitic_and  # و900
    if not (attached or lex.connectors.any.search(t, prev.end, qual_start)):
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
    t, lex = s.t, s.lex
    lo = max(s.clause_start(phrase.start), phrase.start - _BEFORE)
    hi = min(qual_start, phrase.start)
    if lex.exclude.any.search(t, lo, hi) or lex.exclude_before.any.search(t, lo, hi):
        return True
    if phrase.start != qual_start and lex.exclude.any.search(t, qual_start, q.start):
        return True
    return bool(lex.exclude.any.search(t, q.end, s.window_after(phrase.unit_end, _EXCLUDE_AFTER)))


def _irregular(s: _Sentence, q: _Number, qual_start: int, phrase: _Phrase) -> bool:
    """ "Turkish-backed fighters", "مقاتلو المعارضة السورية": proxies and rebels, no state's."""
    lo = max(s.clause_start(qual_start), qual_start - 20)
    hi = s.window_after(phrase.unit_end, 40 if s.lex.lang == "ar" else 1)
    return bool(s.lex.not_state.any.search(s.t, lo, max(hi, phrase.unit_end)))


def _qualifier_after(s: _Sentence, q: _Number, phrase: _Phrase) -> str | None:
    for pos in (q.end, phrase.unit_end):
        m = s.lex.qualifiers_after.starts.match(s.t, pos, pos + 20)
        if m:
            return s.lex.qualifiers_after.label(m)
    return None


def _kind(
    s: _Sentence, q: _Number, qual_start: int, phrase: _Phrase, prev: _Fact | None
) -> str | None:
    """level, increase, decrease or planned_level; None when a change is denied or negated."""
    t, lex = s.t, s.lex
    if phrase.level:
        return "level"
    lo = prev.end if prev else 0
    after_hi = s.window_after(phrase.unit_end, _AFTER)
    after = lex.after_cues.any.search(t, phrase.unit_end, after_hi)
    after_kind = lex.after_cues.label(after) if after else None
    if after_kind == "level":
        return "level"
    before_end = min(phrase.start, qual_start)
    cue = lex.cues.last(t, lo, before_end)
    cue_pos = cue.start() if cue else before_end
    kind: str | None = None
    if phrase.increase:
        kind, cue_pos = "increase", phrase.start
    elif lex.target_links.ends.search(t, max(lo, qual_start - 20), qual_start) and (
        verb := lex.target_verbs.last(t, lo, qual_start)
    ):
        tenses = {lex.tense.label(m) for m in lex.tense.any.finditer(t, lo, qual_start)}
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
    scope = s.clause_start(cue_pos)
    doubtful = (
        lex.negations.any.search(t, scope, qual_start)
        or lex.hypothetical.any.search(t, scope, qual_start)
        or lex.conditionals.any.search(t, 0, qual_start)
        or (kind != "level" and lex.denials.any.search(t, 0, qual_start))
    )
    if doubtful:
        # "denied plans to withdraw its 2,500 troops": the number is the troops already there;
        # "does not plan to send 3,000 troops", "asked allies for 2,000 troops": no count at all.
        return "level" if phrase.definite else None
    return kind


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
            if tail and m.kind == actors.COUNTRY and m.role != "adjective":
                continue  # "2500 جندي وروسيا": a name after the unit starts something else
            if prep in ("loc", "other") or (prep == "from" and m.kind == actors.COUNTRY):
                continue
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
    if not need_cue:
        # "its forces": clear only when every actor named before is the same one.
        codes = {m.code for m in s.mentions if m.end <= before and not s.prep_before(m)}
        if len(codes) > 1:
            return None
    for i in range(len(s.mentions) - 1, -1, -1):
        m = s.mentions[i]
        if m.end > before or s.prep_before(m):
            continue
        if i and _coordinated(s, s.mentions[i - 1], m):
            return None  # "The US and Britain will send": whose troops is not said
        owner = bool(lex.clitic_owner) and m.prefix.endswith(lex.clitic_owner)
        if not need_cue or (owner and _owns(s, m)):
            return m.code
        cue = lex.cues.last(t, m.end, after)
        if cue is None:
            cue = lex.cues.ends.search(t, max(0, m.start - _VSO_REACH), m.start)
        if cue is None or lex.hosts.any.search(t, cue.start(), cue.end()):
            return None
        return m.code
    return None


def _coordinated(s: _Sentence, first: FoldedMention, second: FoldedMention) -> bool:
    if first.code == second.code:
        return False
    gap = s.t[first.end : second.start - len(second.prefix)]
    return bool(s.lex.pair.fullmatch(gap)) or _clitic_joined(s, second, gap)


def _actor(
    s: _Sentence, q: _Number, qual_start: int, phrase: _Phrase, prev: _Fact | None
) -> str | None:
    code = _phrase_actor(s, q, qual_start, phrase)
    if code is not None:
        return None if code == AMBIGUOUS else code
    if phrase.carried:
        return prev.actor if prev else None
    if phrase.possessive or (
        s.lex.lang == "en"
        and s.lex.possessive_before.search(s.t, max(0, qual_start - 8), qual_start)
    ):
        phrase.definite = True
        return _subject(s, phrase.start, qual_start, need_cue=False)
    return _subject(s, phrase.start, qual_start, need_cue=True)


def _location(
    s: _Sentence, q: _Number, qual_start: int, phrase: _Phrase, prev: _Fact | None
) -> tuple[str | None, int]:
    """The place the troops are in, and where its name ends (the unit's end when none)."""
    t, lex = s.t, s.lex
    decreasing = any(
        lex.cues.label(c) == "decrease" for c in lex.cues.any.finditer(t, 0, qual_start)
    )
    lo = phrase.unit_end
    hi = min(lo + _LOCATION_AFTER, s.clause_end(lo), s.next_number(lo))
    regions = [(lo, hi)]
    if phrase.before_region:
        regions.append(phrase.before_region)
    for rlo, rhi in regions:
        for m in s.mentions:
            if not _is_place(m) or m.start < rlo or m.start >= rhi:
                continue
            prep = s.prep_before(m, rlo if rlo < m.start else 0)
            if _at_border(s, m):
                continue
            if prep == "loc" or (prep == "from" and decreasing):
                return (None if _paired(s, m) else m.code), max(m.end, lo)
    # Earlier in the clause (but not the place of the count before), or "In Iraq, ...".
    clause = max(s.clause_start(qual_start), prev.place_end if prev else 0)
    for m in s.mentions:
        if not _is_place(m) or m.end > qual_start:
            continue
        opening = not prev and m.start < 25 and t[m.end : m.end + 2].lstrip().startswith(",")
        if (m.start >= clause or opening) and s.prep_before(m) == "loc" and not _at_border(s, m):
            return (None if _paired(s, m) else m.code), lo
    # "Germany hosts 35,000 US troops", "تستضيف ألمانيا 35 ألف جندي"
    host = lex.hosts.last(t, 0, qual_start)
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
    # "and 500 more" says nothing of the place: the count before it does. "and 900 in X" with an
    # X we cannot place says something else.
    if phrase.carried and prev and not lex.prep_after.match(t, q.end):
        return prev.location, lo
    return None, lo


def _is_place(m: FoldedMention) -> bool:
    return m.kind == actors.COUNTRY and m.role in ("name", "capital")


def _at_border(s: _Sentence, m: FoldedMention) -> bool:
    """ "at Ukraine's border", "على حدود أوكرانيا": the place is a border, not where troops are."""
    if s.lex.borders.starts.match(s.t, m.end, m.end + 16):
        return True
    start = m.start - len(m.prefix)
    return bool(s.lex.borders.ends.search(s.t, max(0, start - 12), start))


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


def _read(s: _Sentence, q: _Number, prev: _Fact | None) -> _Fact | None:
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
    if (
        phrase is None
        or _excluded(s, q, qual_start, phrase)
        or _irregular(s, q, qual_start, phrase)
    ):
        return None
    if qualifier == "exact":
        qualifier = _qualifier_after(s, q, phrase) or "exact"
    if s.lex.definite_before.search(s.t, max(0, qual_start - 8), qual_start):
        phrase.definite = True
    actor = _actor(s, q, qual_start, phrase, prev)
    if actor is None:
        return None
    kind = _kind(s, q, qual_start, phrase, prev)
    if kind is None:
        return None
    location, place_end = _location(s, q, qual_start, phrase, prev)
    return _Fact(actor, location, q.value, q.high, qualifier, kind, phrase.unit_end, place_end)


def _sentence_facts(sentence: str, lex: _Lexicon) -> list[_Fact]:
    s = _Sentence(sentence, lex)
    facts: list[_Fact] = []
    prev: _Fact | None = None
    for q in _numbers(s):
        fact = _read(s, q, prev)
        if fact is not None:
            facts.append(fact)
            prev = fact
    return facts


def extract_troop_counts(text: str, lang: str) -> list[TroopCount]:
    """Troop counts in `text`, each with the sentence it was read from as evidence.

    The same (actor, location, count, count_high, kind) seen twice in one text is one fact: the
    first sentence that states it is kept.
    """
    lex = _lexicon("ar" if lang == "ar" else "en")
    out: list[TroopCount] = []
    seen: set[tuple[Any, ...]] = set()
    # One cheap pass over the whole text finds the sentences that name troops at all.
    plain = fold_chars(text).lower()
    if len(plain) != len(text):
        plain = fold_chars(text)
    hits = [m.start() for m in lex.prefilter.finditer(plain)]
    if not hits:
        return []
    for start, end in _sentences(text, lex):
        i = bisect.bisect_left(hits, start)
        if i == len(hits) or hits[i] >= end:
            continue
        # Folding is the costly step: only sentences with a digit or a number word get there.
        if not numbers.may_have_number(plain[start:end], lex.lang):
            continue
        sentence = text[start:end]
        for f in _sentence_facts(sentence, lex):
            key = (f.actor, f.location, f.count, f.count_high, f.kind)
            if key in seen:
                continue
            seen.add(key)
            out.append(
                TroopCount(
                    actor=f.actor,
                    location=f.location,
                    count=f.count,
                    count_high=f.count_high,
                    qualifier=f.qualifier,  # type: ignore[arg-type]
                    kind=f.kind,  # type: ignore[arg-type]
                    sentence=sentence,
                    char_start=start,
                    char_end=end,
                )
            )
    return out
