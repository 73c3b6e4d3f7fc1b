"""Forms of the portal's application and correction pages."""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from dost.applications.form_base import evidence_field
from dost.applications.forms import MESSAGE_MAX_DOCUMENTS, MessageForm
from dost.registry.corrections import CORRECTABLE_FACTS, MAX_PROPOSED_LENGTH, facts_of_group
from dost.registry.evidence import EVIDENCE_ACCEPT, validate_evidence_file

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


class _MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleEvidenceField(forms.FileField):
    """Several documents under one name, each checked by its content (Django's "Uploading
    multiple files" recipe)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", _MultipleFileInput(attrs={"accept": EVIDENCE_ACCEPT}))
        super().__init__(validators=[validate_evidence_file], **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        uploads = [upload for upload in (data if isinstance(data, list | tuple) else [data])
                   if upload]
        if not uploads:
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return []
        cleaned, errors = [], []
        for upload in uploads:
            try:
                cleaned.append(super().clean(upload, initial))
            except forms.ValidationError as exc:
                # Several files: say which one each problem is about.
                errors.append(forms.ValidationError(
                    _("“%(name)s” was not accepted: %(problem)s"), code="bad_document",
                    params={"name": PurePath(upload.name or "").name,
                            "problem": " ".join(exc.messages)}))
        if errors:
            raise forms.ValidationError(errors)
        return cleaned


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
