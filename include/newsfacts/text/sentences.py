"""Sentences of a news text: split on . ! ? ؟ and line breaks, not after abbreviations."""

from __future__ import annotations

import re
from collections.abc import Collection

# Written to open on a character class, which the regex engine skips to quickly.
_SENTENCE_END = re.compile(r"[.!?؟\n](?:(?<=\n)|[.!?؟]*(?=[\s\"'”»)\]]|$))")
_INITIALS = re.compile(r"(?:[A-Za-z]\.)*[A-Za-z]")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)$")


def sentence_spans(text: str, abbreviations: Collection[str]) -> list[tuple[int, int]]:
    """Spans of sentences: split on . ! ? ؟ and newlines, not after abbreviations or initials."""
    out: list[tuple[int, int]] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        mark = m.group()
        if mark[0] == ".":
            before = text[m.start() - 1 : m.start()]
            if before.isascii() and before.isalpha():
                word = _WORD_BEFORE.search(text, max(0, m.start() - 12), m.start())
                if word and (word.group(1) in abbreviations or _INITIALS.fullmatch(word.group(1))):
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
