"""How each rule parameter reads for a citizen: a name in their language, and a unit.

Rules name parameters for the SQL (``minimum_pension``,
``disability_pension_coefficients``); the app that defines a parameter registers
from its ``AppConfig.ready()`` how it reads: a translated name, the unit its value
is written in, and, for a table or a dated history, which fact picks the entry
that applied to the person, so a citizen reads "80,64 (at age 43)" rather than the
whole table.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy, ngettext

from dost.formatting import as_date, format_money, format_number, format_percent


class Unit(enum.Enum):
    MONEY = "money"            # manat
    RATE = "rate"              # a fraction, read as a percentage
    AGE_IN_MONTHS = "age"      # an age counted in months: "64 years 6 months"
    YEARS = "years"
    MONTHS = "months"
    DAYS = "days"
    COUNT = "count"            # children, people
    NUMBER = "number"          # a coefficient, a divisor


@dataclass(frozen=True)
class TableKey:
    """A parameter whose value is a table (``{key: value}``, each entry applying from its
    key up): the fact holding the person's key, and how a key reads (``%(key)s``)."""

    fact: str
    text: str | Promise


@dataclass(frozen=True)
class ParameterLabel:
    name: str | Promise
    unit: Unit
    table: TableKey | None = None
    # A parameter recorded with its dated history (an amount that depends on the day of
    # the event): the fact holding that day, so that only the value then in force shows.
    dated_by: str | None = None
    # (fact, value): the parameter concerns only people whose facts hold that value (the
    # men's retirement age, a man); shown whenever the facts do not record it.
    concerns: tuple[str, str] | None = None


_LABELS: dict[str, ParameterLabel] = {}


def register_parameter_labels(labels: Mapping[str, ParameterLabel]) -> None:
    """Say how parameters read (from an AppConfig.ready()); a parameter is labelled once."""
    for code, label in labels.items():
        existing = _LABELS.get(code)
        if existing is not None and existing != label:
            raise ValueError(f"Parameter {code} is labelled twice.")
        _LABELS[code] = label


def parameter_label(code: str) -> ParameterLabel | None:
    return _LABELS.get(code)


def concerns_person(code: str, facts: Mapping[str, Any] | None) -> bool:
    """Whether parameter ``code`` bears on the person the facts describe."""
    label = _LABELS.get(code)
    if label is None or label.concerns is None or not facts:
        return True
    fact, value = label.concerns
    return fact not in facts or str(facts[fact]) == value


def parameter_name(code: str) -> str:
    """The parameter's name in the active language; its code when no app labelled it."""
    label = _LABELS.get(code)
    return str(label.name) if label else code


def _number(value: Any) -> Decimal | None:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def _count(number: Decimal) -> int:
    # Plural forms are chosen by an integer; a fraction reads like the plural of 2 in
    # English and Russian ("24.5 years", "24,5 года"), and Azerbaijani does not inflect.
    return int(number) if number == number.to_integral_value() else 2


def format_quantity(value: Any, unit: Unit, *, places: int | None = None) -> str:
    """A value in its unit, as the active language writes it; ``places`` rounds it (half
    up) to that many decimals first, trailing zeros dropped."""
    number = _number(value)
    if number is None:
        return str(value)
    if places is not None:
        number = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    if unit is Unit.MONEY:
        return format_money(number)
    if unit is Unit.RATE:
        return format_percent(number)
    if unit is Unit.AGE_IN_MONTHS:
        return age_text(int(number))
    shown = format_number(number)
    if unit is Unit.YEARS:
        return ngettext("%(count)s year", "%(count)s years", _count(number)) % {"count": shown}
    if unit is Unit.MONTHS:
        return ngettext("%(count)s month", "%(count)s months", _count(number)) % {
            "count": shown}
    if unit is Unit.DAYS:
        return ngettext("%(count)s day", "%(count)s days", _count(number)) % {"count": shown}
    return shown


def age_text(months: int) -> str:
    """An age given in months: "65 years", "64 years 6 months"."""
    years = ngettext("%(count)s year", "%(count)s years", months // 12) % {
        "count": format_number(months // 12)}
    if not months % 12:
        return years
    # Years then months, a space apart, in each of the three languages.
    return f"{years} " + ngettext("%(count)s month", "%(count)s months", months % 12) % {
        "count": format_number(months % 12)}


def _table_entry(table: Mapping[str, Any], key: Any) -> tuple[Decimal, Any] | None:
    """The entry applying at ``key``: the greatest key not above it."""
    wanted = _number(key)
    if wanted is None:
        return None
    keys = sorted((number, value) for raw, value in table.items()
                  if (number := _number(raw)) is not None)
    applying = [(number, value) for number, value in keys if number <= wanted]
    return applying[-1] if applying else None


def format_parameter_value(code: str, value: Any, facts: Mapping[str, Any] | None = None) -> str:
    """A recorded value of parameter ``code`` as a citizen reads it.

    A table shows the entry the person's facts point to, "80,64 (at age 43)"; when
    they point to none, its first and last entries.
    """
    label = _LABELS.get(code)
    unit = label.unit if label else Unit.NUMBER
    if not isinstance(value, Mapping):
        return format_quantity(value, unit) if label else str(value)
    key_text = label.table.text if label and label.table else gettext_lazy("from %(key)s")

    def entry(key: Decimal, item: Any) -> str:
        return f"{format_quantity(item, unit)} ({key_text % {'key': format_number(key)}})"

    if label and label.table and facts and label.table.fact in facts:
        applying = _table_entry(value, facts[label.table.fact])
        if applying is not None:
            return entry(*applying)
    keys = sorted((number, item) for raw, item in value.items()
                  if (number := _number(raw)) is not None)
    if not keys:
        return ""
    if len(keys) == 1:
        return entry(*keys[0])
    return f"{entry(*keys[0])} … {entry(*keys[-1])}"


def applying_entries(code: str, entries: list[Mapping[str, Any]],
                     facts: Mapping[str, Any] | None) -> list[Mapping[str, Any]]:
    """Of a parameter recorded with its dated history (up to the day of the decision), the
    entry in force on the day the facts name (the birth, for a childbirth allowance), else
    the one in force when the award was decided. A parameter no app labelled shows it all."""
    label = _LABELS.get(code)
    if label is None or label.dated_by is None or len(entries) < 2:
        return entries
    try:
        ordered = sorted(entries, key=lambda entry: as_date(entry["from"]))
        day = (facts or {}).get(label.dated_by)
        on = as_date(day) if day else None
    except ValueError:
        return entries
    in_force = [entry for entry in ordered if on is None or as_date(entry["from"]) <= on]
    # A day before the first recorded value: the first applies (the law before is not kept).
    return in_force[-1:] or ordered[:1]
