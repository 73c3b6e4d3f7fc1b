from __future__ import annotations

import datetime as dt

import pytest

from dost.complaints.calendar import add_working_days, is_working_day


def test_a_friday_plus_one_working_day_is_the_monday():
    assert add_working_days(dt.date(2026, 10, 16), 1) == dt.date(2026, 10, 19)


def test_a_weekend_is_not_counted():
    # Thursday + 3 working days: Friday, Monday, Tuesday.
    assert add_working_days(dt.date(2026, 10, 15), 3) == dt.date(2026, 10, 20)


def test_the_day_before_novruz_plus_one_skips_the_whole_holiday():
    # Novruz and Ramadan days off 2026: 20-27 and 30 March; the next working day is the 31st.
    assert not is_working_day(dt.date(2026, 3, 20))
    assert add_working_days(dt.date(2026, 3, 19), 1) == dt.date(2026, 3, 31)


def test_the_day_after_novruz_counts_normally():
    assert add_working_days(dt.date(2026, 3, 31), 1) == dt.date(2026, 4, 1)


def test_new_year_holidays_are_skipped():
    # 1-2 January 2026 are holidays, 3-4 a weekend.
    assert add_working_days(dt.date(2025, 12, 30), 1) == dt.date(2026, 1, 5)


def test_a_saturday_worked_in_place_of_a_holiday_counts():
    # 28 and 29 December 2024, a weekend, were worked for days off in January 2025.
    assert is_working_day(dt.date(2024, 12, 29))
    assert add_working_days(dt.date(2024, 12, 27), 2) == dt.date(2024, 12, 29)


def test_18_october_is_a_working_day_now():
    # The day of restoration of independence is marked but is no longer a day off.
    assert is_working_day(dt.date(2027, 10, 18))


def test_zero_days_is_the_same_day_and_negative_is_refused():
    assert add_working_days(dt.date(2026, 3, 21), 0) == dt.date(2026, 3, 21)
    with pytest.raises(ValueError):
        add_working_days(dt.date(2026, 3, 21), -1)
