"""What each explorer page shows, as typed records read from a snapshot cursor."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal

import duckdb

from newsfacts.explore.store import query

# The table's sort keys and the columns they order by (fact_no breaks ties: pages are stable).
SORTS = {
    "published": "published_at_utc",
    "level_date": "level_date",
    "count": "count",
    "actor": "actor",
    "location": "location",
    "source": "source",
}
NOT_STATED = "-"  # the location filter's value for facts whose location is null
PER_PAGE = 50
MAX_PER_PAGE = 500
QUALITY_BATCHES = 20


@dataclass(frozen=True, slots=True)
class FactFilter:
    """The troop-count filters; None filters nothing. location '-' means not stated."""

    actor: str | None = None
    location: str | None = None
    source: str | None = None
    lang: str | None = None
    kind: str | None = None
    qualifier: str | None = None
    published_from: date | None = None
    published_to: date | None = None
    level_from: date | None = None
    level_to: date | None = None

    def params(self) -> dict[str, Any]:
        return asdict(self)

    def active(self) -> dict[str, str]:
        """The filters set, as query-string values."""
        return {k: str(v) for k, v in asdict(self).items() if v is not None}

    @classmethod
    def names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls))


@dataclass(frozen=True, slots=True)
class Sort:
    key: str = "published"
    descending: bool = True

    def order_by(self) -> str:
        column = SORTS[self.key]
        direction = "DESC NULLS LAST" if self.descending else "ASC NULLS LAST"
        # fact_no (an integer, unique) breaks ties: sorting on the fact_id strings cost 2x
        return f"{column} {direction}, fact_no"


@dataclass(frozen=True, slots=True)
class Page:
    rows: list[dict[str, Any]]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def _dicts(cursor: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    names = [d[0] for d in cursor.description or []]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _scalar(cursor: duckdb.DuckDBPyConnection) -> Any:
    row = cursor.fetchone()
    return row[0] if row else None


def troop_counts(
    con: duckdb.DuckDBPyConnection,
    where: FactFilter,
    sort: Sort = Sort(),
    page: int = 1,
    per_page: int = PER_PAGE,
) -> Page:
    """One page of the filtered troop counts, and how many there are in all."""
    filtered = query("filtered_facts")
    total = int(
        _scalar(con.execute(query("troop_counts_total", filtered=filtered), where.params()))
    )
    page = max(1, min(page, max(1, -(-total // per_page))))
    params = {**where.params(), "limit": per_page, "offset": (page - 1) * per_page}
    # Sort narrow (ids and the sort key), then fetch the page's wide rows by id: sorting every
    # matching row with its sentence and title took longer than a page may (bench_explorer).
    sql = query("troop_counts_page", filtered=filtered, order=sort.order_by())
    ids = [fact_id for (fact_id,) in con.execute(sql, params).fetchall()]
    rows = {r["fact_id"]: r for r in _dicts(con.execute(query("facts_by_id"), {"fact_ids": ids}))}
    return Page([rows[i] for i in ids], total, page, per_page)


@dataclass(frozen=True, slots=True)
class Option:
    value: str
    name_en: str | None
    name_ar: str | None
    facts: int


def filter_options(con: duckdb.DuckDBPyConnection) -> dict[str, list[Option]]:
    """The values each filter offers (actor, location, source, lang), with their fact counts."""
    options: dict[str, list[Option]] = {"actor": [], "location": [], "source": [], "lang": []}
    for facet, value, name_en, name_ar, facts in con.execute(query("options")).fetchall():
        options.setdefault(facet, []).append(Option(value, name_en, name_ar, int(facts)))
    return options


@dataclass(frozen=True, slots=True)
class TimelinePoint:
    level_date: date
    source: str
    kind: str
    count: int
    count_high: int
    facts: int
    first_fact_id: str


def timeline(con: duckdb.DuckDBPyConnection, actor: str, location: str) -> list[TimelinePoint]:
    """The counts each outlet reported for one actor and location, by the date they held."""
    rows = con.execute(query("timeline"), {"actor": actor, "location": location}).fetchall()
    return [TimelinePoint(*row) for row in rows]


@dataclass(frozen=True, slots=True)
class FactView:
    """One fact with its article, and the body cut around the evidence."""

    fact: dict[str, Any]
    before: str
    evidence: str
    after: str
    direction: Literal["rtl", "ltr"]


RTL_LANGUAGES = frozenset({"ar", "fa", "he", "ur", "ps"})


def split_evidence(body: str, start: int, end: int) -> tuple[str, str, str]:
    """The body before the evidence, the evidence (body[start:end]) and the rest."""
    if not 0 <= start < end <= len(body):
        raise ValueError(f"evidence offsets {start}..{end} lie outside a body of {len(body)}")
    return body[:start], body[start:end], body[end:]


def fact(con: duckdb.DuckDBPyConnection, fact_id: str) -> FactView | None:
    """The fact page's content, or None for an unknown id."""
    found = _dicts(con.execute(query("fact"), {"fact_id": fact_id}))
    if not found:
        return None
    row = found[0]
    body = str(_scalar(con.execute(query("article_body"), {"article_id": row["article_id"]})))
    before, evidence, after = split_evidence(body, row["char_start"], row["char_end"])
    direction: Literal["rtl", "ltr"] = "rtl" if row["lang"] in RTL_LANGUAGES else "ltr"
    return FactView(row, before, evidence, after, direction)


