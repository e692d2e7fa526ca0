"""A warehouse of made-up articles and troop counts, for the explorer's tests and benchmark.

Written through the real schema (migrations, the actors reference) and published with the real
snapshot code; only the rows are invented. Every fact's sentence is the article body between
its offsets, as the loader guarantees. Articles alternate English and Arabic; every two
articles form one story whose outlets disagree on the first count, so disagreements exist.

    python tools/synthetic_warehouse.py HOME --facts 1000000
"""

from __future__ import annotations

import argparse
import hashlib
import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pandas as pd

from newsfacts import warehouse
from newsfacts.flow.load import prepare_warehouse
from newsfacts.settings import Settings
from newsfacts.warehouse import snapshot

SOURCES = {"en": ("wire-en", "daily-en"), "ar": ("gazette-ar", "akhbar-ar")}
ACTORS = ("USA", "RUS", "FRA", "GBR", "DEU", "TUR", "NATO", "UN", "Hezbollah", "IRN")
PLACES = ("IRQ", "SYR", "LBN", "JOR", "NER", "MLI", "UKR", "POL", None)
QUALIFIERS = ("exact", "approx", "at_least", "at_most")
KINDS = ("level", "level", "increase", "decrease", "planned_level")
FIRST_DAY = datetime(2020, 1, 1, 8, 0)
EXTRACTOR = ("troops", "synthetic-1")


def _id(*parts: object) -> str:
    return hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:32]


def _sentence(lang: str, count: int, actor: str, place: str | None, names: dict) -> str:
    actor_en, actor_ar = names.get(actor, (actor, actor))
    place_en, place_ar = names.get(place, ("the region", "المنطقة")) if place else ("", "")
    if lang == "ar":
        where = f" في {place_ar}" if place else ""
        return f"قال مسؤولون إن نحو {count:,} جندي من قوات {actor_ar} ينتشرون{where}."
    where = f" in {place_en}" if place else ""
    return f"About {count:,} troops of {actor_en} are deployed{where}, officials said."


