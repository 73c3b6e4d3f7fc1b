from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dost.certificates.codes import normalize_code
from dost.certificates.registry import CertificateKind

MAX_PDF_BYTES = 5 * 1024 * 1024


class IssueForm(forms.Form):
    """What the citizen picks for one kind: the subject (if any) and what to share.

    Each kind's form on the list page gets the kind's code as prefix, so that
    several forms on one page keep distinct field ids.
    """

    share = forms.MultipleChoiceField(
        label=_("Show to whoever checks the certificate"), required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, kind: CertificateKind,
                 choices: list[tuple[str, str]] | None, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", kind.code)
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.fields["share"].choices = [(field.code, field.label)
                                        for field in kind.all_shareable_fields]
        if kind.choice is not None:
            self.fields["choice"] = forms.ChoiceField(
                label=kind.choice.label, choices=[("", "—"), *(choices or [])])
            self.order_fields(["choice", "share"])

    @property
    def options(self) -> dict[str, str]:
        if self.kind.choice is None:
            return {}
        return {self.kind.choice.name: self.cleaned_data["choice"]}


class VerifyForm(forms.Form):
    code = forms.CharField(
        label=_("Verification code"), max_length=20,
        help_text=_("12 letters and digits, printed under the QR code, e.g. 7K2M-Q9XD-4HBR."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false",
                                      "autocapitalize": "characters"}),
    )
    pdf = forms.FileField(
        label=_("The certificate's PDF file (optional)"), required=False,
        help_text=_("Upload the file you were given to check that it was not changed."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    def clean_code(self) -> str:
        code = normalize_code(self.cleaned_data["code"])
        if code is None:
            raise forms.ValidationError(
                _("A verification code has 12 letters and digits, e.g. 7K2M-Q9XD-4HBR."))
        return code

    def clean_pdf(self) -> Any:
        pdf = self.cleaned_data.get("pdf")
        if pdf is not None and pdf.size > MAX_PDF_BYTES:
            raise forms.ValidationError(_("The file is larger than any certificate (5 MB)."))
        return pdf

    def pdf_chunks(self) -> Iterator[bytes] | None:
        pdf = self.cleaned_data.get("pdf")
        return pdf.chunks() if pdf is not None else None
