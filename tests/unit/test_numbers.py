"""Numbers: digits in three scripts, separators, scale words, number words, ranges, vague."""

from __future__ import annotations

import pytest

from newsfacts.extract.numbers import Quantity, find_quantities, parse_number

WHOLE = [
    # digits and separators
    ("2500", "en", 2500),
    ("2,500", "en", 2500),
    ("12,500,000", "en", 12500000),
    ("1.500", "en", 1500),
    ("2 500", "en", 2500),
    ("2\u00a0500", "en", 2500),
    ("10 000 000", "en", 10000000),
    ("1,500.5", "en", 1500.5),
    ("2.5", "en", 2.5),
    ("٢٥٠٠", "ar", 2500),
    ("٢٬٥٠٠", "ar", 2500),
    ("۲۵۰۰", "ar", 2500),
    ("١٫٥", "ar", 1.5),
    ("1,5", "ar", 1.5),
    # scale words
    ("2.5 million", "en", 2500000),
    ("3 thousand", "en", 3000),
    ("1,500 million", "en", 1500000000),
    ("100 ألف", "ar", 100000),
    ("1,5 مليون", "ar", 1500000),
    ("1.500 مليون", "ar", 1500000),
    ("١٫٥ مليون", "ar", 1500000),
    ("3 آلاف", "ar", 3000),
    ("20 ألفا", "ar", 20000),
    ("2 مليار", "ar", 2000000000),
    # English words
    ("two thousand five hundred", "en", 2500),
    ("Two Thousand Five Hundred", "en", 2500),
    ("a thousand", "en", 1000),
    ("a dozen", "en", 12),
    ("two dozen", "en", 24),
    ("hundred", "en", 100),
    ("a hundred", "en", 100),
    ("twenty-five thousand", "en", 25000),
    ("one hundred and fifty", "en", 150),
    ("two thousand and fifty", "en", 2050),
    ("nine hundred", "en", 900),
    ("one million two hundred thousand", "en", 1200000),
    ("eleven", "en", 11),
    # Arabic words
    ("ألفين وخمسمائة", "ar", 2500),
    ("ثلاثة آلاف", "ar", 3000),
    ("خمسمئة", "ar", 500),
    ("خمسمائة", "ar", 500),
    ("مئتي", "ar", 200),
    ("مئتا", "ar", 200),
    ("مائتا ألف", "ar", 200000),
    ("عشرة آلاف", "ar", 10000),
    ("ألف وخمسمائة", "ar", 1500),
    ("ألف", "ar", 1000),
    ("ألفا", "ar", 2000),
    ("ألفي", "ar", 2000),
    ("ألفان", "ar", 2000),
    ("خمسة وعشرون ألفاً", "ar", 25000),
    ("أحد عشر ألفا", "ar", 11000),
    ("ثلاث مائة", "ar", 300),
    ("مائة ألف", "ar", 100000),
    ("مائة وخمسون", "ar", 150),
    ("ثلاثمئة وخمسون ألفا", "ar", 350000),
    ("مليون ونصف المليون", "ar", 1500000),
    ("مليوني", "ar", 2000000),
    ("ثلاثة ملايين", "ar", 3000000),
    ("ستة", "ar", 6),
    ("وستة", "ar", 6),
    ("بثلاثة آلاف", "ar", 3000),
    ("واحد", "ar", 1),
    ("اثنا عشر", "ar", 12),
    ("ثمانمائة", "ar", 800),
    ("ألف ومائة", "ar", 1100),
    ("مليونان و500 ألف", "ar", 2500000),
    ("2 مليون و500 ألف", "ar", 2500000),
]

NOT_ONE_NUMBER = [
    ("thousands", "en"),
    ("tens of thousands", "en"),
    ("between 2,000 and 3,000", "en"),
    ("آلاف", "ar"),
    ("لست", "ar"),
    ("أحد", "ar"),
    ("troops", "en"),
    ("2500 and 900", "en"),
    ("", "en"),
]

