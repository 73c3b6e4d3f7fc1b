"""Documents citizens upload as evidence (an application's papers, a correction's proof).

Only PDF, JPEG and PNG are accepted, recognised by their first bytes rather
than by the name or the browser's word, and no larger than ``MAX_EVIDENCE_BYTES``.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

MAX_EVIDENCE_BYTES = 5 * 1024 * 1024

# (first bytes, extensions, content type)
_KINDS = (
    (b"%PDF-", (".pdf",), "application/pdf"),
    (b"\xff\xd8\xff", (".jpg", ".jpeg"), "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", (".png",), "image/png"),
)
EVIDENCE_EXTENSIONS = tuple(ext for _magic, extensions, _type in _KINDS for ext in extensions)
# For the file picker's ``accept`` attribute.
EVIDENCE_ACCEPT = ",".join(EVIDENCE_EXTENSIONS)


def evidence_content_type(upload: UploadedFile) -> str:
    """The content type the file's own first bytes show; empty when not an accepted kind."""
    position = upload.tell()
    upload.seek(0)
    head = upload.read(16)
    upload.seek(position)
    name = (upload.name or "").lower()
    for magic, extensions, content_type in _KINDS:
        if head.startswith(magic) and name.endswith(extensions):
            return content_type
    return ""


def validate_evidence_file(upload: UploadedFile) -> None:
    if upload.size is not None and upload.size > MAX_EVIDENCE_BYTES:
        raise ValidationError(
            _("The file is %(size)s; a document may be at most %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(MAX_EVIDENCE_BYTES)},
            code="file_too_large",
        )
    if not evidence_content_type(upload):
        raise ValidationError(
            _("Upload a PDF, JPEG or PNG file (a scan or a photo of the document)."),
            code="file_type",
        )
