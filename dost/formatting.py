"""Amounts, numbers, percentages and dates as a citizen reads them in az, en and ru.

Babel carries the CLDR conventions of each language; every helper writes in the
active Django language unless given another, so a page, an explanation and a
PDF in one language all write "102 560,69 ₼" or "1 dekabr 2026" alike.

Two deliberate departures from CLDR:

- Azerbaijani groups thousands with a space (state documents, and Django's own
  ``az`` formats), where CLDR has a full stop: ``102 560,69 ₼``, not ``102.560,69 ₼``.
- A currency code is kept apart from the number by a no-break space, as CLDR's
  currency-spacing rule asks and Babel does not do: ``AZN 1,234.50``.

Month names in Azerbaijani are lower case (``1 dekabr 2026``). CLDR writes them
so; Django's own ``az`` catalogue capitalises them, which the project's catalogue
corrects for the ``date`` filter (see ``MONTH_NAMES``).
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from typing import Literal

from babel import Locale
from babel import dates as babel_dates
from babel import numbers as babel_numbers
from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy, pgettext_lazy

CURRENCY = "AZN"
NBSP = "\u00a0"

# The thousands separator where the state's usage differs from CLDR.
_GROUP_SYMBOL = {"az": NBSP}
# A letter of a currency code touching a digit, either way round: "AZN1" or "1AZN".
_CODE_TOUCHES_DIGIT = re.compile(r"(?<=[^\W0-9_])(?=[0-9])|(?<=[0-9])(?=[^\W0-9_])")

DateStyle = Literal["short", "medium", "long", "full"]

# Django's own Azerbaijani catalogue capitalises the month names ("1 Dekabr 2026")
# that the ``date`` template filter writes. These are the msgids and contexts of
# ``django.utils.dates``: naming them here brings them into the project's catalogue,
# which Django reads first (LOCALE_PATHS), where az gives the lower-case forms.
MONTH_NAMES = (
    # MONTHS ("F"), MONTHS_ALT ("E", the form after a day), MONTHS_AP ("N").
    gettext_lazy("January"), gettext_lazy("February"), gettext_lazy("March"),
    gettext_lazy("April"), gettext_lazy("May"), gettext_lazy("June"), gettext_lazy("July"),
    gettext_lazy("August"), gettext_lazy("September"), gettext_lazy("October"),
    gettext_lazy("November"), gettext_lazy("December"),
    pgettext_lazy("alt. month", "January"), pgettext_lazy("alt. month", "February"),
    pgettext_lazy("alt. month", "March"), pgettext_lazy("alt. month", "April"),
    pgettext_lazy("alt. month", "May"), pgettext_lazy("alt. month", "June"),
    pgettext_lazy("alt. month", "July"), pgettext_lazy("alt. month", "August"),
    pgettext_lazy("alt. month", "September"), pgettext_lazy("alt. month", "October"),
    pgettext_lazy("alt. month", "November"), pgettext_lazy("alt. month", "December"),
    pgettext_lazy("abbrev. month", "Jan."), pgettext_lazy("abbrev. month", "Feb."),
    pgettext_lazy("abbrev. month", "March"), pgettext_lazy("abbrev. month", "April"),
    pgettext_lazy("abbrev. month", "May"), pgettext_lazy("abbrev. month", "June"),
    pgettext_lazy("abbrev. month", "July"), pgettext_lazy("abbrev. month", "Aug."),
    pgettext_lazy("abbrev. month", "Sept."), pgettext_lazy("abbrev. month", "Oct."),
    pgettext_lazy("abbrev. month", "Nov."), pgettext_lazy("abbrev. month", "Dec."),
)


def language_code(language: str | None = None) -> str:
    """``language``, else the active language, as a bare code: "en-us" → "en"."""
    code = language or translation.get_language() or settings.LANGUAGE_CODE
    return code.split("-")[0].split("_")[0].lower()


@cache
def _locale(code: str) -> Locale:
    return Locale.parse(code)


def _regroup(text: str, code: str) -> str:
    group = _GROUP_SYMBOL.get(code)
    if group is None:
        return text
    return text.replace(babel_numbers.get_group_symbol(_locale(code)), group)


def _decimal(value: object) -> Decimal:
    # str() first: a float's binary expansion (0.1 → 0.1000000000000000055...) is noise.
    return value if isinstance(value, Decimal) else Decimal(str(value))


def format_money(amount: object, *, language: str | None = None) -> str:
    """An amount in manat with its qəpiks: ``102 560,69 ₼`` (az), ``AZN 102,560.69`` (en),
    ``102 560,69 AZN`` (ru)."""
    code = language_code(language)
    # Rounded half up, as the rules round, before Babel's own (half-even) rounding.
    rounded = _decimal(amount).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    text = babel_numbers.format_currency(rounded, CURRENCY, locale=_locale(code))
    return _regroup(_CODE_TOUCHES_DIGIT.sub(NBSP, text), code)


def format_number(value: object, *, places: int | None = None,
                  language: str | None = None) -> str:
    """A number with the language's separators: ``80,64``, ``1 200``.

    With ``places``, exactly that many decimals (rounded half up, as the rules
    round); without, as many as the value has, trailing zeros dropped.
    """
    code = language_code(language)
    number = _decimal(value)
    if places is None:
        text = babel_numbers.format_decimal(number.normalize() if number % 1 else
                                            number.to_integral_value(),
                                            locale=_locale(code), decimal_quantization=False)
    else:
        pattern = "#,##0" + ("." + "0" * places if places else "")
        rounded = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        text = babel_numbers.format_decimal(rounded, format=pattern, locale=_locale(code))
    return _regroup(text, code)


def format_percent(rate: object, *, language: str | None = None) -> str:
    """A rate stored as a fraction, as a percentage: 0.093 → ``9,3%`` (az), ``9.3%`` (en),
    ``9,3 %`` (ru)."""
    code = language_code(language)
    text = babel_numbers.format_percent(_decimal(rate), locale=_locale(code),
                                        decimal_quantization=False)
    return _regroup(text, code)


def as_date(value: dt.date | str) -> dt.date:
    """A date, from a date, an aware datetime (its local day) or an ISO string (as facts
    store dates)."""
    if isinstance(value, dt.datetime):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def format_date(value: dt.date | str, *, style: DateStyle = "long",
                language: str | None = None) -> str:
    """A day in the language's form: ``1 dekabr 2026``, ``December 1, 2026``,
    ``1 декабря 2026 г.``."""
    return babel_dates.format_date(as_date(value), format=style,
                                   locale=_locale(language_code(language)))


def format_datetime(value: dt.datetime, *, language: str | None = None) -> str:
    """A moment, in the project's time zone: the long date and the hour and minute."""
    code = language_code(language)
    moment = timezone.localtime(value) if timezone.is_aware(value) else value
    day = format_date(moment.date(), language=code)
    time = babel_dates.format_time(moment.time(), format="short", locale=_locale(code))
    pattern = str(babel_dates.get_datetime_format("long", locale=_locale(code)))
    return pattern.replace("{1}", day).replace("{0}", time)


def capfirst(text: object, *, language: str | None = None) -> str:
    """``text`` with its first letter capital, as the language writes it.

    Python's ``str.upper`` turns the Azerbaijani dotted "i" into "I", which is the
    capital of the dotless "ı": "istifadəçilər" must become "İstifadəçilər".
    """
    value = str(text)
    if not value:
        return value
    first = value[0]
    if first == "i" and language_code(language) in ("az", "tr"):
        return "İ" + value[1:]
    return first.upper() + value[1:]
