"""Extract stage, numbers: digits, number words, ranges and vague quantities in Arabic and English.

`find_quantities(text, lang)` lists every number expression with offsets in the original text;
`parse_number(text, lang)` reads one whole expression. Vague quantities ("thousands of", عشرات
الآلاف) are reported with `vague=True` and no value: they are never counts. The vocabulary lives in
lexicon/numbers_<lang>.yaml.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from newsfacts import lexicon
from newsfacts.extract.number_words import (
    ACC,
    ARTICLE,
    DOZEN,
    DUAL,
    HALF,
    HALF_REPEAT,
    HUNDRED,
    HUNDREDS,
    NUM,
    ONE_TEEN,
    PLURAL,
    SCALE,
    TEEN,
    TEN,
    TENS,
    UNIT,
    VAGUE,
    VMOD,
    Token,
    read_run,
)
from newsfacts.text.normalize import Folded, fold
from newsfacts.text.patterns import alternation

# The first digit is consumed before the look-behinds so the scan runs at C speed.
_DIGITS = (
    r"(?P<num>\d(?<![\d.,]\d)(?<![A-Za-z]\d)(?<![A-Za-z]-\d)"
    r"(?:\d{0,2}(?:[ ]\d{3})+(?![\d.,]?\d)|\d*(?:[.,]\d+)*))"
    r"(?![A-Za-z\d])"
)
_DIGITS_RE = re.compile(_DIGITS)
_DIGIT = re.compile(r"\d")
_WORD = re.compile(r"\w+")
# Separators as written in the original text, before folding: ٬ groups thousands, ٫ is a
# decimal point, the Arabic comma ، never belongs inside a number.
_ARABIC_THOUSANDS = "\u066c"
_ARABIC_DECIMAL = "\u066b"
_ARABIC_COMMA = "\u060c"
_SEPARATORS = re.compile("([.,\u066b\u066c ])")
_ASCII_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹\u00a0\u202f\u2009", "01234567890123456789   ")
_DIGIT_STRING = re.compile("[0-9.,\u066b\u066c\u060c ]+")


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number expression: a value, a range (value..value_high), or vague (no value)."""

    value: int | None
    value_high: int | None
    vague: bool
    char_start: int
    char_end: int
    text: str


@dataclass(frozen=True, slots=True)
class NumberSpan:
    """A number expression found in folded text; offsets are in `Folded.text`.

    `parts` holds the span of each end of a range (one span for a single number); `opener` says
    whether a range began with "between"/بين, which `start` then includes.
    """

    value: float | None
    value_high: float | None
    vague: bool
    start: int
    end: int
    parts: tuple[tuple[int, int], ...]
    opener: bool = False
    scale: float = 1.0  # the largest scale word read (1 when none): "2 to 3 million"


@dataclass(frozen=True, slots=True)
class _Lexicon:
    lang: str
    surfaces: dict[str, tuple[str, float, int]]  # word as written -> kind, value, prefix length
    counted: frozenset[str]  # every written form of a number word proper, prefixes included
    prefixes: frozenset[str]
    joining_prefix: str
    scale_words: frozenset[str]
    words: re.Pattern[str]  # any written form of a number word, on lower-cased text
    counted_words: re.Pattern[str]  # the same, number words proper only
    gap_space: re.Pattern[str]
    gap_hyphen: re.Pattern[str]
    gap_and: re.Pattern[str]
    gap_of: re.Pattern[str]
    range_link: re.Pattern[str]
    range_opener_link: re.Pattern[str]
    range_opener: re.Pattern[str]


def _key(word: str) -> str:
    """A lexicon word as it appears in folded, lower-cased text."""
    return fold(word).text


