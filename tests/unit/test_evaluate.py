"""Scorer of the extract stage: multiset matching, per-language figures, tolerant gold loading."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from newsfacts.extract import evaluate
from newsfacts.settings import PROJECT_ROOT

GOLD_DIR = PROJECT_ROOT / "tests" / "fixtures" / "gold"

AR_TEXT = (
    "وتنشر واشنطن 2500 عسكري في العراق، ونحو 900 في سوريا، وقال البنتاغون الاثنين "
    "إن القوات باقية منذ العام 2014."
)
EN_TEXT = "The United States keeps about 28,500 troops in South Korea, the Pentagon said on Friday."


def troop(actor: str, location: str | None, count: int, **extra: Any) -> dict[str, Any]:
    return {"actor": actor, "location": location, "count": count, **extra}


def day(value: str, mod: str | None = None) -> dict[str, Any]:
    return {"value": value, "mod": mod}


GOLD = [
    {
        "id": "ar-1",
        "lang": "ar",
        "published": "2024-01-08",
        "text": AR_TEXT,
        "troop_counts": [troop("USA", "IRQ", 2500), troop("USA", "SYR", 900)],
        "dates": [day("2024-01-08"), day("2014")],
    },
    {
        "id": "en-1",
        "lang": "en",
        "published": "2024-01-08",
        "text": EN_TEXT,
        "troop_counts": [troop("USA", "KOR", 28500)],
        "dates": [day("2024-01-05")],
    },
]


def write_jsonl(path: Path, records: list[dict[str, Any]]) -> Path:
    path.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8"
    )
    return path


def perfect() -> dict[str, dict[str, Any]]:
    return {r["id"]: {"troop_counts": r["troop_counts"], "dates": r["dates"]} for r in GOLD}


@pytest.fixture
def gold(tmp_path: Path) -> Path:
    return write_jsonl(tmp_path / "gold.jsonl", GOLD)


def test_perfect_predictions_score_one_everywhere(gold: Path) -> None:
    result = evaluate.evaluate(gold, perfect(), with_dateparser=False)
    assert set(result) == {"ar", "en", "all"}
    for group, troops, dates in (("ar", 2, 2), ("en", 1, 1), ("all", 3, 3)):
        assert result[group]["troops"] == {
            "p": 1.0,
            "r": 1.0,
            "f1": 1.0,
            "gold": troops,
            "pred": troops,
            "tp": troops,
        }
        assert result[group]["dates"]["f1"] == 1.0
        assert result[group]["dates"]["gold"] == dates
        assert result[group]["dates_dateparser"] is None
    assert result["ar"]["items"] == 1 and result["all"]["items"] == 2


def test_partial_predictions_give_micro_figures(gold: Path) -> None:
    predictions = perfect()
    # ar: one count right, one with the wrong location; one date right, one with a wrong mod.
    predictions["ar-1"] = {
        "troop_counts": [troop("USA", "IRQ", 2500), troop("USA", "IRQ", 900)],
        "dates": [day("2024-01-08"), day("2014", "END")],
    }
    # en: the count right plus a spurious one (a year read as a count); the date missed.
    predictions["en-1"] = {
        "troop_counts": [troop("USA", "KOR", 28500), troop("USA", "KOR", 2024)],
        "dates": [],
    }
    result = evaluate.evaluate(gold, predictions, with_dateparser=False)
    assert result["ar"]["troops"] == {
        "p": 0.5,
        "r": 0.5,
        "f1": 0.5,
        "gold": 2,
        "pred": 2,
        "tp": 1,
    }
    assert result["en"]["troops"]["p"] == 0.5 and result["en"]["troops"]["r"] == 1.0
    assert result["en"]["troops"]["f1"] == pytest.approx(0.6667)
    assert result["en"]["dates"]["p"] == 0.0 and result["en"]["dates"]["r"] == 0.0
    # micro over all items: troops 2 of 4 predicted, 2 of 3 gold; dates 1 of 2 and 1 of 3.
    assert result["all"]["troops"]["p"] == 0.5
    assert result["all"]["troops"]["r"] == pytest.approx(0.6667)
    assert result["all"]["dates"]["p"] == 0.5
    assert result["all"]["dates"]["r"] == pytest.approx(0.3333)


def test_a_fact_predicted_twice_counts_once(gold: Path) -> None:
    predictions = perfect()
    predictions["en-1"] = {
        "troop_counts": [troop("USA", "KOR", 28500), troop("USA", "KOR", 28500)],
        "dates": [day("2024-01-05"), day("2024-01-05")],
    }
    result = evaluate.evaluate(gold, predictions, with_dateparser=False)
    assert result["en"]["troops"]["tp"] == 1 and result["en"]["troops"]["pred"] == 2
    assert result["en"]["troops"]["p"] == 0.5 and result["en"]["troops"]["r"] == 1.0
    assert result["en"]["dates"]["p"] == 0.5


def test_dedupe_counts_a_fact_predicted_twice_once(gold: Path) -> None:
    predictions = perfect()
    predictions["en-1"] = {
        "troop_counts": [troop("USA", "KOR", 28500)] * 2 + [troop("USA", "KOR", 2024)] * 2,
        "dates": [day("2024-01-05")] * 3,
    }
    result = evaluate.evaluate(gold, predictions, with_dateparser=False, dedupe=True)
    # The duplicated right fact counts once; the duplicated wrong one is still one error.
    assert result["en"]["troops"] == {
        "p": 0.5,
        "r": 1.0,
        "f1": 0.6667,
        "gold": 1,
        "pred": 2,
        "tp": 1,
    }
    assert result["en"]["dates"]["p"] == 1.0


def test_a_gold_fact_listed_twice_needs_two_predictions(tmp_path: Path) -> None:
    record = {**GOLD[1], "troop_counts": [troop("USA", "KOR", 28500)] * 2}
    path = write_jsonl(tmp_path / "g.jsonl", [record])
    once = {"en-1": {"troop_counts": [troop("USA", "KOR", 28500)], "dates": []}}
    result = evaluate.evaluate(path, once, with_dateparser=False)
    assert result["en"]["troops"]["r"] == 0.5 and result["en"]["troops"]["p"] == 1.0


def test_empty_gold_and_no_predictions_score_one(tmp_path: Path) -> None:
    record = {"id": "n-1", "lang": "en", "text": "Officials met in Geneva.", "troop_counts": []}
    path = write_jsonl(tmp_path / "g.jsonl", [record])
    result = evaluate.evaluate(
        path, {"n-1": {"troop_counts": [], "dates": []}}, with_dateparser=False
    )
    assert result["en"]["troops"] == {"p": 1.0, "r": 1.0, "f1": 1.0, "gold": 0, "pred": 0, "tp": 0}


def test_predicting_nothing_scores_zero_not_perfect_precision(gold: Path) -> None:
    result = evaluate.evaluate(gold, {"unrelated": {"troop_counts": [troop("USA", None, 1)]}})
    for kind in ("troops", "dates"):
        assert result["all"][kind]["p"] == 0.0 and result["all"][kind]["r"] == 0.0
        assert result["all"][kind]["pred"] == 0


def test_missing_keys_numeric_ids_times_and_script_detection(tmp_path: Path) -> None:
    records = [
        # No lang, numeric id, a published date-time, facts without any optional key.
        {
            "id": 7,
            "published": "2024-01-08T10:15:00+03:00",
            "text": AR_TEXT,
            "troop_counts": [{"actor": "USA", "location": "IRQ", "count": "2,500"}],
            "dates": [{"value": "2024-01-08"}],
        },
        # Upper-case lang tag with a region, no dates key at all.
        {"id": "x", "lang": "EN-us", "text": EN_TEXT, "troop_counts": [troop("usa", "kor", 28500)]},
    ]
    path = write_jsonl(tmp_path / "g.jsonl", records)
    items = evaluate.load_gold(path)
    assert [(i.id, i.lang, str(i.published)) for i in items] == [
        ("7", "ar", "2024-01-08"),
        ("x", "en", "None"),
    ]
    assert items[0].troops == [("USA", "IRQ", 2500)] and items[0].dates == [("2024-01-08", None)]
    predictions = {
        7: {"troop_counts": [troop("USA", "IRQ", 2500.0)], "dates": [day("2024-01-08", "null")]},
        "x": {"troop_counts": [troop("USA", "KOR", 28500)], "dates": []},
    }
    result = evaluate.evaluate(path, predictions, with_dateparser=False)
    assert result["all"]["troops"]["f1"] == 1.0 and result["all"]["dates"]["f1"] == 1.0


@pytest.mark.parametrize(
    ("gold_location", "predicted_location", "match"),
    [
        (None, "", True),
        ("", None, True),
        (None, "null", True),
        ("IRQ", "irq", True),
        ("IRQ", None, False),
        (None, "SYR", False),
    ],
)
def test_location_normalisation(
    tmp_path: Path, gold_location: str | None, predicted_location: str | None, match: bool
) -> None:
    record = {**GOLD[0], "troop_counts": [troop("USA", gold_location, 2500)], "dates": []}
    path = write_jsonl(tmp_path / "g.jsonl", [record])
    preds = {"ar-1": {"troop_counts": [troop("USA", predicted_location, 2500)], "dates": []}}
    result = evaluate.evaluate(path, preds, with_dateparser=False)
    assert result["ar"]["troops"]["tp"] == int(match)


def test_unusable_facts_are_skipped_not_fatal(tmp_path: Path) -> None:
    record = {
        **GOLD[1],
        "troop_counts": [troop("USA", "KOR", 28500), {"actor": "USA"}, "junk"],
        "dates": [{"mod": "END"}, day("2024-01-05")],
    }
    path = write_jsonl(tmp_path / "g.jsonl", [record])
    item = evaluate.load_gold(path)[0]
    assert item.troops == [("USA", "KOR", 28500)] and item.dates == [("2024-01-05", None)]


def test_repeated_ids_and_bad_lines_are_errors(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="more than once"):
        evaluate.load_gold(write_jsonl(tmp_path / "dup.jsonl", [GOLD[0], GOLD[0]]))
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps(GOLD[0]) + "\n{not json\n", encoding="utf-8")
    with pytest.raises(ValueError, match=":2: invalid JSON"):
        evaluate.load_gold(bad)


def test_single_object_gold_takes_its_text_from_a_file(tmp_path: Path) -> None:
    expected = {k: v for k, v in GOLD[0].items() if k != "text"}
    expected["entities"] = {"person": []}  # extra keys of expected.json are ignored
    gold_file = tmp_path / "expected.json"
    gold_file.write_text(json.dumps(expected, ensure_ascii=False, indent=1), encoding="utf-8")
    text_file = tmp_path / "article.txt"
    text_file.write_text(AR_TEXT, encoding="utf-8")
    with pytest.raises(ValueError, match="--text"):
        evaluate.load_gold(gold_file)
    items = evaluate.load_gold(gold_file, text_file)
    assert len(items) == 1 and items[0].text == AR_TEXT and items[0].id == "ar-1"


def test_the_seed_loads_with_its_article(shared_dir: Path) -> None:
    seed = shared_dir / "seed"
    items = evaluate.load_gold(
        seed / "expected.json", seed / "asharq-2024-01-08-us-troops-iraq.ar.txt"
    )
    assert items[0].lang == "ar" and len(items[0].troops) == 2 and len(items[0].dates) == 8
    for actor, location, count in items[0].troops:
        assert str(count) in items[0].text and actor == "USA" and location in {"IRQ", "SYR"}


def test_dateparser_baseline_on_two_lines(tmp_path: Path) -> None:
    records = [
        {
            "id": "b-en",
            "lang": "en",
            "published": "2024-01-10",
            "text": "Defence officials met on Monday, after the drills that ended on August 23, 2020.",
            "dates": [day("2024-01-08"), day("2020-08-23")],
        },
        {
            "id": "b-ar",
            "lang": "ar",
            "published": "2024-01-10",
            "text": "وأعلن العراق انتصاره على داعش أواخر العام 2017، وقال الجيش الأسبوع الماضي "
            "إن الوفد وصل في 23 أغسطس 2020.",
            "dates": [day("2017", "END"), day("2024-W01"), day("2020-08-23")],
        },
    ]
    path = write_jsonl(tmp_path / "g.jsonl", records)
    items = evaluate.load_gold(path)
    # "Monday" resolves against the publication date (a Wednesday), not against today.
    assert evaluate.dateparser_dates(items[0]) == [("2024-01-08", None), ("2020-08-23", None)]
    result = evaluate.evaluate(path, {})
    assert result["en"]["dates_dateparser"]["f1"] == 1.0
    # Only the full date matches: dateparser gives days, never a year with END or an ISO week.
    ar = result["ar"]["dates_dateparser"]
    assert ar["tp"] == 1 and ar["gold"] == 3 and ar["r"] == pytest.approx(0.3333)


def test_main_prints_a_table_errors_and_a_json_last_line(
    gold: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    predictions = perfect()
    predictions["en-1"] = {
        "troop_counts": [troop("USA", None, 28500)],
        "dates": [day("2024-01-05")],
    }
    pred_file = write_jsonl(
        tmp_path / "pred.jsonl", [{"id": k, **v} for k, v in predictions.items()]
    )
    code = evaluate.main(
        [str(gold), "--predictions", str(pred_file), "--no-dateparser", "--errors"]
    )
    out = capsys.readouterr().out.strip().splitlines()
    assert code == 0
    assert out[1].startswith("lang") and any(line.startswith("en ") for line in out)
    assert any("troops missed   (USA, KOR, 28500)" in line for line in out)
    assert any("troops spurious (USA, null, 28500)" in line for line in out)
    last = json.loads(out[-1])
    assert last["en"]["troops"]["tp"] == 0 and last["ar"]["troops"]["f1"] == 1.0
    assert last["all"]["dates_dateparser"] is None


def test_main_reports_unreadable_input(tmp_path: Path) -> None:
    assert evaluate.main([str(tmp_path / "missing.jsonl"), "--no-dateparser"]) == 2


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_gold_files_are_well_formed(lang: str) -> None:
    path = GOLD_DIR / f"{lang}.jsonl"
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert len(records) >= 45
    assert len({r["id"] for r in records}) == len(records)
    negatives = sum(1 for r in records if not r["troop_counts"])
    assert 0.2 <= negatives / len(records) <= 0.35
    for r in records:
        assert r["lang"] == lang and set(r) == {
            "id",
            "lang",
            "published",
            "text",
            "troop_counts",
            "dates",
        }
        for t in r["troop_counts"]:
            assert t["evidence"] in r["text"], (r["id"], t["evidence"])
            assert t["qualifier"] in {"exact", "approx", "at_least", "at_most"}
            assert t["kind"] in {"level", "increase", "decrease", "planned_level"}
            assert (t["count_high"] is None) or t["count_high"] > t["count"]
        for d in r["dates"]:
            assert d["text"] in r["text"], (r["id"], d["text"])
            assert d["mod"] in {None, "START", "MID", "END"}
        keys = [(t["actor"], t["location"], t["count"]) for t in r["troop_counts"]]
        assert len(keys) == len(set(keys)), r["id"]
        assert len({(d["value"], d["mod"]) for d in r["dates"]}) == len(r["dates"]), r["id"]
    items = evaluate.load_gold(path)
    assert all(item.lang == lang for item in items)
