from __future__ import annotations

from allauth.account.forms import LoginForm
from django import forms
from django.utils.translation import gettext_lazy as _

from dost.accounts.models import User
from dost.registry.validators import FIN_RE, normalize_fin

DECEASED_MESSAGE = _("This account belongs to a person recorded as deceased. If this is a "
                     "mistake, call 142 or visit a DOST centre.")


class FinLoginForm(LoginForm):
    """Citizens type their FIN in any case; staff type their username."""

    # Set by allauth's ``clean`` to whoever gave the right password (None until then).
    user: User | None

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        login = self.fields["login"]
        login.label = _("FIN or username")
        login.help_text = _("Citizens: the 7 characters of the FIN on your ID card.")
        login.widget.attrs.update({"autocomplete": "username"})
        login.widget.attrs.pop("placeholder", None)
        password = self.fields["password"]
        # Accounts have no e-mail address, so allauth's e-mail reset link would lead nowhere.
        password.help_text = ""
        password.widget.attrs.update({"autocomplete": "current-password"})
        password.widget.attrs.pop("placeholder", None)

    def clean_login(self) -> str:
        login = super().clean_login()
        candidate = normalize_fin(login)
        return candidate if FIN_RE.match(candidate) else login

    def clean(self) -> dict:
        cleaned_data = super().clean()
        # Said only to whoever gave the right password: a death is no stranger's business.
        person = self.user.person if self.user is not None else None
        if person is not None and person.death_date is not None:
            self.user = None
            raise forms.ValidationError(DECEASED_MESSAGE, code="deceased")
        return cleaned_data
