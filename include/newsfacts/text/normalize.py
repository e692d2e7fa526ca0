"""The one Arabic/English text normalizer: folds spelling variants for matching, keeps offsets."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

# One-to-one folds keep string length, so offsets in the folded text are offsets in the original.
_FOLD = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ى": "ي",
        "ئ": "ي",
        "ؤ": "و",
        "ة": "ه",
        "ک": "ك",
        "ی": "ي",
        "٠": "0",
        "١": "1",
        "٢": "2",
        "٣": "3",
        "٤": "4",
        "٥": "5",
        "٦": "6",
        "٧": "7",
        "٨": "8",
        "٩": "9",
        "۰": "0",
        "۱": "1",
        "۲": "2",
        "۳": "3",
        "۴": "4",
        "۵": "5",
        "۶": "6",
        "۷": "7",
        "۸": "8",
        "۹": "9",
        "٬": ",",
        "٫": ".",
        "،": ",",
        "؛": ";",
        "؟": "?",
        "\u00a0": " ",
        "\u202f": " ",
        "\u2009": " ",
        "“": '"',
        "”": '"',
        "«": '"',
        "»": '"',
        "’": "'",
        "‘": "'",
        "–": "-",
        "—": "-",
    }
)

# Characters dropped for matching: harakat, tatweel, bidi marks, zero-width joiners.
_DROP_RUN = re.compile("[\u064b-\u065f\u0670\u0640\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]+")


@dataclass(frozen=True, slots=True)
class Folded:
    """Text folded for matching, with a map from each folded index back to the original."""

    text: str
    original: str
    index: tuple[int, ...]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Map a [start, end) span of the folded text to the original text."""
        if start >= len(self.index):
            return len(self.original), len(self.original)
        orig_start = self.index[start]
        orig_end = self.index[end - 1] + 1 if end > start else orig_start
        return orig_start, orig_end


def fold_chars(text: str) -> str:
    """Fold letter variants, digits and punctuation one-to-one (length is kept)."""
    return text.translate(_FOLD)


@lru_cache(maxsize=64)
def fold(text: str, *, lower: bool = True) -> Folded:
    """Fold `text` for matching: variants unified, diacritics and tatweel dropped, digits ASCII.

    Use `Folded.span` to turn a match in the folded text into offsets in `text`. Cached: the
    extractors of one article all fold the same text.
    """
    translated = fold_chars(text)
    if lower:
        translated = translated.lower()
    # str.lower() keeps length for the scripts news uses here (Latin, Arabic).
    if len(translated) != len(text):
        translated = fold_chars(text)
    # Keep the runs between dropped characters; most texts have few runs, so this is fast.
    pieces: list[str] = []
    index: list[int] = []
    start = 0
    for match in _DROP_RUN.finditer(translated):
        pieces.append(translated[start : match.start()])
        index.extend(range(start, match.start()))
        start = match.end()
    pieces.append(translated[start:])
    index.extend(range(start, len(translated)))
    return Folded(text="".join(pieces), original=text, index=tuple(index))


def to_ascii_digits(text: str) -> str:
    """Arabic-Indic and Persian digits, and their separators, to ASCII."""
    return fold_chars(text)