def disagreements(
    con: duckdb.DuckDBPyConnection, actor: str | None, page: int = 1, per_page: int = PER_PAGE
) -> Page:
    """One page of stories whose outlets report different counts for an actor and place."""
    total = int(_scalar(con.execute(query("disagreements_total"), {"actor": actor})))
    page = max(1, min(page, max(1, -(-total // per_page))))
    params = {"actor": actor, "limit": per_page, "offset": (page - 1) * per_page}
    return Page(_dicts(con.execute(query("disagreements_page"), params)), total, page, per_page)


@dataclass(frozen=True, slots=True)
class Quality:
    batches: list[dict[str, Any]]
    failed: list[dict[str, Any]]
    quarantine: list[dict[str, Any]]
    checks: list[dict[str, Any]]
    source_health: list[dict[str, Any]]


def quality(con: duckdb.DuckDBPyConnection, batches: int = QUALITY_BATCHES) -> Quality:
    """Latest batches' validation, quarantined records, warehouse checks, source health."""
    limit = {"limit": batches}
    return Quality(
        batches=_dicts(con.execute(query("latest_batches"), limit)),
        failed=_dicts(con.execute(query("failed_expectations"), limit)),
        quarantine=_dicts(con.execute(query("quarantine_latest"), {"limit": 5 * batches})),
        checks=_dicts(con.execute(query("quality_checks_latest"))),
        source_health=_dicts(con.execute(query("source_health"))),
    )


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    type: str
    meaning: str


def codebook(con: duckdb.DuckDBPyConnection) -> list[Column]:
    """The columns of the troop-count export, with their types and meanings."""
    return [Column(n, t, c or "") for n, t, c in con.execute(query("codebook")).fetchall()]


EXPORT_FORMATS = {"csv": "csv", "parquet": "parquet"}


def export(con: duckdb.DuckDBPyConnection, where: FactFilter, fmt: str, folder: Path) -> Path:
    """Write the filtered troop counts to <folder>/troop_counts.<fmt>; returns the path."""
    path = folder / f"troop_counts.{fmt}"
    if "'" in str(path):  # the path goes into the statement as a literal
        raise ValueError(f"export folder may not contain a quote: {folder}")
    sql = query(
        "export", filtered=query("filtered_facts"), path=str(path), format=EXPORT_FORMATS[fmt]
    )
    con.execute(sql, where.params())
    return path


def snapshot_info(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    found = _dicts(con.execute(query("snapshot_info")))
    return found[0] if found else {}


def parse_date(value: str | None) -> date | None:
    """A YYYY-MM-DD filter value, None when empty; ValueError otherwise."""
    if not value:
        return None
    return datetime.strptime(value, "%Y-%m-%d").date()
