"""The Index pages' forms: which computed month to show, and which month to compute."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from dost.index.models import IndexMonth
from dost.index.presenters import month_label, month_value
from dost.index.selectors import index_months

_MONTH = re.compile(r"^([0-9]{4})-([0-9]{2})$")


def parse_month(text: str) -> dt.date | None:
    """``2026-03`` as the first day of that month; None for anything else."""
    match = _MONTH.match(text.strip())
    if match is None or not 1 <= int(match[2]) <= 12 or int(match[1]) < 1900:
        return None
    return dt.date(int(match[1]), int(match[2]), 1)


class MonthForm(forms.Form):
    """The month a page shows: one the Index has been computed for."""

    month = forms.ChoiceField(label=_("Month"), error_messages={
        "invalid_choice": _("Choose one of the months the Index has been computed for."),
    })

    def __init__(self, *args: Any, months: list[IndexMonth], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.months = {month_value(each.month): each for each in months}
        field = self.fields["month"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101 (declared above)
        field.choices = [(value, month_label(each.month)) for value, each in self.months.items()]

    def chosen(self) -> IndexMonth:
        return self.months[self.cleaned_data["month"]]


def chosen_month(query: QueryDict) -> tuple[MonthForm, IndexMonth | None]:
    """The month asked for in ``?month=YYYY-MM``, or the latest computed; None when none has
    been computed or the one asked for is not (the form then says why)."""
    months = index_months()
    if "month" not in query:
        latest = months[0] if months else None
        initial = {"month": month_value(latest.month)} if latest else {}
        return MonthForm(months=months, initial=initial), latest
    form = MonthForm(query, months=months)
    return form, form.chosen() if form.is_valid() else None


class ComputeForm(forms.Form):
    """An administrator's request to compute (again) one month."""

    month = forms.CharField(
        label=_("Month to compute"), max_length=7,
        help_text=_("Year and month, like 2026-03. Its figures are replaced."),
        widget=forms.TextInput(attrs={"type": "month", "pattern": "[0-9]{4}-[0-9]{2}",
                                      "placeholder": "2026-03"}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Its own ids: the page's month form has a field of the same name.
        kwargs.setdefault("auto_id", "compute_%s")
        super().__init__(*args, **kwargs)

    def clean_month(self) -> dt.date:
        month = parse_month(self.cleaned_data["month"])
        if month is None:
            raise forms.ValidationError(_("Give the month as year and month, like 2026-03."),
                                        code="invalid")
        return month
