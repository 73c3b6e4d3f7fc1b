"""The form that sets the citizen's PIN for the 142 phone line: it parses; the service decides."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

# Generous: the service says what a PIN is; this only bounds what is read.
PIN_FIELD_LENGTH = 20


def _pin_input() -> forms.PasswordInput:
    # Digits only on a phone's keyboard; the browser may offer to keep it as a password.
    return forms.PasswordInput(attrs={"inputmode": "numeric", "autocomplete": "new-password"})


class PhonePinForm(forms.Form):
    pin = forms.CharField(label=_("New PIN"), max_length=PIN_FIELD_LENGTH, widget=_pin_input(),
                          help_text=_("4 to 6 digits. Not one digit repeated, not digits in a "
                                      "row like 1234, and not your year or date of birth."))
    pin_again = forms.CharField(label=_("New PIN again"), max_length=PIN_FIELD_LENGTH,
                                widget=_pin_input())

    def clean(self) -> dict:
        cleaned = super().clean() or {}
        pin, again = cleaned.get("pin"), cleaned.get("pin_again")
        if pin and again and pin != again:
            self.add_error("pin_again", _("The two PINs differ. Key the same PIN twice."))
        return cleaned
