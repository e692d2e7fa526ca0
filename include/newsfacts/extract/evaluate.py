"""Evaluation of the extract stage: troop counts and dates scored against a hand-labelled gold set.

Gold is JSON lines, one paragraph or article per line: {id, lang, published, text, troop_counts,
dates} (tests/fixtures/gold/README.md). A troop count matches on (actor, location, count), a date
on (value, mod); matching is a multiset intersection, so each gold fact matches at most one
predicted fact and a fact predicted twice counts once right and once wrong. Scores are micro
precision, recall and F1 per language and over all items, with dateparser's `search_dates` on
the same texts as a date baseline.

    newsfacts eval GOLD.jsonl [--predictions PRED.jsonl] [--no-dateparser] [--errors] [--dedupe]
    newsfacts eval expected.json --text article.txt
    newsfacts eval tests/fixtures/realnews/en.jsonl --texts .cache/realnews --split dev

A record without a `text` (the real-news set, whose texts are the publishers') takes it from
`--texts DIR/<id>.txt`, checked against the record's sha256; a record whose `dates` is null was
not labelled for dates and counts for troop counts only.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import sys
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, TextIO

log = logging.getLogger(__name__)

# A troop count is identified by (actor, location, count), a date by (value, mod).
TroopKey = tuple[str, str | None, int]
DateKey = tuple[str, str | None]
FactKey = TroopKey | DateKey

LANGUAGES = ("ar", "en")
KINDS = ("troops", "dates", "dates_dateparser")


@dataclass(frozen=True)
class GoldItem:
    """One labelled text: the facts a correct extractor finds in it, as match keys."""

    id: str
    lang: str
    published: date | None
    text: str
    troops: list[TroopKey] = field(default_factory=list)
    dates: list[DateKey] = field(default_factory=list)
    evidence: dict[TroopKey, str] = field(default_factory=dict)
    date_texts: dict[DateKey, str] = field(default_factory=dict)
    dates_labelled: bool = True


@dataclass
class Tally:
    """Counts behind one precision/recall/F1 figure."""

    tp: int = 0
    gold: int = 0
    pred: int = 0

    def add(self, gold: Iterable[FactKey], pred: Iterable[FactKey]) -> None:
        gold_counts, pred_counts = Counter(gold), Counter(pred)
        self.tp += sum((gold_counts & pred_counts).values())
        self.gold += sum(gold_counts.values())
        self.pred += sum(pred_counts.values())

    def figures(self) -> dict[str, float | int]:
        """p, r, f1 (rounded), with gold, pred and tp; nothing to find and nothing found is 1.0."""
        if self.gold == 0 and self.pred == 0:
            p = r = 1.0
        else:
            p = self.tp / self.pred if self.pred else 0.0
            r = self.tp / self.gold if self.gold else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        return {
            "p": round(p, 4),
            "r": round(r, 4),
            "f1": round(f1, 4),
            "gold": self.gold,
            "pred": self.pred,
            "tp": self.tp,
        }


# ---------------------------------------------------------------------------------------------
# Reading gold and predictions


def _code(value: Any) -> str | None:
    """Actor or location as compared: stripped and upper-cased; empty means none."""
    if value is None:
        return None
    text = str(value).strip()
    return text.upper() if text and text.lower() not in {"null", "none"} else None


def _count(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return int(value)
    try:
        return int(float(str(value).replace(",", "").replace("_", "").strip()))
    except ValueError:
        return None


def troop_key(fact: Mapping[str, Any]) -> TroopKey | None:
    """(actor, location, count) of a troop-count dict, or None when actor or count is unusable."""
    actor, count = _code(fact.get("actor")), _count(fact.get("count"))
    if actor is None or count is None:
        return None
    return (actor, _code(fact.get("location")), count)


def date_key(fact: Mapping[str, Any]) -> DateKey | None:
    """(value, mod) of a date dict, or None when it has no value."""
    value = fact.get("value")
    if value is None or not str(value).strip():
        return None
    mod = fact.get("mod")
    mod_text = str(mod).strip().upper() if mod is not None else ""
    return (str(value).strip(), mod_text if mod_text and mod_text != "NULL" else None)


def _keys(facts: Any, make: Any, where: str) -> list[Any]:
    keys = []
    for fact in facts or []:
        key = make(fact) if isinstance(fact, Mapping) else None
        if key is None:
            log.warning("%s: ignoring unusable fact %r", where, fact)
        else:
            keys.append(key)
    return keys


def _published(value: Any) -> date | None:
    """The date part of an ISO date or date-time ("2024-01-08", "2024-01-08T10:15:00+03:00")."""
    if not value:
        return None
    try:
        return date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        log.warning("unreadable published date %r: relative dates resolve against today", value)
        return None


def _lang(value: Any, text: str) -> str:
    """ "ar" or "en": the record's own tag ("ar", "AR", "ar-SA") or else the text's script."""
    tag = str(value or "").strip().lower().replace("_", "-").split("-")[0]
    if tag in LANGUAGES:
        return tag
    from newsfacts.text.language import detect_language

    return detect_language(text)


def _words(fact: Mapping[str, Any], key: str, span: tuple[str, str], body: str) -> str:
    """A fact's evidence (or a date's words): as written in the record, or, where the record
    keeps only offsets into the text (the real-news set, whose texts are not ours), cut from it."""
    if fact.get(key):
        return str(fact[key])
    start, end = fact.get(span[0]), fact.get(span[1])
    return body[start:end] if isinstance(start, int) and isinstance(end, int) else ""


def gold_item(record: Mapping[str, Any], number: int, text: str | None = None) -> GoldItem:
    """A GoldItem from one gold record; `text` replaces the record's own text when given."""
    item_id = str(record["id"]) if record.get("id") is not None else f"line-{number}"
    body = text if text is not None else str(record.get("text") or "")
    troops: list[TroopKey] = []
    evidence: dict[TroopKey, str] = {}
    for fact in record.get("troop_counts") or []:
        key = troop_key(fact) if isinstance(fact, Mapping) else None
        if key is None:
            log.warning("%s: ignoring unusable gold troop count %r", item_id, fact)
            continue
        troops.append(key)
        evidence.setdefault(key, _words(fact, "evidence", ("evidence_start", "evidence_end"), body))
    dates: list[DateKey] = []
    date_texts: dict[DateKey, str] = {}
    for fact in record.get("dates") or []:
        dkey = date_key(fact) if isinstance(fact, Mapping) else None
        if dkey is None:
            log.warning("%s: ignoring unusable gold date %r", item_id, fact)
            continue
        dates.append(dkey)
        date_texts.setdefault(dkey, _words(fact, "text", ("start", "end"), body))
    return GoldItem(
        id=item_id,
        lang=_lang(record.get("lang"), body),
        published=_published(record.get("published")),
        text=body,
        troops=troops,
        dates=dates,
        evidence=evidence,
        date_texts=date_texts,
        dates_labelled=record.get("dates", []) is not None,
    )


