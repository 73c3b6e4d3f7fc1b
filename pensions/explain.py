"""Sentences shared by the explanations of several pension rules, and how this app's
parameters read for a citizen.

Every amount, number, percentage and date in a sentence goes through
``dost.formatting``, so it reads "102 560,69 ₼" and "1 dekabr 2026" in Azerbaijani
and the CLDR forms in English and Russian. A value taken from a parameter whose
applicable value is an estimate says so.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dost.entitlements.parameter_labels import (
    ParameterLabel,
    TableKey,
    Unit,
    age_text,
    format_quantity,
    register_parameter_labels,
)
from dost.entitlements.selectors import AWARD_AMOUNT_FACT, ESTIMATED_PARAMETERS_FACT
from dost.formatting import format_date, format_money, format_number, format_percent

Facts = Mapping[str, Any]

# Disability tables are keyed by the age at the finding, which the rule records.
_BY_AGE_AT_ONSET = TableKey("age_at_onset", gettext_lazy("at age %(key)s"))

PARAMETER_LABELS = {
    # The age in force on the day a person reaches it applies (the cohort rule).
    "retirement_age_men_months": ParameterLabel(
        gettext_lazy("Retirement age of men"), Unit.AGE_IN_MONTHS, dated_by="reached_on",
        concerns=("sex", "M")),
    "retirement_age_women_months": ParameterLabel(
        gettext_lazy("Retirement age of women"), Unit.AGE_IN_MONTHS, dated_by="reached_on",
        concerns=("sex", "F")),
    "old_age_insurance_years": ParameterLabel(
        gettext_lazy("Insurance period that entitles to a pension whatever the capital"),
        Unit.YEARS),
    "expected_payment_months": ParameterLabel(
        gettext_lazy("Expected payment period (divisor of the capital)"), Unit.MONTHS),
    "pre_2006_service_capital_per_year": ParameterLabel(
        gettext_lazy("Pension capital credited per year of service before 2006"), Unit.MONEY),
    "pension_capital_indexation": ParameterLabel(
        gettext_lazy("Yearly indexation of pension capital and pensions"), Unit.RATE),
    "childbirth_allowance": ParameterLabel(
        gettext_lazy("Lump-sum childbirth allowance"), Unit.MONEY,
        dated_by="child_birth_date"),
    "childbirth_claim_window_days": ParameterLabel(
        gettext_lazy("Time after a birth in which the allowance is granted without an "
                     "application"), Unit.DAYS),
    "disability_pension_min_age_years": ParameterLabel(
        gettext_lazy("Youngest age at the finding for a disability labour pension"),
        Unit.YEARS),
    "disability_min_insurance_months": ParameterLabel(
        gettext_lazy("Minimum insurance period for a disability pension"), Unit.MONTHS,
        table=_BY_AGE_AT_ONSET),
    "disability_pension_coefficients": ParameterLabel(
        gettext_lazy("Divisor of the pension capital for a disability pension"), Unit.NUMBER,
        table=_BY_AGE_AT_ONSET),
    "disability_indefinite_after_years": ParameterLabel(
        gettext_lazy("Years of consecutive fixed-term findings after which a disability is "
                     "indefinite"), Unit.YEARS,
        table=TableKey("percent", gettext_lazy("at %(key)s%% impairment or more"))),
    "disability_renewal_grace_days": ParameterLabel(
        gettext_lazy("Time after a finding lapses within which a renewal continues the "
                     "pension"), Unit.DAYS),
    "survivor_student_age_limit_years": ParameterLabel(
        gettext_lazy("Age until which children in full-time study receive a survivor's "
                     "pension"), Unit.YEARS),
    "survivor_min_insured_months": ParameterLabel(
        gettext_lazy("Insurance period the deceased must have had"), Unit.MONTHS),
    "survivor_child_age_limit_years": ParameterLabel(
        gettext_lazy("Age until which children receive a survivor's pension"), Unit.YEARS),
    "early_retirement_children_months": ParameterLabel(
        gettext_lazy("How much earlier a mother of many children or of a child with "
                     "disability may retire"), Unit.MONTHS),
    "early_retirement_children_count": ParameterLabel(
        gettext_lazy("Children raised that give the early old-age pension"), Unit.COUNT),
    "early_retirement_child_age_years": ParameterLabel(
        gettext_lazy("Age the children must have reached"), Unit.YEARS),
}


def register_labels() -> None:
    register_parameter_labels(PARAMETER_LABELS)


def estimated(facts: Facts, parameter: str) -> bool:
    """Whether the value of ``parameter`` that applied to this award is an estimate."""
    return parameter in facts.get(ESTIMATED_PARAMETERS_FACT, ())


def from_parameter(text: str, facts: Facts, parameter: str) -> str:
    """``text``, a value taken from ``parameter``, marked when that value is an estimate."""
    if estimated(facts, parameter):
        return _("%(value)s (an estimate)") % {"value": text}
    return text


def money(facts: Facts, key: str, parameter: str | None = None) -> str:
    text = format_money(facts[key])
    return from_parameter(text, facts, parameter) if parameter else text


def amount(value: Any) -> str:
    """An amount in manat, in the reader's form: "349,76 ₼"."""
    return format_money(value)


def day(value: Any) -> str:
    return format_date(value)


def years(value: Any) -> str:
    """A length of time in years: "30,5 il", "30.5 years", "30,5 года"."""
    return format_quantity(value, Unit.YEARS)


def months(value: Any) -> str:
    return format_quantity(value, Unit.MONTHS)


def awarded_amount(facts: Facts) -> str:
    """The amount the award holds (``award_explanation`` adds it to the facts)."""
    return format_money(facts[AWARD_AMOUNT_FACT])


def explain_indexations(facts: Facts) -> list[str]:
    """One sentence per yearly indexation that ``pensions_index`` recorded in the facts."""
    return [
        _("On %(date)s, your pension was indexed by %(rate)s: from %(before)s to %(after)s.")
        % {"date": day(dt.date(int(entry["year"]), 1, 1)),
           "rate": format_percent(entry["rate"]),
           "before": format_money(entry["before"]), "after": format_money(entry["after"])}
        for entry in facts.get("indexations", [])
    ]


def explain_retirement_age(facts: Facts) -> str:
    return _("You reached the retirement age of %(age)s on %(date)s.") % {
        "age": age_text(int(facts["retirement_age_months"])), "date": day(facts["reached_on"])}


def explain_old_age_amount(facts: Facts) -> list[str]:
    """The capital, the insurance period and how the old-age amount follows from them."""
    return [
        _("Your pension capital is %(capital)s and your insurance period %(years)s.")
        % {"capital": money(facts, "pension_capital"), "years": years(facts["insured_years"])},
        _("Capital ÷ expected payment months gives %(amount)s; the minimum pension is "
          "%(minimum)s, and you receive the higher of the two.")
        % {"amount": money(facts, "capital_pension"),
           "minimum": money(facts, "minimum_pension", "minimum_pension")},
    ]


def number(value: Any) -> str:
    """A plain number, a coefficient: "80,64"."""
    return format_number(value)


def percent_points(value: Any) -> str:
    """A percentage recorded as a whole number of points (70 for 70 %)."""
    return format_percent(Decimal(str(value)) / 100)