def _article(i: int, facts_per_article: int, names: dict) -> tuple[dict, list[dict]]:
    lang = "en" if i % 2 == 0 else "ar"
    source = SOURCES[lang][(i // 2) % 2]
    published = FIRST_DAY + timedelta(days=(i // 2) % 1800, hours=i % 7)
    url = f"https://{source}.example/news/{i}"
    article_id = _id(url)
    title = f"Troops report {i}" if lang == "en" else f"تقرير عن القوات {i}"
    lead = "Officials gave new figures." if lang == "en" else "قدّم المسؤولون أرقاماً جديدة."
    body = f"{title}\n\n{lead}"
    facts = []
    for j in range(facts_per_article):
        # the two copies of a story (articles 2k and 2k+1) report the same pair, counts apart
        k = i // 2 * facts_per_article + j
        actor = ACTORS[k % len(ACTORS)]
        place = PLACES[(k // len(ACTORS)) % len(PLACES)]
        count = 100 * (1 + k % 50) + (i % 2) * 100 * (j == 0)
        sentence = _sentence(lang, count, actor, place, names)
        body += " "
        start = len(body)
        body += sentence
        facts.append(
            {
                "fact_id": _id(article_id, start, actor, place, count),
                "article_id": article_id,
                "actor": actor,
                "location": place,
                "count": count,
                "count_high": count + 50 if k % 11 == 0 else None,
                "qualifier": QUALIFIERS[k % len(QUALIFIERS)],
                "kind": KINDS[k % len(KINDS)],
                "sentence": sentence,
                "char_start": start,
                "char_end": start + len(sentence),
                "extractor": EXTRACTOR[0],
                "extractor_version": EXTRACTOR[1],
                "batch_id": f"{published:%Y-%m-%d}__{source}",
                "as_of": str(published.year - 1) if k % 13 == 0 else None,
            }
        )
    article = {
        "article_id": article_id,
        "canonical_url": url,
        "url": url,
        "source": source,
        "title": title,
        "published_at_utc": published,
        "published_as_written": published.isoformat(),
        "lang": lang,
        "authors": [],
        "body": body,
        "body_chars": len(body),
        "parse_methods": "{}",
        "warc_file": f"archive/{source}.warc.gz",
        "warc_offset": i,
        "fetched_at_utc": published,
        "batch_id": f"{published:%Y-%m-%d}__{source}",
    }
    return article, facts


def _operations(batches: list[str]) -> dict[str, list[dict[str, Any]]]:
    """runs, validation results, quarantine and fetch log rows for the batches."""
    runs, results, quarantine, fetches = [], [], [], []
    for n, batch in enumerate(batches):
        source = batch.split("__")[1]
        broken = n % 5 == 0
        runs.append(
            {
                "batch_id": batch,
                "run_key": batch.split("__")[0],
                "source": source,
                "pages_fetched": 10,
                "pages_unchanged": 0,
                "fetch_failures": n % 3,
                "articles_parsed": 10,
                "parse_failures": 0,
                "facts_loaded": 100,
                "records_quarantined": 2 if broken else 0,
                "failures_by_reason": json.dumps({"HTTP503": n % 3} if n % 3 else {}),
                "extractor_version": EXTRACTOR[1],
            }
        )
        results.append(
            {
                "batch_id": batch,
                "suite": "troop_counts_suite",
                "expectation": "expect_column_values_to_be_between",
                "column_name": "count",
                "success": not broken,
                "element_count": 102,
                "unexpected_count": 2 if broken else 0,
            }
        )
        if broken:
            for r in range(2):
                quarantine.append(
                    {
                        "batch_id": batch,
                        "table_name": "troop_counts",
                        "record_key": _id(batch, r),
                        "record": json.dumps({"actor": "USA", "count": 9_000_000 + r}),
                        "failed_expectations": ["expect_column_values_to_be_between(count)"],
                    }
                )
        for r in range(n % 3):
            fetches.append(
                {
                    "batch_id": batch,
                    "url": f"https://{source}.example/failed/{n}/{r}",
                    "final_url": None,
                    "status": 503,
                    "error_class": "HTTP503",
                    "error": "Service Unavailable",
                    "attempts": 3,
                    "bytes": 0,
                    "elapsed_ms": 120,
                    "fetched_at_utc": datetime.strptime(batch[:10], "%Y-%m-%d"),
                }
            )
    return {
        "runs": runs,
        "validation_results": results,
        "quarantine": quarantine,
        "fetch_log": fetches,
    }


def build(home: Path, facts: int = 2_000, facts_per_article: int = 10) -> Settings:
    """Create <home>/newsfacts.duckdb with `facts` troop counts and publish its snapshot."""
    settings = Settings.from_env(home=home)
    prepare_warehouse(settings)
    with warehouse.connect(settings.warehouse) as con:
        rows = con.execute("SELECT code, name_en, name_ar FROM actors").fetchall()
        names = {code: (en, ar or en) for code, en, ar in rows}
        articles, troop_counts = [], []
        for i in range(max(1, facts // facts_per_article)):
            article, found = _article(i, facts_per_article, names)
            articles.append(article)
            troop_counts.extend(found)
        stories = [
            {
                "article_id": a["article_id"],
                "story_id": articles[i - i % 2]["article_id"],
                "minhash": [0],
                "batch_id": a["batch_id"],
            }
            for i, a in enumerate(articles)
        ]
        tables: dict[str, list[dict[str, Any]]] = {
            "articles": articles,
            "troop_counts": troop_counts,
            "article_stories": stories,
            **_operations(sorted({a["batch_id"] for a in articles})),
        }
        for table, records in tables.items():
            if not records:
                continue
            frame = pd.DataFrame.from_records(records)
            columns = ", ".join(f'"{c}"' for c in frame.columns)
            con.register("incoming", frame)
            con.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM incoming")
            con.unregister("incoming")
        snapshot.publish(con, settings)
    return settings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("home", type=Path)
    parser.add_argument("--facts", type=int, default=2_000)
    args = parser.parse_args()
    settings = build(args.home, args.facts)
    print(settings.warehouse, snapshot.current_snapshot(settings.home))


if __name__ == "__main__":
    main()