# (text, lang, [(value, value_high, vague, text)])
FOUND = [
    (
        "between 2,000 and 3,000 troops",
        "en",
        [(2000, 3000, False, "between 2,000 and 3,000")],
    ),
    ("2,000-3,000 soldiers", "en", [(2000, 3000, False, "2,000-3,000")]),
    ("2,000 to 3,000 soldiers", "en", [(2000, 3000, False, "2,000 to 3,000")]),
    ("between 2 and 3 million", "en", [(2000000, 3000000, False, "between 2 and 3 million")]),
    (
        "between two and three thousand",
        "en",
        [(2000, 3000, False, "between two and three thousand")],
    ),
    ("ما بين 2000 و3000 جندي", "ar", [(2000, 3000, False, "ما بين 2000 و3000")]),
    ("بين 2000 و3000 جندي", "ar", [(2000, 3000, False, "بين 2000 و3000")]),
    ("2000 إلى 3000 جندي", "ar", [(2000, 3000, False, "2000 إلى 3000")]),
    ("من ألف إلى ألفين", "ar", [(1000, 2000, False, "ألف إلى ألفين")]),
    ("بين ألف وألفين", "ar", [(1000, 2000, False, "بين ألف وألفين")]),
    ("thousands of troops", "en", [(None, None, True, "thousands")]),
    ("tens of thousands of soldiers", "en", [(None, None, True, "tens of thousands")]),
    ("hundreds of thousands of people", "en", [(None, None, True, "hundreds of thousands")]),
    ("several hundred marines", "en", [(None, None, True, "several hundred")]),
    ("a few thousand troops", "en", [(None, None, True, "few thousand")]),
    ("dozens of fighters", "en", [(None, None, True, "dozens")]),
    ("آلاف الجنود", "ar", [(None, None, True, "آلاف")]),
    ("عشرات الآلاف من الجنود", "ar", [(None, None, True, "عشرات الآلاف")]),
    ("مئات المقاتلين", "ar", [(None, None, True, "مئات")]),
    ("بضعة آلاف جندي", "ar", [(None, None, True, "بضعة آلاف")]),
    ("مئات الآلاف", "ar", [(None, None, True, "مئات الآلاف")]),
    (
        "تنشر واشنطن 2500 عسكري في العراق، ونحو 900 في سوريا",
        "ar",
        [(2500, None, False, "2500"), (900, None, False, "900")],
    ),
    ("2500 and 900", "en", [(2500, None, False, "2500"), (900, None, False, "900")]),
    ("2000 و3000", "ar", [(2000, None, False, "2000"), (3000, None, False, "3000")]),
    ("F-16 jets and S-400 systems and the 82nd Airborne", "en", []),
    ("a 2.5 percent rise", "en", []),
    ("2017-2014", "en", [(2017, None, False, "2017"), (2014, None, False, "2014")]),
    ("بـ2500 جندي", "ar", [(2500, None, False, "2500")]),
    ("قبل نحو 10 سنوات", "ar", [(10, None, False, "10")]),
    ("one soldier", "en", [(1, None, False, "one")]),
    ("twenty five", "en", [(25, None, False, "twenty five")]),
    ("2500، 900", "ar", [(2500, None, False, "2500"), (900, None, False, "900")]),
    # Digits after و with a scale word as large as the one before: the high end of a range.
    ("بما بين 100 ألف و120 ألف مقاتل", "ar", [(100000, 120000, False, "بين 100 ألف و120 ألف")]),
    ("بين ٣ آلاف و٥ آلاف جندي", "ar", [(3000, 5000, False, "بين ٣ آلاف و٥ آلاف")]),
    ("ألف و500 جندي", "ar", [(1500, None, False, "ألف و500")]),
]


@pytest.mark.parametrize(("text", "lang", "value"), WHOLE)
def test_parse_number(text: str, lang: str, value: float) -> None:
    got = parse_number(text, lang)
    assert got == value
    assert type(got) is type(value)


@pytest.mark.parametrize(("text", "lang"), NOT_ONE_NUMBER)
def test_parse_number_gives_none_for_anything_but_one_number(text: str, lang: str) -> None:
    assert parse_number(text, lang) is None


@pytest.mark.parametrize(("text", "lang", "expected"), FOUND)
def test_find_quantities(text: str, lang: str, expected: list[tuple]) -> None:
    found = find_quantities(text, lang)
    assert [(q.value, q.value_high, q.vague, q.text) for q in found] == expected
    for q in found:
        assert text[q.char_start : q.char_end] == q.text


def test_offsets_survive_diacritics_and_tatweel() -> None:
    text = "أرسلت الولايات المتّحدة ثلاثةَ آلافِ جنديّ"
    (q,) = find_quantities(text, "ar")
    assert (q.value, q.text) == (3000, "ثلاثةَ آلاف")
    assert text[q.char_start : q.char_end] == q.text


def test_quantity_is_frozen() -> None:
    (q,) = find_quantities("2,500 troops", "en")
    assert isinstance(q, Quantity)
    with pytest.raises(AttributeError):
        q.value = 1  # type: ignore[misc]
