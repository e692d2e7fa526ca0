"""Extract stage, actors: a gazetteer of states, multinational forces and armed groups.

Country names come from CLDR (via Babel) in Arabic and English and are coded ISO 3166-1 alpha-3
(from CLDR's own alpha-3 aliases); lexicon/actors.yaml adds other names, adjectives, capitals and
institutions that stand for their state, multinational forces and armed groups. The tables are
built once per process. `find_actors` finds mentions; `actor_reference` is the reference table the
warehouse loads and validation checks every fact's actor and location against.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from newsfacts import lexicon
from newsfacts.text.normalize import Folded, fold
from newsfacts.text.patterns import alternation as word_alternation

log = logging.getLogger(__name__)

COUNTRY = "country"
MULTINATIONAL = "multinational"
GROUP = "group"


@dataclass(frozen=True, slots=True)
class ActorMention:
    """An actor named in the text: its code, what it is, and how it was named.

    `role` is name, adjective, capital or ministry; `prefix` is an Arabic one-letter preposition
    written onto the name (ب "in", ل "to"), empty otherwise.
    """

    code: str
    kind: str
    role: str
    char_start: int
    char_end: int
    text: str
    prefix: str = ""


@dataclass(frozen=True, slots=True)
class FoldedMention:
    """A mention with offsets in `Folded.text` (for extractors that already folded the text)."""

    code: str
    kind: str
    role: str
    start: int
    end: int
    prefix: str = ""
    home: str | None = None  # the country a mission named on its own serves in (UNIFIL: LBN)
    generic: bool = False  # a common noun that names a force ("peacekeepers"), not a name


@dataclass(frozen=True, slots=True)
class _Entry:
    code: str | None  # None: a phrase that hides a name ("Washington Post")
    kind: str
    role: str
    home: str | None = None
    generic: bool = False


@dataclass(frozen=True, slots=True)
class _Gazetteer:
    pattern: re.Pattern[str]
    entries: dict[str, _Entry]
    elided: dict[str, _Entry]  # Arabic ال-names after ل: للعراق = ل + لعراق
    elision: str


@cache
def alpha3_codes() -> dict[str, str]:
    """ISO 3166-1 alpha-2 to alpha-3 for every country CLDR names, from CLDR's code aliases."""
    from babel.core import get_global

    data = lexicon.load("actors")
    preferred: dict[str, str] = data["alpha3_preferred"]
    skip = set(data["not_countries"])
    candidates: dict[str, list[str]] = {}
    for alias, targets in get_global("territory_aliases").items():
        if len(alias) == 3 and alias.isalpha() and len(targets) == 1:
            candidates.setdefault(targets[0], []).append(alias)
    out: dict[str, str] = {}
    for alpha2, codes in candidates.items():
        if alpha2 in skip or len(alpha2) != 2:
            continue
        if alpha2 in preferred:
            out[alpha2] = preferred[alpha2]
        elif len(codes) == 1:
            out[alpha2] = codes[0]
        else:
            log.warning("no single alpha-3 code for %s: %s", alpha2, codes)
    return out


@cache
def _cldr_names() -> dict[str, dict[str, str]]:
    """alpha-3 -> {"en": name, "ar": name} from CLDR."""
    import babel

    names: dict[str, dict[str, str]] = {}
    for lang in ("en", "ar"):
        territories = babel.Locale(lang).territories
        for alpha2, alpha3 in alpha3_codes().items():
            name = territories.get(alpha2)
            if name:
                names.setdefault(alpha3, {})[lang] = name
    return names


def _cldr_variants(name: str, lang: str) -> list[str]:
    """Forms of a CLDR name people write: "Myanmar (Burma)" gives Myanmar and Burma."""
    if " - " in name:  # "Congo - Kinshasa": the lexicon carries the usual names
        return []
    out = [name]
    m = re.fullmatch(r"(.+?)\s*\((.+)\)", name)
    if m:
        out = [m.group(1), m.group(2)]
    if "&" in name:
        out += [v.replace("&", lexicon.load("actors")["ampersand"][lang]) for v in out]
    return out


def _arabic_adjective_forms(stem: str) -> list[str]:
    """Every form of an adjective written masculine singular: "أميركي" gives "الأميركية"..."""
    words = fold(stem).text.split()
    if not words or not all(w.endswith("ي") for w in words):
        return [fold(stem).text]
    grammar = lexicon.load("actors")["arabic"]
    article = fold(grammar["article"]).text
    forms = []
    for ending in (fold(e).text for e in grammar["adjective_endings"]):
        forms.append(" ".join(w + ending for w in words))
        forms.append(" ".join(article + w + ending for w in words))
    return forms


def _english_forms(form: str, adjective: bool) -> list[str]:
    key = fold(form, lower=False).text
    out = [key, key.upper()]
    if key[:1].islower():
        out.append(key[:1].upper() + key[1:])
    if adjective and (key.endswith("an") or key.endswith("i")):
        out.append(key + "s")
    return out


def _surfaces(lang: str, forms: Iterable[str], role: str) -> list[str]:
    out: list[str] = []
    for form in forms:
        if lang == "en":
            out += _english_forms(form, role == "adjective")
        elif role == "adjective":
            out += _arabic_adjective_forms(form)
        else:
            out.append(fold(form).text)
    return out


