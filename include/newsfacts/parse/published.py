"""Publication dates of a page as ISO 8601 strings: offsets kept, date-only dates kept date-only."""

from __future__ import annotations

import logging
import re
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from functools import cache
from urllib.parse import urlsplit

from babel.dates import get_month_names
from htmldate import find_date
from lxml.html import HtmlElement

from newsfacts.text.normalize import fold

log = logging.getLogger(__name__)

_ISO = re.compile(
    r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"
    r"(?:[T ]+(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:[.,](?P<f>\d+))?)?)?"
    r"\s*(?P<tz>Z|UTC|GMT|[+-]\d{2}:?\d{2}|[+-]\d{2}(?!\d))?",
    re.I,
)
# Locales whose month names Arabic outlets use: Egyptian/Gulf, Levantine/Iraqi, Maghrebi.
_MONTH_LOCALES = ("ar", "ar_SY", "ar_MA", "ar_TN", "en")
_EARLIEST_YEAR = 1990
# /2024/03/04/, /2024-03-04-, _20240304_ in a URL path: the publisher's own filing date.
_URL_DATE = re.compile(
    r"(?<![0-9])(?P<y>(?:19|20)\d{2})(?P<sep>[/_-]?)(?P<m>[01]\d)(?P=sep)(?P<d>[0-3]\d)(?![0-9])"
)


def _offset(tz: str | None) -> str:
    if not tz:
        return ""
    tz = tz.upper()
    if tz in {"Z", "UTC", "GMT"}:
        return "+00:00"
    digits = tz[1:].replace(":", "")
    if len(digits) == 2:
        digits += "00"
    return f"{tz[0]}{digits[:2]}:{digits[2:4]}"


def _from_iso(match: re.Match[str]) -> str | None:
    try:
        day = date(int(match["y"]), int(match["m"]), int(match["d"]))
    except ValueError:
        return None
    if not _plausible(day):
        return None
    if match["H"] is None:
        return day.isoformat()
    hour, minute, second = int(match["H"]), int(match["M"]), int(match["S"] or 0)
    if hour > 23 or minute > 59 or second > 59:
        return None
    fraction = f".{match['f'][:6]}" if match["f"] and int(match["f"]) else ""
    clock = f"{hour:02d}:{minute:02d}:{second:02d}{fraction}"
    return f"{day.isoformat()}T{clock}{_offset(match['tz'])}"


def _from_rfc2822(value: str) -> str | None:
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return parsed.isoformat(timespec="seconds") if _plausible(parsed.date()) else None


def normalize_date(value: str | None) -> str | None:
    """An ISO 8601 string from a page's date value, or None when it is not a plausible date.

    Keeps what the page says: a date-only value stays `YYYY-MM-DD`, a time without offset
    stays naive, an offset is written `+HH:MM` (Z becomes +00:00).
    """
    if not value or not value.strip():
        return None
    match = _ISO.search(value)
    return _from_iso(match) if match else _from_rfc2822(value.strip())


def _plausible(day: date) -> bool:
    """Not before the web news era. A date ahead of today is kept as the page states it:
    dropping it let a guesser invent another, and validation quarantines it instead.
    """
    return day.year >= _EARLIEST_YEAR


def to_instant(value: str) -> datetime | date:
    """A comparable value: an aware or naive datetime, or a date for date-only strings."""
    if len(value) == 10:
        return date.fromisoformat(value)
    return datetime.fromisoformat(value)


@cache
def _month_pattern() -> tuple[re.Pattern[str], dict[str, int]]:
    months: dict[str, int] = {}
    for locale in _MONTH_LOCALES:
        for number, name in get_month_names("wide", locale=locale).items():
            months[fold(name).text.lower()] = number
        for number, name in get_month_names("abbreviated", locale=locale).items():
            key = fold(name).text.lower().rstrip(".")
            if len(key) >= 3:
                months.setdefault(key, number)
    names = "|".join(re.escape(n) for n in sorted(months, key=len, reverse=True))
    # "7 يناير 2024", "7 كانون الثاني، 2024", "28 آب/أغسطس 2013" (Levantine and Egyptian names
    # side by side), "January 7, 2024", "7 January 2024".
    pattern = re.compile(
        rf"(?:(?P<d1>\d{{1,2}})\s+(?P<m1>{names})(?:\s*/\s*(?:{names}))?\.?[\s,]*(?P<y1>\d{{4}})"
        rf"|(?P<m2>{names})\.?\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y2>\d{{4}}))",
        re.I,
    )
    return pattern, months


def date_in_text(text: str) -> str | None:
    """The first day-month-year date written in words in `text` (Arabic or English months)."""
    pattern, months = _month_pattern()
    folded = fold(text).text.lower()
    # Arabic text often separates the year with an Arabic comma, which fold turns into ",".
    for match in pattern.finditer(folded):
        day_s, month_s, year_s = (
            (match["d1"], match["m1"], match["y1"])
            if match["d1"]
            else (match["d2"], match["m2"], match["y2"])
        )
        try:
            day = date(int(year_s), months[month_s.rstrip(".")], int(day_s))
        except (KeyError, ValueError):
            continue
        if _plausible(day):
            return day.isoformat()
    return None


def date_in_url(url: str | None) -> str | None:
    """A year-month-day date in a URL's path ("/2024/03/04/slug"), else None."""
    if not url:
        return None
    for match in _URL_DATE.finditer(urlsplit(url).path):
        try:
            day = date(int(match["y"]), int(match["m"]), int(match["d"]))
        except ValueError:
            continue
        if _plausible(day):
            return day.isoformat()
    return None


def htmldate_date(tree: HtmlElement, url: str | None) -> str | None:
    """htmldate's conservative guess of the original publication date (date only)."""
    try:
        found = find_date(tree, url=url, original_date=True, extensive_search=False)
    except (ValueError, TypeError) as exc:
        log.debug("htmldate failed: %s", exc)
        return None
    return normalize_date(found) if found else None
