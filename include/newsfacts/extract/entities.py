"""Extract stage, entities: people, organisations and places named in a text, with offsets.

`extract_entities(text, lang)` lists every mention in order of appearance. Places and
organisations come from gazetteers: lexicon/entities_<lang>.yaml plus the countries (CLDR),
capitals, armed groups and state institutions of newsfacts.extract.actors. People are found by the
title that introduces them ("رئيس الوزراء العراقي محمد شياع السوداني", "Maj. Gen. Pat Ryder"), by
apposition ("Elnur Mammadli, a foreign policy adviser"), and then again by their surname alone
later in the text, with the full name as canonical.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Literal

from newsfacts import lexicon
from newsfacts.extract import actors
from newsfacts.models import Entity
from newsfacts.text.normalize import Folded, fold

Kind = Literal["person", "organization", "location"]
PERSON: Kind = "person"
ORGANIZATION: Kind = "organization"
LOCATION: Kind = "location"

_TOKEN = re.compile(r"\w+|[^\w\s]")
# Folded Arabic words that carry the article, with or without a one-letter prefix (وال، بال، لل).
_AR_DEFINITE = re.compile(r"(?:[وف]?[بك]?ال|[وف]?لل)\w\w")
_AR_PREFIX = re.compile(r"[وف]?[بكل]?")
_AR_CONJUNCTIONS = "وف"
_AR_PREPOSITIONS = "بكل"

# Which mentions win when two overlap: a titled person over a gazetteer name over a person found
# by apposition over a bare surname; within a priority the longer span wins.
_TITLED, _GAZETTEER, _APPOSED, _SURNAME = 4, 3, 2, 1


@dataclass(frozen=True, slots=True)
class _Name:
    kind: Kind
    canonical: str | None
    tokens: tuple[str, ...]
    quoted_only: bool = False


@dataclass(frozen=True, slots=True)
class _Resources:
    lang: str
    names: dict[str, tuple[_Name, ...]]  # first folded token -> names, longest first
    name_starts: re.Pattern[str]  # words that may begin a name, with their prefixes
    dateline: tuple[str, ...]
    glued: re.Pattern[str]  # a word with a dateline agency glued at its end
    titles: re.Pattern[str]
    title_forms: frozenset[str]
    stops: frozenset[str]
    stops_verbs: frozenset[str]
    complements: frozenset[str]
    name_parts: frozenset[str]
    particles: frozenset[str]
    org_heads: frozenset[str]
    base_heads: frozenset[str]
    base_descriptors: frozenset[str]
    heads: re.Pattern[str]
    apposition: re.Pattern[str] | None
    said_name: re.Pattern[str] | None


@dataclass(slots=True)
class _Span:
    start: int  # offsets in the folded text
    end: int
    kind: Kind
    canonical: str | None
    priority: int


@dataclass(slots=True)
class _Context:
    folded: Folded
    res: _Resources
    tokens: list[tuple[int, int, str]]
    starts: list[int]
    covered: dict[int, int] = field(default_factory=dict)  # first token -> last token of a name
    adjectives: set[int] = field(default_factory=set)  # tokens inside a nationality adjective
    title_next: dict[int, int] = field(default_factory=dict)  # title's first token -> next token


def _key(text: str) -> str:
    return fold(text, lower=False).text


def _tokens(text: str) -> tuple[str, ...]:
    return tuple(_TOKEN.findall(text))


def _is_word(token: str) -> bool:
    return token[0].isalnum() or token[0] == "_"


def _ar_reading(word: str, words: frozenset[str]) -> str | None:
    """The reading of a folded Arabic word, prefixes taken off or not, that is in `words`."""
    for reading, _skip in _ar_variants(word):
        if reading in words:
            return reading
    return None


@lru_cache(maxsize=1 << 16)
def _ar_variants(word: str) -> tuple[tuple[str, int], ...]:
    """Readings of a folded Arabic word with its prefixes taken off: (reading, chars skipped).

    ل before ال drops the alef (للعراق): the reading restores it, and the span keeps the ل.
    """
    out = [(word, 0)]
    if len(word) > 3 and word[0] in _AR_CONJUNCTIONS:
        out.append((word[1:], 1))
    for reading, skip in list(out):
        if len(reading) > 3 and reading[0] in _AR_PREPOSITIONS:
            out.append((reading[1:], skip + 1))
        if len(reading) > 3 and reading.startswith("لل"):
            out.append(("ا" + reading[1:], skip))
    return tuple(out)


def _alternation(forms: list[str]) -> str:
    return "|".join(re.escape(f) for f in sorted(set(forms), key=len, reverse=True))


def _trie(words: set[str]) -> str:
    """A regex for any of `words` that branches on shared prefixes (fast on long lists)."""
    root: dict[str, dict] = {}
    for word in words:
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict[str, dict]) -> str:
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return build(root)


@cache
def _resources(lang: str) -> _Resources:
    data = lexicon.load(f"entities_{lang}")
    names: dict[str, list[_Name]] = {}

    def add(kind: Kind, table: dict[str, list[str]], quoted_only: bool = False) -> None:
        for canonical, spellings in (table or {}).items():
            for spelling in spellings:
                tokens = _tokens(_key(spelling))
                if tokens:
                    name = _Name(kind, canonical, tokens, quoted_only)
                    names.setdefault(tokens[0], []).append(name)

    add(ORGANIZATION, data["organizations"])
    add(LOCATION, data["locations"])
    add(ORGANIZATION, data.get("quoted_only_organizations") or {}, quoted_only=True)
    ordered = {k: tuple(sorted(v, key=lambda n: -len(n.tokens))) for k, v in names.items()}
    # Only the words that can begin a name are looked at: one regex pass finds them.
    if lang == "ar":
        elided = {w[1:] for w in ordered if w.startswith("ال")}
        starts = rf"(?<!\w)(?:[وف]?[بكل]?{_trie(set(ordered))}|[وف]?ل{_trie(elided)})(?!\w)"
    else:
        starts = rf"(?<!\w){_trie(set(ordered))}(?!\w)"
    dateline = [_key(a) for a in data.get("dateline_agencies") or ()]
    glued = rf"(?<=\w)(?:{_alternation(dateline)})(?!\w)" if dateline else r"(?!x)x"

    title_forms = [_key(t) for t in data["person_titles"]]
    heads = [_key(w) for w in data["organization_heads"] + data["base_heads"]]
    head_prefix = "[وف]?[بكل]?" if lang == "ar" else ""
    heads_re = re.compile(rf"(?<!\w){head_prefix}(?P<head>{_alternation(heads)})(?!\w)")
    if lang == "ar":
        # With ل the article's alef drops (للرئيس): accept the elided form after ل only.
        elided_titles = [t[1:] for t in title_forms if t.startswith("ال")]
        every = _trie({*title_forms, *elided_titles})
        titles = re.compile(rf"(?<!\w)(?P<pre>[وف]?[بكل]?)(?P<title>{every})(?!\w)")
        apposition = said_name = None
    else:
        titles = re.compile(rf"(?<![\w.])(?P<pre>)(?P<title>{_trie(set(title_forms))})(?![\w-])")
        particles = "|".join(re.escape(p) for p in data["name_particles"])
        name = rf"[A-Z][\w']+(?:\s+(?:(?:{particles})[\s-])?[A-Z][\w']+(?:-[A-Z][\w']+)?){{1,3}}"
        nouns = _alternation(data["appositive_nouns"])
        apposition = re.compile(
            rf"(?P<name>{name}),\s+(?:a|an|the)\s+(?:[\w'-]+\s+){{0,5}}?(?:{nouns})\b"
        )
        said_name = re.compile(rf"\b(?:said|told|says)\s+(?P<name>{name})")
    return _Resources(
        lang=lang,
        names=ordered,
        name_starts=re.compile(starts),
        dateline=tuple(dateline),
        glued=re.compile(glued),
        titles=titles,
        title_forms=frozenset(title_forms),
        stops=frozenset(_key(w) for w in data["name_stops"]),
        stops_verbs=frozenset(_key(w) for w in [*data["name_stops"], *data.get("name_verbs", [])]),
        complements=frozenset(_key(w) for w in data.get("complement_nouns") or ()),
        name_parts=frozenset(_key(w) for w in data.get("definite_name_parts") or ()),
        particles=frozenset(data.get("name_particles") or ()),
        org_heads=frozenset(_key(w) for w in data["organization_heads"]),
        base_heads=frozenset(_key(w) for w in data["base_heads"]),
        base_descriptors=frozenset(_key(w) for w in data["base_descriptors"]),
        heads=heads_re,
        apposition=apposition,
        said_name=said_name,
    )


def _token_at(ctx: _Context, char: int) -> int:
    """Index of the token that contains folded offset `char`."""
    i = bisect_left(ctx.starts, char)
    if i == len(ctx.starts) or ctx.starts[i] > char:
        i -= 1
    return max(i, 0)


def _variants(word: str, lang: str) -> tuple[tuple[str, int], ...]:
    return _ar_variants(word) if lang == "ar" else ((word, 0),)


@lru_cache(maxsize=1 << 16)
def _readings(word: str, lang: str) -> tuple[tuple[str, int], ...]:
    """The readings of `word` that begin a gazetteer name (most words: none)."""
    names = _resources(lang).names
    return tuple((r, skip) for r, skip in _variants(word, lang) if r in names)


def _match_name(ctx: _Context, i: int, reading: str) -> tuple[_Name, int] | None:
    """The longest gazetteer name that starts at token i read as `reading`, and its last token."""
    tokens, text = ctx.tokens, ctx.folded.text
    for name in ctx.res.names.get(reading, ()):
        last = i + len(name.tokens) - 1
        if last >= len(tokens):
            continue
        if any(tokens[i + k][2] != name.tokens[k] for k in range(1, len(name.tokens))):
            continue
        if name.quoted_only:
            start, end = tokens[i][0], tokens[last][1]
            if not (text[start - 1 : start] == '"' and text[end : end + 1] == '"'):
                continue
        return name, last
    return None


def _gazetteer_spans(ctx: _Context) -> list[_Span]:
    res, tokens, lang = ctx.res, ctx.tokens, ctx.res.lang
    out: list[_Span] = []
    for m in res.name_starts.finditer(ctx.folded.text):
        i = _token_at(ctx, m.start())
        start, _end, word = tokens[i]
        best: tuple[_Name, int, int] | None = None
        for reading, skip in _readings(word, lang):
            found = _match_name(ctx, i, reading)
            if found and (best is None or found[1] > best[1]):
                best = (found[0], found[1], skip)
        if best is not None:
            name, last, skip = best
            out.append(_Span(start + skip, tokens[last][1], name.kind, name.canonical, _GAZETTEER))
            ctx.covered[i] = max(ctx.covered.get(i, i), last)
    for m in res.glued.finditer(ctx.folded.text):
        # Datelines glue the sources together ("الشرقرويترز"): split off the agency.
        i = _token_at(ctx, m.start())
        if i in ctx.covered:
            continue
        start, cut = tokens[i][0], m.start()
        known = res.names.get(m.group())
        canonical = known[0].canonical if known else None
        out.append(_Span(cut, m.end(), ORGANIZATION, canonical, _GAZETTEER))
        for name in res.names.get(ctx.folded.text[start:cut], ()):
            if len(name.tokens) == 1:
                out.append(_Span(start, cut, name.kind, name.canonical, _GAZETTEER))
                break
        ctx.covered[i] = i
    return out


def _actor_spans(ctx: _Context) -> list[_Span]:
    """Countries and capitals as places; armed groups and state institutions as organisations."""
    out: list[_Span] = []
    text = ctx.folded.text
    for m in actors.find_actors_folded(ctx.folded, ctx.res.lang):
        first, last = _token_at(ctx, m.start), _token_at(ctx, m.end - 1)
        start = m.start
        if m.prefix.endswith("ل") and text[start] == "ل" and not text.startswith("ال", start):
            start -= 1  # للأردن: the ل that replaced the alef stays with the name
        if m.role == "adjective":
            ctx.adjectives.update(range(first, last + 1))
            continue
        if m.kind == actors.COUNTRY and m.role == "name":
            span = _Span(start, m.end, LOCATION, m.code, _GAZETTEER)
        elif m.kind == actors.COUNTRY and m.role == "capital":
            span = _Span(start, m.end, LOCATION, None, _GAZETTEER)
        elif m.kind == actors.COUNTRY and m.role == "ministry":
            span = _Span(start, m.end, ORGANIZATION, None, _GAZETTEER)
        elif m.kind == actors.GROUP and m.role == "name":
            span = _Span(start, m.end, ORGANIZATION, m.code, _GAZETTEER)
        else:  # multinational forces ("the coalition", "peacekeepers") are not names
            continue
        out.append(span)
        ctx.covered[first] = max(ctx.covered.get(first, first), last)
    return out


def _pattern_spans(ctx: _Context) -> list[_Span]:
    """Ministries and councils ("وزارة الدفاع الأميركية", "Iraqi Foreign Ministry"), named bases."""
    res, tokens = ctx.res, ctx.tokens
    out: list[_Span] = []
    n = len(tokens)
    for m in res.heads.finditer(ctx.folded.text):
        i = _token_at(ctx, m.start("head"))
        start, nxt = m.start("head"), tokens[i + 1][2] if i + 1 < n else ""
        if res.lang == "ar":
            if not nxt.startswith("ال") or i + 1 in ctx.covered:
                continue
            if m.group("head") in res.org_heads:
                last = i + 1
                if last + 1 < n and last + 1 in ctx.adjectives:
                    last += 1
                out.append(_Span(start, tokens[last][1], ORGANIZATION, None, _GAZETTEER))
                ctx.covered[i] = last
            elif nxt not in res.base_descriptors and i + 1 not in ctx.adjectives:
                out.append(_Span(start, tokens[i + 1][1], LOCATION, None, _GAZETTEER))
                ctx.covered[i] = i + 1
            continue
        first = i
        while first > 0 and _capitalised(tokens[first - 1][2], res) and i - first < 3:
            first -= 1
        last = i
        if i + 2 < n and nxt == "of":
            j = i + 2
            if tokens[j][2] == "the":
                j += 1
            while j < n and _capitalised(tokens[j][2], res) and j - i < 5:
                last = j
                j += 1
        if first < i or last > i:
            out.append(_Span(tokens[first][0], tokens[last][1], ORGANIZATION, None, _GAZETTEER))
            ctx.covered[first] = last
    return out


def _capitalised(word: str, res: _Resources) -> bool:
    return word[:1].isupper() and word not in res.stops


def _title_starts(ctx: _Context) -> list[tuple[int, int]]:
    """(first token of the title, first token after it) for every title in the text."""
    out = []
    for m in ctx.res.titles.finditer(ctx.folded.text):
        title = m.group("title")
        if title not in ctx.res.title_forms and not m.group("pre").endswith("ل"):
            continue
        first = _token_at(ctx, m.start())
        after = bisect_left(ctx.starts, m.end())
        ctx.title_next[first] = after
        out.append((first, after))
    return out


def _name_start(ctx: _Context, i: int) -> int | None:
    """The token where a name begins after a title, skipping what qualifies the title."""
    res, tokens = ctx.res, ctx.tokens
    comma_allowed = res.lang == "en"
    skipped = 0
    while i < len(tokens) and skipped <= 8:
        if i in ctx.covered:
            i = ctx.covered[i] + 1
            skipped += 1
            continue
        if i in ctx.title_next:
            i = ctx.title_next[i]
            skipped += 1
            continue
        word = tokens[i][2]
        if res.lang == "ar":
            if not _is_word(word):
                return None
            if _ar_reading(word, res.stops_verbs) or word.isdigit():
                return None
            qualifier = _AR_DEFINITE.match(word) or _ar_reading(word, res.complements)
            if i in ctx.adjectives or qualifier:
                i += 1
                skipped += 1
                continue
            return i
        # English: "the spokesman, Maj. Gen. Thomas Whitfield": one comma may sit in between.
        if word == "," and comma_allowed and i + 1 < len(tokens):
            comma_allowed = False
            i += 1
            continue
        return i if _capitalised(word, res) and _is_word(word) else None
    return None


def _name_end(ctx: _Context, i: int) -> int:
    """The last token of the name that starts at token i."""
    res, tokens = ctx.res, ctx.tokens
    n, last, words = len(tokens), i, 1
    j = i + 1
    if res.lang == "ar":
        while j < n and words < 3:
            word = tokens[j][2]
            if not _is_word(word) or word.isdigit() or j in ctx.title_next:
                break
            if j in ctx.covered and j not in ctx.adjectives:
                break
            if _ar_reading(word, res.stops_verbs):
                break
            if _AR_DEFINITE.match(word) and not (word.endswith("ي") or word in res.name_parts):
                break
            last, words, j = j, words + 1, j + 1
        return last
    while j < n and words < 4:
        word = tokens[j][2]
        glued = tokens[j][0] == tokens[j - 1][1]
        if word == "-" and glued and j + 1 < n and tokens[j + 1][0] == tokens[j][1]:
            j += 1  # al-Sudani, Abdul-Mahdi
            continue
        if word in res.particles and j + 1 < n:
            j += 1
            continue
        if not (_capitalised(word, res) and _is_word(word)) or j in ctx.covered:
            break
        if j in ctx.title_next:
            break
        last, words, j = j, words + 1, j + 1
    return last


def _titled_people(ctx: _Context) -> list[_Span]:
    out: list[_Span] = []
    seen: set[int] = set()
    for _first, after in _title_starts(ctx):
        start = _name_start(ctx, after)
        if start is None or start in seen or start in ctx.covered:
            continue
        seen.add(start)
        end = _name_end(ctx, start)
        out.append(_Span(ctx.tokens[start][0], ctx.tokens[end][1], PERSON, None, _TITLED))
    return out


def _apposed_people(ctx: _Context) -> list[_Span]:
    """English names in apposition ("Elnur Mammadli, a foreign policy adviser") or after "said"."""
    res = ctx.res
    out: list[_Span] = []
    for pattern in (res.apposition, res.said_name):
        if pattern is None:
            continue
        for m in pattern.finditer(ctx.folded.text):
            first = _token_at(ctx, m.start("name"))
            last = _token_at(ctx, m.end("name") - 1)
            while first < last and ctx.tokens[first][2] in res.stops:
                first += 1
            words = [t for t in ctx.tokens[first : last + 1] if _is_word(t[2])]
            if len(words) < 2 or any(w[2] in res.stops for w in words):
                continue
            if any(k in ctx.covered or k in ctx.title_next for k in range(first, last + 1)):
                continue
            out.append(_Span(ctx.tokens[first][0], ctx.tokens[last][1], PERSON, None, _APPOSED))
    return out


def _surname_mentions(ctx: _Context, people: list[_Span]) -> list[_Span]:
    """Later mentions of a person by full name or surname alone, canonical = the full name."""
    res, text = ctx.res, ctx.folded.text
    canonical_of: dict[str, str] = {}
    for span in people:
        written = text[span.start : span.end]
        canonical = span.canonical or _original(ctx.folded, span.start, span.end)
        canonical_of.setdefault(written, canonical)
        parts = written.split()
        if len(parts) > 1 and len(parts[-1]) > 2 and parts[-1] not in res.stops:
            canonical_of.setdefault(parts[-1], canonical)
    out = []
    for key, canonical in sorted(canonical_of.items(), key=lambda kv: -len(kv[0])):
        # str.find runs at C speed; each hit is checked for word edges and Arabic prefixes.
        at = text.find(key)
        while at != -1:
            end = at + len(key)
            head = _word_head(text, at)
            clean_end = end == len(text) or not (text[end].isalnum() or text[end] in "_-")
            if clean_end and (head == at or _is_prefix(text[head:at], res.lang)):
                out.append(_Span(at, end, PERSON, canonical, _SURNAME))
            at = text.find(key, end)
    return out


def _word_head(text: str, at: int) -> int:
    """Where the word that contains offset `at` begins."""
    while at > 0 and (text[at - 1].isalnum() or text[at - 1] in "_-"):
        at -= 1
    return at


def _is_prefix(glued: str, lang: str) -> bool:
    """Whether `glued` is a run of Arabic one-letter prefixes (و، ف، ب، ل، ك) before a name."""
    return lang == "ar" and len(glued) <= 2 and _AR_PREFIX.fullmatch(glued) is not None


def _original(folded: Folded, start: int, end: int) -> str:
    s, e = folded.span(start, end)
    return folded.original[s:e]


def _resolve(spans: list[_Span], size: int) -> list[_Span]:
    """Keep the strongest of overlapping spans: priority first, then length."""
    kept: list[_Span] = []
    taken = bytearray(size + 1)
    for span in sorted(spans, key=lambda s: (-s.priority, s.start - s.end, s.start)):
        if taken.find(1, span.start, span.end) != -1:
            continue
        kept.append(span)
        taken[span.start : span.end] = b"\x01" * (span.end - span.start)
    return sorted(kept, key=lambda s: s.start)


@lru_cache(maxsize=32)
def fold_once(text: str) -> Folded:
    """`fold(text, lower=False)`, cached: entities and quotes of one text share one folding."""
    return fold(text, lower=False)


@lru_cache(maxsize=32)
def _extract(text: str, lang: str) -> tuple[Entity, ...]:
    res = _resources("ar" if lang == "ar" else "en")
    folded = fold_once(text)
    tokens = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(folded.text)]
    ctx = _Context(folded, res, tokens, [t[0] for t in tokens])
    spans = _gazetteer_spans(ctx) + _actor_spans(ctx)
    spans += _pattern_spans(ctx)
    people = _titled_people(ctx) + _apposed_people(ctx)
    # A person named with a title keeps that name as canonical for every later mention.
    named = _resolve(spans + people, len(folded.text))
    people = [s for s in named if s.kind == PERSON]
    spans = named + _surname_mentions(ctx, people)
    out = []
    for span in _resolve(spans, len(folded.text)):
        start, end = folded.span(span.start, span.end)
        canonical = span.canonical
        if span.kind == PERSON and canonical is None:
            canonical = text[start:end]
        out.append(Entity(span.kind, text[start:end], start, end, canonical))
    return tuple(out)


def extract_entities(text: str, lang: str) -> list[Entity]:
    """People, organisations and places named in `text` ("ar" or "en"), in order of appearance.

    `text` of each entity is as written (without a glued و/ب/ل prefix); `canonical` is the full
    name for people, the ISO alpha-3 code for countries and armed-group codes from the actors
    lexicon, the lexicon's name for other gazetteer entries, and None when unknown.
    """
    if not text:
        return []
    return list(_extract(text, lang))
