"""Body-extraction score: 4-token shingles over `\\w+` tokens, as the article benchmark defines."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

_TOKEN = re.compile(r"\w+")


def tokens(text: str) -> list[str]:
    """Runs of Unicode word characters, case kept."""
    return _TOKEN.findall(text or "")


def shingles(text: str, size: int = 4) -> Counter[tuple[str, ...]]:
    """The bag of `size`-token windows; a shorter non-empty text is one short shingle."""
    toks = tokens(text)
    if not toks:
        return Counter()
    if len(toks) < size:
        return Counter([tuple(toks)])
    return Counter(tuple(toks[i : i + size]) for i in range(len(toks) - size + 1))


@dataclass(frozen=True, slots=True)
class PageScore:
    """Per-page shares of true positives, false positives and false negatives."""

    tp: float
    fp: float
    fn: float
    exact: bool

    @property
    def precision(self) -> float | None:
        if self.tp + self.fp == 0:
            return None
        return self.tp / (self.tp + self.fp)

    @property
    def recall(self) -> float | None:
        if self.tp + self.fn == 0:
            return None
        return self.tp / (self.tp + self.fn)

    @property
    def f1(self) -> float:
        p, r = self.precision or 0.0, self.recall or 0.0
        return 2 * p * r / (p + r) if p + r else 0.0


def score_page(predicted: str, expected: str) -> PageScore:
    """Compare one predicted body with its gold body."""
    pred, gold = shingles(predicted), shingles(expected)
    tp = sum((pred & gold).values())
    fp = sum(pred.values()) - tp
    fn = sum(gold.values()) - tp
    total = tp + fp + fn
    exact = tokens(predicted) == tokens(expected)
    if total == 0:
        return PageScore(0.0, 0.0, 0.0, exact)
    return PageScore(tp / total, fp / total, fn / total, exact)


@dataclass(frozen=True, slots=True)
class Summary:
    """Mean precision and recall over pages, F1 of the means, share of exact pages."""

    precision: float
    recall: float
    f1: float
    accuracy: float
    pages: int


def summarize(scores: list[PageScore]) -> Summary:
    """Average per-page scores the way the benchmark does (F1 of the means)."""
    precisions = [s.precision for s in scores if s.precision is not None]
    # The benchmark counts an all-zero page as precision 1: no shingle on either side.
    precisions += [1.0 for s in scores if s.tp + s.fp + s.fn == 0]
    recalls = [s.recall for s in scores if s.recall is not None]
    recalls += [1.0 for s in scores if s.tp + s.fp + s.fn == 0]
    p = sum(precisions) / len(precisions) if precisions else 0.0
    r = sum(recalls) / len(recalls) if recalls else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    acc = sum(s.exact for s in scores) / len(scores) if scores else 0.0
    return Summary(p, r, f1, acc, len(scores))
