"""The staff's decision on a life event held for review."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

MAX_NOTE_LENGTH = 2000


class EventApplyForm(forms.Form):
    note = forms.CharField(
        label=_("Note (optional)"), required=False, max_length=MAX_NOTE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What you checked, kept with the decision."),
    )


class EventRejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the event rejected?"), max_length=MAX_NOTE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The institution that sent the event reads this reason."),
    )
