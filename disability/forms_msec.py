"""Forms of the expert commission and of its supervisors.

They parse what was chosen or typed; the services decide (5 % steps, a review
date after today, a member of the case's commission, a second expert).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from disability.models import Cause, Commission, Diagnosis, Duration
from disability.services.assessments import MAX_NOTES_LENGTH, MAX_REASON_LENGTH, PERCENT_STEP
from disability.services.document_requests import MAX_QUESTION_LENGTH

PERCENT_PREFIX = "percent_"
PERCENT_CHOICES = [(percent, f"{percent} %") for percent in range(0, 101, PERCENT_STEP)]


def _choose(choices: list[tuple[Any, Any]]) -> list[tuple[Any, Any]]:
    return [("", _("Choose…")), *choices]


class AssessmentForm(forms.Form):
    """A percentage per diagnosis of the case, then the finding's cause, duration and review."""

    cause = forms.ChoiceField(label=_("Cause"), choices=_choose(Cause.choices))
    duration = forms.ChoiceField(label=_("Duration"), choices=_choose(Duration.choices))
    next_review_on = forms.DateField(
        label=_("Next review"), required=False,
        help_text=_("Leave empty for an indefinite finding or one until the age of 18."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    lost_working_capacity = forms.TypedChoiceField(
        label=_("Loss of professional working capacity"), choices=PERCENT_CHOICES, coerce=int,
        initial=0)
    notes = forms.CharField(label=_("Reasoning"), required=False, max_length=MAX_NOTES_LENGTH,
                            widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args: Any, diagnoses: list[Diagnosis], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.diagnoses = diagnoses
        percent_fields = {
            f"{PERCENT_PREFIX}{diagnosis.pk}": forms.TypedChoiceField(
                label=_("%(code)s %(title)s, impairment") % {
                    "code": diagnosis.icd_id, "title": diagnosis.icd.title},
                choices=_choose(PERCENT_CHOICES), coerce=int,
                widget=forms.Select(attrs={"data-percent": ""}))
            for diagnosis in diagnoses
        }
        # The percentages first, in the order of the diagnoses.
        self.fields = {**percent_fields, **self.fields}

    def percentages(self) -> dict[int, int]:
        return {diagnosis.pk: self.cleaned_data[f"{PERCENT_PREFIX}{diagnosis.pk}"]
                for diagnosis in self.diagnoses}

    def percent_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith(PERCENT_PREFIX)]

    def finding_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if not name.startswith(PERCENT_PREFIX)]


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Why the assessment should not stand"),
                             max_length=MAX_REASON_LENGTH,
                             widget=forms.Textarea(attrs={"rows": 3}))


class DocumentRequestForm(forms.Form):
    question = forms.CharField(label=_("Which documents are needed"),
                               max_length=MAX_QUESTION_LENGTH,
                               widget=forms.Textarea(attrs={"rows": 3}))


class ReassignForm(forms.Form):
    commission = forms.ModelChoiceField(label=_("Move to the commission"),
                                        queryset=Commission.objects.none(),
                                        empty_label=_("Choose…"))
    reason = forms.CharField(label=_("Reason"), max_length=MAX_REASON_LENGTH,
                             widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, current: Commission, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["commission"]
        field.queryset = (Commission.objects.filter(active=True).exclude(pk=current.pk)
                          .order_by("code"))
        field.label_from_instance = lambda commission: f"{commission.code} · {commission}"
