"""The forms the application pages share (the types' own forms build on ``form_base``)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from dost.applications.statuses import Status

MESSAGE_MAX_LENGTH = 2000
# Papers one answer to a request for information may carry.
MESSAGE_MAX_DOCUMENTS = 5


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Your message"), max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class WithdrawForm(forms.Form):
    note = forms.CharField(label=_("Why are you withdrawing?"), max_length=500,
                           required=False)


STAFF_STATUS_CHOICES = [
    (status.value, status.label) for status in Status
    if status not in {Status.DRAFT, Status.SUBMITTED, Status.WITHDRAWN}
]


class StatusChangeForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=STAFF_STATUS_CHOICES)
    note = forms.CharField(
        label=_("Note to the citizen"), max_length=2000, required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when you ask for information or refuse: say what and why."),
    )
