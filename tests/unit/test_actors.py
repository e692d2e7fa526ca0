"""Actors: the gazetteer of states, multinational forces and armed groups, and its reference table."""

from __future__ import annotations

import pytest

from newsfacts.extract.actors import (
    actor_reference,
    alpha3_codes,
    find_actors,
    find_actors_folded,
)
from newsfacts.text.normalize import fold

# (text, lang, [(code, kind, role, text)])
MENTIONS = [
    (
        "US troops and American officials met in Baghdad with Iraqi leaders.",
        "en",
        [
            ("USA", "country", "name", "US"),
            ("USA", "country", "adjective", "American"),
            ("IRQ", "country", "capital", "Baghdad"),
            ("IRQ", "country", "adjective", "Iraqi"),
        ],
    ),
    (
        "The Pentagon and the Kremlin traded accusations over Tehran.",
        "en",
        [
            ("USA", "country", "ministry", "Pentagon"),
            ("RUS", "country", "ministry", "Kremlin"),
            ("IRN", "country", "capital", "Tehran"),
        ],
    ),
    (
        "The U.S.-led coalition and NATO allies, with UNIFIL peacekeepers and the EU.",
        "en",
        [
            ("COALITION", "multinational", "name", "U.S.-led coalition"),
            ("NATO", "multinational", "name", "NATO"),
            ("UN", "multinational", "name", "UNIFIL"),
            ("UN", "multinational", "name", "peacekeepers"),
            ("EU", "multinational", "name", "EU"),
        ],
    ),
    (
        "Hezbollah, Wagner Group, ISIS, the Houthis and Hamas.",
        "en",
        [
            ("Hezbollah", "group", "name", "Hezbollah"),
            ("RUS", "country", "forces", "Wagner Group"),
            ("ISIS", "group", "name", "ISIS"),
            ("Houthis", "group", "name", "Houthis"),
            ("Hamas", "group", "name", "Hamas"),
        ],
    ),
    (
        "Russia's army and Türkiye, Turkey and the United Kingdom.",
        "en",
        [
            ("RUS", "country", "name", "Russia"),
            ("TUR", "country", "name", "Türkiye"),
            ("TUR", "country", "name", "Turkey"),
            ("GBR", "country", "name", "United Kingdom"),
        ],
    ),
    # "us" is a pronoun, a newspaper is not its city, "Iranian-backed" is not Iran's forces.
    ("Tell us what the Washington Post wrote about Iranian-backed militias.", "en", []),
    (
        "Kataib Hezbollah is not Hezbollah.",
        "en",
        [
            ("Kataib Hezbollah", "group", "name", "Kataib Hezbollah"),
            ("Hezbollah", "group", "name", "Hezbollah"),
        ],
    ),
    (
        'نفت وزارة الدفاع الأميركية "البنتاجون" سحب القوات الأمريكية من العراق.',
        "ar",
        [
            ("USA", "country", "adjective", "الأميركية"),
            ("USA", "country", "ministry", "البنتاجون"),
            ("USA", "country", "adjective", "الأمريكية"),
            ("IRQ", "country", "name", "العراق"),
        ],
    ),
    (
        "التحالف الدولي وحلف شمال الأطلسي وقوات حفظ السلام والاتحاد الأوروبي",
        "ar",
        [
            ("COALITION", "multinational", "name", "التحالف الدولي"),
            ("NATO", "multinational", "name", "حلف شمال الأطلسي"),
            ("UN", "multinational", "name", "قوات حفظ السلام"),
            ("EU", "multinational", "name", "الاتحاد الأوروبي"),
        ],
    ),
    (
        "حزب الله وكتائب حزب الله وداعش والحوثيون وحماس وفاغنر",
        "ar",
        [
            ("Hezbollah", "group", "name", "حزب الله"),
            ("Kataib Hezbollah", "group", "name", "كتائب حزب الله"),
            ("ISIS", "group", "name", "داعش"),
            ("Houthis", "group", "name", "الحوثيون"),
            ("Hamas", "group", "name", "حماس"),
            ("RUS", "country", "forces", "فاغنر"),
        ],
    ),
    (
        "جنود أميركيون وقوات روسية والقوات الكورية الشمالية في سورية",
        "ar",
        [
            ("USA", "country", "adjective", "أميركيون"),
            ("RUS", "country", "adjective", "روسية"),
            ("PRK", "country", "adjective", "الكورية الشمالية"),
            ("SYR", "country", "name", "سورية"),
        ],
    ),
    # عمان is both Oman and Amman; واشنطن بوست is a newspaper.
    ("وصل الوفد إلى عمان بحسب واشنطن بوست", "ar", []),
    # Spellings CLDR lacks; the accusative adjective after a number ("650 عسكرياً إسبانياً").
    (
        "ينتشرون في بيلاروسيا وروسيا البيضاء",
        "ar",
        [
            ("BLR", "country", "name", "بيلاروسيا"),
            ("BLR", "country", "name", "روسيا البيضاء"),
        ],
    ),
    (
        "و650 عسكرياً إسبانياً و20 جندياً أمريكياً",
        "ar",
        [("ESP", "country", "name", "إسبانيا"), ("USA", "country", "adjective", "أمريكيا")],
    ),
    (
        "EUFOR Althea and KFOR",
        "en",
        [
            ("EU", "multinational", "name", "EUFOR Althea"),
            ("NATO", "multinational", "name", "KFOR"),
        ],
    ),
]


