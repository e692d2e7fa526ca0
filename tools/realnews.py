"""The real-news evaluation set: cached passages of other publishers' pages, our labels beside them.

The labels (tests/fixtures/realnews/{ar,en}.jsonl) are ours and committed; the texts are the
publishers' and live only in a git-ignored cache (.cache/realnews/ID.txt), tied to the labels by
the sha256 of the cleaned text. tests/fixtures/realnews/README.md says how the cache is rebuilt.

    python tools/realnews.py add ID --lang en --query "..." --result RESULT.json
    python tools/realnews.py check [LABELS.jsonl ...]
    python tools/realnews.py spans LABELS.jsonl ...
    python tools/realnews.py merge
    python tools/realnews.py stats
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from newsfacts.extract.actors import actor_reference
from newsfacts.facts.date_mentions import MODS, TIMEX_VALUE
from newsfacts.facts.troop_counts import KINDS, QUALIFIERS

ROOT = Path(__file__).resolve().parents[1]
LABELS = ROOT / "tests" / "fixtures" / "realnews"
CACHE = ROOT / ".cache" / "realnews"

DATE_VALUE = re.compile(TIMEX_VALUE)
# The page store opens some excerpts with the date it saw the page published: " date 2022-02-02".
DATE_MARKER = re.compile(r"^\s*date (\d{4}(?:-\d{2}){0,2})\s+")


def clean(excerpt: str) -> tuple[str, str | None]:
    """(text, published) from a search excerpt: the store's date marker taken off, lines trimmed,
    blank runs folded to one empty line. The same excerpt always gives the same text."""
    published = None
    if match := DATE_MARKER.match(excerpt):
        # A month alone ("date 2024-04") is not a publication day to resolve dates against.
        published = match.group(1) if len(match.group(1)) == 10 else None
        excerpt = excerpt[match.end() :]
    lines = [line.strip() for line in excerpt.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    return text, published


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def cache_path(item_id: str, cache: Path = CACHE) -> Path:
    return cache / f"{item_id}.txt"


def read_labels(path: Path) -> list[dict[str, Any]]:
    records = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            try:
                records.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise SystemExit(f"{path}:{number}: invalid JSON: {exc.msg}") from exc
    return records


def known_actors() -> set[str]:
    """The actor codes the warehouse's reference table holds (countries, missions, groups)."""
    return {row["code"] for row in actor_reference()}


def problems(record: dict[str, Any], cache: Path, actors: set[str]) -> list[str]:
    """What is wrong with one label record (empty when it is sound)."""
    item_id = record.get("id", "?")
    out = []
    for key in ("id", "lang", "url", "query", "sha256", "troop_counts"):
        if key not in record:
            out.append(f"missing {key}")
    if record.get("lang") not in {"ar", "en"}:
        out.append(f"lang {record.get('lang')!r}")
    if "text" in record:
        out.append("the text is the publisher's: keep it in the cache, not in the labels")
    path = cache_path(str(item_id), cache)
    if not path.exists():
        return [*out, f"no cached text at {path}"]
    text = path.read_text(encoding="utf-8")
    if sha256(text) != record.get("sha256"):
        out.append("cached text does not match its sha256")
    out += troop_problems(record.get("troop_counts") or [], text, actors)
    out += date_problems(record, text)
    return out


def troop_problems(facts: list[dict[str, Any]], text: str, actors: set[str]) -> list[str]:
    out = []
    seen = set()
    for fact in facts:
        key = (fact.get("actor"), fact.get("location"), fact.get("count"))
        if key in seen:
            out.append(f"fact listed twice: {key}")
        seen.add(key)
        if not isinstance(fact.get("count"), int) or fact["count"] <= 0:
            out.append(f"count not a positive integer: {fact}")
        high = fact.get("count_high")
        if high is not None and (not isinstance(high, int) or high <= fact.get("count", 0)):
            out.append(f"count_high not above count: {fact}")
        actor = fact.get("actor")
        if not actor or (actor not in actors and not re.fullmatch(r"[A-Z]{3}", str(actor))):
            out.append(f"unknown actor {actor!r}")
        location = fact.get("location")
        if location is not None and not re.fullmatch(r"[A-Z]{3}", str(location)):
            out.append(f"location not alpha-3 or null: {location!r}")
        if fact.get("qualifier") not in QUALIFIERS:
            out.append(f"qualifier {fact.get('qualifier')!r}")
        if fact.get("kind") not in KINDS:
            out.append(f"kind {fact.get('kind')!r}")
        if not _span_ok(fact.get("evidence_start"), fact.get("evidence_end"), text):
            out.append(f"evidence span out of the text: {fact}")
        if "evidence" in fact:
            out.append("evidence is the publisher's text: keep its offsets, not the words")
    return out


def _span_ok(start: Any, end: Any, text: str) -> bool:
    return isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)


def date_problems(record: dict[str, Any], text: str) -> list[str]:
    out: list[str] = []
    dates = record.get("dates")
    if dates is not None:
        if not record.get("published"):
            out.append("dates labelled without a publication date to resolve them against")
        for fact in dates:
            if not DATE_VALUE.match(str(fact.get("value"))):
                out.append(f"date value {fact.get('value')!r}")
            if fact.get("mod") not in (*MODS, None):
                out.append(f"date mod {fact.get('mod')!r}")
            if not _span_ok(fact.get("start"), fact.get("end"), text):
                out.append(f"date span out of the text: {fact}")
            if "text" in fact:
                out.append("a date's words are the publisher's text: keep its offsets")
    return out


