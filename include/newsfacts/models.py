"""Typed records passed between stages: every fact carries its evidence and its extractor."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal


def _fields(record: Any) -> dict[str, Any]:
    # dataclasses.asdict deep-copies recursively; these records hold only plain values.
    return {name: getattr(record, name) for name in record.__slots__}


Qualifier = Literal["exact", "approx", "at_least", "at_most"]
TroopKind = Literal["level", "increase", "decrease", "planned_level"]
DateMod = Literal["START", "MID", "END"]
Calendar = Literal["gregorian", "hijri"]
EntityKind = Literal["person", "organization", "location"]
# The fact kinds in newsfacts.facts list these values too (a test holds them equal), because
# mypy needs a Literal written out.

# Where an article's publication date came from (articles.published_source), most trusted
# first: structured data, meta tags, a marked <time>, the URL, a date in words on the page;
# htmldate is a guess from the page's markup, the only method that may pick a date the page
# never calls its publication date, so it is asked only when the page states none.
PUBLISHED_SOURCES = ("json-ld", "next-data", "meta", "time", "url", "text", "htmldate")


@dataclass(frozen=True, slots=True)
class TroopCount:
    """A number of troops of one actor, optionally in one location, with its evidence span."""

    actor: str
    location: str | None
    count: int
    count_high: int | None
    qualifier: Qualifier
    kind: TroopKind
    sentence: str
    char_start: int
    char_end: int
    # When the level held, as a TIMEX3 value, where the count's clause dates it ("in 2017").
    as_of: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return _fields(self)


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date as written, with its TIMEX3-style value resolved against the publication date."""

    value: str
    mod: DateMod | None
    text: str
    char_start: int
    char_end: int
    calendar: Calendar = "gregorian"

    def to_dict(self) -> dict[str, Any]:
        return _fields(self)


@dataclass(frozen=True, slots=True)
class Entity:
    """A named person, organisation or location found in the text."""

    kind: EntityKind
    text: str
    char_start: int
    char_end: int
    canonical: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return _fields(self)


@dataclass(frozen=True, slots=True)
class Quote:
    """Reported speech with the speaker it is attributed to."""

    speaker: str | None
    text: str
    char_start: int
    char_end: int

    def to_dict(self) -> dict[str, Any]:
        return _fields(self)


@dataclass(frozen=True, slots=True)
class Extraction:
    """Everything one extractor run found in one text."""

    troop_counts: list[TroopCount] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "troop_counts": [t.to_dict() for t in self.troop_counts],
            "dates": [d.to_dict() for d in self.dates],
            "entities": [e.to_dict() for e in self.entities],
            "quotes": [q.to_dict() for q in self.quotes],
        }


@dataclass(frozen=True, slots=True)
class Article:
    """A parsed page: metadata and the clean body that fact offsets refer to.

    `published`/`modified` are ISO 8601 strings with their UTC offset when the page gives one.
    `body` is the paragraphs joined by blank lines; `methods` says which method found each field
    (for example {"title": "json-ld", "published": "htmldate", "body": "trafilatura"}).
    """

    url: str
    canonical_url: str
    title: str | None
    body: str
    lang: str | None
    published: str | None = None
    modified: str | None = None
    authors: list[str] = field(default_factory=list)
    subtitle: str | None = None
    section: str | None = None
    tags: list[str] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    methods: dict[str, str] = field(default_factory=dict)

    @property
    def paragraphs(self) -> list[str]:
        return [p for p in self.body.split("\n\n") if p]

    def to_dict(self) -> dict[str, Any]:
        return _fields(self)
