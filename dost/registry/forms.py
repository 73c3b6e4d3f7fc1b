from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class CitizenSearchForm(forms.Form):
    q = forms.CharField(
        label=_("FIN, mobile number or name"), max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


class AccessReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you need to open this record?"), max_length=500,
        help_text=_("The citizen will see this reason in their access log."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
