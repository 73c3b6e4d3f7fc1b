"""The old-age pension a person may expect: retirement date, capital and monthly amount.

Plain functions of facts and parameters, testable without a database. They
follow the proactive engine's old-age rule (``pensions.rules``): a person is
entitled on a day when their age has reached the retirement age in force that
day for their sex; the monthly pension is the capital ÷ expected payment
months, at least the minimum pension; and the capital must pay the minimum
pension unless the insurance period is long enough.

A projection is in today's money: future contributions are counted at today's
value and not indexed, and today's minimum pension applies.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from dost.entitlements.parameters import ParameterValue

CENT = Decimal("0.01")


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus ``months``, on the month's last day when it is shorter, as PostgreSQL's
    ``date + make_interval(months => n)`` does in the rules."""
    month_index = day.year * 12 + day.month - 1 + months
    year, month = divmod(month_index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def months_between(start: dt.date, end: dt.date) -> int:
    """Whole months from ``start`` to ``end`` (0 when ``end`` is not after ``start``)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if add_months(start, months) > end:
        months -= 1
    return max(months, 0)


def retirement_date(*, birth_date: dt.date,
                    ages: Sequence[ParameterValue]) -> tuple[dt.date, ParameterValue]:
    """The first day on which a person born on ``birth_date`` has the retirement age in force
    that day, and that age (in months).

    ``ages`` is the dated history of the retirement age for the person's sex. A
    person who reached the first known age before it came into force is taken to
    have retired on reaching it: the law before is not recorded here.
    """
    if not ages:
        raise ValueError("The retirement age has no value.")
    ordered = sorted(ages, key=lambda value: value.starts_on)
    for position, age in enumerate(ordered):
        reached = add_months(birth_date, int(age.value))
        day = reached if position == 0 else max(reached, age.starts_on)
        following = ordered[position + 1].starts_on if position + 1 < len(ordered) else None
        if following is None or day < following:
            return day, age
    raise AssertionError("unreachable: the last age always gives a day")


def capital_pension(capital: Decimal, expected_payment_months: Decimal) -> Decimal:
    """What a capital pays a month: capital ÷ expected payment months, to the qəpik."""
    return _round(capital / expected_payment_months)


def old_age_entitled(*, capital: Decimal, insured_years: Decimal,
                     expected_payment_months: Decimal, minimum_pension: Decimal,
                     old_age_insurance_years: Decimal) -> bool:
    """The old-age rule's test (``pensions.capital.old_age_entitled`` in SQL): capital enough
    for the minimum pension, or a long enough insurance period. The exact capital is
    divided, not its rounded monthly amount, as the rule does."""
    return capital / expected_payment_months >= minimum_pension \
        or insured_years >= old_age_insurance_years


@dataclass(frozen=True)
class PensionParameters:
    retirement_ages: Sequence[ParameterValue]
    expected_payment_months: ParameterValue
    minimum_pension: ParameterValue
    old_age_insurance_years: ParameterValue


@dataclass(frozen=True)
class PensionProjection:
    on: dt.date
    retirement_on: dt.date
    retirement_age: ParameterValue
    # Months of work still counted before retirement, and what they add.
    months_ahead: int
    capital_now: Decimal
    future_contributions: Decimal
    insured_years_now: Decimal
    parameters: PensionParameters

    @property
    def retired(self) -> bool:
        return self.retirement_on <= self.on

    @property
    def capital(self) -> Decimal:
        # Not rounded: the rule divides the exact capital, and so does the calculator.
        return self.capital_now + self.future_contributions

    @property
    def insured_years(self) -> Decimal:
        return self.insured_years_now + Decimal(self.months_ahead) / 12

    @property
    def capital_pension(self) -> Decimal:
        return capital_pension(self.capital, self.parameters.expected_payment_months.value)

    @property
    def pension(self) -> Decimal:
        return max(self.capital_pension, self.parameters.minimum_pension.value)

    @property
    def capital_pays_minimum(self) -> bool:
        return self.capital / self.parameters.expected_payment_months.value >= \
            self.parameters.minimum_pension.value

    @property
    def entitled(self) -> bool:
        """The old-age rule's test: capital enough for the minimum pension, or a long enough
        insurance period."""
        return old_age_entitled(
            capital=self.capital, insured_years=self.insured_years,
            expected_payment_months=self.parameters.expected_payment_months.value,
            minimum_pension=self.parameters.minimum_pension.value,
            old_age_insurance_years=self.parameters.old_age_insurance_years.value)

    @property
    def parameters_used(self) -> list[ParameterValue]:
        return [self.retirement_age, self.parameters.expected_payment_months,
                self.parameters.minimum_pension, self.parameters.old_age_insurance_years]


def _round(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def project_pension(*, on: dt.date, birth_date: dt.date, capital: Decimal,
                    insured_years: Decimal, monthly_contributions: Decimal,
                    working_years: Decimal | None,
                    parameters: PensionParameters) -> PensionProjection:
    """The pension at retirement if ``monthly_contributions`` keep being paid.

    ``working_years`` limits how long they are paid (None: until retirement);
    years past the retirement date are not counted, since the pension is set then.
    """
    if capital < 0 or insured_years < 0 or monthly_contributions < 0:
        raise ValueError("Capital, insurance period and contributions cannot be negative.")
    retirement_on, age = retirement_date(birth_date=birth_date,
                                         ages=parameters.retirement_ages)
    months_ahead = months_between(on, retirement_on)
    if working_years is not None:
        months_ahead = min(months_ahead, int(working_years * 12))
    return PensionProjection(
        on=on,
        retirement_on=retirement_on,
        retirement_age=age,
        months_ahead=months_ahead,
        capital_now=capital,
        future_contributions=_round(monthly_contributions * months_ahead),
        insured_years_now=insured_years,
        parameters=parameters,
    )
