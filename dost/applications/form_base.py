"""The base every application type's form builds on, and the fields they share.

Its own module, apart from the pages' forms: the application registry checks a
type's form against this base, and nothing here needs the tables or the statuses.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from dost.registry.evidence import EVIDENCE_ACCEPT, MAX_EVIDENCE_BYTES, validate_evidence_file
from dost.registry.validators import validate_iban

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from dost.applications.registry import DocumentRequirement
    from dost.registry.models import Person

DOCUMENT_PREFIX = "document_"


def document_field_name(code: str) -> str:
    return f"{DOCUMENT_PREFIX}{code}"


def evidence_field(*, label: StrOrPromise, required: bool,
                   help_text: StrOrPromise = "") -> forms.FileField:
    limit = MAX_EVIDENCE_BYTES // (1024 * 1024)
    hint = _("PDF, JPEG or PNG, up to %(limit)s MB.") % {"limit": limit}
    return forms.FileField(
        label=label, required=required,
        help_text=f"{help_text} {hint}".strip() if help_text else hint,
        validators=[validate_evidence_file],
        widget=forms.FileInput(attrs={"accept": EVIDENCE_ACCEPT}),
    )


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleEvidenceField(forms.FileField):
    """Several documents under one name, each checked by its content (Django's "Uploading
    multiple files" recipe)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": EVIDENCE_ACCEPT}))
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


class IbanField(forms.CharField):
    """A bank account for payments, asked only of those with none on file."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Bank account (IBAN) for the payments"))
        kwargs.setdefault("help_text", _("No account of yours is on file. An IBAN looks like "
                                         "AZ21NABZ00000000137010001944."))
        kwargs.setdefault("max_length", 40)
        kwargs.setdefault("widget", forms.TextInput(attrs={"autocomplete": "off",
                                                           "spellcheck": "false"}))
        super().__init__(validators=[validate_iban], **kwargs)

    def to_python(self, value: Any) -> str:
        return (super().to_python(value) or "").replace(" ", "").upper()


class ApplicationForm(forms.Form):
    """What an application type asks; built with the applicant, who is never asked a known fact.

    Subclasses declare their fields and remove, in ``__init__`` after calling
    ``super().__init__``, those the registry already answers for
    ``self.person``. A field for each of the type's documents is added here.
    """

    def __init__(self, *args: Any, person: Person,
                 documents: Sequence[DocumentRequirement] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.person = person
        self.documents = list(documents)
        for requirement in self.documents:
            self.fields[document_field_name(requirement.code)] = evidence_field(
                label=requirement.title, required=requirement.required,
                help_text=requirement.help_text)

    def application_data(self) -> dict[str, Any]:
        """The cleaned answers without the files, as JSON-safe values."""
        return {
            name: _json_safe(value) for name, value in self.cleaned_data.items()
            if not name.startswith(DOCUMENT_PREFIX)
        }

    def uploaded_documents(self) -> list[tuple[DocumentRequirement, UploadedFile]]:
        found = []
        for requirement in self.documents:
            upload = self.cleaned_data.get(document_field_name(requirement.code))
            if upload:
                found.append((requirement, upload))
        return found


def _json_safe(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_json_safe(item) for item in value]
    return value
