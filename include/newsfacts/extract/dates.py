"""Extract stage, dates: date mentions in Arabic or English text, with TIMEX3 values and spans.

`extract_dates(text, lang, published)` finds explicit dates (23 أغسطس 2020, Aug. 23, 2020-08-23),
months and years with a date context (أكتوبر 2023, منذ العام 2014, in 2014), Hijri dates (converted
to Gregorian), modifiers (أواخر العام 2017 -> 2017 END) and expressions relative to the publication
date (الاثنين, last week, أكتوبر الماضي). Offsets refer to the original text. A wrong date is worse
than a missing one: words that are also names or verbs need a date context, and a four-digit number
is a year only after a date word. The vocabulary lives in lexicon/dates_<lang>.yaml; the grammar is
one regular expression per language, compiled once.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from typing import Any, Literal

from hijridate import Hijri

from newsfacts import lexicon
from newsfacts.extract.numbers import alternation
from newsfacts.models import DateMention, DateMod
from newsfacts.text.normalize import fold, fold_chars

LANGS = ("ar", "en")

_LETTER = r"[^\W\d_]"
_NB = rf"(?!{_LETTER})"  # no letter follows
# A number that is not the tail of a bigger number, a decimal, a time or an amount of money.
_NUM_START = r"(?<![\d.,/:$€£])"
_YEAR = rf"{_NUM_START}(?:19\d\d|20\d\d|2100)(?!\d|[.,]\d|\s?%)"
_HIJRI_YEAR = rf"{_NUM_START}(?:1[34]\d\d|1500)(?!\d|[.,]\d|\s?%)"
_SPACE = r"[^\S\n]"  # a space that does not end the paragraph
# How far from publication a day must be before the tense of its clause moves it by a year.
_TENSE_DAYS = 31

Span = Callable[[int, int], tuple[int, int]]
_WORD_AFTER = re.compile(rf"{_SPACE}*(\w+)?")


@dataclass(frozen=True, slots=True)
class _Found:
    """One resolved mention, with its span in the folded text."""

    value: str
    mod: DateMod | None
    start: int
    end: int
    calendar: Literal["gregorian", "hijri"] = "gregorian"


def extract_dates(text: str, lang: str, published: date | None) -> list[DateMention]:
    """Date mentions in `text` ("ar" or "en"), sorted by position, values resolved on `published`.

    Without `published`, expressions that need it (weekdays, yesterday, last week, a day or a month
    without its year) are skipped; explicit dates are still found.
    """
    if lang not in LANGS or not text:
        return []
    lex = _lexicon(lang)
    folded, span = _fold(text, lang)
    doc = _Doc(lex, text, folded, span, published)
    found: list[_Found] = []
    for match in lex.pattern.finditer(folded):
        resolved = _RESOLVERS[match.lastgroup or ""](doc, match)
        for hit in resolved if isinstance(resolved, list) else [resolved]:
            if hit is None:
                continue
            found.append(hit)
            if len(hit.value) == 4:
                found.extend(_range_tail(doc, hit))
    found.extend(_holidays(doc))
    return _to_mentions(found, doc)


def _holidays(doc: _Doc) -> list[_Found]:
    """Fixed holidays (Christmas Day, New Year's Day, رأس السنة): their day, in the year written
    after them or else the nearest one, as for a day without its year."""
    out = []
    for m in doc.lex.holidays.finditer(doc.folded):
        month, day = doc.lex.holiday_days[" ".join(m["name"].split())]
        if m["year"]:
            found = _safe_date(int(m["year"]), month, day)
        elif doc.published is None:
            continue
        else:
            found = _yearless_day(
                month,
                day,
                doc.published,
                past=doc.told_in_past(m.start()),
                future=doc.told_in_future(m.start(), after=0),
            )
        if found is not None:
            out.append(_Found(found.isoformat(), None, m.start(), m.end()))
    return out


# ---------------------------------------------------------------------------------------------
# Lexicon and grammar


@dataclass(frozen=True, slots=True)
class _Lexicon:
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


def _key(word: str) -> str:
    return fold(word).text


def _keys(words: Iterable[str]) -> list[str]:
    return [_key(w) for w in words]


def _alt(words: Iterable[str]) -> str:
    """Folded words as one group (a prefix tree: longer words win, a space matches any run)."""
    return f"(?:{alternation(words)})"


@cache
def _lexicon(lang: str) -> _Lexicon:
    raw: dict[str, Any] = lexicon.load(f"dates_{lang}")
    v: dict[str, Any] = {}
    for name, entry in raw.items():
        if isinstance(entry, dict):
            v[name] = {_key(k): val for k, val in entry.items()}
        elif isinstance(entry, list):
            v[name] = _keys(str(w) for w in entry)
        else:
            v[name] = _key(str(entry))
    glued = "".join(f"(?:{_alt(v[k])})?" for k in ("glued_conjunctions", "glued_prepositions"))
    pattern = _ar_grammar(v, glued) if lang == "ar" else _en_grammar(v)

    def before(words: list[str]) -> re.Pattern[str]:
        # The word right before a position: same paragraph, a glued conjunction allowed.
        conj = _alt(v["glued_conjunctions"])
        return re.compile(rf"(?<!\w){conj}?{_alt(words)}{_SPACE}+\Z")

    def after(words: list[str]) -> re.Pattern[str]:
        return re.compile(rf"{_SPACE}*{_alt(words)}{_NB}")

    year_units = [k for k, u in v["units"].items() if u == "year"]
    joiners = _alt(["-", *v["range_joiners"]])
    months = _alt(v["months"])
    ordinal = _alt(v["ordinal_suffixes"])
    return _Lexicon(
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
            rf"(?<!\w){_alt(v['glued_conjunctions'])}?(?P<ctx>{_alt(v['since'] + v['weak'])})"
            rf"{_SPACE}+\Z"
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
            rf"{_SPACE}*{joiners}{_SPACE}*(?P<tail>(?:{_alt(v['year_nouns'] + year_units)}"
            rf"{_SPACE}+)?(?P<year>{_YEAR}))"
        ),
        # "August 15th to September 8th, 1963", "Oct. 9, 11, 1981": the first date takes the
        # year of the next.
        borrow_year=re.compile(
            rf"{_SPACE}*(?:,|{joiners}){_SPACE}*(?:{months}\.?{_SPACE}+)?\d{{1,2}}{ordinal}?"
            rf"(?:{_SPACE}+(?:{_alt(v['day_month_joiners'])}{_SPACE}+)?{months}\.?)?"
            rf",?{_SPACE}+(?P<year>{_YEAR})"
        ),
        future_context=before(v["future_cues"]),
        past_context=re.compile(v["past_context"] or "(?!)"),
        since_context=before(v["since"]),
        holidays=re.compile(
            rf"(?<!\w)(?P<name>{_alt(v['holidays'])}){_NB}(?:,?{_SPACE}+(?P<year>{_YEAR}))?"
        ),
        holiday_days={
            " ".join(_key(name).split()): (int(md[:2]), int(md[3:]))
            for name, md in v["holidays"].items()
        },
        future_words=re.compile(v["future_words"] or "(?!)"),
        year_determiner=before(v["year_determiners"]),
        # After "in 2011": a word that is no plural noun ("called for"), or (Arabic) one that
        # opens a new clause with و; not "in 2000 locations", "في 2000 موقع".
        weak_ahead=re.compile(
            rf"{_SPACE}+(?!{_alt(v['count_nouns'])}{_NB})(?:[a-z]+(?<![^s]s){_NB}|و{_LETTER})"
        ),
        # A lower-case noun after the year, and no count noun in the next two words.
        count_ahead=re.compile(
            rf"{_SPACE}+(?!{_alt(v['count_nouns'])}{_NB})[a-z]+{_NB}"
            rf"(?!{_SPACE}+{_alt(v['count_nouns'])}{_NB})"
        ),
    )


def _historic(days: list[str], months: dict[str, int]) -> Iterable[tuple[int, int]]:
    for entry in days:
        name, day = entry.rsplit(maxsplit=1)
        yield months[name], int(day)


def _ar_grammar(v: dict[str, Any], glued: str) -> str:
    """Arabic: day before month, offsets after their noun (أكتوبر الماضي), glued prefixes."""
    mod = _alt(v["modifiers"])
    months = _alt(v["months"])
    offsets = _alt(v["offsets"])
    year_nouns = _alt(v["year_nouns"])
    year_units = _alt(k for k, u in v["units"].items() if u == "year")
    ce = _alt(v["ce_markers"])
    art = _alt([v["definite_article"]])
    dm_join = _alt(v["day_month_joiners"])
    my_join = _alt(v["month_year_joiners"])
    day_range = _alt(["-", *v["range_joiners"]])

    ordinals = _alt(v["ordinal_days"])

    def day(n: str) -> str:
        # 23 أغسطس, الـ23 من أغسطس, 5 و7 أغسطس, السابع من أكتوبر.
        return (
            rf"(?:(?:{art}\s?)?(?P<{n}_day>{_NUM_START}\d{{1,2}})(?!\d|[.,:/]\d)"
            rf"(?:\s*{day_range}\s*(?P<{n}_day2>\d{{1,2}})(?!\d))?\s+(?:{dm_join}\s+)?"
            rf"|(?P<{n}_oday>{ordinals}){_NB}\s+{dm_join}\s+)"
        )

    def month(n: str) -> str:
        # The combined forms: آب/أغسطس, تشرين الأول (أكتوبر).
        return (
            rf"(?P<{n}_mon>{months}){_NB}"
            rf"(?:\s*[/(]\s*(?P<{n}_mon2>{months}){_NB}(?:\s*\))?)?"
        )

    def year(n: str) -> str:
        return (
            rf"\s*,?\s*(?:{my_join}\s+)?(?:{year_nouns}{_NB}\s+)?"
            rf"(?P<{n}_year>{_YEAR})(?:\s?{ce}{_NB})?"
        )

    wd = (
        rf"(?P<s_wd>(?:(?P<wd_pre>{_alt(v['day_prefix'] + list(v['day_words']))})"
        rf"\s+)?(?P<wd_name>{_alt(v['weekdays'])}){_NB}(?:\s+(?P<wd_off>{offsets}){_NB})?"
        rf"(?:\s*,?\s*(?:{_alt(v['weekday_date_joiners'])}\s+)?{day('wd')}{month('wd')}"
        rf"(?:{year('wd')})?)?)"
    )
    hmarks = _alt(v["hijri_markers"])
    hj = (
        rf"(?P<s_hj>(?:(?P<hj_day>{_NUM_START}\d{{1,2}})\s+)?"
        rf"(?P<hj_mon>{_alt(v['hijri_months'])}){_NB}\s*,?\s*(?P<hj_year>{_HIJRI_YEAR})"
        rf"(?:\s?{hmarks}{_NB})?"
        rf"|(?:{year_nouns}\s+)?(?P<hj_year2>{_HIJRI_YEAR})\s?{hmarks}{_NB})"
    )
    md = (
        rf"(?P<s_md>(?:(?P<md_mod>{mod}){_NB}\s+)?(?:{day('md')})?{month('md')}"
        rf"(?:{year('md')}"
        rf"|\s+(?:{my_join}\s+)?{year_units}\s+(?P<md_ryo>{offsets}){_NB}"
        rf"|\s+(?P<md_off>{offsets}){_NB})?)"
    )
    yr = (
        rf"(?P<s_yr>(?:(?P<yr_mod>{mod}){_NB}\s+)?(?:(?P<yr_noun>{year_nouns}){_NB}\s+)?"
        rf"(?P<yr_year>{_YEAR})(?P<yr_ce>\s?{ce}{_NB})?)"
    )
    rl = (
        rf"(?P<s_rl>(?:(?P<rl_mod>{mod}){_NB}\s+)?"
        rf"(?:(?P<rl_unit>{_alt(v['units'])}){_NB}\s+(?P<rl_off>{offsets})"
        rf"|{_alt(v['this_words'])}\s+(?P<rl_unit2>{_alt(v['units'])})"
        rf"|(?P<rl_unit3>{_alt(v['units'])})){_NB}"
        rf"|(?:(?P<rl_pre>{_alt(v['day_prefix'])})\s+)?(?P<rl_day>{_alt(v['day_words'])}){_NB})"
    )
    starts = [*_starts(v), f"{v['definite_article']}"]
    return _branches(rf"(?P<p>{glued})", starts, wd=wd, hj=hj, num=_numeric(), md=md, yr=yr, rl=rl)


def _en_grammar(v: dict[str, Any]) -> str:
    """English: month before or after the day, offsets before their noun (last October)."""
    mods = _alt(v["modifiers"])
    mod_sep = r"(?:\s+|-)"
    full = _alt(k for k in v["months"] if k not in v["never_alone"])
    abbr = _alt(v["never_alone"])
    offsets = _alt(v["offsets"])
    ordinal = rf"(?:{_alt(v['ordinal_suffixes'])}{_NB})?"
    dm_join = _alt(v["day_month_joiners"])
    my_join = _alt(v["month_year_joiners"])
    day_range = _alt(["-", *v["range_joiners"]])
    year_units = _alt(k for k, u in v["units"].items() if u == "year")

    def month(n: str) -> str:
        return rf"(?P<{n}>(?:{full}{_NB}|{abbr}{_NB}\.?))"

    def day(n: str) -> str:
        return (
            rf"(?P<{n}>{_NUM_START}\d{{1,2}}){ordinal}(?!\d|[.,:/]\d)"
            rf"(?:\s*{day_range}\s*(?P<{n}2>\d{{1,2}}){ordinal}(?!\d|,\d))?"
        )

    def year(n: str) -> str:
        return rf"(?:,\s*|\s+)(?:{my_join}\s+)?(?P<{n}>{_YEAR})"

    def rel_year(n: str) -> str:
        # October last year, Feb. 24 of next year.
        return rf"\s+(?:{my_join}\s+)?(?P<{n}>{offsets})\s+{year_units}{_NB}"

    wd = (
        rf"(?P<s_wd>(?:(?P<wd_off>{offsets})\s+)?(?P<wd_name>{_alt(v['weekdays'])}){_NB}"
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
    yr = rf"(?P<s_yr>(?:(?P<yr_mod>{mods}){mod_sep})?(?P<yr_year>{_YEAR}))"
    rl = (
        rf"(?P<s_rl>(?:(?P<rl_mod>{mods}){mod_sep})?"
        rf"(?:(?P<rl_off>{offsets})\s+(?P<rl_unit>{_alt(v['units'])})"
        rf"|(?:{_alt(v['unit_articles'])}\s+)?(?P<rl_unit3>{_alt(v['units'])})){_NB}"
        rf"|(?P<rl_day>{_alt(v['day_words'])}){_NB})"
    )
    return _branches("", _starts(v), wd=wd, num=_numeric(), md=md, yr=yr, rl=rl)


def _numeric() -> str:
    # 2020-08-23, 2020/8/23, 23/8/2020, 23.08.2020: the same separator twice.
    return (
        rf"(?P<s_num>{_NUM_START}(?:(?P<num_y1>\d{{4}})(?P<num_s1>[-/.])(?P<num_a1>\d{{1,2}})"
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
    guard = rf"(?=\d|{_alt(starts)}{_NB})"
    # Each branch is an outer named group, so `match.lastgroup` names the branch that matched.
    # Order matters where two start at the same place: the weekday (with its date) first.
    body = "|".join(f"(?P<{k}>{p})" for k, p in branches.items())
    return rf"(?<!\w){prefix}{guard}(?:{body})"


# ---------------------------------------------------------------------------------------------
# Text and context


def _fold(text: str, lang: str) -> tuple[str, Span]:
    """The folded text to match and a map from its spans to spans of `text`."""
    if lang == "en":
        # English needs no dropped characters, so the length-keeping fold leaves offsets alone.
        quick = fold_chars(text).lower()
        if len(quick) == len(text):
            return quick, lambda start, end: (start, end)
    folded = fold(text)
    return folded.text, folded.span


@dataclass(frozen=True, slots=True)
class _Doc:
    """One text being read: its folded form, the offset map and the publication date."""

    lex: _Lexicon
    text: str
    folded: str
    span: Span
    published: date | None

    def before(self, pattern: re.Pattern[str], pos: int) -> bool:
        """Whether the word (or phrase) just before `pos` is one of `pattern`'s."""
        return pattern.search(self.folded, max(0, pos - 40), pos) is not None

    def after(self, pattern: re.Pattern[str], pos: int) -> bool:
        return pattern.match(self.folded, pos) is not None

    def _clause_before(self, pos: int) -> int:
        lo = max(0, pos - 80)
        return max(lo, *(self.folded.rfind(mark, lo, pos) + 1 for mark in ".!?\n;"))

    def told_in_past(self, pos: int) -> bool:
        """The clause before `pos` is told in the past, with no word of the future in it."""
        lo = self._clause_before(pos)
        return bool(
            self.lex.past_context.search(self.folded, lo, pos)
            and not self.lex.future_words.search(self.folded, lo, pos)
        )

    def told_in_future(self, pos: int, after: int = 40) -> bool:
        """The clause before `pos` (and `after` characters past it) has a word of the future
        (will, must, سوف, من المقرر)."""
        lo, hi = self._clause_before(pos), min(len(self.folded), pos + after)
        return bool(self.lex.future_words.search(self.folded, lo, hi))

    def capitalised(self, pos: int) -> bool:
        return self.text[self.span(pos, pos + 1)[0]].isupper()

    def sentence_start(self, pos: int) -> bool:
        before = self.folded[max(0, pos - 3) : pos].rstrip(" \t\"'(")
        return not before or before[-1] in ".!?:\n"

    def free_after(self, end: int) -> bool:
        """After a year with a weak context: a pause, a word of `weak_follow` or (English) a
        capitalised word; "in 2014 the group", "In 2014 Russia", not "in 2000 locations"."""
        m = _WORD_AFTER.match(self.folded, end)
        if m is None or m.group(1) is None or m.group(1) in self.lex.weak_follow:
            return True
        return self.lex.lang == "en" and not m.group(1).isdigit() and self.capitalised(m.start(1))


# ---------------------------------------------------------------------------------------------
# Values


def _month_value(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def _week_value(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year:04d}-W{week:02d}"


def _shift_month(day: date, months: int) -> tuple[int, int]:
    index = day.year * 12 + day.month - 1 + months
    return index // 12, index % 12 + 1


def _latest(published: date) -> date:
    """The last day a date written without its year may fall on: the end of the month after
    publication. News looks back far more often than ahead, so the latest such occurrence wins."""
    year, month = _shift_month(published, 1)
    return date(year, month, calendar.monthrange(year, month)[1])


def _month_year(
    month: int,
    offset: int | None,
    published: date,
    *,
    ahead: bool = False,
    past: bool = False,
    future: bool = False,
) -> int:
    """The year of a month named without one: last (-1), next (1), this (0) or bare (None).

    A bare month is the nearest such month to publication (../shared/DESIGN.md), unless the
    tense clearly says otherwise: a deadline in a clause about the future (`ahead`) is the next
    one, in a clause told in the past (`past`) a month still ahead is last year's, and in one
    told in the future (`future`) a month gone by is next year's.
    """
    if offset == -1:
        return published.year if month < published.month else published.year - 1
    if offset == 1:
        return published.year if month > published.month else published.year + 1
    if ahead:
        return published.year if month >= published.month else published.year + 1
    if offset == 0:
        return published.year
    here = published.year * 12 + published.month
    year = min(
        (published.year - 1, published.year, published.year + 1),
        key=lambda y: (abs(y * 12 + month - here), y * 12 + month > here),
    )
    # Tense moves a month only when it is more than a month away ("resumed in February",
    # written in January, stays this year's).
    if past and year * 12 + month > here + 1:
        year -= 1
    if future and year * 12 + month < here - 1:
        year += 1
    return year


def _yearless_day(
    month: int,
    day: int,
    published: date,
    *,
    ahead: bool = False,
    past: bool = False,
    future: bool = False,
) -> date | None:
    """The nearest such day to publication, on the same terms as `_month_year`."""
    found = [
        d
        for year in (published.year - 1, published.year, published.year + 1)
        if (d := _safe_date(year, month, day)) is not None
    ]
    if ahead:
        return min((d for d in found if d >= published), default=None)
    if not found:
        return None
    nearest = min(found, key=lambda d: (abs((d - published).days), d > published))
    if past and (nearest - published).days > _TENSE_DAYS:
        return _safe_date(nearest.year - 1, month, day)
    if future and (published - nearest).days > _TENSE_DAYS:
        return _safe_date(nearest.year + 1, month, day)
    return nearest


def _weekday(weekday: int, offset: int | None, published: date) -> date:
    """The latest such day on or before publication; last: strictly before; next: after."""
    if offset == 1:
        return published + timedelta(days=(weekday - published.weekday()) % 7 or 7)
    back = (published.weekday() - weekday) % 7
    if offset == -1 and back == 0:
        back = 7
    return published - timedelta(days=back)


def _relative(unit: str, offset: int, published: date) -> str:
    if unit == "day":
        return (published + timedelta(days=offset)).isoformat()
    if unit == "week":
        return _week_value(published + timedelta(weeks=offset))
    if unit == "month":
        return _month_value(*_shift_month(published, offset))
    return f"{published.year + offset:04d}"


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _hijri_to_gregorian(year: int, month: int, day: int) -> date | None:
    try:
        g = Hijri(year, month, day).to_gregorian()
    except (ValueError, OverflowError):
        return None
    return date(g.year, g.month, g.day)


# ---------------------------------------------------------------------------------------------
# One resolver per grammar branch: the match in, a resolved mention (or None) out.


def _norm(word: str) -> str:
    return " ".join(word.rstrip(".").split())


def _month_number(lex: _Lexicon, word: str | None) -> int | None:
    return None if word is None else lex.months.get(_norm(word))


def _resolve_weekday(doc: _Doc, m: re.Match[str]) -> _Found | None:
    start, end = m.span("s_wd")
    if _weekday_blocked(doc, m):
        return None
    weekday = doc.lex.weekdays[_norm(m["wd_name"])]
    explicit = _explicit_after_weekday(doc, m)
    if explicit is not None:
        day, has_year = explicit
        if day.weekday() != weekday and not has_year:
            return None  # a yearless date of another weekday: the year guess is wrong
        return _Found(day.isoformat(), None, start, end)
    if doc.published is None:
        return None
    offset = doc.lex.offsets.get(m["wd_off"] or "")
    day = _weekday(weekday, offset if offset in (-1, 1) else None, doc.published)
    shift = doc.lex.day_words.get(_norm(m.groupdict().get("wd_pre") or ""))
    if shift is not None and doc.published + timedelta(days=shift) != day:
        return None  # أمس الأحد on a Wednesday: the publication date is not the one written for
    return _Found(day.isoformat(), None, start, end)


def _weekday_blocked(doc: _Doc, m: re.Match[str]) -> bool:
    """A weekday that is a name: Good Friday, the Sunday Times, صلاة الجمعة, كلا الاثنين."""
    name_at = m.start("wd_name")
    if doc.lex.lang == "en" and not doc.capitalised(name_at):
        return True
    before_at = name_at if m.groupdict().get("wd_pre") is None else m.start("s_wd")
    return doc.before(doc.lex.weekday_not_after, before_at) or doc.after(
        doc.lex.weekday_not_before, m.end("wd_name")
    )


def _explicit_after_weekday(doc: _Doc, m: re.Match[str]) -> tuple[date, bool] | None:
    g = m.groupdict()
    month = _month_number(doc.lex, g.get("wd_mon") or g.get("wd_monb"))
    day = _day_number(doc.lex, g, "wd")
    if month is None or day is None:
        return None
    if g.get("wd_year"):
        found = _safe_date(int(g["wd_year"] or 0), month, day)
        return None if found is None else (found, True)
    if doc.published is None:
        return None
    found = _yearless_day(month, day, doc.published)
    return None if found is None else (found, False)


def _day_number(lex: _Lexicon, g: dict[str, str | None], branch: str) -> int | None:
    """The day of a match: digits (23, 23rd) or an ordinal word (السابع)."""
    digits = g.get(f"{branch}_day") or g.get(f"{branch}_dayb")
    if digits is not None:
        return int(digits)
    ordinal = g.get(f"{branch}_oday")
    return None if ordinal is None else lex.ordinal_days[_norm(ordinal)]


def _resolve_hijri(doc: _Doc, m: re.Match[str]) -> _Found | None:
    start, end = m.span("s_hj")
    if m["hj_year2"]:
        # A Hijri year straddles two Gregorian ones: take the one holding its middle (1 Rajab).
        middle = _hijri_to_gregorian(int(m["hj_year2"]), 7, 1)
        return None if middle is None else _Found(f"{middle.year:04d}", None, start, end, "hijri")
    year = int(m["hj_year"])
    month = doc.lex.hijri_months[_norm(m["hj_mon"])]
    if m["hj_day"]:
        day = _hijri_to_gregorian(year, month, int(m["hj_day"]))
        return None if day is None else _Found(day.isoformat(), None, start, end, "hijri")
    middle = _hijri_to_gregorian(year, month, 15)
    if middle is None:
        return None
    return _Found(_month_value(middle.year, middle.month), None, start, end, "hijri")


def _resolve_numeric(doc: _Doc, m: re.Match[str]) -> _Found | None:
    start, end = m.span("s_num")
    if m["num_y1"]:
        year, month, day = int(m["num_y1"]), int(m["num_a1"]), int(m["num_b1"])
    else:
        year, first, second = int(m["num_y2"]), int(m["num_a2"]), int(m["num_b2"])
        if doc.lex.lang == "ar" or first > 12 or first == second:
            day, month = first, second
        elif second > 12:
            month, day = first, second  # 8/23/2020, written the American way
        else:
            return None  # 3/4/2020 in English: day-first or month-first, we cannot tell
    found = _safe_date(year, month, day) if 1900 <= year <= 2100 else None
    return None if found is None else _Found(found.isoformat(), None, start, end)


def _resolve_month_date(doc: _Doc, m: re.Match[str]) -> _Found | list[_Found] | None:
    g = m.groupdict()
    mon_group = next(k for k in ("md_mon", "md_monb", "md_monc") if g.get(k))
    month = _month_number(doc.lex, g[mon_group])
    if (
        month is None
        or (g.get("md_mon2") and _month_number(doc.lex, g["md_mon2"]) != month)
        or (doc.lex.lang == "en" and not doc.capitalised(m.start(mon_group)))
    ):
        return None  # آب/أيلول names two months; "may" is a verb
    mod = doc.lex.modifiers.get(g["md_mod"] or "")
    day = _day_number(doc.lex, g, "md")
    year = _stated_year(doc, g, month)
    if day is not None:
        return None if mod else _day_range(doc, m, month, day, year)
    if year is not None:
        return _Found(_month_value(year, month), mod, *m.span("s_md"))
    return _month_only(doc, m, month, mod)


def _day_range(
    doc: _Doc, m: re.Match[str], month: int, day: int, year: int | None
) -> _Found | list[_Found] | None:
    """A day of a month, or both ends of a range of days ("7 to 17 June", "June 7-17"), the
    second in the year of the first."""
    last = m.groupdict().get("md_day2") or m.groupdict().get("md_dayb2")
    first = _day_month(doc, m.span("s_md"), month, day, year)
    if first is None or last is None or not day < int(last) <= 31:
        return first
    end = _safe_date(int(first.value[:4]), month, int(last))
    return first if end is None else [first, _Found(end.isoformat(), None, first.start, first.end)]


def _stated_year(doc: _Doc, g: dict[str, str | None], month: int) -> int | None:
    """The year written with a month: 2023, last year (العام الماضي), or الماضي/المقبل after it."""
    digits = g.get("md_year") or g.get("md_yearb") or g.get("md_yearc")
    if digits is not None:
        return int(digits)
    published = doc.published
    rel_year = g.get("md_ryo") or g.get("md_ryoa") or g.get("md_ryob")
    if published is None or (rel_year is None and g.get("md_off") is None):
        return None
    if rel_year is not None:
        return published.year + doc.lex.offsets[rel_year]
    return _month_year(month, doc.lex.offsets[g["md_off"] or ""], published)


def _month_only(doc: _Doc, m: re.Match[str], month: int, mod: DateMod | None) -> _Found | None:
    """A month alone (in October): the latest one, or the next one after a deadline word."""
    published = doc.published
    if published is None or (mod is None and not _bare_month_ok(doc, m)):
        return None
    at = m.start("s_md")
    deadline = doc.before(doc.lex.future_context, at)  # "by June": never a past event's month
    year = _month_year(
        month,
        None,
        published,
        ahead=deadline and doc.told_in_future(at),
        past=not deadline and doc.told_in_past(at),
        future=not doc.before(doc.lex.since_context, at) and doc.told_in_future(at, after=0),
    )
    return _Found(_month_value(year, month), mod, *m.span("s_md"))


def _bare_month_ok(doc: _Doc, m: re.Match[str]) -> bool:
    """A month named alone is a date only after a date context word."""
    lex = doc.lex
    g = m.groupdict()
    key = _norm(g.get("md_monc") or g["md_mon"])
    at = m.start("s_md")
    prefix = m.groupdict().get("p") or ""
    if key in lex.never_alone or doc.before(lex.event_before, at - len(prefix)):
        return False  # Jan alone is a name; حرب أكتوبر is a war
    if key in lex.ambiguous:
        return not prefix and doc.before(lex.ambiguous_context, at)
    if any(p in lex.glued_prepositions for p in prefix):
        return True
    return doc.before(lex.month_context, at - len(prefix))


def _day_month(
    doc: _Doc, where: tuple[int, int], month: int, day: int, year: int | None
) -> _Found | None:
    start, end = where
    if year is None:
        borrowed = doc.lex.borrow_year.match(doc.folded, end)
        year = int(borrowed["year"]) if borrowed is not None else None
    if year is not None:
        if _safe_date(year, month, day) is None:
            return None
        return _Found(f"{year:04d}-{month:02d}-{day:02d}", None, start, end)
    if (
        doc.published is None
        or (month, day) in doc.lex.historic_days
        or doc.before(doc.lex.event_before, start)
        or doc.after(doc.lex.event_after, end)
    ):
        return None  # ثورة 25 يناير, the March 8 alliance: a name, not a day
    # "must leave by Sept. 15": a deadline ahead; "by" alone is never a past event's day
    deadline = doc.before(doc.lex.future_context, start)
    found = _yearless_day(
        month,
        day,
        doc.published,
        ahead=deadline and doc.told_in_future(start),
        past=not deadline and doc.told_in_past(start),
        future=not doc.before(doc.lex.since_context, start) and doc.told_in_future(start, after=0),
    )
    return None if found is None else _Found(found.isoformat(), None, start, end)


def _resolve_year(doc: _Doc, m: re.Match[str]) -> _Found | None:
    # A year noun (العام 2014) or an era marker (2014م) makes the number a year by itself.
    mod_word, noun = m["yr_mod"], m.groupdict().get("yr_noun") or m.groupdict().get("yr_ce")
    start = m.start("s_yr")
    ctx = doc.lex.year_context.search(doc.folded, max(0, start - 40), start)
    since = ctx is not None and ctx["ctx"] in doc.lex.since
    weak_only = ctx is not None and not since and mod_word is None and noun is None
    bare = ctx is None and mod_word is None and noun is None
    # "the 2003 invasion": a year between a determiner and a noun that is not counted.
    determined = (
        bare
        and doc.before(doc.lex.year_determiner, start)
        and doc.after(doc.lex.count_ahead, m.end("s_yr"))
    )
    if (
        (bare and not determined)
        or doc.after(doc.lex.duration_after, m.end("s_yr"))
        or (
            weak_only
            and not doc.free_after(m.end("s_yr"))
            and not doc.after(doc.lex.weak_ahead, m.end("s_yr"))
        )
    ):
        return None  # 2500 جندي, منذ 2000 عام, in 2000 locations
    # The context word is part of the mention when it alone makes the number a year, and منذ
    # / since always are (منذ العام 2014, as the seed annotates).
    if ctx is not None and (since or weak_only):
        start = ctx.start("ctx")
    mod = doc.lex.modifiers.get(mod_word or "")
    return _Found(f"{int(m['yr_year']):04d}", mod, start, m.end("s_yr"))


def _resolve_relative(doc: _Doc, m: re.Match[str]) -> _Found | None:
    g = m.groupdict()
    if doc.published is None:
        return None
    if g.get("rl_day") is not None:
        return _day_word(doc, m, doc.published)
    start, end = m.span("s_rl")
    unit = doc.lex.units[_norm(g.get("rl_unit") or g.get("rl_unit2") or g.get("rl_unit3") or "")]
    offset = doc.lex.offsets[g["rl_off"]] if g.get("rl_off") else 0
    mod = doc.lex.modifiers.get(g["rl_mod"] or "")
    if g.get("rl_unit3") and (mod is None or unit not in ("month", "year")):
        return None  # "the year" alone; نهاية العام is the end of this year
    if mod is None and doc.before(doc.lex.offset_not_after, start):
        return None  # over the last year: a duration
    if mod is not None and unit not in ("month", "year"):
        # منتصف الأسبوع الماضي: a part of a week has no TIMEX modifier; keep the week.
        mod, start = None, m.start("rl_unit") if g.get("rl_unit") else m.start("rl_unit2")
    return _Found(_relative(unit, offset, doc.published), mod, start, end)


def _day_word(doc: _Doc, m: re.Match[str], published: date) -> _Found | None:
    shift = doc.lex.day_words[_norm(m["rl_day"])]
    if (shift == 0 and _not_today(doc, m)) or (
        shift == 1 and doc.lex.lang == "ar" and not _tomorrow_ok(doc, m)
    ):
        return None
    return _Found((published + timedelta(days=shift)).isoformat(), None, *m.span("s_rl"))


def _not_today(doc: _Doc, m: re.Match[str]) -> bool:
    """روسيا اليوم, USA Today, في ذلك اليوم, اليوم التالي: a name or another day."""
    at, end = m.span("rl_day")
    lex = doc.lex
    if doc.before(lex.today_not_after, at) or doc.after(lex.today_not_before, end):
        return True
    if lex.lang == "en":
        return doc.capitalised(at) and not doc.sentence_start(at)
    following = re.compile(rf"{_SPACE}+({re.escape(lex.article)}{_LETTER}+)").match(doc.folded, end)
    return following is not None and following.group(1) not in lex.weekdays


def _tomorrow_ok(doc: _Doc, m: re.Match[str]) -> bool:
    """غدا is also the verb "became": take it with its tanween, before a weekday or a pause."""
    o_start, o_end = doc.span(*m.span("rl_day"))
    if "\u064b" in doc.text[o_start : o_end + 1]:
        return True
    word = _WORD_AFTER.match(doc.folded, m.end("rl_day"))
    following = word.group(1) if word is not None else None
    return following is None or following in doc.lex.weekdays


def _range_tail(doc: _Doc, first: _Found) -> list[_Found]:
    """A second year joined to a year mention: بين عامي 2014 و2017, from 2014 to 2017."""
    m = doc.lex.range_tail.match(doc.folded, first.end)
    if (
        m is None
        or int(m["year"]) <= int(first.value)
        or doc.after(doc.lex.duration_after, m.end("year"))
    ):
        return []
    return [_Found(f"{int(m['year']):04d}", None, m.start("tail"), m.end("tail"))]


def _to_mentions(found: list[_Found], doc: _Doc) -> list[DateMention]:
    """Map to the original text, keep the first of overlapping spans, sort by position."""
    out: list[DateMention] = []
    last_end, last_span = -1, (-1, -1)
    for f in sorted(found, key=lambda f: (f.start, -f.end)):
        # One span may carry two values: both ends of a day range ("7 to 17 June").
        if f.start < last_end and (f.start, f.end) != last_span:
            continue
        start, end = doc.span(f.start, f.end)
        while end < len(doc.text) and _is_mark(doc.text[end]):
            end += 1  # the tatweel of هـ, a tanween after the alef of غداً
        out.append(DateMention(f.value, f.mod, doc.text[start:end], start, end, f.calendar))
        last_end, last_span = f.end, (f.start, f.end)
    return out


def _is_mark(ch: str) -> bool:
    return ch == "\u0640" or unicodedata.category(ch) == "Mn"


_RESOLVERS: dict[str, Callable[[_Doc, re.Match[str]], _Found | list[_Found] | None]] = {
    "wd": _resolve_weekday,
    "hj": _resolve_hijri,
    "num": _resolve_numeric,
    "md": _resolve_month_date,
    "yr": _resolve_year,
    "rl": _resolve_relative,
}
