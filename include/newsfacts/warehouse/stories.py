"""Story grouping: near-duplicate articles (syndicated wire copy) share a story (MinHash LSH)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from datasketch import MinHash, MinHashLSH

from newsfacts.text.normalize import fold

NUM_PERM = 64
SHINGLE_WORDS = 5
# Estimated Jaccard similarity of word 5-shingles above which two bodies are one story.
THRESHOLD = 0.5
# Stored signatures are only comparable under the scheme and seed they were made with.
SCHEME = "affine32"
SEED = 1
_WORD = re.compile(r"\w+")


@cache
def _permutations() -> Any:
    """The scheme's permutations for SEED, drawn once: drawing them is most of a MinHash's cost
    (each load rebuilds one per known article)."""
    return MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME).permutations


def _minhash(values: list[int] | None = None) -> MinHash:
    return MinHash(
        num_perm=NUM_PERM,
        seed=SEED,
        scheme=SCHEME,
        hashvalues=values,
        permutations=_permutations(),
    )


def signature(body: str) -> list[int]:
    """MinHash signature of a body's word shingles, spelling variants folded."""
    words = _WORD.findall(fold(body).text)
    shingles = {
        " ".join(words[i : i + SHINGLE_WORDS])
        for i in range(max(1, len(words) - SHINGLE_WORDS + 1))
    }
    minhash = _minhash()
    minhash.update_batch([s.encode("utf-8") for s in shingles])
    return [int(v) for v in minhash.hashvalues]


@dataclass(frozen=True, slots=True)
class Known:
    """An article already grouped: its story and what decides which story an article joins."""

    article_id: str
    story_id: str
    published: str
    minhash: list[int]


def assign_stories(new: list[Known], existing: list[Known]) -> dict[str, str]:
    """Story id of each new article (its `story_id` field is ignored).

    A new article joins the story of its earliest-published near duplicate, else starts its own
    (story id = its article id). New articles are taken in publication order, so the result
    does not depend on the order they arrive in.
    """
    lsh = MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM)
    by_id: dict[str, Known] = {}

    def add(item: Known) -> None:
        if item.article_id not in by_id:
            lsh.insert(item.article_id, _minhash(item.minhash))
            by_id[item.article_id] = item

    for item in existing:
        add(item)
    assigned: dict[str, str] = {}
    for item in sorted(new, key=lambda k: (k.published or "", k.article_id)):
        matches = [by_id[m] for m in lsh.query(_minhash(item.minhash)) if m != item.article_id]
        if matches:
            first = min(matches, key=lambda k: (k.published or "", k.article_id))
            story = first.story_id
        else:
            story = item.article_id
        assigned[item.article_id] = story
        add(Known(item.article_id, story, item.published, item.minhash))
    return assigned
