"""Working days on Azerbaijan's calendar, for statutory deadlines.

Weekends are Saturday and Sunday; public holidays, the days off moved onto
weekdays and the Saturdays worked instead come from the ``holidays`` package
(``country_holidays("AZ")``), whose ``is_working_day`` knows all three.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays


@lru_cache(maxsize=16)
def _calendar(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("AZ", years=year)


def is_working_day(day: dt.date) -> bool:
    return _calendar(day.year).is_working_day(day)


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The ``days``-th working day after ``start`` (``start`` itself is not counted).

    A complaint received on a Friday with 1 working day to answer is due on
    Monday, or on the first working day after a holiday that takes Monday.
    """
    if days < 0:
        raise ValueError("A deadline counts forward: days must not be negative.")
    day = start
    remaining = days
    while remaining:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day
