"""The kiosk's own two questions: the ID card's FIN and the code sent by SMS."""

from __future__ import annotations

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from dost.registry.validators import normalize_fin, validate_fin
from vemtas.kiosk import CODE_DIGITS


class FinForm(forms.Form):
    fin = forms.CharField(
        label=_("ID card number (FIN)"),
        help_text=_("The 7 characters printed on your ID card, for example 5ZK2M7T."),
        max_length=7,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters",
                                      "spellcheck": "false", "class": "kiosk-input"}),
    )

    def clean_fin(self) -> str:
        fin = normalize_fin(self.cleaned_data["fin"])
        validate_fin(fin)
        return fin


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code from the SMS"),
        help_text=_("6 digits."),
        min_length=CODE_DIGITS, max_length=CODE_DIGITS,
        validators=[RegexValidator(r"^[0-9]{6}\Z", _("The code is 6 digits."))],
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric",
                                      "class": "kiosk-input"}),
    )
