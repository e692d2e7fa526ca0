"""Reading dates: each match of the grammar resolved against the publication date, mapped back to
the original text."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from newsfacts.extract.dates.grammar import (
    LANGS,
    LETTER,
    SPACE,
    Lexicon,
    lexicon_for,
)
from newsfacts.extract.dates.values import (
    hijri_to_gregorian,
    month_value,
    month_year,
    relative,
    safe_date,
    shift_month,
    weekday_date,
    yearless_day,
)
from newsfacts.models import DateMention, DateMod
from newsfacts.text.normalize import fold, fold_chars

Span = Callable[[int, int], tuple[int, int]]
_WORD_AFTER = re.compile(rf"{SPACE}*(\w+)?")


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
    lex = lexicon_for(lang)
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
            found = safe_date(int(m["year"]), month, day)
        elif doc.published is None:
            continue
        else:
            found = yearless_day(
                month,
                day,
                doc.published,
                past=doc.told_in_past(m.start()),
                future=doc.told_in_future(m.start(), after=0),
            )
        if found is not None:
            out.append(_Found(found.isoformat(), None, m.start(), m.end()))
    return out


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

    lex: Lexicon
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


def _norm(word: str) -> str:
    return " ".join(word.rstrip(".").split())


def _month_number(lex: Lexicon, word: str | None) -> int | None:
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
    day = weekday_date(weekday, offset if offset in (-1, 1) else None, doc.published)
    shift = doc.lex.day_words.get(_norm(m.groupdict().get("wd_pre") or ""))
    # "اليوم الجمعة" on a page dated Saturday was written the evening before its date (a time
    # zone away); أمس الأحد on a Wednesday is no date at all.
    evening_before = shift == 0 and (doc.published - day).days == 1
    if shift is not None and doc.published + timedelta(days=shift) != day and not evening_before:
        return None
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
        found = safe_date(int(g["wd_year"] or 0), month, day)
        return None if found is None else (found, True)
    if doc.published is None:
        return None
    found = yearless_day(month, day, doc.published)
    return None if found is None else (found, False)


def _day_number(lex: Lexicon, g: dict[str, str | None], branch: str) -> int | None:
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
        middle = hijri_to_gregorian(int(m["hj_year2"]), 7, 1)
        return None if middle is None else _Found(f"{middle.year:04d}", None, start, end, "hijri")
    year = int(m["hj_year"])
    month = doc.lex.hijri_months[_norm(m["hj_mon"])]
    if m["hj_day"]:
        day = hijri_to_gregorian(year, month, int(m["hj_day"]))
        return None if day is None else _Found(day.isoformat(), None, start, end, "hijri")
    middle = hijri_to_gregorian(year, month, 15)
    if middle is None:
        return None
    return _Found(month_value(middle.year, middle.month), None, start, end, "hijri")


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
    found = safe_date(year, month, day) if 1900 <= year <= 2100 else None
    return None if found is None else _Found(found.isoformat(), None, start, end)


def _resolve_day_of_month(doc: _Doc, m: re.Match[str]) -> _Found | None:
    """ "التاسع من الشهر الحالي": a day of this month, the last or the next."""
    day = _day_number(doc.lex, m.groupdict(), "dr")
    if doc.published is None or day is None:
        return None
    year, month = shift_month(doc.published, doc.lex.offsets[_norm(m["dr_off"])])
    found = safe_date(year, month, day)
    return None if found is None else _Found(found.isoformat(), None, *m.span("s_dr"))


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
        return _Found(month_value(year, month), mod, *m.span("s_md"))
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
    end = safe_date(int(first.value[:4]), month, int(last))
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
    return month_year(month, doc.lex.offsets[g["md_off"] or ""], published)


def _month_only(doc: _Doc, m: re.Match[str], month: int, mod: DateMod | None) -> _Found | None:
    """A month alone (in October): the latest one, or the next one after a deadline word."""
    published = doc.published
    if published is None or (mod is None and not _bare_month_ok(doc, m)):
        return None
    at = m.start("s_md")
    deadline = doc.before(doc.lex.future_context, at)  # "by June": never a past event's month
    year = month_year(
        month,
        None,
        published,
        ahead=deadline and doc.told_in_future(at),
        past=not deadline and doc.told_in_past(at),
        future=not doc.before(doc.lex.since_context, at) and doc.told_in_future(at, after=0),
    )
    return _Found(month_value(year, month), mod, *m.span("s_md"))


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
        if safe_date(year, month, day) is None:
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
    found = yearless_day(
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
    return _Found(relative(unit, offset, doc.published), mod, start, end)


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
    following = re.compile(rf"{SPACE}+({re.escape(lex.article)}{LETTER}+)").match(doc.folded, end)
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
    "dr": _resolve_day_of_month,
    "hj": _resolve_hijri,
    "num": _resolve_numeric,
    "md": _resolve_month_date,
    "yr": _resolve_year,
    "rl": _resolve_relative,
}
