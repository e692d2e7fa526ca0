"""The date grammar: the vocabulary of lexicon/dates_<lang>.yaml compiled into one regular
expression per language, with the patterns that read the context around a match."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from newsfacts import lexicon
from newsfacts.models import DateMod
from newsfacts.text.normalize import fold
from newsfacts.text.patterns import alternation

LANGS = ("ar", "en")

LETTER = r"[^\W\d_]"
NB = rf"(?!{LETTER})"  # no letter follows
# A number that is not the tail of a bigger number, a decimal, a time or an amount of money.
NUM_START = r"(?<![\d.,/:$€£])"
YEAR = rf"{NUM_START}(?:19\d\d|20\d\d|2100)(?!\d|[.,]\d|\s?%)"
HIJRI_YEAR = rf"{NUM_START}(?:1[34]\d\d|1500)(?!\d|[.,]\d|\s?%)"
SPACE = r"[^\S\n]"  # a space that does not end the paragraph


@dataclass(frozen=True, slots=True)
class Lexicon:
    """The folded vocabulary of one language and the grammar built from it."""

    lang: str
    pattern: re.Pattern[str]
    months: dict[str, int]
    hijri_months: dict[str, int]
    ordinal_days: dict[str, int]
    weekdays: dict[str, int]
    day_words: dict[str, int]
    units: dict[str, str]
    offsets: dict[str, int]
    modifiers: dict[str, DateMod]
    never_alone: frozenset[str]
    ambiguous: frozenset[str]
    glued_prepositions: frozenset[str]
    since: frozenset[str]
    historic_days: frozenset[tuple[int, int]]
    article: str
    weak_follow: frozenset[str]
    year_context: re.Pattern[str]
    month_context: re.Pattern[str]
    ambiguous_context: re.Pattern[str]
    event_before: re.Pattern[str]
    event_after: re.Pattern[str]
    weekday_not_after: re.Pattern[str]
    weekday_not_before: re.Pattern[str]
    today_not_after: re.Pattern[str]
    today_not_before: re.Pattern[str]
    offset_not_after: re.Pattern[str]
    duration_after: re.Pattern[str]
    range_tail: re.Pattern[str]
    borrow_year: re.Pattern[str]
    future_context: re.Pattern[str]
    year_determiner: re.Pattern[str]
    count_ahead: re.Pattern[str]
    weak_ahead: re.Pattern[str]
    past_context: re.Pattern[str]
    since_context: re.Pattern[str]
    holidays: re.Pattern[str]
    holiday_days: dict[str, tuple[int, int]]
    future_words: re.Pattern[str]


def key(word: str) -> str:
    return fold(word).text


def keys(words: Iterable[str]) -> list[str]:
    return [key(w) for w in words]


def alt(words: Iterable[str]) -> str:
    """Folded words as one group (a prefix tree: longer words win, a space matches any run)."""
    return f"(?:{alternation(words)})"


@cache
def lexicon_for(lang: str) -> Lexicon:
    raw: dict[str, Any] = lexicon.load(f"dates_{lang}")
    v: dict[str, Any] = {}
    for name, entry in raw.items():
        if isinstance(entry, dict):
            v[name] = {key(k): val for k, val in entry.items()}
        elif isinstance(entry, list):
            v[name] = keys(str(w) for w in entry)
        else:
            v[name] = key(str(entry))
    glued = "".join(f"(?:{alt(v[k])})?" for k in ("glued_conjunctions", "glued_prepositions"))
    pattern = _ar_grammar(v, glued) if lang == "ar" else _en_grammar(v)

    def before(words: list[str]) -> re.Pattern[str]:
        # The word right before a position: same paragraph, a glued conjunction allowed.
        conj = alt(v["glued_conjunctions"])
        return re.compile(rf"(?<!\w){conj}?{alt(words)}{SPACE}+\Z")

    def after(words: list[str]) -> re.Pattern[str]:
        return re.compile(rf"{SPACE}*{alt(words)}{NB}")

    year_units = [k for k, u in v["units"].items() if u == "year"]
    joiners = alt(["-", *v["range_joiners"]])
    months = alt(v["months"])
    ordinal = alt(v["ordinal_suffixes"])
    return Lexicon(
        lang=lang,
        pattern=re.compile(pattern),
        months=v["months"],
        hijri_months=v.get("hijri_months", {}),
        ordinal_days=v["ordinal_days"],
        weekdays=v["weekdays"],
        day_words=v["day_words"],
        units=v["units"],
        offsets=v["offsets"],
        modifiers=v["modifiers"],
        never_alone=frozenset(v["never_alone"]),
        ambiguous=frozenset(v["ambiguous_months"]),
        glued_prepositions=frozenset(v["glued_prepositions"]),
        since=frozenset(v["since"]),
        historic_days=frozenset(_historic(v.get("historic_days", []), v["months"])),
        article=v["definite_article"],
        weak_follow=frozenset(v["weak_follow"]),
        year_context=re.compile(
            rf"(?<!\w){alt(v['glued_conjunctions'])}?(?P<ctx>{alt(v['since'] + v['weak'])})"
            rf"{SPACE}+\Z"
        ),
        month_context=before(v["month_context"]),
        ambiguous_context=before(v["ambiguous_month_context"]),
        event_before=before(v["event_nouns"]),
        event_after=after(v["event_nouns"]),
        weekday_not_after=before(v["weekday_not_after"]),
        weekday_not_before=after(v["weekday_not_before"]),
        today_not_after=before(v["today_not_after"]),
        today_not_before=after(v["today_not_before"]),
        offset_not_after=before(v.get("offset_not_after", [])),
        duration_after=after(v["duration_nouns"]),
        range_tail=re.compile(
            rf"{SPACE}*{joiners}{SPACE}*(?P<tail>(?:{alt(v['year_nouns'] + year_units)}"
            rf"{SPACE}+)?(?P<year>{YEAR}))"
        ),
        # "August 15th to September 8th, 1963", "Oct. 9, 11, 1981": the first date takes the
        # year of the next.
        borrow_year=re.compile(
            rf"{SPACE}*(?:,|{joiners}){SPACE}*(?:{months}\.?{SPACE}+)?\d{{1,2}}{ordinal}?"
            rf"(?:{SPACE}+(?:{alt(v['day_month_joiners'])}{SPACE}+)?{months}\.?)?"
            rf",?{SPACE}+(?P<year>{YEAR})"
        ),
        future_context=before(v["future_cues"]),
        past_context=re.compile(v["past_context"] or "(?!)"),
        since_context=before(v["since"]),
        holidays=re.compile(
            rf"(?<!\w)(?P<name>{alt(v['holidays'])}){NB}(?:,?{SPACE}+(?P<year>{YEAR}))?"
        ),
        holiday_days={
            " ".join(key(name).split()): (int(md[:2]), int(md[3:]))
            for name, md in v["holidays"].items()
        },
        future_words=re.compile(v["future_words"] or "(?!)"),
        year_determiner=before(v["year_determiners"]),
        # After "in 2011": a word that is no plural noun ("called for"), or (Arabic) one that
        # opens a new clause with و; not "in 2000 locations", "في 2000 موقع".
        weak_ahead=re.compile(
            rf"{SPACE}+(?!{alt(v['count_nouns'])}{NB})(?:[a-z]+(?<![^s]s){NB}|و{LETTER})"
        ),
        # A lower-case noun after the year, and no count noun in the next two words.
        count_ahead=re.compile(
            rf"{SPACE}+(?!{alt(v['count_nouns'])}{NB})[a-z]+{NB}"
            rf"(?!{SPACE}+{alt(v['count_nouns'])}{NB})"
        ),
    )


def _historic(days: list[str], months: dict[str, int]) -> Iterable[tuple[int, int]]:
    for entry in days:
        name, day = entry.rsplit(maxsplit=1)
        yield months[name], int(day)


def _ar_grammar(v: dict[str, Any], glued: str) -> str:
    """Arabic: day before month, offsets after their noun (أكتوبر الماضي), glued prefixes."""
    mod = alt(v["modifiers"])
    months = alt(v["months"])
    offsets = alt(v["offsets"])
    year_nouns = alt(v["year_nouns"])
    year_units = alt(k for k, u in v["units"].items() if u == "year")
    ce = alt(v["ce_markers"])
    art = alt([v["definite_article"]])
    dm_join = alt(v["day_month_joiners"])
    my_join = alt(v["month_year_joiners"])
    day_range = alt(["-", *v["range_joiners"]])

    ordinals = alt(v["ordinal_days"])

    def day(n: str) -> str:
        # 23 أغسطس, الـ23 من أغسطس, 5 و7 أغسطس, السابع من أكتوبر.
        return (
            rf"(?:(?:{art}\s?)?(?P<{n}_day>{NUM_START}\d{{1,2}})(?!\d|[.,:/]\d)"
            rf"(?:\s*{day_range}\s*(?P<{n}_day2>\d{{1,2}})(?!\d))?(?:\s*/)?\s+(?:{dm_join}\s+)?"
            rf"|(?P<{n}_oday>{ordinals}){NB}\s+{dm_join}\s+)"
        )

    def month(n: str) -> str:
        # The combined forms: آب/أغسطس, تشرين الأول (أكتوبر).
        return (
            rf"(?P<{n}_mon>{months}){NB}"
            rf"(?:\s*[/(]\s*(?P<{n}_mon2>{months}){NB}(?:\s*\))?)?"
        )

    def year(n: str) -> str:
        return (
            rf"\s*,?\s*(?:{my_join}\s+)?(?:{year_nouns}{NB}\s+)?"
            rf"(?P<{n}_year>{YEAR})(?:\s?{ce}{NB})?"
        )

    wd = (
        rf"(?P<s_wd>(?:(?P<wd_pre>{alt(v['day_prefix'] + list(v['day_words']))})"
        rf"\s+)?(?P<wd_name>{alt(v['weekdays'])}){NB}(?:\s+(?P<wd_off>{offsets}){NB})?"
        rf"(?:\s*,?\s*(?:{alt(v['weekday_date_joiners'])}\s+)?{day('wd')}{month('wd')}"
        rf"(?:{year('wd')})?)?)"
    )
    hmarks = alt(v["hijri_markers"])
    hj = (
        rf"(?P<s_hj>(?:(?P<hj_day>{NUM_START}\d{{1,2}})\s+)?"
        rf"(?P<hj_mon>{alt(v['hijri_months'])}){NB}\s*,?\s*(?P<hj_year>{HIJRI_YEAR})"
        rf"(?:\s?{hmarks}{NB})?"
        rf"|(?:{year_nouns}\s+)?(?P<hj_year2>{HIJRI_YEAR})\s?{hmarks}{NB})"
    )
    md = (
        rf"(?P<s_md>(?:(?P<md_mod>{mod}){NB}\s+)?(?:{day('md')})?{month('md')}"
        rf"(?:{year('md')}"
        rf"|\s+(?:{my_join}\s+)?{year_units}\s+(?P<md_ryo>{offsets}){NB}"
        rf"|\s+(?P<md_off>{offsets}){NB})?)"
    )
    yr = (
        rf"(?P<s_yr>(?:(?P<yr_mod>{mod}){NB}\s+)?(?:(?P<yr_noun>{year_nouns}){NB}\s+)?"
        rf"(?P<yr_year>{YEAR})(?P<yr_ce>\s?{ce}{NB})?)"
    )
    rl = (
        rf"(?P<s_rl>(?:(?P<rl_mod>{mod}){NB}\s+)?"
        rf"(?:(?P<rl_unit>{alt(v['units'])}){NB}\s+(?P<rl_off>{offsets})"
        rf"|{alt(v['this_words'])}\s+(?P<rl_unit2>{alt(v['units'])})"
        rf"|(?P<rl_unit3>{alt(v['units'])})){NB}"
        rf"|(?:(?P<rl_pre>{alt(v['day_prefix'])})\s+)?(?P<rl_day>{alt(v['day_words'])}){NB})"
    )
    month_units = alt(k for k, u in v["units"].items() if u == "month")
    # "التاسع من الشهر الحالي", "17 من الشهر الماضي": a day of the month around publication
    dr = rf"(?P<s_dr>{day('dr')}(?:{month_units})\s+(?P<dr_off>{offsets}){NB})"
    starts = [*_starts(v), f"{v['definite_article']}"]
    return _branches(
        rf"(?P<p>{glued})", starts, wd=wd, hj=hj, num=_numeric(), dr=dr, md=md, yr=yr, rl=rl
    )


def _en_grammar(v: dict[str, Any]) -> str:
    """English: month before or after the day, offsets before their noun (last October)."""
    mods = alt(v["modifiers"])
    mod_sep = r"(?:\s+|-)"
    full = alt(k for k in v["months"] if k not in v["never_alone"])
    abbr = alt(v["never_alone"])
    offsets = alt(v["offsets"])
    ordinal = rf"(?:{alt(v['ordinal_suffixes'])}{NB})?"
    dm_join = alt(v["day_month_joiners"])
    my_join = alt(v["month_year_joiners"])
    day_range = alt(["-", *v["range_joiners"]])
    year_units = alt(k for k, u in v["units"].items() if u == "year")

    def month(n: str) -> str:
        return rf"(?P<{n}>(?:{full}{NB}|{abbr}{NB}\.?))"

    def day(n: str) -> str:
        return (
            rf"(?P<{n}>{NUM_START}\d{{1,2}}){ordinal}(?!\d|[.,:/]\d)"
            rf"(?:\s*{day_range}\s*(?P<{n}2>\d{{1,2}}){ordinal}(?!\d|,\d))?"
        )

    def year(n: str) -> str:
        return rf"(?:,\s*|\s+)(?:{my_join}\s+)?(?P<{n}>{YEAR})"

    def rel_year(n: str) -> str:
        # October last year, Feb. 24 of next year.
        return rf"\s+(?:{my_join}\s+)?(?P<{n}>{offsets})\s+{year_units}{NB}"

    wd = (
        rf"(?P<s_wd>(?:(?P<wd_off>{offsets})\s+)?(?P<wd_name>{alt(v['weekdays'])}){NB}"
        rf"(?:\s*,?\s*(?:{month('wd_mon')}\s+{day('wd_day')}|{day('wd_dayb')}\s+"
        rf"(?:{dm_join}\s+)?{month('wd_monb')})(?:{year('wd_year')})?)?)"
    )
    md = (
        rf"(?P<s_md>(?:(?P<md_mod>{mods}){mod_sep})?"
        rf"(?:{month('md_mon')}\s+{day('md_day')}(?:{year('md_year')}|{rel_year('md_ryoa')})?"
        rf"|{day('md_dayb')}\s+(?:{dm_join}\s+)?{month('md_monb')}"
        rf"(?:{year('md_yearb')}|{rel_year('md_ryob')})?"
        rf"|(?:(?P<md_off>{offsets})\s+)?{month('md_monc')}"
        rf"(?:{year('md_yearc')}|{rel_year('md_ryo')})?))"
    )
    yr = rf"(?P<s_yr>(?:(?P<yr_mod>{mods}){mod_sep})?(?P<yr_year>{YEAR}))"
    rl = (
        rf"(?P<s_rl>(?:(?P<rl_mod>{mods}){mod_sep})?"
        rf"(?:(?P<rl_off>{offsets})\s+(?P<rl_unit>{alt(v['units'])})"
        rf"|(?:{alt(v['unit_articles'])}\s+)?(?P<rl_unit3>{alt(v['units'])})){NB}"
        rf"|(?P<rl_day>{alt(v['day_words'])}){NB})"
    )
    return _branches("", _starts(v), wd=wd, num=_numeric(), md=md, yr=yr, rl=rl)


def _numeric() -> str:
    # 2020-08-23, 2020/8/23, 23/8/2020, 23.08.2020: the same separator twice.
    return (
        rf"(?P<s_num>{NUM_START}(?:(?P<num_y1>\d{{4}})(?P<num_s1>[-/.])(?P<num_a1>\d{{1,2}})"
        rf"(?P=num_s1)(?P<num_b1>\d{{1,2}})|(?P<num_a2>\d{{1,2}})(?P<num_s2>[-/.])"
        rf"(?P<num_b2>\d{{1,2}})(?P=num_s2)(?P<num_y2>\d{{4}}))(?!\d|[-/.]\d))"
    )


def _starts(v: dict[str, Any]) -> list[str]:
    """Every word a date expression can begin with."""
    names = (
        "modifiers", "year_nouns", "weekdays", "day_prefix", "day_words", "months",
        "hijri_months", "units", "this_words", "offsets", "ordinal_days",
    )  # fmt: skip
    return [w for name in names for w in v.get(name, [])]


def _branches(prefix: str, starts: list[str], **branches: str) -> str:
    # The guard turns most words away with one tree lookup instead of a try at every branch.
    guard = rf"(?=\d|{alt(starts)}{NB})"
    # Each branch is an outer named group, so `match.lastgroup` names the branch that matched.
    # Order matters where two start at the same place: the weekday (with its date) first.
    body = "|".join(f"(?P<{k}>{p})" for k, p in branches.items())
    # "محمد جابر6 يونيو 2020": a page's byline glued to its date
    glued_digit = r"(?<=[\u0621-\u064a])(?=\d)"
    return rf"(?:(?<!\w)|{glued_digit}){prefix}{guard}(?:{body})"
