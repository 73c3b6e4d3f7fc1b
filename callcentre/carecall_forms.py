"""Forms of the CareCall pages: they parse; the services decide."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from dost.carecall.models import FollowUpStatus
from dost.carecall.services import NOTE_MAX_LENGTH

# Months before this are refused rather than shown empty: CareCall did not exist.
FIRST_YEAR = 2020
LAST_YEAR = 2100


class MonthForm(forms.Form):
    month = forms.DateField(
        label=_("Month"), required=False, input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        error_messages={"invalid": _("Enter a month as year and month, for example 2026-11.")},
    )

    def clean_month(self) -> dt.date | None:
        month = self.cleaned_data.get("month")
        if month is not None and not FIRST_YEAR <= month.year <= LAST_YEAR:
            raise forms.ValidationError(_("Choose a month between %(first)s and %(last)s.")
                                        % {"first": FIRST_YEAR, "last": LAST_YEAR})
        return month


class FollowUpFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Show"), required=False,
                               choices=FollowUpStatus.choices)


class FollowUpCloseForm(forms.Form):
    note = forms.CharField(
        label=_("What came of the call back"), max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the citizen said and what was done. Staff read it; the citizen "
                    "does not."),
    )
