"""Number words read into values: a run of tokens (digits, units, tens, hundreds, scale words,
their Arabic duals and plurals) becomes one or more numbers, "two thousand five hundred" and
"ألفين وخمسمائة" alike. `numbers` cuts the text into tokens; this module reads them."""

from __future__ import annotations

import math
from dataclasses import dataclass

# Token kinds. A run of adjacent tokens is read into one or more numbers by `read_run`.
NUM = "num"  # digits
UNIT = "unit"  # 1-9
TEN = "ten"  # Arabic عشر/عشرة: 10 alone, +10 after a unit
TEEN = "teen"  # English 10-19, or an Arabic unit + عشر
ONE_TEEN = "one_teen"  # Arabic أحد/إحدى: only inside 11
TENS = "tens"  # 20-90
HUNDRED = "hundred"  # 100, multiplies a unit before it
HUNDREDS = "hundreds"  # Arabic 200-900 in one word
SCALE = "scale"  # thousand, million, billion (singular)
DUAL = "dual"  # Arabic dual of a scale: two of it
ACC = "acc"  # Arabic accusative of a scale: times the number before, else dual
PLURAL = "plural"  # Arabic plural of a scale: times the number before, else vague
DOZEN = "dozen"
ARTICLE = "article"  # English a/an before a scale word
VAGUE = "vague"
VMOD = "vmod"  # several, a few, بضعة
HALF = "half"  # Arabic ونصف after a scale
HALF_REPEAT = "half_repeat"  # the scale repeated after ونصف (المليون)

_STARTS_GROUP = frozenset({NUM, UNIT, TEN, TEEN, TENS, HUNDRED, HUNDREDS, DOZEN, ARTICLE})


@dataclass(slots=True)
class Token:
    kind: str
    value: float
    start: int
    end: int
    join: str  # how it joins the token before: space, hyphen, and, of, wa, break
    alt: float | None = None  # "1.500": 1500 alone, 1.5 before a scale word


@dataclass(slots=True)
class Reading:
    """A number being read, token by token."""

    start: int
    end: int
    last: str
    total: float = 0.0
    group: float = 0.0
    min_scale: float = math.inf
    scale: float = 1.0
    last_scale: float = 0.0
    vague: bool = False
    valid: bool = True
    alt: float | None = None


def _begin(tok: Token) -> Reading | None:
    r = Reading(start=tok.start, end=tok.end, last=tok.kind)
    k, v = tok.kind, tok.value
    if k == NUM:
        r.group, r.alt = v, tok.alt
    elif k in (UNIT, TEN, TEEN, TENS, HUNDREDS, HUNDRED, DOZEN):
        r.group = v
    elif k in (ONE_TEEN, ARTICLE):
        r.group, r.valid = v, False
    elif k in (SCALE, DUAL, ACC):
        r.total = v if k == SCALE else 2 * v
        r.min_scale = r.scale = r.last_scale = v
        r.last = SCALE
    elif k in (PLURAL, VAGUE, VMOD):
        r.vague = True
    else:
        return None
    return r


# One branch per kind of token, each with the grammar of what may come before it.
def _extend(r: Reading, tok: Token, lang: str) -> bool:  # noqa: PLR0911, PLR0912, PLR0915
    """Add `tok` to the number being read; False when it starts another number."""
    j, k, v, last = tok.join, tok.kind, tok.value, r.last
    if j == "break":
        return False
    if r.vague:
        if (k in (VAGUE, PLURAL) and j in ("space", "of")) or (
            k in (SCALE, HUNDRED, DOZEN) and j in ("space", "of")
        ):
            r.end, r.last = tok.end, k
            return True
        return False
    if j == "of":
        return False
    if k in (SCALE, ACC, PLURAL):
        if j == "space" and last in _STARTS_GROUP and v < r.min_scale:
            group = r.alt if (last == NUM and r.alt is not None) else r.group
            r.total += group * v
            r.group, r.min_scale, r.last_scale, r.last = 0.0, v, v, SCALE
            r.scale = max(r.scale, v)
        else:
            return False
    elif k == NUM:
        if not (j == "wa" and last == SCALE and v < r.min_scale):
            return False
        r.group, r.alt = v, None
    elif k == HUNDRED:
        if j in ("space", "hyphen") and last in (UNIT, ARTICLE, NUM) and r.group < 10:
            r.group *= 100
        elif j in ("wa", "and") and last == SCALE:
            r.group = 100
        else:
            return False
    elif k == HUNDREDS:
        if not (j == "wa" and last == SCALE and v < r.min_scale):
            return False
        r.group = v
    elif k == TEN:
        if j == "space" and last in (UNIT, ONE_TEEN) and 0 < r.group % 100 < 10:
            r.group += 10
            k = TEEN
        elif j == "wa" and last in (SCALE, HUNDRED, HUNDREDS):
            r.group += 10
        else:
            return False
    elif k == ONE_TEEN:
        if not (j == "wa" and last in (SCALE, HUNDRED, HUNDREDS)):
            return False
        r.group += v
        r.valid = False
    elif k == UNIT:
        if lang == "en":
            ok = (j in ("space", "hyphen") and last == TENS) or (
                j in ("space", "and") and last in (HUNDRED, SCALE)
            )
        else:
            ok = j == "wa" and last in (SCALE, HUNDRED, HUNDREDS)
        if not ok:
            return False
        r.group += v
    elif k in (TEEN, TENS):
        if lang == "en":
            ok = j in ("space", "and") and last in (HUNDRED, SCALE)
        else:
            ok = j == "wa" and (last in (SCALE, HUNDRED, HUNDREDS) or (last == UNIT and k == TENS))
        if not ok:
            return False
        r.group += v
    elif k == DOZEN:
        if not (j == "space" and last in (UNIT, ARTICLE, NUM)):
            return False
        r.group *= 12
    elif k == HALF:
        if not (j == "wa" and last == SCALE):
            return False
        r.total += r.last_scale / 2
    elif k == HALF_REPEAT:
        if not (j == "space" and last == HALF):
            return False
    else:
        return False
    if k in (SCALE, ACC, PLURAL):
        k = SCALE
    r.last, r.end = k, tok.end
    if k != ONE_TEEN:
        r.valid = True
    if k != NUM:
        r.alt = None
    return True


def read_run(tokens: list[Token], lang: str) -> list[tuple[Reading, float | None]]:
    out: list[tuple[Reading, float | None]] = []
    current: Reading | None = None

    def flush() -> None:
        if current is None:
            return
        if current.vague:
            out.append((current, None))
        elif current.valid and current.last not in (ARTICLE, ONE_TEEN):
            out.append((current, current.total + current.group))

    for i, tok in enumerate(tokens):
        if (
            current is not None
            and not _own_scale(tokens, i, current)
            and _extend(current, tok, lang)
        ):
            continue
        flush()
        current = _begin(tok)
    flush()
    return out


def _own_scale(tokens: list[Token], i: int, current: Reading) -> bool:
    """ "100 ألف و120 ألف": digits after "and" that take a scale word as large as the one before
    start a new number (the high end of a range); "مليونان و500 ألف" is still one number."""
    tok = tokens[i]
    if tok.kind != NUM or tok.join not in ("wa", "and") or i + 1 >= len(tokens):
        return False
    nxt = tokens[i + 1]
    return (
        nxt.join == "space" and nxt.kind in (SCALE, ACC, PLURAL) and nxt.value >= current.min_scale
    )
