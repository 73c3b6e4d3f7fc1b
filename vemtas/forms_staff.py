"""Forms of the back-office case pages. They parse; ``vemtas.decisions`` decides.

The home visit's assignment form is the visits pages' own (``vemtas.forms_assessment``).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from vemtas.decisions import OVERTURN_REASON_MIN

OVERTURN_REASON_MAX = 2000


class OverturnForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for overturning the decision"),
        min_length=OVERTURN_REASON_MIN, max_length=OVERTURN_REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": _("Give the reason for overturning the decision: it is recorded "
                          "and shown to the citizen."),
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Made here, in the language of the request: a lazy text cannot be %-formatted lazily.
        self.fields["reason"].help_text = gettext(
            "Recorded in the decision log with your name and shown to the citizen. At least "
            "%(count)s characters.") % {"count": OVERTURN_REASON_MIN}
