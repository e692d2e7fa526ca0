"""Troop-count vocabulary compiled into patterns, once per language (lexicon/troops_<lang>.yaml)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any, Protocol

from newsfacts import lexicon
from newsfacts.text.normalize import fold
from newsfacts.text.patterns import alternation

_MID = r"(?:\s+[^\s\d,;:()]+)"
# A capitalised word between a number and its unit ("2,500 U.S. troops"), never "F-16".
_CAP = r"(?-i:[A-Z])[^\W\d_]*(?:[.'-][^\W\d_]*)*"
# A place between a troop noun and its number: "its troop presence in Ivory Coast from 600".
_PLACE_MID = rf"(?:\s+there|\s+(?:in|at|inside)\s+(?:the\s+)?{_CAP}(?:\s+{_CAP}){{0,2}})"


class Readable(Protocol):
    """What a vocabulary searches: a folded sentence, and its lower-cased copy or None."""

    t: str
    low: str | None


def _key(item: str) -> str:
    return " ".join(fold(item).text.split())


def _alt(items: Iterable[str]) -> str:
    return alternation(_key(i) for i in items if i)


class _Vocab:
    """A word list matched on folded text, each match mapped back to its label."""

    def __init__(
        self, prefix: str, labelled: dict[str, Iterable[str]], unless: Iterable[str] = ()
    ) -> None:
        """`prefix` is a regex for letters that may be written onto each word (Arabic clitics)."""
        self.labels: dict[str, str] = {}
        for label, items in labelled.items():
            for item in items:
                self.labels.setdefault(_key(item), label)
        words = [i for i in self.labels if i[:1].isalnum() and i[-1:].isalnum()]
        marks = [i for i in self.labels if i not in words]
        guard = f"(?!(?:{_alt(unless)})(?!\\w))" if unless else ""
        body = f"(?<!\\w){prefix}{guard}(?P<w>{_alt(words)})(?!\\w)"
        if marks:
            body = f"(?:{body}|(?P<s>{_alt(marks)}))"
        self.any = re.compile(body, re.IGNORECASE)
        self.ends = re.compile(f"{body}\\s*$", re.IGNORECASE)
        self.starts = re.compile(f"\\s*{body}", re.IGNORECASE)
        # The words alone, on lower-cased text: no look-behind and no case folding, so the
        # regex engine skips ahead fast. What it cannot find, the full pattern cannot either.
        gate = f"(?:{_alt(words)})(?!\\w)"
        self.gate = re.compile(f"{gate}|(?:{_alt(marks)})" if marks else gate)

    def label(self, m: re.Match[str]) -> str:
        return self.labels.get(" ".join((m.group("w") or m.group("s") or "").lower().split()), "")

    def _absent(self, s: Readable, lo: int, hi: int) -> bool:
        return s.low is not None and self.gate.search(s.low, lo, hi) is None

    def search(self, s: Readable, lo: int, hi: int) -> re.Match[str] | None:
        """The first word of the list in `s.t[lo:hi]`."""
        return None if self._absent(s, lo, hi) else self.any.search(s.t, lo, hi)

    def finditer(self, s: Readable, lo: int, hi: int) -> Iterator[re.Match[str]]:
        """Every word of the list in `s.t[lo:hi]`."""
        return iter(()) if self._absent(s, lo, hi) else self.any.finditer(s.t, lo, hi)

    def ends_at(self, s: Readable, lo: int, hi: int) -> re.Match[str] | None:
        """A word of the list that ends `s.t[lo:hi]` (spaces after it aside)."""
        return None if self._absent(s, lo, hi) else self.ends.search(s.t, lo, hi)

    def last(self, s: Readable, lo: int, hi: int) -> re.Match[str] | None:
        """The last word of the list in `s.t[lo:hi]`."""
        found = None
        for found in self.finditer(s, lo, hi):  # noqa: B007
            pass
        return found


def _one(prefix: str, items: Iterable[str], unless: Iterable[str] = ()) -> _Vocab:
    return _Vocab(prefix, {"x": items}, unless)


def _stem_pattern(stems: Iterable[str]) -> re.Pattern[str]:
    """Stems to look for anywhere in text folded by `fold` (lower-cased, no diacritics)."""
    return re.compile(_alt(stems))


@dataclass(frozen=True)
class Lexicon:
    lang: str
    prefilter: re.Pattern[str]
    abbreviations: frozenset[str]
    unit_after: re.Pattern[str]
    before_phrases: tuple[tuple[re.Pattern[str], str], ...]
    # One per phrase, matched on lower-cased text: what the phrase cannot match without.
    before_gates: tuple[re.Pattern[str], ...]
    possessive_before: re.Pattern[str]
    definite_before: re.Pattern[str]
    tail_stop: re.Pattern[str]
    qualifiers: _Vocab
    qualifiers_after: _Vocab
    cues: _Vocab
    after_cues: _Vocab
    hosts: _Vocab
    increase_markers: _Vocab
    target_links: _Vocab
    target_verbs: _Vocab
    tense: _Vocab
    negations: _Vocab
    denials: _Vocab
    hypothetical: _Vocab
    conditionals: _Vocab
    exclude: _Vocab
    exclude_before: _Vocab
    years: _Vocab
    percent: _Vocab
    currency: _Vocab
    loc_prep: re.Pattern[str]
    from_prep: re.Pattern[str]
    other_prep: re.Pattern[str]
    connectors: _Vocab
    carried_after: re.Pattern[str]
    more_before: re.Pattern[str]
    level_anaphor: re.Pattern[str]
    unit_next: re.Pattern[str]
    implied_actors: _Vocab | None
    designation: re.Pattern[str]
    prep_after: re.Pattern[str]
    borders: _Vocab
    not_state: _Vocab
    not_after_units: _Vocab
    from_words: _Vocab
    pair: re.Pattern[str]
    possessive_nouns: frozenset[str]
    clitic_and: str
    clitic_place: tuple[str, ...]
    clitic_owner: str
    construct_before: re.Pattern[str]
    city_comma: re.Pattern[str]
    mission_head: re.Pattern[str]
    part_after: re.Pattern[str]
    article: str
    day_before: re.Pattern[str]
    day_after: re.Pattern[str]
    region_before: re.Pattern[str]
    region_after: re.Pattern[str]
    anaphors: _Vocab
    there: re.Pattern[str]
    regions: re.Pattern[str]
    not_units: re.Pattern[str]
    partitive_link: re.Pattern[str]
    place_anaphors: re.Pattern[str]
    origin: re.Pattern[str]
    links: _Vocab
    change_by: _Vocab
    relatives: re.Pattern[str]


def _possessive_forms(data: dict[str, Any]) -> list[str]:
    forms = []
    for stem in data.get("possessive_stems", []):
        base = _key(stem)
        if base.endswith("ه"):  # ة before a suffix is written ت: قوة -> قوتها
            base = base[:-1] + "ت"
        forms += [base + _key(end) for end in data.get("possessive_endings", [])]
    return forms


def _prep_pattern(
    prefix: str, preps: list[str], directions: list[str], clitics: Iterable[str] = ()
) -> re.Pattern[str]:
    """A preposition, then up to three words such as directions ("in the northern part of"),
    right before a name. `clitics`
    are prepositions written onto the first of those words ("بجنوب لبنان")."""
    words = _alt(directions)
    body = rf"(?<!\w){prefix}(?:{_alt(preps)})(?:\s+(?:{words})){{0,3}}"
    attached = "".join(clitics)
    if attached:
        body = rf"(?:{body}|(?<!\w){prefix}[{attached}](?:{words})(?:\s+(?:{words}))?)"
    return re.compile(rf"{body}\s*$", re.IGNORECASE)


@cache
def lexicon_for(lang: str) -> Lexicon:
    data = lexicon.load(f"troops_{lang}")
    units = _alt(data["units"])
    clitics = data.get("clitics") or []
    prefix = f"[{''.join(clitics)}]{{0,2}}" if clitics else ""
    partitive = _alt(data["partitive"])
    before_phrases: tuple[tuple[re.Pattern[str], str], ...]
    before_gates: tuple[re.Pattern[str], ...]
    if lang == "ar":
        poss = _possessive_forms(data)
        unit_after = re.compile(
            rf"\s*(?:{partitive}\s+(?P<min>{_alt([*data['units_after_min'], *poss])})"
            rf"|(?P<unit>{units}))(?!\w)"
        )
        nouns = _alt([*data["nouns_before"], *poss])
        before_phrases = (
            (
                re.compile(
                    rf"(?<!\w){prefix}(?P<noun>{nouns})(?P<mid>{_MID}{{0,6}}?)"
                    rf"\s+(?P<link>{_alt(data['links_before'])})\s*$"
                ),
                "level",
            ),
            (
                re.compile(
                    rf"(?<!\w){prefix}(?:{_alt(data['number_of'])})\s+"
                    rf"(?P<noun>{_alt([*data['units_after_min'], *poss])})(?P<mid>{_MID}{{0,5}}?)"
                    rf"\s+(?P<link>{_alt(data['number_of_links'])})\s*$"
                ),
                "",
            ),
            (
                re.compile(
                    rf"(?<!\w){prefix}(?:{_alt(data['count_of'])})\s+"
                    rf"(?P<noun>{_alt([*data['units_after_min'], *data['nouns_before'], *poss])})"
                    rf"(?P<mid>{_MID}{{0,5}}?)\s*$"
                ),
                "level",
            ),
            # "ستسحب هولندا جنودها الـ150": the article written onto the number.
            (
                re.compile(
                    rf"(?<!\w){prefix}(?P<noun>{nouns})\s+(?P<link>{_key(data['article'])})$"
                ),
                "definite",
            ),
            # "عدد العسكريين الروس المنتشرين في سوريا ما بين 2000 و3000": no link at all.
            (
                re.compile(
                    rf"(?<!\w){prefix}(?:{_alt(data['number_of'])})\s+"
                    rf"(?P<noun>{_alt([*data['units_after_min'], *poss])})(?P<mid>{_MID}{{0,5}}?)"
                    rf"\s*$"
                ),
                "",
            ),
        )
        before_gates = (
            re.compile(rf"(?:{_alt(data['links_before'])})\s*$"),
            re.compile(_alt(data["number_of"])),
            re.compile(_alt(data["count_of"])),
            re.compile(rf"{_key(data['article'])}$"),
            re.compile(_alt(data["number_of"])),
        )
        possessive_before = re.compile(r"(?!)")
        definite_before = re.compile(r"(?!)")
    else:
        modword = rf"(?:(?:{_alt(data['unit_modifiers'])})|{_CAP})"
        forces = _alt([*data["force_nouns"], *data["level_nouns"]])
        unit_after = re.compile(
            rf"(?:-(?:{_alt(data['compound_suffixes'])})\s+(?:{modword}\s+){{0,3}}?"
            rf"(?P<cunit>{forces}|{units})"
            rf"|\s+(?:{partitive}\s+(?:(?P<poss>{_alt(data['possessives'])})|{_alt(data['determiners'])})\s+)?"
            rf"(?P<mods>(?:{modword}\s+){{0,4}}?)(?P<unit>{units})"
            # "the force was 1,700 strong"
            rf"|\s+(?P<strong>{_alt(data['strength_words'])}))(?!\w)",
            re.IGNORECASE,
        )
        owner = rf"(?:(?P<poss>{_alt(data['possessives'])})\s+)?"
        pre = rf"(?P<pre>(?:{modword}\s+){{0,3}})"
        # "from the current 28,500", "from current levels of about 35,000"
        fill = rf"(?:\s+(?:{_alt(data['link_fillers'])}))?"
        before_phrases = (
            (
                re.compile(
                    rf"(?<!\w){owner}{pre}(?P<noun>{units})(?P<mid>{_MID}{{0,6}}?)"
                    rf",?\s+(?P<link>{_alt(data['unit_links'])}){fill}\s*$",
                    re.IGNORECASE,
                ),
                "level",
            ),
            (
                re.compile(
                    rf"(?<!\w){owner}{pre}(?P<noun>{_alt(data['level_nouns'])})"
                    rf"(?P<mid>{_PLACE_MID}?)\s+(?P<link>{_alt(data['level_links'])}){fill}\s*$",
                    re.IGNORECASE,
                ),
                "level",
            ),
            (
                re.compile(
                    rf"(?<!\w){owner}{pre}(?P<noun>{_alt(data['force_nouns'])})"
                    rf"(?P<mid>{_PLACE_MID}?)\s+(?P<link>{_alt(data['force_links'])})\s*$",
                    re.IGNORECASE,
                ),
                "",
            ),
            (
                re.compile(
                    rf"(?<!\w)(?:{_alt(data['number_of'])})\s+{owner}{pre}(?P<noun>{units})"
                    rf"(?P<mid>{_MID}{{0,8}}?)\s+(?P<link>{_alt(data['number_of_links'])}){fill}\s*$",
                    re.IGNORECASE,
                ),
                "",
            ),
        )
        between = r"[^\d,;:()]*?"
        before_gates = (
            re.compile(rf"(?:{_alt(data['unit_links'])}){fill}\s*$"),
            re.compile(
                rf"(?:{_alt(data['level_nouns'])}){between}(?:{_alt(data['level_links'])}){fill}\s*$"
            ),
            re.compile(
                rf"(?:{_alt(data['force_nouns'])}){between}(?:{_alt(data['force_links'])})\s*$"
            ),
            re.compile(_alt(data["number_of"])),
        )
        possessive_before = re.compile(
            rf"(?<!\w)(?:{_alt(data['possessives'])})\s*$", re.IGNORECASE
        )
        definite_before = re.compile(
            rf"(?<!\w)(?:{_alt([*data['definite'], *data['possessives']])})\s*$", re.IGNORECASE
        )
    preps = _alt(data["location_preps"])
    stops = _alt([*data["location_preps"], *data["purpose_words"]])
    # ل before the article drops its alef: "للخليج" is ل + "الخليج"
    with_article = [r[1:] for r in data["regions"] if r.startswith("ال")]
    dropped_alef = f"|ل(?:{_alt(with_article)})" if lang == "ar" and with_article else ""
    clitic_place = f"|[{''.join(data['clitic_place'])}]" if data.get("clitic_place") else ""
    all_preps = [*data["location_preps"], *data["non_subject_preps"], *data["location_from"]]
    kinds = data["kinds"]
    return Lexicon(
        lang=lang,
        prefilter=_stem_pattern(data["prefilter"]),
        abbreviations=frozenset(data.get("abbreviations") or []),
        unit_after=unit_after,
        before_phrases=before_phrases,
        before_gates=before_gates,
        possessive_before=possessive_before,
        definite_before=definite_before,
        tail_stop=re.compile(
            rf"[,;:()\d]|(?<!\w){prefix}(?:{stops})(?!\w)",
            re.IGNORECASE,
        ),
        qualifiers=_Vocab(prefix, data["qualifiers"]),
        qualifiers_after=_Vocab(prefix, data["qualifiers_after"]),
        cues=_Vocab(prefix, kinds),
        after_cues=_Vocab(prefix, {"level": data["level_after"], **data["kinds_after"]}),
        hosts=_one(prefix, data["hosts"]),
        increase_markers=_one(prefix, data["increase_markers"]),
        target_links=_one(prefix, data["target_links"]),
        target_verbs=_one(prefix, data["target_verbs"]),
        tense=_Vocab(prefix, {"future": data["future_markers"], "past": data["past_markers"]}),
        negations=_one(prefix, data["negations"], [*data["not_negations"], *data["anonymity"]]),
        denials=_one(prefix, data["denials"]),
        conditionals=_one(prefix, data["conditionals"]),
        hypothetical=_one(prefix, data["hypothetical"], data["anonymity"]),
        exclude=_one(prefix, data["exclude"]),
        exclude_before=_one(prefix, data["exclude_before"]),
        years=_one(prefix, data["year_markers"]),
        percent=_one(prefix, data["percent"]),
        currency=_one(prefix, data["currency"]),
        loc_prep=_prep_pattern(
            prefix,
            data["location_preps"],
            [*data["directions"], *data["mission_nouns"]],
            data.get("clitic_place") or (),
        ),
        article=_key(data.get("article") or ""),
        # "at its base in Gyumri, Armenia": a town the gazetteer does not know, then its country
        city_comma=re.compile(
            rf"(?<!\w)(?:{preps})\s+{_CAP}(?:\s+{_CAP}){{0,2}},\s*$" if lang == "en" else r"(?!)"
        ),
        mission_head=re.compile(rf"{prefix}(?:{_alt(data['mission_nouns'])})", re.IGNORECASE),
        part_after=re.compile(
            rf"\s*(?:[,;:.)]|$|{prefix}(?:{_alt(all_preps)})(?!\w))", re.IGNORECASE
        ),
        construct_before=re.compile(
            rf"(?<!\w)(?:{partitive})\s+(?:{_alt(data.get('construct_nouns') or [])})\s+$"
        ),
        from_prep=_prep_pattern(prefix, data["location_from"], data["directions"]),
        other_prep=_prep_pattern(prefix, data["non_subject_preps"], data["directions"]),
        connectors=_one(prefix, data["connectors"]),
        more_before=re.compile(
            rf"(?<!\w){prefix}(?:{_alt(data['more_before'])})\s*$", re.IGNORECASE
        ),
        implied_actors=_Vocab(prefix, data["implied_actors"]) if data["implied_actors"] else None,
        # "a cut in US troops": a country named right before troops is whose, not where
        unit_next=re.compile(rf"\s+(?:{units})(?!\w)", re.IGNORECASE),
        level_anaphor=re.compile(
            rf"(?:(?<!\w){prefix}(?:{_alt(data['level_anaphors'])})(?!\w)(?:\s+\S+){{0,6}}?\s+"
            rf"{prefix}(?:{_alt(data['level_verbs'])})"
            # verb first: "أصبح العدد 14 ألفا"
            rf"|(?<!\w){prefix}(?:{_alt(data['level_verbs'])})\s+"
            rf"(?:{_alt(data['level_anaphors'])}))\s*$",
            re.IGNORECASE,
        ),
        carried_after=re.compile(
            rf"\s*(?:(?P<marker>{_alt(data['carried_markers'])})(?!\w))?\s*"
            rf"(?:(?=(?<!\w){prefix}(?:{preps})(?!\w))|(?=[,;:.)]|$))",
            re.IGNORECASE,
        ),
        borders=_one(prefix, data["border_words"]),
        not_state=_one(prefix, data["not_state_markers"]),
        prep_after=re.compile(
            rf"\s*(?:(?:{_alt(data['carried_markers'])})\s+)?{prefix}(?:{preps})(?!\w)",
            re.IGNORECASE,
        ),
        not_after_units=_one(prefix, data.get("not_after_units") or []),
        from_words=_one(prefix, data["from_words"]),
        pair=re.compile(rf"\s*(?:{_alt(data['list_joiners'])})\s*", re.IGNORECASE),
        clitic_and=data.get("clitic_and", ""),
        clitic_place=tuple(data.get("clitic_place") or ()),
        clitic_owner=data.get("clitic_owner", ""),
        possessive_nouns=frozenset(_possessive_forms(data)),
        designation=re.compile(
            # a name's word between: "لواء المدرعات 45" (not "لواء قوامه 4800")
            rf"(?<!\w){prefix}(?:{_alt(data['designations'])})(?:\s+ال\S*)?\s+$",
            re.IGNORECASE,
        ),
        day_before=re.compile(rf"(?<!\w)(?:{_alt(data['months'])})\.?\s*$", re.IGNORECASE),
        day_after=re.compile(rf"\s*(?:{_alt(data['months'])})(?!\w)", re.IGNORECASE),
        region_before=re.compile(
            rf"(?<!\w){prefix}(?:{preps})\s+(?:{_alt(data['region_nouns'])})"
            rf"(?:\s+[^\s\d,;:()]+){{0,2}}\s+$",
            re.IGNORECASE,
        ),
        region_after=re.compile(rf"\s+(?:{_alt(data['region_nouns'])})(?!\w)", re.IGNORECASE),
        anaphors=_Vocab(prefix, data["anaphors"]),
        place_anaphors=re.compile(rf"\s*(?:{_alt(data['place_anaphors'])})(?!\w)", re.IGNORECASE),
        partitive_link=re.compile(
            rf"\s+(?:{_alt(data['partitive_links'])})\s+"
            rf"(?:(?:{_alt(data['partitive_fillers'])})\s+){{0,2}}"
            rf"(?:(?:{_alt([w for ws in data['qualifiers'].values() for w in ws])})\s+)?",
            re.IGNORECASE,
        ),
        not_units=re.compile(rf"\s*(?:{_alt(data['not_units'])})(?!\w)", re.IGNORECASE),
        origin=re.compile(
            rf"\s*(?:{_alt(data['origin'])})\s+(?:{_alt(data['definite'])}\s+)?", re.IGNORECASE
        ),
        # Only where the troops are: "to the Middle East", "في المنطقة", not "Central Command".
        regions=re.compile(
            rf"(?<!\w)(?:(?:(?:{preps})\s+(?:{_alt(data['definite'])}\s+)?{clitic_place})"
            rf"(?:{_alt(data['regions'])})|(?:{_alt(data['region_adverbs'])}){dropped_alef})"
            rf"(?!\w)",
            re.IGNORECASE,
        ),
        there=re.compile(
            rf"(?<!\w){prefix}(?:{_alt(data['there'])})(?!\w)"
            + (
                rf"(?!\s+(?:{_alt(data['there_not_before'])})(?!\w))"
                if data.get("there_not_before")
                else ""
            ),
            re.IGNORECASE,
        ),
        links=_Vocab(prefix, data["links"]),
        change_by=_one(prefix, data["change_by"]),
        relatives=re.compile(
            rf",\s*{prefix}(?:{_alt(data['relatives'])})(?!\w)[^,;:()]*(?=,)", re.IGNORECASE
        ),
    )
