"""Forms of the complaint pages: they parse; the services decide."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.utils.translation import gettext_lazy as _

from dost.audit.models import DecisionEntry
from dost.complaints.selectors import complaint_categories, complaint_decisions_to_contest
from dost.complaints.services import TEXT_MAX_LENGTH
from dost.registry.validators import normalize_fin, validate_fin

if TYPE_CHECKING:
    from dost.complaints.models import Category


class DecisionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: DecisionEntry) -> str:
        return f"{obj.reference} · {obj.get_kind_display()} · {obj.recorded_at:%d.%m.%Y}"


class CitizenComplaintForm(forms.Form):
    category: forms.ModelChoiceField[Category] = forms.ModelChoiceField(
        label=_("What is it about"), queryset=None, empty_label=None)
    text = forms.CharField(label=_("Your complaint"), max_length=TEXT_MAX_LENGTH,
                           widget=forms.Textarea(attrs={"rows": 6}))
    decision = DecisionChoiceField(
        label=_("The decision you contest"), queryset=None, required=False,
        empty_label=_("none"),
        help_text=_("Needed for an appeal against a decision: pick it from your decisions."))

    def __init__(self, *args, person_id: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = complaint_categories()  # type: ignore[attr-defined]
        self.fields["decision"].queryset = (  # type: ignore[attr-defined]
            complaint_decisions_to_contest(person_id))


class CentreComplaintForm(forms.Form):
    fin = forms.CharField(label=_("Citizen's FIN"), max_length=7)
    category: forms.ModelChoiceField[Category] = forms.ModelChoiceField(
        label=_("Category"), queryset=None, empty_label=None)
    text = forms.CharField(label=_("The complaint, as the citizen put it"),
                           max_length=TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 6}))
    decision = forms.IntegerField(
        label=_("Decision contested (number in the decision log)"), required=False, min_value=1,
        help_text=_("For an appeal: the number after “D-” on the citizen's decision receipt."))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = complaint_categories()  # type: ignore[attr-defined]

    def clean_fin(self) -> str:
        fin = normalize_fin(self.cleaned_data["fin"])
        validate_fin(fin)
        return fin


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Answer to the citizen"), max_length=TEXT_MAX_LENGTH,
                             widget=forms.Textarea(attrs={"rows": 6}))


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Why the complaint is rejected"),
                             max_length=TEXT_MAX_LENGTH,
                             widget=forms.Textarea(attrs={"rows": 4}))