def load_gold(
    path: Path,
    text_path: Path | None = None,
    *,
    texts: Path | None = None,
    split: str | None = None,
) -> list[GoldItem]:
    """Gold items from a JSONL file, a JSON list, or one JSON object (its text from `text_path`).

    A single object without a `text` (the seed's expected.json) needs `text_path`. Records
    without a text take it from `texts`/<id>.txt; with `split`, only records of that split.
    """
    raw = Path(path).read_text(encoding="utf-8-sig")
    try:
        whole = json.loads(raw)
    except json.JSONDecodeError:
        whole = None
    if isinstance(whole, dict):
        if text_path is not None:
            text = Path(text_path).read_text(encoding="utf-8-sig")
        elif whole.get("text"):
            text = None
        else:
            raise ValueError(f"{path} is one JSON object without a text: pass --text FILE")
        return [gold_item(whole, 1, text)]
    if text_path is not None:
        raise ValueError("--text goes with a single-object gold file, not with JSON lines")
    records = whole if isinstance(whole, list) else _json_lines(raw, str(path))
    if split is not None:
        records = [r for r in records if r.get("split") == split]
        if not records:
            raise ValueError(f"{path}: no record in split {split!r}")
    items = [
        gold_item(record, n, cached_text(record, texts)) for n, record in enumerate(records, 1)
    ]
    ids = Counter(item.id for item in items)
    if repeated := sorted(i for i, n in ids.items() if n > 1):
        raise ValueError(f"{path}: ids used more than once: {', '.join(repeated[:10])}")
    return items


