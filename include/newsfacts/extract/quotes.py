"""Extract stage, quotes: quoted speech with its speaker; offsets are those of the quoted words.

A quotation counts as speech only when a reporting verb introduces it: before it with a colon or
a complementiser (وقال كنعاني خلال مؤتمره الصحافي: "...", وقال السوداني، إن "...", Ryder said:
"..."), or after it ("...," said Maj. Gen. Pat Ryder; "...," he told reporters). Quoted names and
scare quotes ("البنتاجون"، المهمة "القتالية") are not speech. The speaker is the person entity next
to the verb (canonical name, so "رايدر" reads "باتريك رايدر"); with no name ("وأضاف: ...", "he
said") it is carried from the previous quote; otherwise the words that describe the speaker ("a
UNIFIL spokesperson"), or None.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from newsfacts import lexicon
from newsfacts.extract import entities
from newsfacts.models import Entity, Quote
from newsfacts.text.normalize import Folded, fold

_QUOTED = re.compile(r'"([^"\n]+)"')
_SENTENCE_END = re.compile(r"[.!?](?=\s|$)")
_WORD = re.compile(r"\w[\w'.-]*|[^\w\s]")
_MAX_GAP_WORDS = 15
_MAX_SPEAKER_WORDS = 6
_AFTER_WINDOW = 160


@dataclass(frozen=True, slots=True)
class _Rules:
    lang: str
    verbs: re.Pattern[str]
    participles: re.Pattern[str]
    complementisers: frozenset[str]
    after_cues: re.Pattern[str]
    stops: frozenset[str]
    pronouns: frozenset[str]
    abbreviations: frozenset[str]
    min_words: int


@dataclass(frozen=True, slots=True)
class _Cue:
    clause: tuple[int, int]  # folded offsets of the words around the verb that name the speaker
    verb: tuple[int, int]  # folded offsets of the reporting verb (or cue such as "according to")
    colon: bool

    def speaker_window(self, text: str) -> tuple[int, int]:
        """After the verb when it opens the clause ("said X", "قال X"), else before it."""
        if not re.search(r"\w", text[self.clause[0] : self.verb[0]]):
            return self.verb[1], self.clause[1]
        return self.clause[0], self.verb[0]


def _words(items: list[str]) -> list[str]:
    return sorted({fold(w, lower=False).text for w in items}, key=len, reverse=True)


@cache
def _rules(lang: str) -> _Rules:
    data = lexicon.load(f"quotes_{lang}")

    def alternation(items: list[str]) -> str:
        return "|".join(re.escape(w) for w in _words(items))

    prefix = "[وف]?" if lang == "ar" else ""
    return _Rules(
        lang=lang,
        verbs=re.compile(rf"(?<!\w){prefix}(?:{alternation(data['speech_verbs'])})(?!\w)"),
        participles=re.compile(
            rf"(?<!\w){prefix}(?:{alternation(data['speech_participles'])})(?!\w)"
        ),
        complementisers=frozenset(_words(data["complementisers"])),
        after_cues=re.compile(rf"(?<!\w)(?:{alternation(data['after_cues'])})(?!\w)"),
        stops=frozenset(_words(data["speaker_stops"])),
        pronouns=frozenset(_words(data["pronouns"])),
        abbreviations=frozenset(data.get("abbreviations") or ()),
        min_words=int(data["min_words"]),
    )


def _sentence_ends(text: str, start: int, end: int, rules: _Rules) -> list[int]:
    """Offsets of full stops (and ! ?) in text[start:end] that end a sentence."""
    out = []
    for m in _SENTENCE_END.finditer(text, start, end):
        before = text[max(start, m.start() - 4) : m.start()].split()
        if m.group() == "." and before and before[-1].lstrip("(") in rules.abbreviations:
            continue
        # Initials and abbreviations such as "U.S." do not end a sentence.
        initial = m.start() > 0 and text[m.start() - 1].isupper()
        if m.group() == "." and initial and (m.start() < 2 or not text[m.start() - 2].isalpha()):
            continue
        out.append(m.end())
    return out


def _before_cue(text: str, clause: int, open_at: int, rules: _Rules) -> _Cue | None:
    """A reporting verb in the clause before an opening quotation mark, with colon or إن/that."""
    pre = text[clause:open_at]
    stripped = pre.rstrip()
    colon = stripped.endswith(":")
    comma = stripped.endswith((",",)) and rules.lang == "en"
    cue_end = len(stripped) - 1 if colon or comma else len(stripped)
    if not colon and not comma:
        last = stripped.rsplit(None, 1)[-1] if stripped else ""
        if last not in rules.complementisers:
            return None
        cue_end = len(stripped) - len(last)
    body = pre[:cue_end].rstrip().rstrip(",").rstrip()
    verb = None
    for m in rules.verbs.finditer(body):
        verb = m
    participle = None
    for m in rules.participles.finditer(body):
        participle = m
    if participle is not None and (verb is None or participle.start() > verb.start()):
        # "مضيفاً: ..." is speech; "مؤكداً على مواصلة بلاده ..." is not.
        if body[participle.end() :].strip(" ,"):
            return None
        start, end = clause + participle.start(), clause + participle.end()
        return _Cue((start, end), (start, end), colon)
    if verb is None:
        return None
    gap = body[verb.end() :]
    if len(gap.split()) > _MAX_GAP_WORDS:
        return None
    start, end = clause + verb.start(), clause + verb.end()
    return _Cue((clause, clause + len(body)), (start, end), colon)


def _after_cue(text: str, close_at: int, limit: int, rules: _Rules) -> _Cue | None:
    """A reporting verb right after a closing quotation mark: '"...," said X', '"...", X said'."""
    m = re.match(r"[\s,]*", text[close_at:limit])
    begin = close_at + (m.end() if m else 0)
    ends = _sentence_ends(text, begin, limit, rules)
    stop = ends[0] - 1 if ends else limit
    rest = text[begin:stop]
    if len(rest.split()) > _MAX_GAP_WORDS + 5:
        rest = " ".join(rest.split()[: _MAX_GAP_WORDS + 5])
    cue = rules.after_cues.match(rest)
    if cue:
        return _Cue((begin, stop), (begin, begin + cue.end()), False)
    verb = rules.verbs.search(rest)
    if verb is None or len(rest[: verb.start()].split()) > 10:
        return None
    return _Cue((begin, stop), (begin + verb.start(), begin + verb.end()), False)


def _phrase(folded: Folded, window: tuple[int, int], rules: _Rules) -> tuple[int, int] | None:
    """The words that describe an unnamed speaker, up to the first stop word."""
    text = folded.text
    first = last = None
    count = 0
    for m in _WORD.finditer(text, *window):
        word = m.group()
        if not (word[0].isalnum()) or word in rules.stops or count >= _MAX_SPEAKER_WORDS:
            if first is not None:
                break
            if word in rules.stops and rules.lang == "ar":
                break
            continue
        if first is None:
            first = m.start()
        last = m.end()
        count += 1
    if first is None or last is None:
        return None
    return first, last


def _nearest(found: list[Entity], vs: int, ve: int) -> Entity | None:
    """The mention closest to the verb, preferring one after it (Arabic and "said X" order)."""
    after = [e for e in found if e.char_start >= ve]
    if after:
        return min(after, key=lambda e: e.char_start - ve)
    before = [e for e in found if e.char_end <= vs]
    return max(before, key=lambda e: e.char_end) if before else None


def _speaker(
    folded: Folded,
    cue: _Cue,
    mentions: tuple[list[Entity], list[Entity]],
    rules: _Rules,
    *,
    previous: str | None,
    quote_start: int,
) -> str | None:
    people, named = mentions
    cs, ce = folded.span(*cue.clause)
    vs, ve = folded.span(*cue.verb)
    person = _nearest([p for p in people if cs <= p.char_start and p.char_end <= ce], vs, ve)
    if person is not None:
        return person.canonical or person.text
    window = cue.speaker_window(folded.text)
    words = folded.text[window[0] : window[1]].replace(",", " ").split()
    phrase = _phrase(folded, window, rules)
    if not words or words[0] in rules.pronouns or phrase is None:
        # "وأضاف: ...", "he said": the speaker of the previous quote, else the last person named.
        if previous is not None:
            return previous
        before = [p for p in people if p.char_end <= quote_start]
        return (before[-1].canonical or before[-1].text) if before else None
    ws, we = folded.span(*window)
    org = _nearest([e for e in named if ws <= e.char_start and e.char_end <= we], vs, ve)
    start, end = folded.span(*phrase)
    if org is not None and org.char_start <= start:
        return org.canonical or org.text
    return folded.original[start:end]


def extract_quotes(text: str, lang: str) -> list[Quote]:
    """Quoted speech in `text` ("ar" or "en") with its speaker, in order of appearance.

    `text` of each quote is the quoted words without the quotation marks (and without a trailing
    comma); its offsets are those words' offsets in `text`.
    """
    if not text or not any(mark in text for mark in '"“”«»'):
        return []
    lang = "ar" if lang == "ar" else "en"
    rules = _rules(lang)
    folded = entities.fold_once(text)
    found = entities.extract_entities(text, lang)
    mentions = (
        [e for e in found if e.kind == "person"],
        [e for e in found if e.kind == "organization"],
    )
    out: list[Quote] = []
    previous: str | None = None
    ftext = folded.text
    offset = 0
    for line in ftext.split("\n"):
        line_start, line_end = offset, offset + len(line)
        offset = line_end + 1
        clause = line_start
        for m in _QUOTED.finditer(ftext, line_start, line_end):
            content = m.group(1)
            lead = len(content) - len(content.lstrip())
            body = content.strip().rstrip(",").rstrip()
            words = len(body.split())
            open_at, close_at = m.start(), m.end()
            ends = [e for e in _sentence_ends(ftext, clause, open_at, rules) if e <= open_at]
            start_clause = ends[-1] if ends else clause
            cue = _before_cue(ftext, start_clause, open_at, rules)
            # A quotation followed by its verb ('"...," he said') opens its sentence or ends in
            # punctuation; a quoted name inside a sentence ('known as "X", said ...') does neither.
            opens = not re.search(r"\w", ftext[start_clause:open_at])
            if cue is None and (opens or content.rstrip()[-1:] in ",.?!"):
                nxt = _QUOTED.search(ftext, close_at, line_end)
                limit = min(nxt.start() if nxt else line_end, close_at + _AFTER_WINDOW)
                cue = _after_cue(ftext, close_at, limit, rules)
            clause = close_at
            if cue is None or not body or words < (1 if cue.colon else rules.min_words):
                continue
            qs, qe = folded.span(m.start(1) + lead, m.start(1) + lead + len(body))
            speaker = _speaker(folded, cue, mentions, rules, previous=previous, quote_start=qs)
            previous = speaker or previous
            out.append(Quote(speaker, text[qs:qe], qs, qe))
    return out