@cache
def _lexicon(lang: str) -> _Lexicon:
    data = lexicon.load(f"numbers_{lang}")
    words: dict[str, tuple[str, float]] = {}

    def add(kind: str, items: dict[str, float] | list[str], value: float = 0.0) -> None:
        if isinstance(items, dict):
            for word, val in items.items():
                words[_key(word)] = (kind, float(val))
        else:
            for word in items:
                words[_key(word)] = (kind, value)

    add(UNIT, data["units"])
    add(TENS, data["tens"])
    add(HUNDRED, data["hundred"], 100.0)
    add(VAGUE, data["vague"])
    if lang == "ar":
        add(TEN, data["ten"], 10.0)
        add(ONE_TEEN, data["teen_one"], 1.0)
        add(HUNDREDS, data["hundreds"])
        for scale in data["scales"]:
            value = float(scale["value"])
            add(SCALE, scale["singular"], value)
            add(DUAL, scale["dual"], value)
            add(ACC, scale["accusative"], value)
            add(PLURAL, scale["plural"], value)
        add(HALF, data["half"], 0.5)
        add(HALF_REPEAT, data["half_scale_repeats"])
        add(VMOD, data["vague_modifiers"])
    else:
        add(TEEN, data["teens"])
        add(SCALE, data["scales"])
        add(DOZEN, data["dozen"], 12.0)
    counted = frozenset(words)  # number words proper (not "a", not "several")
    if lang == "en":
        for word in data["articles"]:
            words[_key(word)] = (ARTICLE, 1.0)
        for word in data["vague_modifiers"]:
            words[_key(word)] = (VMOD, 0.0)
    surfaces: dict[str, tuple[str, float, int]] = {}
    if lang == "ar":
        blocked = frozenset(_key(w) for w in data.get("no_prefix", []))
        for pre in sorted({_key(p) for p in data["prefixes"]}, key=len):
            for word, (kind, value) in words.items():
                if word not in blocked:
                    surfaces.setdefault(pre + word, (kind, value, len(pre)))
    # A word that is itself a number word (واحد) is never a prefix plus another one (و + احد).
    surfaces.update({word: (kind, value, 0) for word, (kind, value) in words.items()})
    scale_words = frozenset(
        w for w, (k, _) in words.items() if k in (HUNDRED, SCALE, DUAL, ACC, PLURAL, DOZEN, VAGUE)
    )
    ranges = data["ranges"]
    joiners = alternation(data.get("joiners") or [])
    links = alternation(data.get("vague_links") or [])
    counted_surfaces = frozenset(w for w, (_, _, n) in surfaces.items() if w[n:] in counted)
    return _Lexicon(
        lang=lang,
        surfaces=surfaces,
        counted=counted_surfaces,
        prefixes=frozenset(_key(p) for p in data.get("prefixes", [])),
        scale_words=scale_words,
        words=re.compile(rf"(?<!\w)(?:{alternation(surfaces)})(?!\w)"),
        counted_words=re.compile(rf"(?<!\w)(?:{alternation(counted_surfaces)})(?!\w)"),
        gap_space=re.compile(r"\s+"),
        gap_hyphen=re.compile(r"\s*-\s*"),
        joining_prefix=_key(data["joining_prefix"]) if data["joining_prefix"] else "",
        gap_and=re.compile(
            rf"\s+(?:{joiners})\s+"
            if lang == "en"
            else r"\s+" + re.escape(_key(data["joining_prefix"])) + r"\s*",
            re.IGNORECASE,
        ),
        gap_of=re.compile(rf"\s+(?:{links})\s+", re.IGNORECASE),
        range_link=re.compile(
            rf"\s*(?:{alternation([_key(w) for w in ranges['links']])})\s*", re.IGNORECASE
        ),
        range_opener_link=re.compile(
            rf"\s*(?:{alternation([_key(w) for w in ranges['opener_links']])})\s*",
            re.IGNORECASE,
        ),
        range_opener=re.compile(
            rf"(?<!\w)(?P<op>{alternation([_key(w) for w in ranges['openers']])})\s+$",
            re.IGNORECASE,
        ),
    )


def may_have_number(folded_chars: str, lang: str) -> bool:
    """A quick test: does this text (folded by `fold` or `fold_chars`) hold a digit or a number
    word?"""
    if _DIGIT.search(folded_chars):
        return True
    lex = _lexicon("ar" if lang == "ar" else "en")
    low = folded_chars.lower()
    if len(low) != len(folded_chars):
        return not lex.counted.isdisjoint(_WORD.findall(low))
    return lex.counted_words.search(low) is not None


