"""Extract stage: plain text in, troop counts, dates, entities and quotes with evidence out."""

from __future__ import annotations

from datetime import date

from newsfacts.models import DateMention, Extraction

EXTRACTOR_NAME = "newsfacts-rules"
EXTRACTOR_VERSION = "0.1.0"


def extract_text(text: str, lang: str | None = None, published: date | None = None) -> Extraction:
    """Run every extractor over `text`; relative dates resolve against `published`."""
    from newsfacts.extract import entities, quotes, troops
    from newsfacts.extract.document import Document

    doc = Document.of(text, lang, published)
    return Extraction(
        troop_counts=troops.extract_troop_counts(doc),
        dates=first_mentions(doc.dates),
        entities=entities.extract_entities(doc.text, doc.lang),
        quotes=quotes.extract_quotes(doc.text, doc.lang),
    )


def first_mentions(mentions: list[DateMention]) -> list[DateMention]:
    """One date per (value, mod), evidenced by its first mention: a date said twice is one fact."""
    seen: set[tuple[str, str | None]] = set()
    kept = []
    for mention in sorted(mentions, key=lambda m: m.char_start):
        if (mention.value, mention.mod) not in seen:
            seen.add((mention.value, mention.mod))
            kept.append(mention)
    return kept