@cache
def _gazetteer(lang: str) -> _Gazetteer:
    data = lexicon.load("actors")
    entries: dict[str, _Entry] = {}
    conflicts: set[str] = set()

    def add(surfaces: Iterable[str], entry: _Entry) -> None:
        for surface in surfaces:
            if not surface or surface in conflicts:
                continue
            seen = entries.get(surface)
            if seen is None or (seen.code == entry.code and seen.role == "adjective"):
                # A word that is both name and adjective (جيبوتي) is a name: it can be a place.
                entries[surface] = entry
            elif seen.code != entry.code and seen.code is not None:
                # The same spelling for two actors (عمان: Oman and Amman): trust neither.
                conflicts.add(surface)
                del entries[surface]

    add(_surfaces(lang, data["ignore"][lang], "name"), _Entry(None, "", ""))
    for code, spec in data["countries"].items():
        for role, key in (
            ("name", lang),
            ("adjective", f"adjectives_{lang}"),
            ("capital", f"capitals_{lang}"),
            ("ministry", f"ministries_{lang}"),
            ("leader", f"leaders_{lang}"),
            ("forces", f"forces_{lang}"),
        ):
            add(_surfaces(lang, spec.get(key) or [], role), _Entry(code, COUNTRY, role))
    for section, kind in (("multinational", MULTINATIONAL), ("groups", GROUP)):
        for code, spec in data[section].items():
            for home, names in (spec.get("homes") or {}).items():
                add(
                    _surfaces(lang, names.get(lang) or [], "name"), _Entry(code, kind, "name", home)
                )
            add(
                _surfaces(lang, spec.get(f"generic_{lang}") or [], "name"),
                _Entry(code, kind, "name", generic=True),
            )
            add(_surfaces(lang, spec.get(lang) or [], "name"), _Entry(code, kind, "name"))
            add(
                _surfaces(lang, spec.get(f"adjectives_{lang}") or [], "adjective"),
                _Entry(code, kind, "adjective"),
            )
    for code, names in _cldr_names().items():
        if lang in names:
            add(
                _surfaces(lang, _cldr_variants(names[lang], lang), "name"),
                _Entry(code, COUNTRY, "name"),
            )
    elided: dict[str, _Entry] = {}
    if lang == "ar":
        grammar = data["arabic"]
        article = fold(grammar["article"]).text
        for surface, entry in entries.items():
            if surface.startswith(article) and surface[1:] not in entries:
                elided[surface[1:]] = entry
        alternation = word_alternation([*entries, *elided])
        conjunctions = "".join(grammar["conjunctions"])
        prepositions = "".join(grammar["prepositions"])
        pattern = re.compile(
            rf"(?<!\w)(?P<pre>[{conjunctions}]?[{prepositions}]?)(?P<name>{alternation})(?!\w)"
        )
        return _Gazetteer(pattern, entries, elided, grammar["elision"])
    alternation = word_alternation(entries)
    # Not inside a hyphenated word: "Iranian-backed" militias are not Iran's forces.
    pattern = re.compile(rf"(?<![\w.-])(?P<name>{alternation})(?![\w-]*\w)")
    return _Gazetteer(pattern, entries, elided, "")


def find_actors_folded(folded: Folded, lang: str) -> list[FoldedMention]:
    """Actor mentions in `folded.text` (folded with lower=False), offsets in the folded text.

    Cached per text: the troop and entity extractors of one article share one look-up.
    """
    return list(_mentions(folded.text, "ar" if lang == "ar" else "en"))


@lru_cache(maxsize=16)
def _mentions(text: str, lang: str) -> tuple[FoldedMention, ...]:
    gaz = _gazetteer(lang)
    out: list[FoldedMention] = []
    for m in gaz.pattern.finditer(text):
        name = m.group("name")
        prefix = m.groupdict().get("pre") or ""
        entry = gaz.entries.get(name)
        if entry is None:
            entry = gaz.elided.get(name) if prefix.endswith(gaz.elision) else None
            if entry is None:
                continue
        if entry.code is None:
            continue
        out.append(
            FoldedMention(
                entry.code,
                entry.kind,
                entry.role,
                m.start("name"),
                m.end(),
                prefix,
                entry.home,
                entry.generic,
            )
        )
    return tuple(out)


def find_actors(text: str, lang: str) -> list[ActorMention]:
    """Every state, multinational force or armed group named in `text`, in order."""
    folded = fold(text, lower=False)
    out: list[ActorMention] = []
    for m in find_actors_folded(folded, lang):
        start, end = folded.span(m.start, m.end)
        out.append(ActorMention(m.code, m.kind, m.role, start, end, text[start:end], m.prefix))
    return out


@cache
def _reference() -> tuple[dict[str, Any], ...]:
    data = lexicon.load("actors")
    rows: dict[str, dict[str, Any]] = {}
    for code, names in _cldr_names().items():
        spec = data["countries"].get(code, {})
        rows[code] = {
            "code": code,
            "kind": COUNTRY,
            "name_en": names.get("en") or code,
            "name_ar": names.get("ar"),
            "adjectives_en": list(spec.get("adjectives_en") or []),
            "adjectives_ar": list(spec.get("adjectives_ar") or []),
        }
    for code in data["countries"]:
        if code not in rows:
            log.warning("lexicon country %s has no CLDR name", code)
    for section, kind in (("multinational", MULTINATIONAL), ("groups", GROUP)):
        for code, spec in data[section].items():
            rows[code] = {
                "code": code,
                "kind": kind,
                "name_en": spec.get("name_en") or code,
                "name_ar": spec.get("name_ar"),
                "adjectives_en": list(spec.get("adjectives_en") or []),
                "adjectives_ar": list(spec.get("adjectives_ar") or []),
            }
    return tuple(rows[code] for code in sorted(rows))


def actor_reference() -> list[dict[str, Any]]:
    """One row per actor code: code, kind, name_en, name_ar, adjectives_en, adjectives_ar."""
    return [
        dict(
            row, adjectives_en=list(row["adjectives_en"]), adjectives_ar=list(row["adjectives_ar"])
        )
        for row in _reference()
    ]
