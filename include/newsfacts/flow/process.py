"""Processing steps of a fetched batch: parse its pages, extract facts, validate for the load.

Each step reads what the previous one left in the batch's folder and leaves its own output
there (see flow.batch); bodies never travel through the task system.
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from newsfacts import facts
from newsfacts.crawl.archive import read_responses
from newsfacts.crawl.discover import normalize_url
from newsfacts.extract import EXTRACTOR_NAME, EXTRACTOR_VERSION, extract_text
from newsfacts.facts import FactProvenance
from newsfacts.flow.batch import Batch, read_optional_jsonl
from newsfacts.flow.records import PageProvenance, ParsedArticle
from newsfacts.ids import article_id
from newsfacts.quality.validate import (
    BatchRejected,
    TableValidation,
    build_data_docs,
    reject_if_mostly_failed,
    suites,
    validate_parts,
    with_derived_columns,
)
from newsfacts.settings import Settings
from newsfacts.warehouse import staging, stories

log = logging.getLogger(__name__)

FACT_TABLES = facts.TABLES


# --- parse ----------------------------------------------------------------------------------


def parse_batch(settings: Settings, batch_id: str) -> str:
    """Parse every archived 2xx HTML response of a batch into articles (articles.jsonl)."""
    from newsfacts.parse.article import ParseError, parse_article

    batch = Batch.at(settings, batch_id)
    batch.begin("parsed")
    manifest = batch.read_manifest()
    articles: dict[str, ParsedArticle] = {}
    failures: Counter[str] = Counter()
    unparsed: list[dict[str, Any]] = []
    for warc in manifest.warc_files:
        for page in read_responses(Path(warc)):
            if not 200 <= page.status < 300:
                continue
            try:
                article = parse_article(
                    page.body,
                    page.url,
                    content_type=page.content_type,
                    max_bytes=settings.max_body_bytes,
                )
            except ParseError as exc:
                log.warning("parse failed for %s: %s", page.url, exc)
                failures[f"parse:{exc.reason}"] += 1
                unparsed.append(
                    {
                        "url": page.url,
                        "warc_file": page.warc_file,
                        "warc_offset": page.warc_offset,
                        "error": f"parse error: {exc}"[:300],
                    }
                )
                continue
            canonical = normalize_url(article.canonical_url or page.url)
            parsed = ParsedArticle.of(
                article,
                article_id(canonical),
                canonical,
                article.lang or manifest.language,
                PageProvenance(
                    url=page.url,
                    source=manifest.source,
                    warc_file=page.warc_file,
                    warc_offset=page.warc_offset,
                    fetched_at_utc=page.fetched_at_utc.replace("Z", "+00:00"),
                    batch_id=batch_id,
                ),
            )
            articles[parsed.article_id] = parsed
    staging.write_jsonl([a.row() for a in articles.values()], batch.articles)
    staging.write_jsonl(unparsed, batch.parse_failures)
    batch.add_counts({"parsed": len(articles), **failures})
    batch.finish("parsed")
    log.info(
        "batch %s: %d articles parsed, %d failures", batch_id, len(articles), sum(failures.values())
    )
    return batch_id


# --- extract --------------------------------------------------------------------------------


def facts_for_article(article: ParsedArticle) -> dict[str, list[dict[str, Any]]]:
    """Every fact of one article as warehouse rows, keyed by table."""
    found = extract_text(article.body, article.lang, article.published_on)
    provenance = FactProvenance(
        article_id=article.article_id,
        extractor=EXTRACTOR_NAME,
        extractor_version=EXTRACTOR_VERSION,
        batch_id=article.provenance.batch_id,
    )
    return {kind.table: kind.rows(found, provenance) for kind in facts.KINDS}


def extract_batch(settings: Settings, batch_id: str) -> str:
    """Extract facts from a batch's parsed articles (one JSONL file per fact table)."""
    batch = Batch.at(settings, batch_id)
    batch.begin("extracted")
    articles = [ParsedArticle.from_row(row) for row in staging.read_jsonl(batch.articles)]
    tables: dict[str, list[dict[str, Any]]] = {t: [] for t in FACT_TABLES}
    failed: list[dict[str, str]] = []
    for article in articles:
        try:
            found = facts_for_article(article)
        except Exception as exc:  # an extractor bug costs this article, not the batch
            log.exception("extraction failed for %s", article.provenance.url)
            failed.append(
                {"article_id": article.article_id, "error": f"{type(exc).__name__}: {exc}"}
            )
            continue
        for table, rows in found.items():
            tables[table].extend(rows)
    for table, rows in tables.items():
        staging.write_jsonl(rows, batch.facts(table))
    staging.write_jsonl(failed, batch.extract_failures)
    batch.finish("extracted")
    log.info(
        "batch %s: %s, %d articles failed",
        batch_id,
        {t: len(r) for t, r in tables.items()},
        len(failed),
    )
    return batch_id