# One return per way a number can be written reads better than a table of flags.
def _digits_value(raw: str) -> tuple[float, float | None, int]:  # noqa: PLR0911
    """Read a digit string as written: (value, value if the dot were decimal, chars used).

    `1,500` and `1.500` and `1٬500` and `2 500` group thousands; `1,5`, `2.5` and `1٫5` are
    decimals. A dot before exactly three digits reads as grouping, but as a decimal before a
    scale word ("1.500 مليون"), which the caller decides with the second value.
    """
    used = len(raw)
    cut = raw.find(_ARABIC_COMMA)
    if cut > 0:
        raw, used = raw[:cut], cut
    pieces = _SEPARATORS.split(raw)
    nums, seps = pieces[0::2], pieces[1::2]
    lead = nums[0]
    if not seps:
        return float(lead), None, used
    grouped = len(lead) <= 3 and all(len(n) == 3 for n in nums[1:])
    kinds = set(seps)
    if kinds in ({" "}, {_ARABIC_THOUSANDS}):
        if grouped:
            return float("".join(nums)), None, used
        return float(lead), None, len(lead)
    if kinds == {_ARABIC_DECIMAL} or (len(seps) == 1 and not grouped):
        if len(seps) == 1:
            return float(f"{lead}.{nums[1]}"), None, used
        return float(lead), None, len(lead)
    if len(kinds) == 1:
        if grouped:
            alt = float(f"{lead}.{nums[1]}") if len(seps) == 1 and seps[0] == "." else None
            return float("".join(nums)), alt, used
        return float(lead), None, len(lead)
    # Two kinds of separator: the last one is the decimal point ("1,500.5", "1.500,5").
    decimal = seps[-1]
    if decimal not in seps[:-1] and len(set(seps[:-1])) == 1:
        head = nums[:-1]
        if len(head[0]) <= 3 and all(len(n) == 3 for n in head[1:]):
            return float(f"{''.join(head)}.{nums[-1]}"), None, used
    return float(lead), None, len(lead)


def _tokens(folded: Folded, lex: _Lexicon) -> list[Token]:
    text = folded.text
    found: list[tuple[int, int, str, float, int, float | None]] = []
    for m in _DIGITS_RE.finditer(text):
        start, end = m.span()
        raw = folded.original[folded.index[start] : folded.index[end - 1] + 1]
        if raw.isascii() and raw.isdigit():  # the common case: no separator, ASCII digits
            found.append((start, end, NUM, float(raw), start, None))
            continue
        raw = raw.translate(_ASCII_DIGITS)
        if len(raw) != end - start or not _DIGIT_STRING.fullmatch(raw):
            raw = text[start:end]
        value, alt, used = _digits_value(raw)
        found.append((start, start + used, NUM, value, start, alt))
    # Only the number words are looked at (one pass of a prefix tree), not every word.
    low = text.lower()
    pattern = lex.words
    if len(low) != len(text):
        low, pattern = text, re.compile(lex.words.pattern, re.IGNORECASE)
    for m in pattern.finditer(low):
        entry = lex.surfaces.get(m.group().lower())
        if entry is None:
            continue
        start, end = m.span()
        kind, value, plen = entry
        if kind in (ARTICLE, VMOD):
            # "a thousand", "several hundred", "a couple of hundred": only before a scale word.
            ahead = [
                w.group().lower() for _, w in zip(range(2), _WORD.finditer(low, end), strict=False)
            ]
            ahead = [w for w in ahead if w != "of"][:1]
            if not ahead or ahead[0] not in lex.scale_words:
                continue
        found.append((start, end, kind, value, start + plen, None))
    found.sort()
    tokens: list[Token] = []
    prev_end = -1
    for start, end, kind, value, word_start, alt in found:
        if start < prev_end:
            continue
        join = _join(text, prev_end, (start, word_start), kind, lex)
        tokens.append(Token(kind, value, word_start, end, join, alt))
        prev_end = end
    return tokens


