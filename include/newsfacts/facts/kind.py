"""What a fact kind declares once: its table, its key recipe, its allowed values, its rules."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from newsfacts.ids import digest
from newsfacts.models import Extraction

# Columns derived for validation only (never loaded): the length of the fact's article body.
BODY_CHARS = "_article_body_chars"

# (the gx.expectations module, the actor codes of the reference data or None) -> expectations
Rules = Callable[[Any, frozenset[str] | None], list[Any]]


def fact_basics(e: Any) -> list[Any]:
    """The expectations every fact table shares: a unique key, an article, a span in its body."""
    return [
        e.ExpectColumnValuesToNotBeNull(column="fact_id"),
        e.ExpectColumnValuesToBeUnique(column="fact_id"),
        e.ExpectColumnValuesToNotBeNull(column="article_id"),
        e.ExpectColumnValuesToBeBetween(column="char_start", min_value=0),
        e.ExpectColumnPairValuesAToBeGreaterThanB(column_A="char_end", column_B="char_start"),
        # the evidence span lies inside its article's body
        e.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A=BODY_CHARS, column_B="char_end", or_equal=True
        ),
    ]


@dataclass(frozen=True, slots=True)
class FactProvenance:
    """What every fact row records besides the fact: its article, extractor and batch."""

    article_id: str
    extractor: str
    extractor_version: str
    batch_id: str

    def columns(self) -> dict[str, str]:
        return {
            "article_id": self.article_id,
            "extractor": self.extractor,
            "extractor_version": self.extractor_version,
            "batch_id": self.batch_id,
        }


# Columns every fact table has besides the record's own fields (see FactKind.rows).
PROVENANCE = ("fact_id", *FactProvenance.__slots__)


@dataclass(frozen=True, slots=True)
class FactKind:
    """One kind of fact and everything the pipeline derives from it.

    `table` is its warehouse table (created by a migration whose CHECKs must list `allowed`);
    its fact_id digests the article id, `tag` and the record's `key_fields`; `allowed` maps a
    column to its values (the record's Literal types say the same, a test holds them equal);
    `rules` are the kind's Great Expectations beyond `fact_basics`.
    """

    table: str
    record: type
    found: Callable[[Extraction], Sequence[Any]]
    tag: str
    key_fields: tuple[str, ...]
    allowed: Mapping[str, tuple[str, ...]]
    rules: Rules

    def fact_id(self, article_id: str, record: Any) -> str:
        """The fact's key: the same fact read again from the same article keeps its id."""
        return digest(article_id, self.tag, *(getattr(record, f) for f in self.key_fields))

    def rows(self, extraction: Extraction, provenance: FactProvenance) -> list[dict[str, Any]]:
        """This kind's facts in an extraction as warehouse rows, with their provenance."""
        columns = provenance.columns()
        return [
            {
                **record.to_dict(),
                **columns,
                "fact_id": self.fact_id(provenance.article_id, record),
            }
            for record in self.found(extraction)
        ]

    def expectations(self, e: Any, actor_codes: frozenset[str] | None) -> list[Any]:
        """The table's expectation suite (`e` is gx.expectations, imported by the caller)."""
        return [*fact_basics(e), *self.rules(e, actor_codes)]
