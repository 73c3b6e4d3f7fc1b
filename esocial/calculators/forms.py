"""Forms of the pension and wage calculators: they compute and store nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.core import validators
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from employment.calculator import Sector

MAX_WAGE = Decimal("1000000")
MAX_CAPITAL = Decimal("100000000")
MAX_YEARS = Decimal("70")
OLDEST_BIRTH_YEAR = 1900
TOO_SMALL = _("Enter 0 or a positive amount.")
TOO_LARGE = _("That amount is too large to be a real one.")


def _range_messages(field: forms.DecimalField, *, too_small: str, too_large: str) -> None:
    """Clear messages for values out of range, in place of Django's generic ones."""
    field.validators = [
        validators.MinValueValidator(field.min_value, message=too_small)
        if getattr(validator, "code", None) == "min_value" else
        validators.MaxValueValidator(field.max_value, message=too_large)
        if getattr(validator, "code", None) == "max_value" else validator
        for validator in field.validators
    ]


class AmountField(forms.DecimalField):
    """An amount in AZN typed as people type it: 1250.50, 1250,50 or 1 250,50."""

    def __init__(self, *, max_value: Decimal, too_small: str, too_large: str,
                 min_value: Decimal = Decimal(0), **kwargs: Any) -> None:
        super().__init__(max_value=max_value, min_value=min_value, decimal_places=2,
                         widget=forms.TextInput(attrs={"inputmode": "decimal",
                                                       "autocomplete": "off"}), **kwargs)
        self.error_messages["invalid"] = _("Enter an amount in numbers, for example 1250.50.")
        _range_messages(self, too_small=too_small, too_large=too_large)

    def to_python(self, value: Any) -> Decimal | None:
        if isinstance(value, str):
            value = value.strip().replace("\u00a0", "").replace(" ", "")
            value = value.replace(",", "") if "." in value else value.replace(",", ".")
        return super().to_python(value)


class YearsField(forms.DecimalField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(min_value=Decimal(0), max_value=MAX_YEARS, decimal_places=1,
                         widget=forms.TextInput(attrs={"inputmode": "decimal",
                                                       "autocomplete": "off"}), **kwargs)
        self.error_messages["invalid"] = _("Enter a number of years, for example 12.5.")
        _range_messages(self, too_small=_("Enter 0 or a positive number of years."),
                        too_large=_("Enter at most 70 years."))

    def to_python(self, value: Any) -> Decimal | None:
        if isinstance(value, str):
            value = value.strip().replace(",", ".")
        return super().to_python(value)


class WageForm(forms.Form):
    gross = AmountField(
        label=_("Gross monthly wage, AZN"), min_value=Decimal("0.01"), max_value=MAX_WAGE,
        too_small=_("Enter a wage greater than 0 AZN."),
        too_large=_("Enter a monthly wage below 1,000,000 AZN."),
        help_text=_("The wage written in the labour contract, before any deduction."),
    )
    sector = forms.ChoiceField(label=_("Employer"), choices=Sector.choices,
                               initial=Sector.PRIVATE)
    on = forms.DateField(
        label=_("Rates in force on"), required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Leave empty for today. Taxes and contributions change with the law."),
        error_messages={"invalid": _("Enter a date, for example 2026-01-31.")},
    )



class PensionForm(forms.Form):
    sex = forms.ChoiceField(label=_("Sex"), choices=[("", "—"), ("F", _("female")),
                                                     ("M", _("male"))],
                            help_text=_("The retirement age depends on it."),
                            error_messages={"required": _("Choose your sex.")})
    birth_date = forms.DateField(
        label=_("Date of birth"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("Enter your date of birth."),
                        "invalid": _("Enter a date, for example 1965-04-30.")},
    )
    capital = AmountField(
        label=_("Pension capital so far, AZN"), required=False, max_value=MAX_CAPITAL,
        too_small=TOO_SMALL, too_large=TOO_LARGE,
        help_text=_("On your pension capital statement. Leave empty if you do not know it."),
    )
    insured_years = YearsField(
        label=_("Insurance period so far, years"), required=False,
        help_text=_("Years for which social-insurance contributions were paid for you."),
    )
    monthly_wage = AmountField(
        label=_("Gross monthly wage, AZN"), required=False, max_value=MAX_WAGE,
        too_small=TOO_SMALL, too_large=TOO_LARGE,
        help_text=_("The contributions paid on this wage are added to your capital every "
                    "month until you retire."),
    )
    # Optional: a link without it counts a private-sector wage.
    sector = forms.ChoiceField(label=_("Employer"), choices=Sector.choices,
                               initial=Sector.PRIVATE, required=False)
    monthly_contributions = AmountField(
        label=_("Or: social-insurance contributions paid for you a month, AZN"),
        required=False, max_value=MAX_WAGE,
        too_small=TOO_SMALL, too_large=TOO_LARGE,
        help_text=_("When given, used in place of the contributions on the wage."),
    )
    working_years = YearsField(
        label=_("Years you expect to keep paying contributions"), required=False,
        help_text=_("Leave empty to count every month until your retirement date."),
    )

    def clean_birth_date(self) -> dt.date:
        birth_date = self.cleaned_data["birth_date"]
        if birth_date > timezone.localdate():
            raise forms.ValidationError(_("The date of birth cannot be in the future."),
                                        code="future")
        if birth_date.year < OLDEST_BIRTH_YEAR:
            raise forms.ValidationError(_("Enter a date of birth after 1900."), code="too_old")
        return birth_date

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        birth_date, years = cleaned.get("birth_date"), cleaned.get("insured_years")
        if birth_date and years:
            age = Decimal((timezone.localdate() - birth_date).days) / Decimal("365.25")
            if years > age:
                self.add_error("insured_years",
                               _("The insurance period cannot be longer than your age."))
        return cleaned
