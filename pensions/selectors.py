"""Reads of the pensions subsystem: a citizen's pension capital statement.

``pension_capital`` is the Python twin of ``pensions.capital.capital_of``, the
SQL every pension rule uses: the same contributions, the same indexation
factors, the same pre-2006 credit. A test keeps the two equal, so the statement
a citizen reads is the capital their pension was computed from.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from dost.entitlements.parameters import ParameterMissing, history, parameter_on
from dost.registry.models import Contribution, EmploymentSpell, Person
from pensions.calculator import (
    PensionParameters,
    PensionProjection,
    capital_pension,
    old_age_entitled,
    project_pension,
)
from pensions.capital import CAPITAL_SYSTEM_START, capital_indexation

CENT = Decimal("0.01")
DAYS_PER_YEAR = Decimal("365.25")


@dataclass(frozen=True)
class ContributionYear:
    year: int
    insured_months: int
    amount: Decimal
    # None for a year the capital system does not index (before 2005, or not yet closed).
    factor: Decimal | None
    indexed: Decimal


@dataclass(frozen=True)
class PensionCapital:
    years: list[ContributionYear]
    contribution_capital: Decimal
    years_before_2006: Decimal
    service_credit: Decimal
    capital: Decimal
    insured_months: int

    @property
    def insurance_months(self) -> Decimal:
        return self.insured_months + self.years_before_2006 * 12

    @property
    def insured_years(self) -> Decimal:
        return Decimal(self.insured_months) / 12 + self.years_before_2006

    @property
    def insured_years_completed(self) -> Decimal:
        """The insurance period in completed tenths of a year, as it is shown: 24.96 years
        reads 24.9, never 25, which would look like the 25 years that entitle to a pension."""
        return self.insured_years.quantize(Decimal("0.1"), rounding=ROUND_DOWN)


@dataclass(frozen=True)
class CapitalStatement:
    """A person's pension capital on ``on``, and the old-age pension it would pay that day
    by the rule's and the calculator's test (``pensions.calculator``), retirement age aside."""

    on: dt.date
    capital: PensionCapital
    credit_per_year: Decimal
    expected_payment_months: Decimal
    minimum_pension: Decimal
    old_age_insurance_years: Decimal
    # The day the capital is indexed to: ``on``, or the end of the last year whose
    # indexation rate has been decreed.
    indexed_to: dt.date | None = None

    @property
    def indexation_pending(self) -> bool:
        return self.indexed_to is not None and self.indexed_to < self.on

    @property
    def capital_pension(self) -> Decimal:
        return capital_pension(self.capital.capital, self.expected_payment_months)

    @property
    def capital_pays_minimum(self) -> bool:
        return self.capital.capital / self.expected_payment_months >= self.minimum_pension

    @property
    def entitled(self) -> bool:
        """Whether the capital and the insurance period so far give an old-age pension."""
        return old_age_entitled(capital=self.capital.capital,
                                insured_years=self.capital.insured_years,
                                expected_payment_months=self.expected_payment_months,
                                minimum_pension=self.minimum_pension,
                                old_age_insurance_years=self.old_age_insurance_years)

    @property
    def pension(self) -> Decimal | None:
        """What the capital would pay as an old-age pension today, at least the minimum;
        None while the capital and the insurance period do not yet entitle to one."""
        if not self.entitled:
            return None
        return _round(max(self.capital.capital / self.expected_payment_months,
                          self.minimum_pension))


def _round(amount: Decimal, places: Decimal = CENT) -> Decimal:
    # PostgreSQL's round() on numeric rounds halves away from zero.
    return amount.quantize(places, rounding=ROUND_HALF_UP)


def service_days_before_2006(spells: Iterable[tuple[dt.date, dt.date | None]],
                             *, on: dt.date) -> int:
    """Days of employment before 2006: an open spell counts up to ``on``, none after 2005."""
    return sum(
        (min(ended_on or on, CAPITAL_SYSTEM_START) - started_on).days
        for started_on, ended_on in spells if started_on < CAPITAL_SYSTEM_START
    )


def pension_capital(*, contributions: Iterable[tuple[int, int, Decimal]], service_days: int,
                    factors: Mapping[int, Decimal], credit_per_year: Decimal) -> PensionCapital:
    """The capital from (year, insured months, amount) contributions and pre-2006 service.

    ``factors`` maps a year to how much its contributions have grown since
    (``capital_indexation``); pre-2006 service is credited as paid in 2006.
    """
    years = []
    for year, months, amount in sorted(contributions):
        factor = factors.get(year)
        indexed = amount * factor if factor is not None else Decimal(0)
        years.append(ContributionYear(year, months, amount, factor, indexed))
    years_before_2006 = Decimal(service_days) / DAYS_PER_YEAR
    service_credit = years_before_2006 * credit_per_year * factors[CAPITAL_SYSTEM_START.year]
    contribution_capital = sum((row.indexed for row in years), Decimal(0))
    return PensionCapital(
        years=years,
        contribution_capital=contribution_capital,
        years_before_2006=years_before_2006,
        service_credit=service_credit,
        capital=contribution_capital + service_credit,
        insured_months=sum(row.insured_months for row in years),
    )


def capital_statement(*, person_id: int, on: dt.date) -> CapitalStatement:
    """A person's pension capital as of ``on``, year by year; two queries, whatever the years.

    Until the decree gives this year's indexation rate, the capital is shown as indexed
    to the end of the last year that has one (``indexed_to``), never with a guessed rate.
    """
    indexed_to = on
    while True:
        try:
            indexation = capital_indexation(indexed_to)
            break
        except ParameterMissing:
            if indexed_to.year <= CAPITAL_SYSTEM_START.year:
                raise
            indexed_to = dt.date(indexed_to.year - 1, 12, 31)
    factors = dict(zip(indexation["index_years"], indexation["index_factors"], strict=True))
    contributions = Contribution.objects.filter(person_id=person_id).values_list(
        "year", "insured_months", "amount")
    spells = EmploymentSpell.objects.filter(
        person_id=person_id, started_on__lt=CAPITAL_SYSTEM_START
    ).values_list("started_on", "ended_on")
    credit_per_year = parameter_on("pre_2006_service_capital_per_year", on).value
    capital = pension_capital(contributions=contributions,
                              service_days=service_days_before_2006(spells, on=on),
                              factors=factors, credit_per_year=credit_per_year)
    return CapitalStatement(
        on=on,
        indexed_to=indexed_to,
        capital=capital,
        credit_per_year=credit_per_year,
        expected_payment_months=parameter_on("expected_payment_months", on).value,
        minimum_pension=parameter_on("minimum_pension", on).value,
        old_age_insurance_years=parameter_on("old_age_insurance_years", on).value,
    )


def pension_parameters(*, sex: str, on: dt.date) -> PensionParameters:
    """What the old-age rule reads on ``on``; the retirement age with its whole history,
    since it is the age in force on the future retirement day that counts."""
    ages = "retirement_age_men_months" if sex == "M" else "retirement_age_women_months"
    return PensionParameters(
        retirement_ages=history(ages),
        expected_payment_months=parameter_on("expected_payment_months", on),
        minimum_pension=parameter_on("minimum_pension", on),
        old_age_insurance_years=parameter_on("old_age_insurance_years", on),
    )


def pension_projection(*, sex: str, birth_date: dt.date, capital: Decimal,
                       insured_years: Decimal, monthly_contributions: Decimal,
                       working_years: Decimal | None, on: dt.date) -> PensionProjection:
    """The old-age pension calculator: retirement date, capital and pension in today's money."""
    return project_pension(on=on, birth_date=birth_date, capital=capital,
                           insured_years=insured_years,
                           monthly_contributions=monthly_contributions,
                           working_years=working_years,
                           parameters=pension_parameters(sex=sex, on=on))


@dataclass(frozen=True)
class PensionCalculatorFacts:
    sex: str
    birth_date: dt.date
    capital: Decimal
    insured_years: Decimal
    # The wage of the job the person holds now, if any.
    monthly_wage: Decimal | None


def pension_calculator_facts(*, person_id: int, on: dt.date) -> PensionCalculatorFacts:
    """What the registry holds for the pension calculator about one person: four queries."""
    person = Person.objects.only("sex", "birth_date").get(pk=person_id)
    statement = capital_statement(person_id=person_id, on=on)
    wage = (EmploymentSpell.objects.filter(person_id=person_id, ended_on__isnull=True)
            .order_by("-started_on").values_list("monthly_wage", flat=True).first())
    return PensionCalculatorFacts(
        sex=person.sex,
        birth_date=person.birth_date,
        capital=statement.capital.capital,
        insured_years=statement.capital.insured_years,
        monthly_wage=wage,
    )
