"""Date values: TIMEX3 strings, and the year a month or day written without one falls in."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from hijridate import Hijri

# How far from publication a day must be before the tense of its clause moves it by a year.
_TENSE_DAYS = 31


def month_value(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def week_value(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year:04d}-W{week:02d}"


def shift_month(day: date, months: int) -> tuple[int, int]:
    index = day.year * 12 + day.month - 1 + months
    return index // 12, index % 12 + 1


def latest(published: date) -> date:
    """The last day a date written without its year may fall on: the end of the month after
    publication. News looks back far more often than ahead, so the latest such occurrence wins."""
    year, month = shift_month(published, 1)
    return date(year, month, calendar.monthrange(year, month)[1])


def month_year(
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


def yearless_day(
    month: int,
    day: int,
    published: date,
    *,
    ahead: bool = False,
    past: bool = False,
    future: bool = False,
) -> date | None:
    """The nearest such day to publication, on the same terms as `month_year`."""
    found = [
        d
        for year in (published.year - 1, published.year, published.year + 1)
        if (d := safe_date(year, month, day)) is not None
    ]
    if ahead:
        return min((d for d in found if d >= published), default=None)
    if not found:
        return None
    nearest = min(found, key=lambda d: (abs((d - published).days), d > published))
    if past and (nearest - published).days > _TENSE_DAYS:
        return safe_date(nearest.year - 1, month, day)
    if future and (published - nearest).days > _TENSE_DAYS:
        return safe_date(nearest.year + 1, month, day)
    return nearest


def weekday_date(weekday: int, offset: int | None, published: date) -> date:
    """The latest such day on or before publication; last: strictly before; next: after."""
    if offset == 1:
        return published + timedelta(days=(weekday - published.weekday()) % 7 or 7)
    back = (published.weekday() - weekday) % 7
    if offset == -1 and back == 0:
        back = 7
    return published - timedelta(days=back)


def relative(unit: str, offset: int, published: date) -> str:
    if unit == "day":
        return (published + timedelta(days=offset)).isoformat()
    if unit == "week":
        return week_value(published + timedelta(weeks=offset))
    if unit == "month":
        return month_value(*shift_month(published, offset))
    return f"{published.year + offset:04d}"


def safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def hijri_to_gregorian(year: int, month: int, day: int) -> date | None:
    try:
        g = Hijri(year, month, day).to_gregorian()
    except (ValueError, OverflowError):
        return None
    return date(g.year, g.month, g.day)
