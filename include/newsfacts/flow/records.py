"""Typed records the processing steps hand each other through a batch's files."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from newsfacts.models import Article


@dataclass(frozen=True, slots=True)
class PageProvenance:
    """Where an article was read from: URL fetched, source, archive record, batch."""

    url: str
    source: str
    warc_file: str
    warc_offset: int
    fetched_at_utc: str
    batch_id: str


@dataclass(frozen=True, slots=True)
class ParsedArticle:
    """An article as parsed, with its id and provenance: one row of the articles table.

    `published_as_written` is the page's own date (ISO 8601, with its offset when it gives one);
    `published_at_utc` is the same instant in UTC, naive, and stays a datetime up to the row.
    """

    article_id: str
    canonical_url: str
    title: str | None
    published_as_written: str | None
    published_at_utc: datetime | None
    lang: str | None
    authors: list[str]
    body: str
    parse_methods: dict[str, str]
    provenance: PageProvenance

    @classmethod
    def of(
        cls,
        article: Article,
        article_id: str,
        canonical_url: str,
        lang: str | None,
        page: PageProvenance,
    ) -> ParsedArticle:
        return cls(
            article_id=article_id,
            canonical_url=canonical_url,
            title=article.title,
            published_as_written=article.published,
            published_at_utc=to_utc(article.published),
            lang=lang,
            authors=list(article.authors),
            body=article.body,
            parse_methods=dict(article.methods),
            provenance=page,
        )

    @property
    def published_on(self) -> date | None:
        """The publication day as the page writes it (relative dates in the text resolve to it)."""
        try:
            return date.fromisoformat((self.published_as_written or "")[:10])
        except ValueError:
            return None

    def row(self) -> dict[str, Any]:
        """The articles-table row (JSON-ready)."""
        page = self.provenance
        return {
            "article_id": self.article_id,
            "canonical_url": self.canonical_url,
            "url": page.url,
            "source": page.source,
            "title": self.title,
            "published_as_written": self.published_as_written,
            "published_at_utc": self.published_at_utc.isoformat()
            if self.published_at_utc
            else None,
            "published_source": self.parse_methods.get("published"),
            "lang": self.lang,
            "authors": self.authors,
            "body": self.body,
            "body_chars": len(self.body),
            "parse_methods": json.dumps(self.parse_methods, sort_keys=True),
            "warc_file": page.warc_file,
            "warc_offset": page.warc_offset,
            "fetched_at_utc": page.fetched_at_utc,
            "batch_id": page.batch_id,
        }

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> ParsedArticle:
        published = row.get("published_at_utc")
        return cls(
            article_id=row["article_id"],
            canonical_url=row["canonical_url"],
            title=row.get("title"),
            published_as_written=row.get("published_as_written"),
            published_at_utc=datetime.fromisoformat(published) if published else None,
            lang=row.get("lang"),
            authors=list(row.get("authors") or []),
            body=row["body"],
            parse_methods=json.loads(row.get("parse_methods") or "{}"),
            provenance=PageProvenance(
                url=row["url"],
                source=row["source"],
                warc_file=row["warc_file"],
                warc_offset=row["warc_offset"],
                fetched_at_utc=row["fetched_at_utc"],
                batch_id=row["batch_id"],
            ),
        )


def to_utc(value: str | None) -> datetime | None:
    """An ISO 8601 date or time as a naive UTC datetime; kept as written when it has no offset."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(UTC).replace(tzinfo=None)