def split_of(url: str) -> str:
    """dev or test, fixed by the article's URL so that one article never sits in both."""
    return "test" if int(hashlib.sha256(url.encode("utf-8")).hexdigest(), 16) % 3 == 0 else "dev"


def cmd_spans(args: argparse.Namespace) -> int:
    """Turn the words a collector copied (evidence, a date's text) into offsets in the cached
    text, so that a labels file holds none of the publisher's words."""
    for path in args.labels:
        records = read_labels(path)
        for record in records:
            text = cache_path(record["id"], args.cache).read_text(encoding="utf-8")
            for fact in record.get("troop_counts") or []:
                if "evidence" in fact:
                    words = fact.pop("evidence")
                    fact["evidence_start"] = text.index(words)
                    fact["evidence_end"] = fact["evidence_start"] + len(words)
            for fact in record.get("dates") or []:
                if "text" in fact:
                    words = fact.pop("text")
                    fact["start"] = text.index(words)
                    fact["end"] = fact["start"] + len(words)
        lines = [json.dumps(r, ensure_ascii=False) for r in records]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 0


def cmd_add(args: argparse.Namespace) -> int:
    result = json.loads(Path(args.result).read_text(encoding="utf-8"))
    text, published = clean(result["excerpt"])
    path = cache_path(args.id, args.cache)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    stub = {
        "id": args.id,
        "lang": args.lang,
        "url": result["url"],
        "query": args.query,
        "sha256": sha256(text),
        "published": published,
        "published_from": "page store" if published else None,
    }
    print(json.dumps(stub, ensure_ascii=False))
    print(text)
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    paths = args.labels or sorted(LABELS.glob("*.jsonl")) + sorted(LABELS.glob("parts/*.jsonl"))
    actors = known_actors()
    bad = 0
    urls: Counter[str] = Counter()
    for path in paths:
        for record in read_labels(Path(path)):
            urls[record.get("url", "")] += 1
            for problem in problems(record, args.cache, actors):
                bad += 1
                print(f"{path}: {record.get('id')}: {problem}")
    for url, n in urls.items():
        if n > 1:
            print(f"note: {url} is labelled {n} times (merge keeps the first)")
    print(f"{bad} problems in {sum(len(read_labels(Path(p))) for p in paths)} records")
    return 1 if bad else 0


def cmd_merge(args: argparse.Namespace) -> int:
    """Parts into ar.jsonl and en.jsonl: one record per URL (the first part to label it wins),
    each with the split its URL fixes, so merging again never moves an article between splits."""
    merged: dict[str, dict[str, dict[str, Any]]] = {"ar": {}, "en": {}}
    for part in sorted(LABELS.glob("parts/*.jsonl")):
        for record in read_labels(part):
            if record["url"] not in merged[record["lang"]]:
                merged[record["lang"]][record["url"]] = {**record, "split": split_of(record["url"])}
    for lang, records in merged.items():
        lines = [json.dumps(r, ensure_ascii=False) for r in records.values()]
        (LABELS / f"{lang}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return cmd_stats(args)


def cmd_stats(args: argparse.Namespace) -> int:
    for path in sorted(LABELS.glob("*.jsonl")) + sorted(LABELS.glob("parts/*.jsonl")):
        records = read_labels(path)
        by_split: Counter[str] = Counter()
        facts: Counter[str] = Counter()
        negatives: Counter[str] = Counter()
        dates: Counter[str] = Counter()
        for r in records:
            split = r.get("split", "-")
            by_split[split] += 1
            facts[split] += len(r.get("troop_counts") or [])
            negatives[split] += not r.get("troop_counts")
            dates[split] += len(r.get("dates") or [])
        for split in sorted(by_split):
            print(
                f"{path.relative_to(LABELS)} {split}: {by_split[split]} passages,"
                f" {facts[split]} troop facts, {negatives[split]} negatives, {dates[split]} dates"
            )
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="realnews", description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=CACHE, help="folder of cached texts")
    sub = parser.add_subparsers(dest="command", required=True)
    add = sub.add_parser("add", help="cache one search result and print its label stub and text")
    add.add_argument("id")
    add.add_argument("--lang", required=True, choices=["ar", "en"])
    add.add_argument("--query", required=True, help="the query that finds the passage again")
    add.add_argument("--result", required=True, help="JSON file with the result's url, excerpt")
    check = sub.add_parser("check", help="labels against the cache and the conventions")
    check.add_argument("labels", nargs="*", type=Path)
    sub.add_parser("merge", help="parts/*.jsonl into ar.jsonl and en.jsonl, with their split")
    spans = sub.add_parser("spans", help="copied evidence and date words -> offsets in the cache")
    spans.add_argument("labels", nargs="+", type=Path)
    sub.add_parser("stats", help="passages, facts and negatives per file and split")
    args = parser.parse_args(argv)
    commands = {
        "add": cmd_add,
        "check": cmd_check,
        "merge": cmd_merge,
        "spans": cmd_spans,
        "stats": cmd_stats,
    }
    return commands[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