def cached_text(record: Mapping[str, Any], texts: Path | None) -> str | None:
    """The record's text from the cache folder when the record holds none, checked by sha256."""
    if record.get("text") or texts is None:
        return None
    path = Path(texts) / f"{record.get('id')}.txt"
    if not path.exists():
        raise ValueError(
            f"{path} is missing: rebuild the cache (tests/fixtures/realnews/README.md)"
        )
    text = path.read_text(encoding="utf-8")
    expected = record.get("sha256")
    if expected and hashlib.sha256(text.encode("utf-8")).hexdigest() != expected:
        raise ValueError(f"{path} differs from the text that was labelled (sha256)")
    return text


def _json_lines(raw: str, where: str) -> list[dict[str, Any]]:
    records = []
    for number, line in enumerate(raw.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ValueError(f"{where}:{number}: invalid JSON: {exc.msg}") from exc
        if not isinstance(record, dict):
            raise ValueError(f"{where}:{number}: expected a JSON object")
        records.append(record)
    return records


def load_predictions(path: Path) -> dict[str, dict[str, Any]]:
    """Predictions by id from JSON lines (or a JSON list) of {id, troop_counts, dates}."""
    raw = Path(path).read_text(encoding="utf-8-sig")
    try:
        whole = json.loads(raw)
    except json.JSONDecodeError:
        whole = None
    if isinstance(whole, dict):
        whole = [whole]
    records = whole if isinstance(whole, list) else _json_lines(raw, str(path))
    return {str(r.get("id")): r for r in records if isinstance(r, dict)}


# ---------------------------------------------------------------------------------------------
# Producing predictions


def predict(items: Iterable[GoldItem]) -> dict[str, dict[str, Any]]:
    """Run the batch extractor (the one behind `newsfacts extract --jsonl`) on the gold texts."""
    from newsfacts.extract.batch import extract_jsonl

    lines = (
        json.dumps(
            {
                "id": item.id,
                "text": item.text,
                "lang": item.lang,
                "published": item.published.isoformat() if item.published else None,
            },
            ensure_ascii=False,
        )
        for item in items
    )
    return {str(result.get("id")): result for result in extract_jsonl(lines)}


def dateparser_dates(item: GoldItem) -> list[DateKey]:
    """Dates dateparser's search_dates finds in the item, as (ISO date, None), each once."""
    from dateparser.search import search_dates

    settings: dict[str, Any] = {}
    if item.published is not None:
        settings["RELATIVE_BASE"] = datetime.combine(item.published, datetime.min.time())
    found = search_dates(item.text, languages=[item.lang], settings=settings) or []
    # Repeated mentions of one date are one fact in the gold; the baseline gets the same rule.
    return list(dict.fromkeys((when.date().isoformat(), None) for _, when in found))


# ---------------------------------------------------------------------------------------------
# Scoring


def predicted_keys(
    prediction: Mapping[str, Any] | None, item_id: str, *, dedupe: bool = False
) -> tuple[list, list]:
    """(troop keys, date keys) of one prediction; a missing prediction predicts nothing.

    With `dedupe`, a fact predicted more than once in the item (one record per mention) counts
    once, as the gold lists it; without it, each extra copy is a false positive.
    """
    if not prediction:
        return [], []
    if prediction.get("error"):
        log.warning("%s: the extractor reported an error: %s", item_id, prediction["error"])
    troops = _keys(prediction.get("troop_counts"), troop_key, item_id)
    dates = _keys(prediction.get("dates"), date_key, item_id)
    if dedupe:
        return list(dict.fromkeys(troops)), list(dict.fromkeys(dates))
    return troops, dates


def score(
    items: list[GoldItem],
    predictions: Mapping[str, Mapping[str, Any]],
    baseline: Mapping[str, list[DateKey]] | None = None,
    *,
    dedupe: bool = False,
) -> dict[str, Any]:
    """Figures per language present and for "all": troops, dates and dateparser's dates."""
    langs = [lang for lang in LANGUAGES if any(item.lang == lang for item in items)]
    tallies = {group: {kind: Tally() for kind in KINDS} for group in [*langs, "all"]}
    missing = [item.id for item in items if item.id not in predictions]
    if missing:
        log.warning("no prediction for %d items (scored as empty): %s", len(missing), missing[:5])
    for item in items:
        troops, dates = predicted_keys(predictions.get(item.id), item.id, dedupe=dedupe)
        for group in (item.lang, "all"):
            tallies[group]["troops"].add(item.troops, troops)
            if not item.dates_labelled:
                continue
            tallies[group]["dates"].add(item.dates, dates)
            if baseline is not None:
                tallies[group]["dates_dateparser"].add(item.dates, baseline.get(item.id, []))
    summary: dict[str, Any] = {}
    for group, kinds in tallies.items():
        count = sum(1 for item in items if group in {"all", item.lang})
        summary[group] = {"items": count}
        for kind, tally in kinds.items():
            summary[group][kind] = tally.figures()
        if baseline is None:
            summary[group]["dates_dateparser"] = None
    return summary


def errors(
    item: GoldItem, prediction: Mapping[str, Any] | None, *, dedupe: bool = False
) -> dict[str, list[Any]]:
    """False negatives and false positives of one item, for troops and dates."""
    troops, dates = predicted_keys(prediction, item.id, dedupe=dedupe)
    out: dict[str, list[Any]] = {}
    if not item.dates_labelled:
        dates = []
    for kind, gold, pred in (("troops", item.troops, troops), ("dates", item.dates, dates)):
        gold_counts, pred_counts = Counter(gold), Counter(pred)
        out[f"{kind}_missed"] = list((gold_counts - pred_counts).elements())
        out[f"{kind}_spurious"] = list((pred_counts - gold_counts).elements())
    return out


def evaluate(
    gold_path: Path,
    predictions: dict[str, dict] | None = None,
    *,
    with_dateparser: bool = True,
    text_path: Path | None = None,
    dedupe: bool = False,
    texts: Path | None = None,
    split: str | None = None,
) -> dict:
    """Score `predictions` (by id; when None, the batch extractor's output) against the gold.

    Returns {lang: {"items", "troops", "dates", "dates_dateparser"}} for each language present
    and "all"; each figure is {"p", "r", "f1", "gold", "pred", "tp"} ("dates_dateparser" is None
    when `with_dateparser` is False). `dedupe` counts a fact predicted twice in one item once.
    """
    items = load_gold(Path(gold_path), text_path, texts=texts, split=split)
    preds = predict(items) if predictions is None else {str(k): v for k, v in predictions.items()}
    baseline = {item.id: dateparser_dates(item) for item in items} if with_dateparser else None
    return score(items, preds, baseline, dedupe=dedupe)


# ---------------------------------------------------------------------------------------------
# Command line


def format_table(summary: Mapping[str, Any]) -> str:
    """A fixed-width table: one row per language and one for all items."""
    head = (
        f"{'lang':5} {'items':>5} | {'troops gold':>11} {'P':>6} {'R':>6} {'F1':>6} |"
        f" {'dates gold':>10} {'P':>6} {'R':>6} {'F1':>6} | {'dateparser P':>12} {'R':>6} {'F1':>6}"
    )
    lines = [head, "-" * len(head)]
    for group, row in summary.items():
        t, d, b = row["troops"], row["dates"], row["dates_dateparser"]
        base = (
            f"{b['p']:12.3f} {b['r']:6.3f} {b['f1']:6.3f}" if b else f"{'-':>12} {'-':>6} {'-':>6}"
        )
        lines.append(
            f"{group:5} {row['items']:5d} | {t['gold']:11d} {t['p']:6.3f} {t['r']:6.3f}"
            f" {t['f1']:6.3f} | {d['gold']:10d} {d['p']:6.3f} {d['r']:6.3f} {d['f1']:6.3f} | {base}"
        )
    return "\n".join(lines)


def _format_key(key: FactKey) -> str:
    return "(" + ", ".join("null" if part is None else str(part) for part in key) + ")"


def format_errors(
    items: list[GoldItem], predictions: Mapping[str, Mapping[str, Any]], *, dedupe: bool = False
) -> str:
    """Missed (false negative) and spurious (false positive) facts, item by item."""
    lines = []
    for item in items:
        found = errors(item, predictions.get(item.id), dedupe=dedupe)
        if not any(found.values()):
            continue
        lines.append(f"== {item.id} [{item.lang}] {item.text[:90]}")
        for key in found["troops_missed"]:
            lines.append(f"  troops missed   {_format_key(key)}  <- {item.evidence.get(key, '')}")
        for key in found["troops_spurious"]:
            lines.append(f"  troops spurious {_format_key(key)}")
        for key in found["dates_missed"]:
            lines.append(f"  dates missed    {_format_key(key)}  <- {item.date_texts.get(key, '')}")
        for key in found["dates_spurious"]:
            lines.append(f"  dates spurious  {_format_key(key)}")
    return "\n".join(lines)


def main(argv: list[str] | None = None, out: TextIO | None = None) -> int:
    """`newsfacts eval`: print the table (and errors), then the figures as one JSON line."""
    parser = argparse.ArgumentParser(
        prog="newsfacts eval", description="score extraction against a gold file"
    )
    parser.add_argument("gold", type=Path, help="gold JSONL (or one JSON object with --text)")
    parser.add_argument("--predictions", type=Path, help="JSONL of {id, troop_counts, dates}")
    parser.add_argument("--text", type=Path, help="the article text for a single-object gold")
    parser.add_argument(
        "--texts", type=Path, help="folder of <id>.txt for records without a text (real news)"
    )
    parser.add_argument("--split", help="score only the records of this split (dev, test)")
    parser.add_argument(
        "--no-dateparser", action="store_true", help="skip the dateparser date baseline"
    )
    parser.add_argument("--errors", action="store_true", help="list missed and spurious facts")
    parser.add_argument(
        "--dedupe",
        action="store_true",
        help="count a fact predicted more than once in an item once (default: extra copies are"
        " false positives)",
    )
    args = parser.parse_args(argv)
    out = out or sys.stdout
    try:
        items = load_gold(args.gold, args.text, texts=args.texts, split=args.split)
        preds = load_predictions(args.predictions) if args.predictions else predict(items)
    except (OSError, ValueError) as exc:
        log.error("%s", exc)
        return 2
    except ImportError as exc:
        log.error("the extractors are not available (%s): pass --predictions", exc)
        return 2
    baseline = None if args.no_dateparser else {item.id: dateparser_dates(item) for item in items}
    summary = score(items, preds, baseline, dedupe=args.dedupe)
    out.write(f"{args.gold}: {len(items)} items\n{format_table(summary)}\n")
    if args.errors:
        out.write(format_errors(items, preds, dedupe=args.dedupe) + "\n")
    out.write(json.dumps(summary, ensure_ascii=False) + "\n")
    return 0
