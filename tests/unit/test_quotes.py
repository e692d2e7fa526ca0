"""Quotes: reported speech with its speaker, and quoted names or scare quotes left alone."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsfacts.extract.quotes import extract_quotes
from newsfacts.models import Quote

ARABIC = [
    (
        'وقال وزير الخارجية الأردني أيمن الصفدي في مؤتمر صحافي: "لن نسمح بأن تتحول أراضينا إلى '
        'ساحة حرب".',
        [("أيمن الصفدي", "لن نسمح بأن تتحول أراضينا")],
    ),
    (
        'وقال المتحدث باسم الجيش الإسرائيلي دانيال هاغاري، إن "العمليات ستستمر حتى تحقيق أهدافها".',
        [("دانيال هاغاري", "العمليات ستستمر")],
    ),
    (
        'وقال قائد الشرطة العميد سالم الجبوري: "الوضع تحت السيطرة الكاملة".\n\n'
        'وأضاف: "لا توجد أي خروقات أمنية حتى الآن".',
        [("سالم الجبوري", "الوضع تحت السيطرة"), ("سالم الجبوري", "لا توجد أي خروقات")],
    ),
    (
        "قال المبعوث الأممي هانس غروندبرغ إن المحادثات مستمرة.\n\n"
        'وقال غروندبرغ للصحافيين: "نحتاج إلى وقف دائم لإطلاق النار".',
        [("هانس غروندبرغ", "نحتاج إلى وقف دائم")],
    ),
    (
        'وقال متحدث باسم الوزارة في بيان: "نتابع الوضع عن كثب مع شركائنا".',
        [("متحدث باسم الوزارة", "نتابع الوضع عن كثب")],
    ),
    (
        "وقال الوزير في تصريح لوكالة الأنباء الرسمية: «سنرد في الوقت المناسب على هذا الاعتداء»",
        [("الوزير", "سنرد في الوقت المناسب")],
    ),
    (
        'وقال رئيس الوزراء اللبناني نجيب ميقاتي: "لبنان لا يريد الحرب"، مضيفاً: "لكننا لن نقف '
        'مكتوفي الأيدي".',
        [("نجيب ميقاتي", "لبنان لا يريد الحرب"), ("نجيب ميقاتي", "لكننا لن نقف")],
    ),
]

ENGLISH = [
    (
        "\u201cWe are not going anywhere,\u201d Defense Secretary Lloyd Austin told reporters.",
        [("Lloyd Austin", "We are not going anywhere")],
    ),
    (
        '"The attacks must stop," said Maj. Gen. Pat Ryder, the Pentagon press secretary.',
        [("Pat Ryder", "The attacks must stop")],
    ),
    (
        "Pentagon spokesman Maj. Gen. Pat Ryder briefed reporters on Monday.\n\n"
        'Ryder said: "We have no plans to withdraw our forces."',
        [("Pat Ryder", "We have no plans to withdraw")],
    ),
    (
        'Iraqi Foreign Minister Fuad Hussein said: "We need a new kind of relationship." '
        '"It will take time," he added.',
        [("Fuad Hussein", "We need a new kind"), ("Fuad Hussein", "It will take time")],
    ),
    (
        '"We are monitoring the situation closely," a State Department spokesperson said.',
        [("a State Department spokesperson", "We are monitoring")],
    ),
    (
        '"The base was hit twice in one night," according to a US defence official.',
        [("a US defence official", "The base was hit twice")],
    ),
    (
        "\u201cThe peacekeepers' mission is complete,\u201d said Elnur Mammadli, a foreign "
        "policy adviser to the Azerbaijani president.",
        [("Elnur Mammadli", "The peacekeepers' mission is complete")],
    ),
]


def assert_quotes(quotes: list[Quote], expected: list[tuple[str, str]]) -> None:
    """Same number of quotes, each with the expected speaker and opening words."""
    assert len(quotes) == len(expected), quotes
    for quote, (speaker, start) in zip(quotes, expected, strict=True):
        assert (quote.speaker, quote.text[: len(start)]) == (speaker, start)


@pytest.mark.parametrize(("text", "expected"), ARABIC)
def test_arabic_speech_and_speaker(text: str, expected: list[tuple[str, str]]) -> None:
    assert_quotes(extract_quotes(text, "ar"), expected)


@pytest.mark.parametrize(("text", "expected"), ENGLISH)
def test_english_speech_and_speaker(text: str, expected: list[tuple[str, str]]) -> None:
    assert_quotes(extract_quotes(text, "en"), expected)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ('نفت وزارة الدفاع الأميركية "البنتاجون"، الاثنين، وجود خطط حالية لسحب قواتها.', "ar"),
        ('منذ اندلاع الحرب بين إسرائيل وحركة "حماس" الفلسطينية في قطاع غزة.', "ar"),
        ('أعلن العراق انتهاء المهمة "القتالية" للتحالف، وتحولها إلى مهام "استشارية".', "ar"),
        ('مؤكداً على مواصلة بلاده "التركيز بشدة على مهمة هزيمة تنظيم داعش".', "ar"),
        ('وتتبنى معظم الهجمات "المقاومة الإسلامية في العراق" التي تجمع فصائل.', "ar"),
        ('وعرض فيلم "الطريق إلى دمشق الجديدة" في مهرجان القاهرة السينمائي.', "ar"),
        ('The film "Saving Private Ryan" was shown on Sunday.', "en"),
        ('Residents described a "dangerous and rapid escalation" along the border.', "en"),
        ('UNIFIL warned of a "very dangerous situation" in the south.', "en"),
        ('The group, known as "the Islamic Resistance in Iraq", said it launched drones.', "en"),
        ("He said the talks were constructive and would resume next week.", "en"),
    ],
)
def test_names_titles_and_scare_quotes_are_not_speech(text: str, lang: str) -> None:
    assert extract_quotes(text, lang) == []


def test_quote_offsets_cover_the_words_without_marks() -> None:
    texts = [(t, "ar") for t, _ in ARABIC] + [(t, "en") for t, _ in ENGLISH]
    count = 0
    for text, lang in texts:
        for quote in extract_quotes(text, lang):
            count += 1
            assert text[quote.char_start : quote.char_end] == quote.text
            assert quote.text[0] not in '"\u201c\u201d\u00ab\u00bb '
            assert quote.text[-1] not in '"\u201c\u201d\u00ab\u00bb ,'
    assert count == sum(len(e) for _, e in ARABIC) + sum(len(e) for _, e in ENGLISH)


def test_no_quotation_marks_no_quotes() -> None:
    assert extract_quotes("", "en") == []
    assert extract_quotes("وقال الوزير إن المحادثات مستمرة.", "ar") == []


def test_seed_article_quotes(shared_dir: Path) -> None:
    seed = shared_dir / "seed"
    text = (seed / "asharq-2024-01-08-us-troops-iraq.ar.txt").read_text(encoding="utf-8")
    expected = json.loads((seed / "expected.json").read_text(encoding="utf-8"))["quotes"]
    assert_quotes(extract_quotes(text, "ar"), [(e["speaker"], e["starts_with"]) for e in expected])
