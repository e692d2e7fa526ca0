"""Date mentions: explicit, relative, Hijri and modified dates in Arabic and English wire copy."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest

from newsfacts.extract.dates import extract_dates
from newsfacts.quality.validate import TIMEX_VALUE

# A Monday: the seed article's publication date.
PUBLISHED = date(2024, 1, 8)

Triple = tuple[str, str | None, str]

AR_CASES: list[tuple[str, list[Triple]]] = [
    (
        "وقعت الحادثة في 23 أغسطس 2020 قرب قاعدة التاجي.",
        [("2020-08-23", None, "23 أغسطس 2020")],
    ),
    ("وقّع الطرفان الاتفاق في 23/8/2020 في العاصمة الأردنية.", [("2020-08-23", None, "23/8/2020")]),
    ("ونشرت الوزارة بيانها بتاريخ 2020-08-23 على موقعها.", [("2020-08-23", None, "2020-08-23")]),
    ("وأطلقت الفصائل العملية في 2023/10/07 من عدة محاور.", [("2023-10-07", None, "2023/10/07")]),
    ("وصل الوفد العسكري إلى أربيل في 23 أغسطس.", [("2023-08-23", None, "23 أغسطس")]),
    (
        "وصلت التعزيزات في 23 آب/أغسطس 2020 إلى دير الزور.",
        [("2020-08-23", None, "23 آب/أغسطس 2020")],
    ),
    ("أعلنت الحكومة في أكتوبر 2023 خطة لإعادة الانتشار.", [("2023-10", None, "أكتوبر 2023")]),
    (
        "وبدأت المحادثات في أكتوبر من العام 2023 في مسقط.",
        [("2023-10", None, "أكتوبر من العام 2023")],
    ),
    (
        "وجرى تبادل الأسرى في كانون الثاني 2022 بوساطة قطرية.",
        [("2022-01", None, "كانون الثاني 2022")],
    ),
    (
        "واندلعت المواجهات في تشرين الأول/أكتوبر الماضي في جنوب لبنان.",
        [("2023-10", None, "تشرين الأول/أكتوبر الماضي")],
    ),
    ("وعادت القوات إلى ثكناتها في جانفي 2021.", [("2021-01", None, "جانفي 2021")]),
    (
        "وانطلقت المفاوضات في 5 جويلية 2019 بالجزائر العاصمة.",
        [("2019-07-05", None, "5 جويلية 2019")],
    ),
    ("ووقع الاتفاق في 12 شتنبر 2018 بالرباط.", [("2018-09-12", None, "12 شتنبر 2018")]),
    ("وصادق البرلمان على القانون في 1 يوليوز 2011.", [("2011-07-01", None, "1 يوليوز 2011")]),
    ("وسيطر المسلحون على المدينة في 10 يونيه 2014.", [("2014-06-10", None, "10 يونيه 2014")]),
    ("وعقد المؤتمر في 7 نيسان 2021 في بيروت.", [("2021-04-07", None, "7 نيسان 2021")]),
    (
        "وقُتل ثلاثة جنود في هجوم بطائرة مسيّرة في 28 كانون الثاني 2024.",
        [("2024-01-28", None, "28 كانون الثاني 2024")],
    ),
    ("وفي أغسطس، بدأ الانسحاب التدريجي للقوات.", [("2023-08", None, "أغسطس")]),
    ("واكتمل الانسحاب بسبتمبر بحسب مصادر عسكرية.", [("2023-09", None, "سبتمبر")]),
    ("وانسحبت القوات في آب الماضي من القاعدة.", [("2023-08", None, "آب الماضي")]),
    ("وتجري الانتخابات البلدية في دجنبر المقبل.", [("2024-12", None, "دجنبر المقبل")]),
    (
        "وعادت الحركة إلى طبيعتها في مايو من العام الماضي.",
        [("2023-05", None, "مايو من العام الماضي")],
    ),
    (
        "وأقامت القوات نقاط تفتيش في الـ23 من أغسطس 2020.",
        [("2020-08-23", None, "الـ23 من أغسطس 2020")],
    ),
    ("وفي ٢٣ أغسطس ٢٠٢٠ وصلت طائرة الشحن.", [("2020-08-23", None, "٢٣ أغسطس ٢٠٢٠")]),
    # A day range gives both ends (DESIGN.md).
    (
        "واجتمع الطرفان من 5 إلى 7 أغسطس 2020 في جنيف.",
        [("2020-08-05", None, "5 إلى 7 أغسطس 2020"), ("2020-08-07", None, "5 إلى 7 أغسطس 2020")],
    ),
    ("وقال المتحدث أمس إن المحادثات مستمرة.", [("2024-01-07", None, "أمس")]),
    ("وقال الوزير يوم أمس إن القوات باقية.", [("2024-01-07", None, "يوم أمس")]),
    ("ويعقد المجلس جلسته غدًا في نيويورك.", [("2024-01-09", None, "غدًا")]),
    ("وأكد المسؤول اليوم أن الانسحاب غير مطروح.", [("2024-01-08", None, "اليوم")]),
    ("ووصل وزير الخارجية إلى بغداد يوم الجمعة.", [("2024-01-05", None, "يوم الجمعة")]),
    ("وغادر الوفد الجمعة الماضية بعد جولة مباحثات.", [("2024-01-05", None, "الجمعة الماضية")]),
    ("ومن المقرر أن يصوت البرلمان الثلاثاء المقبل.", [("2024-01-09", None, "الثلاثاء المقبل")]),
    ("ونفت الوزارة، الاثنين، وجود خطط للانسحاب.", [("2024-01-08", None, "الاثنين")]),
    ("وذكرت المصادر أن الهجوم وقع فجر الأربعاء.", [("2024-01-03", None, "الأربعاء")]),
    ("وقالت الشرطة إن الهجوم وقع أمس الأحد.", [("2024-01-07", None, "أمس الأحد")]),
    (
        "ووصل السفير الخميس، وغادر السبت.",
        [("2024-01-04", None, "الخميس"), ("2024-01-06", None, "السبت")],
    ),
    (
        "وعقدت اللجنة اجتماعها الأول الاثنين 8 يناير 2024 في بغداد.",
        [("2024-01-08", None, "الاثنين 8 يناير 2024")],
    ),
    ("وأعلنت الوزارة الشهر الماضي نشر كتيبة إضافية.", [("2023-12", None, "الشهر الماضي")]),
    ("وتراجع عدد الهجمات العام الماضي.", [("2023", None, "العام الماضي")]),
    ("وارتفعت الصادرات النفطية السنة الماضية.", [("2023", None, "السنة الماضية")]),
    ("ويتوقع البنك المركزي نموا أبطأ هذا العام.", [("2024", None, "هذا العام")]),
    ("وتبدأ المناورات المشتركة الأسبوع المقبل.", [("2024-W03", None, "الأسبوع المقبل")]),
    ("وأعلنت بغداد الأسبوع الماضي بدء ترتيبات الانسحاب.", [("2024-W01", None, "الأسبوع الماضي")]),
    ("ولم تسجل البلاد هذا المستوى من العنف منذ 2014.", [("2014", None, "منذ 2014")]),
    ("ومنذ العام 2014، تنتشر القوات في العراق.", [("2014", None, "منذ العام 2014")]),
    ("وأنشئت القاعدة الجوية عام 1990 خلال حرب الخليج.", [("1990", None, "عام 1990")]),
    ("وكان ذلك في العام 2019، حين انسحبت القوات.", [("2019", None, "العام 2019")]),
    ("وفي 2014، سيطر التنظيم على الموصل.", [("2014", None, "في 2014")]),
    ("وتأسست المنظمة عام 1948م في القاهرة.", [("1948", None, "عام 1948م")]),
    (
        "وسيطر التنظيم على مساحات واسعة بين عامي 2014 و2017.",
        [("2014", None, "عامي 2014"), ("2017", None, "2017")],
    ),
    ("وفي منتصف 2023 أعلنت الحكومة خطة جديدة.", [("2023", "MID", "منتصف 2023")]),
    ("وفي مطلع العام الجاري تصاعدت الهجمات.", [("2024", "START", "مطلع العام الجاري")]),
    (
        "وكانت القوات قد انتشرت في أوائل أكتوبر الماضي.",
        [("2023-10", "START", "أوائل أكتوبر الماضي")],
    ),
    ("وبنهاية العام الماضي انسحبت آخر وحدة قتالية.", [("2023", "END", "نهاية العام الماضي")]),
    ("وأعلن الجيش انتهاء العملية أواخر العام 2017.", [("2017", "END", "أواخر العام 2017")]),
    ("وفي أواخر العام 2021، أعلن العراق انتهاء المهمة.", [("2021", "END", "أواخر العام 2021")]),
    ("وتراجعت الأسعار منذ بداية العام 2020.", [("2020", "START", "منذ بداية العام 2020")]),
    ("وأعلنت الهيئة في 15 رمضان 1445 هـ بدء التوزيع.", [("2024-03-25", None, "15 رمضان 1445 هـ")]),
    ("وتراجعت الهجمات خلال رمضان 1445 وفق مصادر أمنية.", [("2024-03", None, "رمضان 1445")]),
    ("وصدر المرسوم عام 1445 هـ.", [("2024", None, "عام 1445 هـ")]),
    (
        "ونزح أكثر من مليون شخص منذ السابع من أكتوبر الماضي.",
        [("2023-10-07", None, "السابع من أكتوبر الماضي")],
    ),
    (
        "ووقعت الاشتباكات في الحادي والعشرين من آذار 2019.",
        [("2019-03-21", None, "الحادي والعشرين من آذار 2019")],
    ),
    ("وتنسحب القوات بحلول 15 سبتمبر المقبل.", [("2024-09-15", None, "15 سبتمبر المقبل")]),
    ("وعاد النازحون في 3 مايو من العام الماضي.", [("2023-05-03", None, "3 مايو من العام الماضي")]),
    ("ويجب أن يكتمل الانسحاب بحلول 30 يونيو.", [("2024-06-30", None, "30 يونيو")]),
    ("وتكفي المساعدات حتى نهاية العام.", [("2024", "END", "نهاية العام")]),
    ("وتراجعت الأسعار منذ مطلع الشهر.", [("2024-01", "START", "مطلع الشهر")]),
]

EN_CASES: list[tuple[str, list[Triple]]] = [
    (
        "The attack took place on August 23, 2020, near the Taji base.",
        [("2020-08-23", None, "August 23, 2020")],
    ),
    ("Officials met on Aug. 23 to discuss the drawdown.", [("2023-08-23", None, "Aug. 23")]),
    ("The two sides met on 23 August in Baghdad.", [("2023-08-23", None, "23 August")]),
    ("Talks resumed on Aug 23 after a pause.", [("2023-08-23", None, "Aug 23")]),
    (
        "Militants attacked the base on the 23rd of August.",
        [("2023-08-23", None, "23rd of August")],
    ),
    (
        "Talks resumed in October 2023 after a lull in fighting.",
        [("2023-10", None, "October 2023")],
    ),
    ("The deal was signed on Sept. 4, 2019, in Doha.", [("2019-09-04", None, "Sept. 4, 2019")]),
    ("The base was handed over on 2 September 2021.", [("2021-09-02", None, "2 September 2021")]),
    ("The sanctions took effect on Dec. 31, 2023.", [("2023-12-31", None, "Dec. 31, 2023")]),
    ("The convoy reached Erbil on 28 Dec. after a long drive.", [("2023-12-28", None, "28 Dec.")]),
    ("The order, dated 2020-08-23, was made public.", [("2020-08-23", None, "2020-08-23")]),
    ("A memo dated 8/23/2020 was leaked to reporters.", [("2020-08-23", None, "8/23/2020")]),
    ("BAGHDAD, Jan 8 (Reuters) - Iraq's prime minister said.", [("2024-01-08", None, "Jan 8")]),
    ("Investigators examined debris from the Oct. 13 strike.", [("2023-10-13", None, "Oct. 13")]),
    ("Sweden became a member of the alliance in March 2024.", [("2024-03", None, "March 2024")]),
    (
        "Both countries applied in May 2022, shortly after the invasion.",
        [("2022-05", None, "May 2022")],
    ),
    ("He delivered his inaugural speech in January, 1961.", [("1961-01", None, "January, 1961")]),
    ("The stadium was completed on May 1, 1923.", [("1923-05-01", None, "May 1, 1923")]),
    (
        "The festival ran April 7-8, 1979, in Los Angeles.",
        [("1979-04-07", None, "April 7-8, 1979"), ("1979-04-08", None, "April 7-8, 1979")],
    ),
    (
        "The exercise runs June 7-17.",
        [("2024-06-07", None, "June 7-17"), ("2024-06-17", None, "June 7-17")],
    ),
    ("Troops will leave by March.", [("2024-03", None, "March")]),
    ("They came home for Christmas.", [("2023-12-25", None, "Christmas")]),
    ("Troops arrived on Christmas Day 2023.", [("2023-12-25", None, "Christmas Day 2023")]),
    (
        "The games were held August 15th to September 8th, 1963.",
        [("1963-08-15", None, "August 15th"), ("1963-09-08", None, "September 8th, 1963")],
    ),
    (
        "Staff will be accommodated from 29 May to 13 July.",
        # Nearest to publication (2024-01-08), and the future tense agrees.
        [("2024-05-29", None, "29 May"), ("2024-07-13", None, "13 July")],
    ),
    (
        "Talks stalled in December and resumed in February.",
        # The nearest February; the past tense moves only a month more than one month ahead.
        [("2023-12", None, "December"), ("2024-02", None, "February")],
    ),
    ("Troops arrived in the region last October.", [("2023-10", None, "last October")]),
    ("Iraq declared victory over Islamic State in late 2017.", [("2017", "END", "late 2017")]),
    ("The combat mission ended in mid-2023, officials said.", [("2023", "MID", "mid-2023")]),
    ("Fighting escalated in early March, residents said.", [("2023-03", "START", "early March")]),
    ("Strikes continued through mid-October, officials said.", [("2023-10", "MID", "mid-October")]),
    ("The agreement expires at the end of 2025.", [("2025", "END", "end of 2025")]),
    ("The deadline was set for the middle of 2024.", [("2024", "MID", "middle of 2024")]),
    ("Tensions rose late last year, diplomats said.", [("2023", "END", "late last year")]),
    (
        "The withdrawal could start at the beginning of next year.",
        [("2025", "START", "beginning of next year")],
    ),
    (
        "The Pentagon said on Friday that no withdrawal was planned.",
        [("2024-01-05", None, "Friday")],
    ),
    ("The minister spoke to reporters on Monday.", [("2024-01-08", None, "Monday")]),
    (
        "Talks were held on Monday, Jan. 8, 2024, in Erbil.",
        [("2024-01-08", None, "Monday, Jan. 8, 2024")],
    ),
    (
        "The vote is next Friday, and talks ended last Monday.",
        [("2024-01-12", None, "next Friday"), ("2024-01-01", None, "last Monday")],
    ),
    (
        "The report, released Wednesday, covers 2022 and 2023.",
        [("2024-01-03", None, "Wednesday")],
    ),
    ("The minister resigned yesterday.", [("2024-01-07", None, "yesterday")]),
    ("Today, the parliament votes on the bill.", [("2024-01-08", None, "Today")]),
    ("Lawmakers will meet again tomorrow.", [("2024-01-09", None, "tomorrow")]),
    ("The base came under rocket fire last week.", [("2024-W01", None, "last week")]),
    ("Militants launched three attacks earlier this week.", [("2024-W02", None, "this week")]),
    ("Oil exports fell last month, the ministry said.", [("2023-12", None, "last month")]),
    ("The economy shrank by 2.1% last year.", [("2023", None, "last year")]),
    (
        "The economy grew this year and will expand next year.",
        [("2024", None, "this year"), ("2025", None, "next year")],
    ),
    ("US forces have been stationed there since 2014.", [("2014", None, "since 2014")]),
    ("The group was founded in 2014 by former army officers.", [("2014", None, "in 2014")]),
    ("In 2014, Islamic State swept across northern Iraq.", [("2014", None, "In 2014")]),
    ("He was born in 1979 in Basra.", [("1979", None, "in 1979")]),
    ("Officials expect that by 2030 the mission will end.", [("2030", None, "by 2030")]),
    ("The 2014 election was disputed by the opposition.", [("2014", None, "2014")]),
    ("Veterans of the 2003 invasion gathered in Baghdad.", [("2003", None, "2003")]),
    ("Fighting has raged since Oct. 8 last year.", [("2023-10-08", None, "Oct. 8 last year")]),
    (
        "The invasion began on 24 February last year.",
        [("2023-02-24", None, "24 February last year")],
    ),
    ("The troops must leave by Sept. 15, officials said.", [("2024-09-15", None, "Sept. 15")]),
    (
        "France will withdraw its troops by the end of the year.",
        [("2024", "END", "end of the year")],
    ),
    ("Exports recovered at the start of the month.", [("2024-01", "START", "start of the month")]),
    (
        "Rebels fought government forces between 2014 and 2017.",
        [("2014", None, "between 2014"), ("2017", None, "2017")],
    ),
]

AR_NEGATIVES = [
    "نفت الوزارة وجود خطط لسحب قواتها البالغ عددها قرابة 2500 جندي من العراق.",
    "ونشرت واشنطن 2000 عسكري إضافي في المنطقة.",
    "ووزعت المساعدات في 2000 موقع في أنحاء البلاد.",
    "وتسلمت القوات 1999 قطعة سلاح خلال الحملة.",
    "وأنشئ التحالف قبل نحو 10 سنوات لمكافحة التنظيم.",
    "ويقيم اللاجئون في المخيم منذ 10 سنوات.",
    "وتولى المنصب لمدة 4 سنوات.",
    "وبدأ الاجتماع عند الساعة 10:30 صباحا.",
    "وبدأ القصف في الساعة العاشرة ليلا.",
    "وتوفي الرئيس السابق البالغ من العمر 79 عامًا.",
    "وارتفعت الأسعار بنسبة 20% خلال أسبوع.",
    "وشارك آلاف المتظاهرين في ذكرى ثورة 25 يناير.",
    "وتحتفل البلاد بذكرى حرب أكتوبر.",
    "ومارس المسؤولون ضغوطا على الحكومة.",
    "وأدى المصلون صلاة الجمعة في المسجد الكبير.",
    "وغدا الوضع الأمني أكثر تعقيدا.",
    "وفي اليوم التالي انسحبت القوات من المدينة.",
    "وذكرت قناة روسيا اليوم أن الوفد وصل.",
    "وفتح باب الحوار أمام جميع الأطراف.",
    "وقال إنه أب لثلاثة أطفال.",
    "وتعرضت القوات لعدة ضربات في الأسابيع الأخيرة.",
    "وغداة ضربة أميركية في بغداد، أعلنت الحكومة موقفها.",
    "وزار الوفد واشنطن منذ فترة للتفاوض.",
    "وخاض الفريق المباراة بتشكيلة من الأحد عشر لاعبا.",
    "وقطعت القوات الجسر للمرة الثانية من نوعها.",
    "ودشن الرئيس جسر السادس من أكتوبر الجديد.",
    "وأقيمت مباراة في نهاية الأسبوع.",
]

EN_NEGATIVES = [
    "The US has about 2,500 troops in Iraq and 900 in Syria.",
    "Aid reached 2000 locations across the country.",
    "Troops fired 1999 rounds during the exercise.",
    "The 2000 additional troops arrived in Kuwait.",
    "The 1999 US soldiers were flown home.",
    "The coalition was formed about 10 years ago.",
    "The war lasted 10 years.",
    "Residents have sheltered in the camp for three days.",
    "The briefing started at 10:30 local time.",
    "The suspect, aged 45, was arrested.",
    "Inflation rose 20% over the period.",
    "Theresa May said the plan would fail.",
    "Officials may march on the capital.",
    "The Sunday Times reported the story.",
    "Christians marked Good Friday with processions.",
    "USA Today reported the figures.",
    "Over the last year, attacks rose sharply.",
    "In the past week, strikes intensified.",
    "The March 8 alliance won seats in parliament.",
    "Jan Egeland said aid was blocked.",
    "Mourners marked the anniversary of the September 11 attacks.",
    "He flew to Mar-a-Lago for talks.",
    "It was the deadliest day in decades.",
]


def _expected(sentence: str, triples: list[Triple]) -> list[tuple[str, str | None, str, int, int]]:
    """The expected mentions with offsets: each text found after the previous one (or the same
    text again: both ends of a day range share their mention)."""
    out: list[tuple[str, str | None, str, int, int]] = []
    pos = 0
    for value, mod, text in triples:
        start = out[-1][3] if out and out[-1][2] == text else sentence.index(text, pos)
        out.append((value, mod, text, start, start + len(text)))
        pos = start + len(text)
    return out


def _found(sentence: str, lang: str, published: date | None = PUBLISHED) -> list[tuple]:
    return [
        (d.value, d.mod, d.text, d.char_start, d.char_end)
        for d in extract_dates(sentence, lang, published)
    ]


@pytest.mark.parametrize(("sentence", "triples"), AR_CASES)
def test_arabic_dates(sentence: str, triples: list[Triple]) -> None:
    assert _found(sentence, "ar") == _expected(sentence, triples)


@pytest.mark.parametrize(("sentence", "triples"), EN_CASES)
def test_english_dates(sentence: str, triples: list[Triple]) -> None:
    assert _found(sentence, "en") == _expected(sentence, triples)


@pytest.mark.parametrize("sentence", AR_NEGATIVES)
def test_arabic_non_dates(sentence: str) -> None:
    assert extract_dates(sentence, "ar", PUBLISHED) == []


@pytest.mark.parametrize("sentence", EN_NEGATIVES)
def test_english_non_dates(sentence: str) -> None:
    assert extract_dates(sentence, "en", PUBLISHED) == []


def test_tables_are_large_enough() -> None:
    assert len(AR_CASES) >= 40 and len(EN_CASES) >= 40


@pytest.mark.parametrize(
    ("lang", "sentence", "value", "calendar"),
    [
        ("ar", "وأعلنت الهيئة في 15 رمضان 1445 هـ بدء التوزيع.", "2024-03-25", "hijri"),
        ("ar", "وصدر المرسوم عام 1445 هـ.", "2024", "hijri"),
        ("ar", "وقعت الحادثة في 23 أغسطس 2020.", "2020-08-23", "gregorian"),
        ("en", "The deal was signed on Sept. 4, 2019.", "2019-09-04", "gregorian"),
    ],
)
def test_calendar_is_recorded(lang: str, sentence: str, value: str, calendar: str) -> None:
    (mention,) = extract_dates(sentence, lang, PUBLISHED)
    assert (mention.value, mention.calendar) == (value, calendar)


def test_hijri_date_and_its_gregorian_twin_are_two_mentions() -> None:
    sentence = "ووصلت القافلة في 15 رمضان 1445 هـ الموافق 25 مارس 2024."
    found = extract_dates(sentence, "ar", PUBLISHED)
    assert [(d.value, d.text, d.calendar) for d in found] == [
        ("2024-03-25", "15 رمضان 1445 هـ", "hijri"),
        ("2024-03-25", "25 مارس 2024", "gregorian"),
    ]


@pytest.mark.parametrize(
    ("lang", "sentence", "published", "value"),
    [
        # The nearest occurrence to publication; a past event in a month still ahead goes back.
        ("en", "Troops left on 23 December.", date(2024, 1, 8), "2023-12-23"),
        # DESIGN.md: the nearest such month, unless the tense clearly says otherwise.
        ("en", "The work will be completed by the end of June.", date(2024, 3, 4), "2024-06"),
        (
            "en",
            "The pullout was to be finished by the end of September.",
            date(2025, 10, 1),
            "2025-09",
        ),
        ("en", "The army had 617,000 troops in December.", date(2024, 8, 12), "2023-12"),
        ("en", "Staff will return on 2 July.", date(2024, 1, 8), "2024-07-02"),
        ("ar", "يقضي الاتفاق بانسحاب جزئي بحلول نهاية سبتمبر.", date(2025, 10, 1), "2025-09"),
        ("en", "Officials in 2011 called for a larger force.", date(2024, 1, 8), "2011"),
        ("en", "It ended a 2015 peace agreement.", date(2024, 1, 8), "2015"),
        ("ar", "الذي جمدها في 2007 ويقدر عدد مقاتليها بعشرة آلاف.", date(2016, 4, 9), "2007"),
        ("en", "Troops leave on 29 February.", date(2024, 1, 8), "2024-02-29"),
        ("en", "Troops left on 1 March.", date(2024, 1, 8), "2023-03-01"),
        ("en", "Answers are due no later than May 31.", date(2023, 4, 26), "2023-05-31"),
        ("en", "Talks resume in February.", date(2024, 1, 8), "2024-02"),
        ("en", "Talks ended in March.", date(2024, 1, 8), "2023-03"),
        ("en", "The band played Oct. 9, 11, 1981.", date(2023, 6, 26), "1981-10-09"),
        ("en", "Troops left on Feb. 29.", date(2025, 1, 8), "2024-02-29"),
        ("ar", "وانسحبت القوات في 20 مارس.", date(2024, 1, 8), "2023-03-20"),
        ("ar", "وقعت الاشتباكات في يناير الماضي.", date(2024, 1, 8), "2023-01"),
        ("ar", "وقعت الاشتباكات في يناير الماضي.", date(2024, 3, 8), "2024-01"),
        ("ar", "وتبدأ المحادثات في مارس المقبل.", date(2024, 3, 8), "2025-03"),
        # ISO weeks across the year boundary.
        ("en", "The base was shelled last week.", date(2024, 1, 3), "2023-W52"),
        ("ar", "وقصفت القاعدة الأسبوع الماضي.", date(2021, 1, 8), "2020-W53"),
        # A weekday on its own day is that day; "last" means strictly before.
        ("ar", "وقال الوزير الجمعة إن القوات باقية.", date(2024, 1, 5), "2024-01-05"),
        ("en", "The envoy arrived last Friday.", date(2024, 1, 5), "2023-12-29"),
        ("en", "The envoy arrives next Monday.", date(2024, 1, 8), "2024-01-15"),
        ("ar", "وتراجعت الصادرات الشهر الماضي.", date(2024, 1, 8), "2023-12"),
        # A day of this month or the last.
        ("ar", "بدأت المناورات في التاسع من الشهر الحالي.", date(2013, 6, 20), "2013-06-09"),
        ("ar", "وصلت القوات في 17 من الشهر الماضي.", date(2024, 1, 8), "2023-12-17"),
        # "today, Friday" on a page dated the Saturday: the Friday (written the evening before).
        ("ar", "أعلن الجيش اليوم الجمعة سحب قواته.", date(2025, 4, 19), "2025-04-18"),
        ("ar", "وصل الوفد في 17/ شباط الماضي.", date(2017, 3, 1), "2017-02-17"),
        ("ar", "سامي يوسف6 يونيو 2020", date(2020, 6, 6), "2020-06-06"),
    ],
)
def test_values_resolve_against_publication(
    lang: str, sentence: str, published: date, value: str
) -> None:
    (mention,) = extract_dates(sentence, lang, published)
    assert mention.value == value


def test_without_publication_date_only_explicit_dates_are_kept() -> None:
    ar = "وقعت الحادثة في 23 أغسطس 2020، وأعلن الجيش الاثنين الماضي أن الأسبوع الماضي كان هادئا."
    assert [d.text for d in extract_dates(ar, "ar", None)] == ["23 أغسطس 2020"]
    en = "On Friday, officials said the Aug. 23, 2020 strike, and one on Aug. 30, hit last week."
    assert [d.text for d in extract_dates(en, "en", None)] == ["Aug. 23, 2020"]


def test_offsets_survive_diacritics_and_tatweel() -> None:
    sentence = "وقالَ الوزيرُ إنّ الاجتماعَ سيُعقد غداً، وإنّ الهدنةَ بدأت في رمضانَ 1445 هـ."
    found = extract_dates(sentence, "ar", PUBLISHED)
    assert [d.text for d in found] == ["غداً", "رمضانَ 1445 هـ"]
    for d in found:
        assert sentence[d.char_start : d.char_end] == d.text


def test_mentions_are_sorted_unique_and_valid_timex() -> None:
    sentence = (
        "وأعلنت بغداد الأسبوع الماضي، ثم الاثنين، أن القوات المنتشرة منذ العام 2014 "
        "ستبدأ الانسحاب في أواخر العام 2024، بعد اجتماع 23 أغسطس 2020 و15 رمضان 1445 هـ."
    )
    found = extract_dates(sentence, "ar", PUBLISHED)
    starts = [d.char_start for d in found]
    assert starts == sorted(starts)
    assert len({(d.char_start, d.char_end) for d in found}) == len(found) == 6
    for d in found:
        assert re.match(TIMEX_VALUE, d.value), d.value
        assert d.mod in (None, "START", "MID", "END")


def test_unknown_language_and_empty_text_give_nothing() -> None:
    assert extract_dates("23 August 2020", "fr", PUBLISHED) == []
    assert extract_dates("", "ar", PUBLISHED) == []


def test_seed_article_gives_exactly_the_expected_dates(shared_dir: Path) -> None:
    seed = shared_dir / "seed"
    text = (seed / "asharq-2024-01-08-us-troops-iraq.ar.txt").read_text(encoding="utf-8")
    expected = json.loads((seed / "expected.json").read_text(encoding="utf-8"))
    published = date.fromisoformat(expected["published"])
    found = extract_dates(text, "ar", published)
    assert {(d.value, d.mod, d.text) for d in found} == {
        (d["value"], d["mod"], d["text"]) for d in expected["dates"]
    }
    for d in found:
        assert text[d.char_start : d.char_end] == d.text