# --- validate -------------------------------------------------------------------------------


def validate_batch(
    settings: Settings,
    batch_id: str,
    actor_codes: frozenset[str] | None = None,
    *,
    data_docs: bool = True,
) -> str:
    """Validate a batch table by table; stage what passed as Parquet and the rest as quarantine.

    Facts of a quarantined article are quarantined with it, so no fact is loaded without its
    article. Raises BatchRejected when too much of the batch failed. A run of many batches
    passes `data_docs=False` and renders the Data Docs once at its end (see validate_batches).
    """
    failed = validate_batches(settings, [batch_id], actor_codes, data_docs=data_docs)
    if batch_id in failed:
        raise failed[batch_id]
    return batch_id


@dataclass(slots=True)
class _Checked:
    """One batch being validated: its rows in, and each table's outcome as it comes."""

    batch: Batch
    articles: list[dict[str, Any]]
    found: dict[str, list[dict[str, Any]]]
    not_extracted: dict[str, str]
    validations: list[TableValidation] = field(default_factory=list)


def validate_batches(
    settings: Settings,
    batch_ids: list[str],
    actor_codes: frozenset[str] | None = None,
    *,
    data_docs: bool = True,
) -> dict[str, BatchRejected]:
    """Validate batches together (one GX run per table for all), then stage each on its own.

    Each batch is judged as if alone (see validate_parts); a batch that fails too much is
    rejected without stopping the others. Returns the rejected batches with why; the Data Docs
    are rendered once for all of them.
    """
    if not batch_ids:
        return {}
    rules = suites(actor_codes if actor_codes is not None else _actor_codes())
    now = datetime.now(UTC).replace(tzinfo=None)
    run_name = batch_ids[0] if len(batch_ids) == 1 else f"{batch_ids[0]}+{len(batch_ids) - 1}"
    checked = []
    for batch_id in batch_ids:
        batch = Batch.at(settings, batch_id)
        batch.begin("validated")
        articles = staging.read_jsonl(batch.articles)
        found = {t: staging.read_jsonl(batch.facts(t)) for t in FACT_TABLES}
        with_derived_columns(articles, found, now)
        not_extracted = {
            f["article_id"]: f"extraction failed: {f['error']}"[:300]
            for f in read_optional_jsonl(batch.extract_failures)
        }
        checked.append(_Checked(batch, articles, found, not_extracted))

    outcomes = validate_parts(
        "articles",
        [[a for a in c.articles if a["article_id"] not in c.not_extracted] for c in checked],
        rules["articles"],
        gx_root=settings.gx_dir,
        run_name=run_name,
    )
    rejected_articles = []
    for c, outcome in zip(checked, outcomes, strict=True):
        outcome.quarantined.extend(
            (a, [c.not_extracted[a["article_id"]]])
            for a in c.articles
            if a["article_id"] in c.not_extracted
        )
        c.validations.append(outcome)
        rejected_articles.append({row["article_id"] for row, _ in outcome.quarantined})
    for table in FACT_TABLES:
        outcomes = validate_parts(
            table,
            [
                [r for r in c.found[table] if r["article_id"] not in rejected]
                for c, rejected in zip(checked, rejected_articles, strict=True)
            ],
            rules[table],
            gx_root=settings.gx_dir,
            run_name=run_name,
        )
        for c, rejected, outcome in zip(checked, rejected_articles, outcomes, strict=True):
            outcome.quarantined.extend(
                (r, ["parent article quarantined"])
                for r in c.found[table]
                if r["article_id"] in rejected
            )
            c.validations.append(outcome)
    if data_docs:
        build_data_docs(settings.gx_dir, [run_name])

    failed = {}
    for c in checked:
        try:
            reject_if_mostly_failed(c.validations, settings.quarantine_max_share, c.batch.batch_id)
        except BatchRejected as exc:
            log.error("%s", exc)
            failed[c.batch.batch_id] = exc
            continue
        _stage(c.batch, c.validations)
    return failed