@pytest.mark.parametrize(("text", "lang", "expected"), MENTIONS)
def test_find_actors(text: str, lang: str, expected: list[tuple[str, str, str, str]]) -> None:
    found = find_actors(text, lang)
    assert [(m.code, m.kind, m.role, m.text) for m in found] == expected
    for m in found:
        assert text[m.char_start : m.char_end] == m.text


@pytest.mark.parametrize(
    ("text", "prefix", "code"),
    [
        ("للعراق", "ل", "IRQ"),
        ("وللعراق", "ول", "IRQ"),
        ("بسوريا", "ب", "SYR"),
        ("وواشنطن", "و", "USA"),
    ],
)
def test_arabic_prepositions_written_onto_names(text: str, prefix: str, code: str) -> None:
    (m,) = find_actors(text, "ar")
    assert (m.code, m.prefix) == (code, prefix)
    assert text[m.char_start : m.char_end] == text[len(prefix) :]


@pytest.mark.parametrize(
    ("alpha2", "alpha3"),
    [("US", "USA"), ("IQ", "IRQ"), ("DE", "DEU"), ("MM", "MMR"), ("YE", "YEM"), ("CD", "COD")],
)
def test_alpha3_codes_come_from_cldr(alpha2: str, alpha3: str) -> None:
    assert alpha3_codes()[alpha2] == alpha3


def test_reference_has_one_row_per_code() -> None:
    rows = actor_reference()
    codes = [r["code"] for r in rows]
    assert len(codes) == len(set(codes))
    assert len([r for r in rows if r["kind"] == "country"]) > 240
    for row in rows:
        assert set(row) == {"code", "kind", "name_en", "name_ar", "adjectives_en", "adjectives_ar"}
        assert row["kind"] in {"country", "multinational", "group"}
        assert row["name_en"]
        if row["kind"] == "country":
            assert len(row["code"]) == 3
            assert row["code"].isupper()


def test_reference_rows_carry_names_and_adjectives() -> None:
    rows = {r["code"]: r for r in actor_reference()}
    assert rows["USA"]["name_ar"] == "الولايات المتحدة"
    assert "American" in rows["USA"]["adjectives_en"]
    assert "أميركي" in rows["USA"]["adjectives_ar"]
    assert {
        code: rows[code]["kind"] for code in ("NATO", "UN", "COALITION", "EU", "AU")
    } == dict.fromkeys(("NATO", "UN", "COALITION", "EU", "AU"), "multinational")
    for group in ("Hezbollah", "ISIS", "Houthis", "Hamas"):
        assert rows[group]["kind"] == "group"


def test_reference_is_a_copy() -> None:
    first = actor_reference()
    first[0]["adjectives_en"].append("changed")
    assert "changed" not in actor_reference()[0]["adjectives_en"]


def test_every_code_found_is_in_the_reference() -> None:
    codes = {r["code"] for r in actor_reference()}
    for text, lang, _ in MENTIONS:
        assert {m.code for m in find_actors(text, lang)} <= codes


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        (
            "Indian peacekeepers in UNIFIL, EUFOR Althea and KFOR",
            "en",
            [
                ("IND", None, False),
                ("UN", None, True),
                ("UN", "LBN", False),
                ("EU", "BIH", False),
                ("NATO", "XKK", False),
            ],
        ),
        (
            "قوات حفظ السلام في اليونيفيل ومينوسما ويوفور",
            "ar",
            [("UN", None, True), ("UN", "LBN", False), ("UN", "MLI", False), ("EU", "BIH", False)],
        ),
    ],
)
def test_missions_know_their_country_and_common_nouns_are_marked(
    text: str, lang: str, expected: list[tuple[str, str | None, bool]]
) -> None:
    # A mission named on its own serves in one country; "peacekeepers" is a common noun that a
    # nation named with it overrides ("Indian peacekeepers" are India's troops).
    found = find_actors_folded(fold(text, lower=False), lang)
    assert [(m.code, m.home, m.generic) for m in found] == expected