def _join(text: str, prev_end: int, span: tuple[int, int], kind: str, lex: _Lexicon) -> str:
    """How a token attaches to the token before it (or "break" when it starts a new run).

    `span` is where the token starts and where its word starts (after an Arabic prefix).
    """
    if prev_end < 0:
        return "break"
    start, word_start = span
    gap = text[prev_end:start]
    if lex.lang == "ar":
        if word_start > start:
            # A one-letter prefix: و joins, ب/ل/ف start a new expression.
            wa = text[start:word_start] == lex.joining_prefix and lex.gap_space.fullmatch(gap)
            return "wa" if wa else "break"
        if lex.gap_and.fullmatch(gap):
            return "wa"
        return "space" if lex.gap_space.fullmatch(gap) else "break"
    for join, pattern in (
        ("space", lex.gap_space),
        ("hyphen", lex.gap_hyphen),
        ("and", lex.gap_and),
        ("of", lex.gap_of),
    ):
        if pattern.fullmatch(gap):
            # "2,000-3,000" is a range, not one number: digits never join by a hyphen.
            return "break" if join == "hyphen" and kind == NUM else join
    return "break"


def scan_folded(folded: Folded, lang: str) -> list[NumberSpan]:
    """Every number expression in `folded.text`, in order, with ranges joined."""
    lex = _lexicon("ar" if lang == "ar" else "en")
    text = folded.text
    singles = [
        NumberSpan(value, None, r.vague, r.start, r.end, ((r.start, r.end),), scale=r.scale)
        for r, value in read_run(_tokens(folded, lex), lex.lang)
    ]
    out: list[NumberSpan] = []
    i = 0
    while i < len(singles):
        a = singles[i]
        if i + 1 < len(singles) and a.value is not None and singles[i + 1].value is not None:
            b = singles[i + 1]
            joined = _range(text, a, b, lex)
            if joined is not None:
                out.append(joined)
                i += 2
                continue
        out.append(a)
        i += 1
    return out


def _range(text: str, a: NumberSpan, b: NumberSpan, lex: _Lexicon) -> NumberSpan | None:
    gap = text[a.end : b.start]
    start, opener = a.start, False
    if not lex.range_link.fullmatch(gap):
        if not lex.range_opener_link.fullmatch(gap):
            return None
        m = lex.range_opener.search(text, max(0, a.start - 16), a.start)
        if m is None:
            return None
        start, opener = m.start("op"), True
    low, high = a.value or 0.0, b.value or 0.0
    # "between 2 and 3 million": the scale of the high end carries to the low end.
    if b.scale > 1 and a.scale == 1 and low * b.scale <= high:
        low *= b.scale
    if not low < high:
        return None
    return NumberSpan(low, high, False, start, b.end, (a.parts[0], b.parts[0]), opener)


def _as_int(value: float | None) -> int | None:
    if value is None or value != int(value):
        return None
    return int(value)


def find_quantities(text: str, lang: str) -> list[Quantity]:
    """Every number expression in `text` with offsets into it.

    Whole numbers only: a decimal with no scale word ("2.5 percent") is left out, "2.5 million"
    is kept. Ranges carry `value_high`; vague quantities carry `vague=True` and no value.
    """
    folded = fold(text)
    out: list[Quantity] = []
    for span in scan_folded(folded, lang):
        value, high = _as_int(span.value), _as_int(span.value_high)
        if not span.vague and (value is None or (span.value_high is not None and high is None)):
            continue
        start, end = folded.span(span.start, span.end)
        out.append(Quantity(value, high, span.vague, start, end, text[start:end]))
    return out


def parse_number(text: str, lang: str) -> int | float | None:
    """Read `text` as one whole number expression; None when it is not exactly one number.

    Vague quantities and ranges give None. Whole values come back as int, others as float.
    """
    folded = fold(text)
    spans = scan_folded(folded, lang)
    stripped = folded.text.strip()
    lead = len(folded.text) - len(folded.text.lstrip())
    if len(spans) != 1:
        return None
    span = spans[0]
    if span.vague or span.value is None or span.value_high is not None:
        return None
    head = folded.text[lead : span.start]
    if (head and head not in _lexicon("ar" if lang == "ar" else "en").prefixes) or (
        span.end != lead + len(stripped)
    ):
        return None
    whole = _as_int(span.value)
    return whole if whole is not None else span.value
