"""Medical documents: checked by content like every upload, then stripped of metadata.

Names hide in a document's metadata (a PDF's author and title, an XMP packet, an
annotation's author, a photo's EXIF with its camera owner and GPS position), so a
document is rewritten before it is stored: a PDF's pages into a new file with no
document information, an image's pixels into a new image with no EXIF, ICC profile,
comments or text chunks. The pages and pixels themselves are kept as they are.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject

from dost.registry.evidence import MAX_EVIDENCE_BYTES, evidence_content_type, validate_evidence_file

MAX_DOCUMENTS = 10
# A referral's documents together: one request holds at most this much.
MAX_DOCUMENTS_BYTES = 4 * MAX_EVIDENCE_BYTES

_NAME_FOR_MAGIC = ((b"%PDF-", "document.pdf"), (b"\xff\xd8\xff", "document.jpg"),
                   (b"\x89PNG\r\n\x1a\n", "document.png"))
# Page-level entries that carry metadata rather than what the page shows.
_PAGE_METADATA = ("/Metadata", "/PieceInfo", "/LastModified")


@dataclass(frozen=True)
class CleanDocument:
    content_type: str
    content: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def upload_from_bytes(content: bytes) -> UploadedFile:
    """A file sent as bytes (the API), named by what its first bytes say it is."""
    name = next((name for magic, name in _NAME_FOR_MAGIC if content.startswith(magic)),
                "document")
    return SimpleUploadedFile(name, content)


def clean_document(upload: UploadedFile) -> CleanDocument:
    """The upload checked by content and rewritten without metadata; ValidationError if bad."""
    validate_evidence_file(upload)
    content_type = evidence_content_type(upload)
    upload.seek(0)
    content = upload.read()
    if content_type == "application/pdf":
        return CleanDocument(content_type, _pdf_without_metadata(content))
    return CleanDocument(content_type, _image_without_metadata(content, content_type))


def _pdf_without_metadata(content: bytes) -> bytes:
    reader = PdfReader(io.BytesIO(content), strict=False)
    writer = PdfWriter()
    for page in reader.pages:
        added = writer.add_page(page)
        for key in _PAGE_METADATA:
            if key in added:
                del added[NameObject(key)]
        for annotation in added.get("/Annots") or []:
            annotation = annotation.get_object()
            # An annotation's /T is its author.
            if "/T" in annotation:
                del annotation[NameObject("/T")]
    # No document information beyond what pypdf must write, and no XMP packet.
    writer.metadata = None
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def _image_without_metadata(content: bytes, content_type: str) -> bytes:
    image_format = "PNG" if content_type == "image/png" else "JPEG"
    with Image.open(io.BytesIO(content), formats=[image_format]) as image:
        # The EXIF orientation goes with the EXIF: turn the pixels as it said first.
        upright = ImageOps.exif_transpose(image)
        pixels = upright.convert("RGB") if image_format == "JPEG" else upright.copy()
    pixels.info = {}
    output = io.BytesIO()
    if image_format == "JPEG":
        pixels.save(output, "JPEG", quality=92)
    else:
        pixels.save(output, "PNG")
    return output.getvalue()


def documents_refused_for_size(uploads: list[UploadedFile]) -> ValidationError | None:
    if len(uploads) > MAX_DOCUMENTS:
        return ValidationError(_("Attach at most %(count)s documents.") % {"count": MAX_DOCUMENTS},
                               code="too_many_documents")
    if sum(upload.size or 0 for upload in uploads) > MAX_DOCUMENTS_BYTES:
        return ValidationError(_("The documents together may be at most 20 MB."),
                               code="documents_too_large")
    return None
