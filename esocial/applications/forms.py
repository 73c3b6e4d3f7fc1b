"""Forms of the portal's application and correction pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from dost.applications.form_base import MultipleEvidenceField, evidence_field
from dost.applications.forms import MESSAGE_MAX_DOCUMENTS, MessageForm
from dost.registry.corrections import CORRECTABLE_FACTS, MAX_PROPOSED_LENGTH, facts_of_group

# The form offered under "Something else is wrong or missing": any fact.
ANY_GROUP = "other"


class CorrectionRequestForm(forms.Form):
    """The "report a mistake" form under one fact group of the My data page (prefixed by it)."""

    fact = forms.ChoiceField(label=_("Which fact is wrong?"))
    proposed_value = forms.CharField(
        label=_("What is right?"), max_length=MAX_PROPOSED_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("We check it with the institution the fact came from before anything "
                    "changes."),
    )

    def __init__(self, *args: Any, group: str, **kwargs: Any) -> None:
        super().__init__(*args, prefix=group, **kwargs)
        self.group = group
        facts = CORRECTABLE_FACTS if group == ANY_GROUP else facts_of_group(group)
        self.fields["fact"].choices = [(fact.key, fact.label) for fact in facts]
        self.fields["document"] = evidence_field(
            label=_("A document that shows it"), required=False)


class CorrectionResolveForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("verify", _("Confirmed: correct the fact")),
                 ("reject", _("Not confirmed"))],
    )
    note = forms.CharField(label=_("Answer to the citizen"), max_length=2000, required=False,
                           help_text=_("Required when the correction is not confirmed."))


def _reply_documents_hint() -> str:
    # The whole request is refused above MAX_UPLOAD_BODY_BYTES (dost.middleware).
    total = settings.MAX_UPLOAD_BODY_BYTES // (1024 * 1024)
    return str(_("PDF, JPEG or PNG: up to %(count)s files, %(total)s MB in all.")
               % {"count": MESSAGE_MAX_DOCUMENTS, "total": total})


class ReplyForm(MessageForm):
    """The applicant's answer to a request for information: a message and its papers."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["documents"] = MultipleEvidenceField(
            label=_("Documents"), required=False, help_text=_reply_documents_hint())

    def clean_documents(self) -> list[UploadedFile]:
        documents = self.cleaned_data.get("documents") or []
        if len(documents) > MESSAGE_MAX_DOCUMENTS:
            raise forms.ValidationError(
                _("Attach at most %(limit)s documents to one message."),
                params={"limit": MESSAGE_MAX_DOCUMENTS}, code="too_many_documents")
        return documents
