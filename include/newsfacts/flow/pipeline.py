"""The flow as plain functions: what each DAG task and `newsfacts run` call, stage by stage.

Stages hand each other paths, never article bodies: a batch is one source's pages for one
run key, and lives in <staging>/<batch_id>/ until the loader has committed it.
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from newsfacts import facts, warehouse
from newsfacts.crawl import frontier
from newsfacts.crawl.archive import ArchiveWriter, read_responses
from newsfacts.crawl.discover import PageRef, discover, normalize_url
from newsfacts.crawl.fetch import Fetcher, FetchPolicy, FetchResult, fetch_all
from newsfacts.crawl.sources import Source, load_sources
from newsfacts.extract import EXTRACTOR_NAME, EXTRACTOR_VERSION, extract_text
from newsfacts.ids import digest, make_batch_id, run_key_for  # noqa: F401  (re-exported)
from newsfacts.quality.validate import (
    build_data_docs,
    reject_if_mostly_failed,
    suites,
    validate_table,
    with_derived_columns,
)
from newsfacts.settings import Settings
from newsfacts.warehouse import staging, stories

log = logging.getLogger(__name__)

FACT_TABLES = facts.TABLES


@dataclass(frozen=True, slots=True)
class Batch:
    """Where one batch's files live."""

    batch_id: str
    folder: Path

    @classmethod
    def at(cls, settings: Settings, batch_id: str) -> Batch:
        return cls(batch_id, settings.staging_dir / batch_id)

    @property
    def manifest(self) -> Path:
        return self.folder / "fetched.json"

    def read_manifest(self) -> dict[str, Any]:
        return dict(json.loads(self.manifest.read_text(encoding="utf-8")))


# --- sources -------------------------------------------------------------------------------


def select_sources(sources_path: Path, base_url: str | None = None) -> list[Source]:
    """Valid sources of a file; invalid entries are logged and skipped, never fatal alone."""
    loaded = load_sources(sources_path, base_url=base_url)
    if not loaded.sources:
        problems = "; ".join(str(e) for e in loaded.errors) or "no sources listed"
        raise ValueError(f"{sources_path}: no valid source ({problems})")
    return loaded.sources


# --- discover, fetch, archive ---------------------------------------------------------------


def _log_row(result: FetchResult) -> dict[str, Any]:
    return {
        "url": result.url,
        "final_url": result.final_url,
        "status": result.status,
        "error_class": result.error_class,
        "error": result.error,
        "attempts": result.attempts,
        "bytes": len(result.body),
        "elapsed_ms": result.elapsed_ms,
        "fetched_at_utc": result.fetched_at_utc,
    }


