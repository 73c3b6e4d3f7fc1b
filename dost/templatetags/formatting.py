"""Template filters over ``dost.formatting``, in the language the page is rendered in.

``{% load formatting %}`` then ``{{ award.amount|money }}``, ``{{ day|long_date }}``,
``{{ rate|percent }}``, ``{{ factor|number }}``, ``{{ amount|number:2 }}``,
``{{ insured|years:1 }}`` ("30,5 il"), ``{{ title|capfirst_local }}``.
"""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils.safestring import mark_safe

from dost import formatting
from dost.certificates import fonts
from dost.entitlements.parameter_labels import Unit, format_quantity

register = template.Library()


@register.filter
def money(amount: object) -> str:
    return "" if amount in (None, "") else formatting.format_money(amount)


@register.filter
def number(value: object, places: int | None = None) -> str:
    if value in (None, ""):
        return ""
    return formatting.format_number(value, places=None if places is None else int(places))


@register.filter
def percent(rate: object) -> str:
    return "" if rate in (None, "") else formatting.format_percent(rate)


@register.filter
def long_date(value: dt.date | str | None) -> str:
    return "" if value in (None, "") else formatting.format_date(value)


@register.filter
def long_datetime(value: dt.datetime | None) -> str:
    return "" if value is None else formatting.format_datetime(value)


@register.filter
def years(value: object, places: int | None = None) -> str:
    """A length of time in years, in the reader's words: "30,5 il", "30.5 years"."""
    if value in (None, ""):
        return ""
    return format_quantity(value, Unit.YEARS, places=None if places is None else int(places))


@register.filter
def months(value: object) -> str:
    return "" if value in (None, "") else format_quantity(value, Unit.MONTHS)


@register.filter
def capfirst_local(text: object) -> str:
    """``capfirst`` that writes the Azerbaijani capital İ."""
    return formatting.capfirst(text)


@register.simple_tag
def manat_font_face() -> str:
    """The @font-face rule of a font that draws ₼ where a PDF's own font has none."""
    return mark_safe(fonts.manat_font_face())  # noqa: S308 (built here, no input)