def _stage(batch: Batch, validations: list[TableValidation]) -> None:
    """Stage a validated batch for the load: what passed, the quarantine, results, its run."""
    _write_signatures(batch, validations[0].passed)
    for checked in validations:
        staging.write_table(checked.passed, checked.table, batch.staged(checked.table))
    quarantine = _quarantine_rows(batch, validations)
    staging.write_table(quarantine, "quarantine", batch.staged("quarantine"))
    results = [{**r, "batch_id": batch.batch_id} for v in validations for r in v.results]
    staging.write_table(results, "validation_results", batch.staged("validation_results"))
    run = _run_row(batch, validations, records_quarantined=len(quarantine))
    # The batch's summary, staged last; then the batch is validated and ready to load.
    staging.write_table([run], "runs", batch.staged("runs"))
    batch.finish("validated")


def _quarantine_rows(batch: Batch, validations: list[TableValidation]) -> list[dict[str, Any]]:
    """One row per record held back: failed rows of each table, then pages that did not parse."""
    rows = []
    for checked in validations:
        key = "article_id" if checked.table == "articles" else "fact_id"
        for row, broken in checked.quarantined:
            rows.append(
                {
                    "batch_id": batch.batch_id,
                    "table_name": checked.table,
                    "record_key": str(row.get(key)),
                    "record": json.dumps(row, ensure_ascii=False, sort_keys=True, default=str),
                    "failed_expectations": broken,
                }
            )
    # A page that could not be parsed is kept against its URL, with the archive record to re-read.
    rows.extend(
        {
            "batch_id": batch.batch_id,
            "table_name": "pages",
            "record_key": page["url"],
            "record": json.dumps(page, ensure_ascii=False, sort_keys=True),
            "failed_expectations": [page["error"]],
        }
        for page in read_optional_jsonl(batch.parse_failures)
    )
    # Duplicate keys are quarantined once per key: keep the first record seen.
    unique = {(r["table_name"], r["record_key"]): r for r in reversed(rows)}
    return list(unique.values())


def _run_row(
    batch: Batch, validations: list[TableValidation], *, records_quarantined: int
) -> dict[str, Any]:
    """The batch's runs row: what fetch, parse and validation counted."""
    manifest = batch.read_manifest()
    counts = batch.read_counts()
    fetch = manifest.counts
    failures = {
        k: v for k, v in {**fetch, **counts}.items() if k not in {"fetched", "unchanged", "parsed"}
    }
    return {
        "batch_id": batch.batch_id,
        "run_key": manifest.run_key,
        "source": manifest.source,
        "pages_fetched": fetch.get("fetched", 0),
        "pages_unchanged": fetch.get("unchanged", 0),
        "fetch_failures": sum(v for k, v in fetch.items() if k not in {"fetched", "unchanged"}),
        "articles_parsed": counts.get("parsed", 0),
        "parse_failures": sum(v for k, v in counts.items() if k.startswith("parse:")),
        "facts_loaded": sum(len(v.passed) for v in validations if v.table != "articles"),
        "records_quarantined": records_quarantined,
        "failures_by_reason": json.dumps(failures, sort_keys=True),
        "extractor_version": EXTRACTOR_VERSION,
    }


def _write_signatures(batch: Batch, articles: list[dict[str, Any]]) -> None:
    """Stage each valid article's MinHash signature for story grouping at load time."""
    rows = [
        {
            "article_id": a["article_id"],
            "story_id": a["article_id"],
            "minhash": stories.signature(a["body"]),
            "batch_id": batch.batch_id,
            "published": a.get("published_at_utc") or "",
        }
        for a in articles
    ]
    staging.write_jsonl(rows, batch.signatures)


def _actor_codes() -> frozenset[str] | None:
    try:
        from newsfacts.extract.actors import actor_reference
    except ImportError:
        return None
    return frozenset(row["code"] for row in actor_reference())
