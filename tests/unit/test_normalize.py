import random

import pytest

from newsfacts.text.normalize import fold

SAMPLES = [
    ("قُرابةَ ٢٥٠٠ جنديٍّ", "قرابه 2500 جندي"),
    ("الأمريكيّة والإيرانية", "الامريكيه والايرانيه"),
    ("US\u200f troops", "us troops"),
    ("ـــالعراقـ", "العراق"),
    ("", ""),
]


@pytest.mark.parametrize(("raw", "folded"), SAMPLES)
def test_fold(raw: str, folded: str) -> None:
    assert fold(raw).text == folded


def test_spans_map_back_to_the_original() -> None:
    raw = "نفت وزارة الدفاع الأميركيّة وجود نحو ٢٥٠٠ جنديّ"
    folded = fold(raw)
    start = folded.text.index("2500")
    begin, end = folded.span(start, start + 4)
    assert raw[begin:end] == "٢٥٠٠"
    start = folded.text.index("جندي")
    begin, end = folded.span(start, start + 4)
    assert raw[begin:end] == "جنديّ"[:4] or raw[begin:end].startswith("جندي")


def test_index_agrees_with_a_character_by_character_fold() -> None:
    alphabet = "اأإآبتةثىيئؤ٠١٢٣ ab\u064b\u064e\u0651\u0640\u200f.,،"
    rng = random.Random(7)
    for _ in range(500):
        raw = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        folded = fold(raw)
        assert len(folded.index) == len(folded.text)
        for i, ch in enumerate(folded.text):
            assert fold(raw[folded.index[i]]).text == ch
