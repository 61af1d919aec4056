"""Issue periods: ISO weeks (Monday to Sunday) and calendar months in the site's time zone.

A period is named the way editors write it ("2026-W49", "2026-12"); its bounds are
aware datetimes at local midnight, so a story added late on Sunday evening in New
York belongs to that week even though it is Monday in UTC. Pure: the current time
is passed in by the caller (see `current_time`), never read here.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from .errors import Problem, SiteError

PERIOD_KINDS = ("week", "month")
NOW_VARIABLE = "LABOR_DIGEST_NOW"  # an ISO date-time: build as if it were then (tests, reproducing a build)

_WEEK = re.compile(r"^(\d{4})-W(\d{1,2})$", re.IGNORECASE)
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")


@dataclass(frozen=True, order=True)
class Period:
    """One issue's span: [start, end) in the site's time zone."""

    start: datetime
    end: datetime
    kind: str  # "week" or "month"
    key: str  # "2026-W49" or "2026-12": the name in files and URLs

    @property
    def plain_title(self) -> str:
        """The title of an issue without an editor's title: 'Week of 30 November 2026', 'December 2026'."""
        if self.kind == "week":
            return f"Week of {self.start.day} {self.start:%B %Y}"
        return f"{self.start:%B %Y}"

    @property
    def last_day(self) -> date:
        return (self.end - timedelta(days=1)).date()

    @property
    def last_day_text(self) -> str:
        """'Sunday 6 December 2026': the day the period ends with."""
        last = self.last_day
        return f"{last:%A} {last.day} {last:%B %Y}"

    @property
    def span_text(self) -> str:
        """'30 November to 6 December 2026', '1 to 31 December 2026'."""
        first, last = self.start.date(), self.last_day
        if (first.year, first.month) == (last.year, last.month):
            return f"{first.day} to {last.day} {last:%B %Y}"
        if first.year == last.year:
            return f"{first.day} {first:%B} to {last.day} {last:%B %Y}"
        return f"{first.day} {first:%B %Y} to {last.day} {last:%B %Y}"

    @property
    def so_far_title(self) -> str:
        return "This week so far" if self.kind == "week" else "This month so far"


def _local_midnight(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time(), tzinfo=tz)


def week(year: int, number: int, tz: ZoneInfo) -> Period:
    monday = date.fromisocalendar(year, number, 1)
    return Period(_local_midnight(monday, tz), _local_midnight(monday + timedelta(days=7), tz), "week", f"{year:04d}-W{number:02d}")


def month(year: int, number: int, tz: ZoneInfo) -> Period:
    first = date(year, number, 1)
    following = date(year + number // 12, number % 12 + 1, 1)
    return Period(_local_midnight(first, tz), _local_midnight(following, tz), "month", f"{year:04d}-{number:02d}")


def period_of(when: datetime, kind: str, tz: ZoneInfo) -> Period:
    """The period a moment falls in, as the site's clock on the wall shows it."""
    local = when.astimezone(tz)
    if kind == "week":
        year, number, _day = local.isocalendar()
        return week(year, number, tz)
    return month(local.year, local.month, tz)


def period_of_day(day: date, kind: str, tz: ZoneInfo) -> Period:
    """The period a calendar day belongs to (issues.starts names a day)."""
    return period_of(_local_midnight(day, tz), kind, tz)


def following(period: Period, tz: ZoneInfo) -> Period:
    return period_of(period.end, period.kind, tz)


def weeks_in(year: int) -> int:
    """52 or 53: the ISO week of 28 December is always the year's last."""
    return date(year, 12, 28).isocalendar()[1]


def parse_period(text: str, kind: str, tz: ZoneInfo) -> Period:
    """'2026-W49' or '2026-12' as a Period; ValueError says what is wrong and how to write it."""
    text = text.strip()
    weekly = _WEEK.match(text)
    monthly = _MONTH.match(text)
    example = "2026-W49" if kind == "week" else "2026-12"
    if kind == "week" and monthly or kind == "month" and weekly:
        other = "a month" if monthly else "a week"
        raise ValueError(f"'{text}' names {other}, but issues are {kind}ly (issues.period in config.yaml): name one like {example}")
    if weekly:
        year, number = int(weekly.group(1)), int(weekly.group(2))
        last = weeks_in(year)
        if not 1 <= number <= last:
            raise ValueError(f"'{text}' is not a week: {year} has weeks {year}-W01 to {year}-W{last}")
        return week(year, number, tz)
    if monthly:
        year, number = int(monthly.group(1)), int(monthly.group(2))
        if not 1 <= number <= 12:
            raise ValueError(f"'{text}' is not a month: months are {year}-01 to {year}-12")
        return month(year, number, tz)
    raise ValueError(f"'{text}' is not a {kind}: name one like {example}")


def current_time() -> datetime:
    """Now, or the moment LABOR_DIGEST_NOW names: which issue is still in progress depends on it.

    The only clock the issue code reads; a build writes no time of its own into any file,
    only which period is current, so two builds in the same week give identical bytes.
    """
    pinned = os.environ.get(NOW_VARIABLE, "").strip()
    if pinned:
        try:
            moment = datetime.fromisoformat(pinned)
        except ValueError:
            message = f"{pinned!r} is not an ISO date-time such as 2026-12-07T09:00:00-05:00: fix it or unset it"
            raise SiteError([Problem(NOW_VARIABLE, None, message)]) from None
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return datetime.now(UTC)
