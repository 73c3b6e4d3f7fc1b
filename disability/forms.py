"""Forms of a facility's doctor: a referral, and the answer to a commission's request.

They only parse what was typed; the services decide whether a referral can be made
(a known and living person, real ICD-10 codes, documents that are what they claim).
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from disability.documents import MAX_DOCUMENTS, MAX_DOCUMENTS_BYTES
from disability.models import LimitationDomain, Severity
from disability.services.document_requests import MAX_QUESTION_LENGTH
from disability.services.referrals import MAX_TREATMENT_MONTHS, ReferralSubmission
from dost.applications.form_base import MultipleEvidenceField
from dost.registry.validators import normalize_fin, validate_fin

LIMITATION_PREFIX = "limitation_"
MAX_DIAGNOSES = 20
MAX_SUMMARY_LENGTH = 10_000
MAX_APPROVERS = 20
# Codes are typed "G35, I10" or "G35 I10", or pasted one a line.
_CODE_SEPARATORS = re.compile(r"[\s,;]+")


def _documents_hint() -> str:
    # A form's whole body is refused above MAX_UPLOAD_BODY_BYTES (dost.middleware).
    total = min(MAX_DOCUMENTS_BYTES, settings.MAX_UPLOAD_BODY_BYTES) // (1024 * 1024)
    return _("PDF, JPEG or PNG: up to %(count)s files, %(total)s MB in all. Names and other "
             "details hidden in the files are removed before they are stored.") % {
        "count": MAX_DOCUMENTS, "total": total}


def limitation_field_name(domain: str) -> str:
    return f"{LIMITATION_PREFIX}{domain}"


class ReferralForm(forms.Form):
    """A referral as the facility's medical advisory commission fills it in."""

    fin = forms.CharField(
        label=_("Patient's FIN"), max_length=7, validators=[validate_fin],
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false",
                                      "autocapitalize": "characters"}),
    )
    diagnoses = forms.CharField(
        label=_("Diagnoses (ICD-10 codes)"), max_length=400,
        help_text=_("Codes separated by spaces or commas, the principal diagnosis first, "
                    "for example: G35, I10."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    treatment_months = forms.IntegerField(
        label=_("Months of continuous treatment"), min_value=0,
        max_value=MAX_TREATMENT_MONTHS,
        help_text=_("A referral is normally made after 6 months of treatment."),
    )
    clinical_summary = forms.CharField(
        label=_("Clinical summary"), required=False, max_length=MAX_SUMMARY_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("The course of the illness and the treatment. Do not write the patient's "
                    "name: the commission assesses without knowing who it is."),
    )
    documents = MultipleEvidenceField(label=_("Medical documents"))
    approved_by = forms.CharField(
        label=_("Approved by (medical advisory commission)"), max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The members who approved the referral, one a line."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", _("not assessed")), *Severity.choices]
        for domain, label in LimitationDomain.choices:
            self.fields[limitation_field_name(domain)] = forms.TypedChoiceField(
                label=label, choices=choices, coerce=int, empty_value=None, required=False)
        # Interpolated here, in the language of the request.
        self.fields["documents"].help_text = _documents_hint()

    def limitation_fields(self) -> list[forms.BoundField]:
        return [self[limitation_field_name(domain)] for domain in LimitationDomain.values]

    def other_fields(self) -> list[forms.BoundField]:
        """The fields after the limitations, as the page shows them."""
        return [self[name] for name in ("clinical_summary", "documents", "approved_by")]

    def clean_fin(self) -> str:
        return normalize_fin(self.cleaned_data["fin"])

    def clean_diagnoses(self) -> list[str]:
        codes = [code for code in _CODE_SEPARATORS.split(self.cleaned_data["diagnoses"]) if code]
        if len(codes) > MAX_DIAGNOSES:
            raise forms.ValidationError(_("Give at most %(count)s diagnoses.")
                                        % {"count": MAX_DIAGNOSES}, code="too_many_diagnoses")
        return codes

    def clean_approved_by(self) -> list[str]:
        names = [line.strip() for line in self.cleaned_data["approved_by"].splitlines()
                 if line.strip()]
        if not names:
            raise forms.ValidationError(self.fields["approved_by"].error_messages["required"],
                                        code="required")
        if len(names) > MAX_APPROVERS:
            raise forms.ValidationError(_("Name at most %(count)s members.")
                                        % {"count": MAX_APPROVERS}, code="too_many_approvers")
        return names

    def submission(self, *, doctor_name: str) -> ReferralSubmission:
        """The cleaned form as the referral service takes it; domains not assessed left out."""
        data = self.cleaned_data
        return ReferralSubmission(
            fin=data["fin"],
            diagnoses=data["diagnoses"],
            treatment_months=data["treatment_months"],
            limitations={
                domain: data[limitation_field_name(domain)]
                for domain in LimitationDomain.values
                if data.get(limitation_field_name(domain)) is not None
            },
            documents=data["documents"],
            doctor_name=doctor_name,
            approved_by=data["approved_by"],
            clinical_summary=data["clinical_summary"],
        )


class DocumentRequestAnswerForm(forms.Form):
    """The facility's answer to a commission's request for more documents."""

    documents = MultipleEvidenceField(label=_("Documents asked for"), required=False)
    answer = forms.CharField(label=_("Note to the commission"), required=False,
                             max_length=MAX_QUESTION_LENGTH,
                             widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["documents"].help_text = _documents_hint()
