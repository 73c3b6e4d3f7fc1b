"""Documents citizens upload as evidence (an application's papers, a correction's proof).

Only PDF, JPEG and PNG are accepted, no larger than ``MAX_EVIDENCE_BYTES``, and judged
by their content rather than by the name or the browser's word: the first bytes name
the kind (and the name must agree), then the whole file must open as that kind with a
maintained parser (pypdf, Pillow) and hold no web page. A file that is two things at
once (a PNG with HTML after its end, ``%PDF-`` followed by HTML) becomes a script as
soon as a browser or viewer guesses its type from the other half, so it is refused;
so is a damaged or truncated file, which staff could not read either.
"""

from __future__ import annotations

import io
import re
import warnings

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image
from pypdf import PdfReader

MAX_EVIDENCE_BYTES = 5 * 1024 * 1024
# An A4 page scanned at 600 dpi is 35 megapixels; decoding more would cost memory that
# no document needs (Pillow's own bomb limit is 89 megapixels).
MAX_EVIDENCE_PIXELS = 40_000_000

# What browsers take for a web page, refused anywhere in a document.
_MARKUP = re.compile(rb"<(?:!doctype\s+html|html|head|body|script|iframe)[\s>/]", re.IGNORECASE)
# A PNG ends with its IEND chunk (empty, so its CRC is fixed); nothing may follow it.
_PNG_END = b"\x00\x00\x00\x00IEND\xaeB`\x82"

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
        raise _too_large(upload.size)
    content_type = evidence_content_type(upload)
    if not content_type:
        raise ValidationError(
            _("Upload a PDF, JPEG or PNG file (a scan or a photo of the document)."),
            code="file_type",
        )
    position = upload.tell()
    upload.seek(0)
    content = upload.read(MAX_EVIDENCE_BYTES + 1)
    upload.seek(position)
    if len(content) > MAX_EVIDENCE_BYTES:
        raise _too_large(len(content))
    kind, opens = _CHECKS[content_type]
    if _MARKUP.search(content) or not opens(content):
        raise ValidationError(
            _("This file does not open as a %(kind)s: it may be damaged or incomplete, or "
              "hold something besides the document. Save or scan the document again.")
            % {"kind": kind},
            code="file_damaged",
        )


def _too_large(size: int) -> ValidationError:
    return ValidationError(
        _("The file is %(size)s; a document may be at most %(limit)s.")
        % {"size": filesizeformat(size), "limit": filesizeformat(MAX_EVIDENCE_BYTES)},
        code="file_too_large",
    )


def _opens_as_pdf(content: bytes) -> bool:
    try:
        reader = PdfReader(io.BytesIO(content), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            return False  # staff could not open it without the password
        # Every page must resolve: a truncated file whose cross-references pypdf
        # rebuilt fails here.
        for page in reader.pages:
            page.mediabox  # noqa: B018 - resolving the page is the check
        return len(reader.pages) > 0
    except Exception:  # noqa: BLE001 - a damaged file can fail anywhere in the parser
        return False


def _opens_as_image(content: bytes, image_format: str) -> bool:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(content), formats=[image_format]) as image:
                pixels = image.width * image.height
                image.verify()  # PNG: every chunk's checksum, through IEND
            if pixels > MAX_EVIDENCE_PIXELS:
                raise ValidationError(
                    _("The image has %(megapixels)s megapixels; a photo or scan of a "
                      "document needs at most %(limit)s. Take it at a lower resolution.")
                    % {"megapixels": pixels // 1_000_000,
                       "limit": MAX_EVIDENCE_PIXELS // 1_000_000},
                    code="image_too_large",
                )
            with Image.open(io.BytesIO(content), formats=[image_format]) as image:
                # JPEG: decoded at a reduced scale, which still reads every byte.
                image.draft(None, (1024, 1024))
                image.load()
    except ValidationError:
        raise
    except Exception:  # noqa: BLE001 - a damaged file can fail anywhere in the decoder
        return False
    return True


def _opens_as_png(content: bytes) -> bool:
    # Data after IEND is invisible in the image and is where a polyglot keeps its page.
    ends_once = content.find(_PNG_END) == len(content) - len(_PNG_END)
    return ends_once and _opens_as_image(content, "PNG")


def _opens_as_jpeg(content: bytes) -> bool:
    # Data after a JPEG's end is allowed: phones append their motion photos there. Web
    # pages hidden there are refused by the markup check.
    return _opens_as_image(content, "JPEG")


# content type -> (the kind's name for people, whether the content opens as that kind)
_CHECKS = {
    "application/pdf": ("PDF", _opens_as_pdf),
    "image/jpeg": ("JPEG", _opens_as_jpeg),
    "image/png": ("PNG", _opens_as_png),
}