def _discovery_failure_row(url: str, error_class: str, message: str) -> dict[str, Any]:
    return {
        "url": url,
        "error_class": error_class,
        "error": message,
        "attempts": 1,
        "bytes": 0,
        "elapsed_ms": 0,
        "fetched_at_utc": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def _count_page(counts: Counter[str], result: FetchResult, unchanged: bool) -> None:
    if unchanged:
        counts["unchanged"] += 1
    elif result.ok:
        counts["fetched"] += 1
    else:
        counts[result.error_class or "unknown"] += 1


def _discover_pages(
    fetcher: Fetcher,
    source: Source,
    warc_path: Path,
    log_rows: dict[str, dict[str, Any]],
    counts: Counter[str],
) -> list[PageRef]:
    """Read the source's feeds and sitemaps (archived, logged); its pages on allowed hosts."""
    with ArchiveWriter(warc_path) as archive:

        def answered(result: FetchResult) -> None:
            archive.write(result)
            log_rows[result.url] = _log_row(result)

        refs, failures = discover(
            fetcher, source.name, source.feeds, source.sitemaps, on_response=answered
        )
    for url, error_class, message in failures:
        counts[error_class] += 1
        row = log_rows.setdefault(url, _discovery_failure_row(url, error_class, message))
        # Fetched but unreadable (malformed feed, entity bomb): the row says why.
        row["error_class"], row["error"] = error_class, message
    allowed = source.domains()
    return [r for r in refs if urlsplit(r.url).hostname in allowed]


def fetch_source(settings: Settings, source: Source, run_key: str) -> str:
    """Discover one source's pages and fetch the new and changed ones into the raw archive.

    Returns the batch id. Idempotent: a batch already fetched for this run key is reused, so
    re-running an interval re-reads the same raw pages instead of fetching again.

    What to fetch is decided against the frontier snapshot the loader exports
    (<home>/frontier.parquet): new URLs; known ones whose feed or sitemap date moved, asked
    conditionally so an unchanged page costs a 304; known ones whose last fetch failed for a
    reason that may pass. Hosts are fetched in parallel, each one request at a time at its
    own pace. Every response goes to the WARC archive (pages, and feeds and sitemaps in a
    discovery file); fetch_log.parquet and frontier.parquet are staged for the loader.
    """

    settings.ensure_dirs()
    batch = Batch.at(settings, make_batch_id(run_key, source.name))
    if batch.manifest.exists():
        log.info("batch %s already fetched; reusing its archive", batch.batch_id)
        return batch.batch_id
    stem = settings.archive_dir / run_key[:10] / source.name / batch.batch_id
    stamp = digest(datetime.now(UTC))[:8]
    warc_path = stem.with_name(f"{stem.name}-{stamp}.warc.gz")
    discovery_path = stem.with_name(f"{stem.name}-{stamp}-discovery.warc.gz")
    policy = FetchPolicy.from_settings(settings)
    log_rows: dict[str, dict[str, Any]] = {}
    frontier_rows: list[dict[str, Any]] = []
    counts: Counter[str] = Counter()
    with Fetcher(
        settings,
        requests_per_second=source.requests_per_second,
        allow_private_addresses=source.allow_private_addresses,
        policy=policy,
    ) as fetcher:
        refs = _discover_pages(fetcher, source, discovery_path, log_rows, counts)
        known = frontier.read_known(frontier.snapshot_path(settings), [r.url for r in refs])
        selected, deferred, decisions = frontier.plan(refs, known, source.max_pages_per_run)
        log.info(
            "source %s: %d pages discovered, %d known; fetching %s",
            source.name,
            len(refs),
            len(known),
            {k: v for k, v in decisions.items() if k in ("new", "changed", "retry")},
        )
        warc_files: list[str] = []
        if selected:
            warc_files.append(str(warc_path))
            with ArchiveWriter(warc_path) as archive:
                done = 0

                def fetched(index: int, result: FetchResult) -> None:
                    nonlocal done
                    planned = selected[index]
                    archive.write(result)
                    log_rows[result.url] = _log_row(result)
                    unchanged = frontier.is_unchanged(planned, result)
                    frontier_rows.append(
                        frontier.row_after_fetch(
                            planned, result, batch.batch_id, unchanged=unchanged
                        )
                    )
                    _count_page(counts, result, unchanged)
                    done += 1
                    if done % 25 == 0 or done == len(selected):
                        log.info("source %s: fetched %d/%d pages", source.name, done, len(selected))

                fetch_all(fetcher, [p.request() for p in selected], fetched)
    seen_at = datetime.now(UTC).isoformat(timespec="seconds")
    frontier_rows.extend(frontier.row_listed(ref, batch.batch_id, seen_at) for ref in deferred)
    rows = [{**row, "batch_id": batch.batch_id} for _, row in sorted(log_rows.items())]
    staging.write_table(rows, "fetch_log", batch.folder / "fetch_log.parquet")
    staging.write_table(frontier_rows, "frontier", batch.folder / frontier.SNAPSHOT_NAME)
    manifest = {
        "batch_id": batch.batch_id,
        "run_key": run_key,
        "source": source.name,
        "language": source.language,
        "warc_files": warc_files,
        "discovery_warc_files": [str(discovery_path)],
        "counts": dict(counts),
        "frontier": dict(decisions),
    }
    # Written last and atomically: its presence means the fetch finished.
    tmp = batch.manifest.with_suffix(".tmp")
    tmp.write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    tmp.replace(batch.manifest)
    return batch.batch_id


# --- parse ----------------------------------------------------------------------------------


def parse_batch(settings: Settings, batch_id: str) -> str:
    """Parse every archived 2xx HTML response of a batch into articles (articles.jsonl)."""
    from newsfacts.parse.article import ParseError, parse_article

    batch = Batch.at(settings, batch_id)
    manifest = batch.read_manifest()
    articles: dict[str, dict[str, Any]] = {}
    failures: Counter[str] = Counter()
    unparsed: list[dict[str, Any]] = []
    for warc in manifest["warc_files"]:
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
            article_id = digest(canonical)
            articles[article_id] = {
                "article_id": article_id,
                "canonical_url": canonical,
                "url": page.url,
                "source": manifest["source"],
                "title": article.title,
                "published_as_written": article.published,
                "published_at_utc": _to_utc(article.published),
                "lang": article.lang or manifest.get("language"),
                "authors": list(article.authors),
                "body": article.body,
                "body_chars": len(article.body),
                "parse_methods": json.dumps(article.methods, sort_keys=True),
                "warc_file": page.warc_file,
                "warc_offset": page.warc_offset,
                "fetched_at_utc": page.fetched_at_utc.replace("Z", "+00:00"),
                "batch_id": batch_id,
            }
    staging.write_jsonl(list(articles.values()), batch.folder / "articles.jsonl")
    staging.write_jsonl(unparsed, batch.folder / "parse_failures.jsonl")
    _update_counts(batch, {"parsed": len(articles), **failures})
    log.info(
        "batch %s: %d articles parsed, %d failures", batch_id, len(articles), sum(failures.values())
    )
    return batch_id


def _to_utc(value: str | None) -> str | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    if moment.tzinfo is None:
        return moment.isoformat()
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat()


def _update_counts(batch: Batch, extra: dict[str, int]) -> None:
    path = batch.folder / "counts.json"
    counts = json.loads(path.read_text()) if path.exists() else {}
    counts.update(extra)
    path.write_text(json.dumps(counts, sort_keys=True), encoding="utf-8")


# --- extract --------------------------------------------------------------------------------


def facts_for_article(article: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Every fact of one article as warehouse rows, keyed by table."""
    published = article.get("published_as_written") or ""
    try:
        published_on: date | None = date.fromisoformat(published[:10])
    except ValueError:
        published_on = None
    found = extract_text(article["body"], article.get("lang"), published_on)
    provenance = {
        "article_id": article["article_id"],
        "extractor": EXTRACTOR_NAME,
        "extractor_version": EXTRACTOR_VERSION,
        "batch_id": article["batch_id"],
    }
    return {kind.table: kind.rows(found, provenance) for kind in facts.KINDS}


def extract_batch(settings: Settings, batch_id: str) -> str:
    """Extract facts from a batch's parsed articles (one JSONL file per fact table)."""
    batch = Batch.at(settings, batch_id)
    articles = staging.read_jsonl(batch.folder / "articles.jsonl")
    tables: dict[str, list[dict[str, Any]]] = {t: [] for t in FACT_TABLES}
    failed: list[dict[str, str]] = []
    for article in articles:
        try:
            found = facts_for_article(article)
        except Exception as exc:  # an extractor bug costs this article, not the batch
            log.exception("extraction failed for %s", article["url"])
            failed.append(
                {"article_id": article["article_id"], "error": f"{type(exc).__name__}: {exc}"}
            )
            continue
        for table, rows in found.items():
            tables[table].extend(rows)
    for table, rows in tables.items():
        staging.write_jsonl(rows, batch.folder / f"{table}.jsonl")
    staging.write_jsonl(failed, batch.folder / "extract_failures.jsonl")
    log.info(
        "batch %s: %s, %d articles failed",
        batch_id,
        {t: len(r) for t, r in tables.items()},
        len(failed),
    )
    return batch_id


# --- validate -------------------------------------------------------------------------------


def validate_batch(
    settings: Settings, batch_id: str, actor_codes: frozenset[str] | None = None
) -> str:
    """Validate a batch table by table; stage what passed as Parquet and the rest as quarantine.

    Facts of a quarantined article are quarantined with it, so no fact is loaded without its
    article. Raises BatchRejected when too much of the batch failed.
    """
    batch = Batch.at(settings, batch_id)
    manifest = batch.read_manifest()
    rules = suites(actor_codes if actor_codes is not None else _actor_codes())
    articles = staging.read_jsonl(batch.folder / "articles.jsonl")
    facts = {t: staging.read_jsonl(batch.folder / f"{t}.jsonl") for t in FACT_TABLES}
    with_derived_columns(articles, facts, datetime.now(UTC).replace(tzinfo=None))
    not_extracted = {
        f["article_id"]: f"extraction failed: {f['error']}"[:300]
        for f in _read_optional_jsonl(batch.folder / "extract_failures.jsonl")
    }
    checked_articles = validate_table(
        "articles",
        [a for a in articles if a["article_id"] not in not_extracted],
        rules["articles"],
        gx_root=settings.gx_dir,
        run_name=batch_id,
    )
    checked_articles.quarantined.extend(
        (a, [not_extracted[a["article_id"]]]) for a in articles if a["article_id"] in not_extracted
    )
    rejected_articles = {row["article_id"] for row, _ in checked_articles.quarantined}
    validations = [checked_articles]
    for table in FACT_TABLES:
        rows = facts[table]
        orphans = [
            (r, ["parent article quarantined"])
            for r in rows
            if r["article_id"] in rejected_articles
        ]
        kept = [r for r in rows if r["article_id"] not in rejected_articles]
        checked = validate_table(
            table, kept, rules[table], gx_root=settings.gx_dir, run_name=batch_id
        )
        checked.quarantined.extend(orphans)
        validations.append(checked)
    build_data_docs(settings.gx_dir)
    reject_if_mostly_failed(validations, settings.quarantine_max_share, batch_id)

    _write_signatures(batch, checked_articles.passed)
    quarantine_rows = []
    results_rows: list[dict[str, Any]] = []
    for checked in validations:
        staging.write_table(
            checked.passed, checked.table, batch.folder / f"{checked.table}.parquet"
        )
        key = "article_id" if checked.table == "articles" else "fact_id"
        for row, broken in checked.quarantined:
            quarantine_rows.append(
                {
                    "batch_id": batch_id,
                    "table_name": checked.table,
                    "record_key": str(row.get(key)),
                    "record": json.dumps(row, ensure_ascii=False, sort_keys=True, default=str),
                    "failed_expectations": broken,
                }
            )
        results_rows.extend({**r, "batch_id": batch_id} for r in checked.results)
    # A page that could not be parsed is kept against its URL, with the archive record to re-read.
    quarantine_rows.extend(
        {
            "batch_id": batch_id,
            "table_name": "pages",
            "record_key": page["url"],
            "record": json.dumps(page, ensure_ascii=False, sort_keys=True),
            "failed_expectations": [page["error"]],
        }
        for page in _read_optional_jsonl(batch.folder / "parse_failures.jsonl")
    )
    # Duplicate keys are quarantined once per key: keep the first record seen.
    unique_quarantine = {(r["table_name"], r["record_key"]): r for r in reversed(quarantine_rows)}
    staging.write_table(
        list(unique_quarantine.values()), "quarantine", batch.folder / "quarantine.parquet"
    )
    staging.write_table(
        results_rows, "validation_results", batch.folder / "validation_results.parquet"
    )

    counts = json.loads((batch.folder / "counts.json").read_text())
    fetch = manifest["counts"]
    failures = {
        k: v for k, v in {**fetch, **counts}.items() if k not in {"fetched", "unchanged", "parsed"}
    }
    run = {
        "batch_id": batch_id,
        "run_key": manifest["run_key"],
        "source": manifest["source"],
        "pages_fetched": fetch.get("fetched", 0),
        "pages_unchanged": fetch.get("unchanged", 0),
        "fetch_failures": sum(v for k, v in fetch.items() if k not in {"fetched", "unchanged"}),
        "articles_parsed": counts.get("parsed", 0),
        "parse_failures": sum(v for k, v in counts.items() if k.startswith("parse:")),
        "facts_loaded": sum(len(v.passed) for v in validations if v.table != "articles"),
        "records_quarantined": len(unique_quarantine),
        "failures_by_reason": json.dumps(failures, sort_keys=True),
        "extractor_version": EXTRACTOR_VERSION,
    }
    staging.write_table([run], "runs", batch.folder / "runs.parquet")
    return batch_id


def _read_optional_jsonl(path: Path) -> list[dict[str, Any]]:
    return staging.read_jsonl(path) if path.exists() else []


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
    staging.write_jsonl(rows, batch.folder / "signatures.jsonl")


def group_stories(con: Any, batch: Batch) -> None:
    """Write the batch's article_stories.parquet: each article joins its near duplicates' story.

    Runs in the writer (it reads the stories already in the warehouse); the batch's own
    articles are left out of what is known, so loading a batch again gives the same stories.
    """
    new = [
        stories.Known(r["article_id"], r["story_id"], r["published"], r["minhash"])
        for r in staging.read_jsonl(batch.folder / "signatures.jsonl")
    ]
    ids = [k.article_id for k in new]
    known = [
        stories.Known(article_id, story_id, str(published or ""), list(minhash))
        for article_id, story_id, published, minhash in con.execute(
            warehouse.statement("load/known_stories"), {"batch_articles": ids}
        ).fetchall()
    ]
    assigned = stories.assign_stories(new, known)
    rows = [
        {
            "article_id": k.article_id,
            "story_id": assigned[k.article_id],
            "minhash": k.minhash,
            "batch_id": batch.batch_id,
        }
        for k in new
    ]
    staging.write_table(rows, "article_stories", batch.folder / "article_stories.parquet")


def _actor_codes() -> frozenset[str] | None:
    try:
        from newsfacts.extract.actors import actor_reference
    except ImportError:
        return None
    return frozenset(row["code"] for row in actor_reference())


# --- load -----------------------------------------------------------------------------------


def prepare_warehouse(settings: Settings) -> list[str]:
    """Create or upgrade the warehouse and refresh its reference data; returns new migrations."""
    settings.ensure_dirs()
    with warehouse.connect(settings.warehouse) as con:
        applied = warehouse.migrate(con)
        try:
            from newsfacts.extract.actors import actor_reference
        except ImportError:
            return applied
        path = staging.write_table(
            actor_reference(), "actors", settings.staging_dir / "actors.parquet"
        )
        warehouse.load_reference(con, path)
    return applied


def load_batches(settings: Settings, batch_ids: list[str]) -> dict[str, Any]:
    """Load validated batches, each in its own transaction; returns the run summary."""
    prepare_warehouse(settings)
    summary: Counter[str] = Counter()
    reasons: Counter[str] = Counter()
    with warehouse.connect(settings.warehouse) as con:
        for batch_id in batch_ids:
            batch = Batch.at(settings, batch_id)
            group_stories(con, batch)
            warehouse.load_batch(con, batch.folder, batch_id)
            row = con.execute(
                warehouse.statement("load/batch_summary"), {"batch_id": batch_id}
            ).fetchone()
            if row:
                summary.update(
                    {
                        "pages_fetched": row[0],
                        "pages_unchanged": row[1],
                        "articles_parsed": row[2],
                        "facts_loaded": row[3],
                        "records_quarantined": row[4],
                    }
                )
                reasons.update(json.loads(row[5]))
            log.info("batch %s loaded", batch_id)
        # Fetch tasks read this snapshot, so they never need to open the warehouse file.
        frontier.export_frontier(con, frontier.snapshot_path(settings))
    return {
        "batches": len(batch_ids),
        "pages_fetched": summary["pages_fetched"],
        "pages_unchanged": summary["pages_unchanged"],
        "articles_parsed": summary["articles_parsed"],
        "facts_loaded": summary["facts_loaded"],
        "records_quarantined": summary["records_quarantined"],
        "failures_by_reason": dict(sorted(reasons.items())),
    }


def pending_batches(settings: Settings) -> list[str]:
    """Batches fetched into the archive but not yet loaded into the warehouse, oldest first."""
    fetched = sorted(p.parent.name for p in settings.staging_dir.glob("*/fetched.json"))
    if not fetched or not settings.warehouse.exists():
        return fetched
    with warehouse.connect(settings.warehouse, read_only=True) as con:
        if not warehouse.has_table(con, "runs"):
            return fetched
        return [b for b in fetched if not warehouse.batch_loaded(con, b)]


def archived_batches(settings: Settings, date_from: str, date_to: str) -> list[str]:
    """Batches in the archive whose run key's day is within [date_from, date_to], oldest first."""
    days = (date.fromisoformat(date_from), date.fromisoformat(date_to))
    found = []
    for manifest in sorted(settings.staging_dir.glob("*/fetched.json")):
        run_key = json.loads(manifest.read_text(encoding="utf-8"))["run_key"]
        if days[0] <= date.fromisoformat(run_key[:10]) <= days[1]:
            found.append(manifest.parent.name)
    return found


def process_batch(settings: Settings, batch_id: str) -> str:
    """Parse, extract and validate one fetched batch (everything before the load)."""
    return validate_batch(settings, extract_batch(settings, parse_batch(settings, batch_id)))


def run_once(
    settings: Settings, sources_path: Path, run_key: str, base_url: str | None = None
) -> dict[str, Any]:
    """The whole pipeline once, without Airflow, through the same functions the DAGs call."""
    batch_ids = []
    failed: Counter[str] = Counter()
    for source in select_sources(sources_path, base_url):
        batch_id = fetch_source(settings, source, run_key)
        try:
            batch_ids.append(process_batch(settings, batch_id))
        except Exception as exc:  # one source's failure must not stop the others
            log.error("source %s failed: %s", source.name, exc)
            failed[type(exc).__name__] += 1
    summary = load_batches(settings, batch_ids)
    for reason, n in failed.items():
        summary["failures_by_reason"][f"batch:{reason}"] = n
    return summary
