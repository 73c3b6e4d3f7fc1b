"""Evidence uploads are judged by opening them, not by their first bytes or their name."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.utils import translation

from dost.registry import evidence
from dost.registry.evidence import MAX_EVIDENCE_BYTES, validate_evidence_file
from tests.documents import image_bytes, pdf_bytes

PNG = image_bytes("PNG")
JPEG = image_bytes("JPEG")
PDF = pdf_bytes()
PAGE = b"<html><body><script>alert(document.cookie)</script></body></html>"


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def refusal(name: str, content: bytes) -> tuple[str, str]:
    """The refusal's code and its message in English."""
    with translation.override("en"):
        with pytest.raises(ValidationError) as refused:
            validate_evidence_file(upload(name, content))
        return refused.value.code, refused.value.messages[0]


@pytest.mark.parametrize(("name", "content"), [
    ("labour-book.pdf", PDF),
    ("archive-certificate.pdf", pdf_bytes(pages=3)),
    ("photo.jpg", JPEG),
    ("photo.JPEG", JPEG),
    ("scan.png", PNG),
], ids=["pdf", "pdf-3-pages", "jpg", "JPEG-upper-case", "png"])
def test_real_documents_are_accepted(name, content):
    validate_evidence_file(upload(name, content))


def test_a_document_spooled_to_disk_is_read_whole_and_left_where_it_was():
    on_disk = TemporaryUploadedFile("scan.png", "image/png", len(PNG), None)
    on_disk.write(PNG)
    on_disk.seek(3)
    validate_evidence_file(on_disk)
    assert on_disk.tell() == 3


@pytest.mark.parametrize(("name", "content"), [
    ("labour-book.pdf", PDF[: len(PDF) // 2]),
    ("labour-book.pdf", PDF[:-40]),
    ("labour-book.pdf", b"%PDF-1.7\n" + PAGE),
    ("labour-book.pdf", b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"),
    ("photo.jpg", JPEG[: len(JPEG) // 2]),
    ("photo.jpg", b"\xff\xd8\xff\xe0" + PAGE),
    ("scan.png", PNG[:-20]),
    ("scan.png", b"\x89PNG\r\n\x1a\n" + PAGE),
], ids=["pdf-half", "pdf-without-its-end", "pdf-magic-then-html", "pdf-without-pages",
        "jpeg-half", "jpeg-magic-then-html", "png-truncated", "png-magic-then-html"])
def test_a_file_that_does_not_open_as_its_kind_is_refused(name, content):
    code, message = refusal(name, content)
    assert code == "file_damaged"
    assert "does not open as a" in message


@pytest.mark.parametrize(("name", "content"), [
    ("scan.png", PNG + PAGE),
    ("scan.png", PNG + b"\x00"),  # anything at all after the image's end
    ("photo.jpg", JPEG + PAGE),
    ("labour-book.pdf", PDF + PAGE),
    ("labour-book.pdf", PDF.replace(b"%%EOF", b"%<!DOCTYPE html>\n%%EOF")),
], ids=["png-then-html", "png-then-a-byte", "jpeg-then-html", "pdf-then-html",
        "html-inside-a-pdf"])
def test_a_document_that_is_also_a_web_page_is_refused(name, content):
    assert refusal(name, content)[0] == "file_damaged"


def test_data_after_a_jpeg_that_is_no_page_is_kept():
    # Phones append motion photos after the picture's end.
    validate_evidence_file(upload("photo.jpg", JPEG + b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64))


@pytest.mark.parametrize(("name", "content"), [
    ("scan.png", JPEG),  # a JPEG named .png
    ("photo.jpg", PNG),
    ("labour-book.pdf", PNG),
    ("labour-book.html", PDF),
    ("page.png", PAGE),
], ids=["jpeg-named-png", "png-named-jpg", "png-named-pdf", "pdf-named-html", "html-named-png"])
def test_a_file_whose_name_and_content_disagree_is_refused(name, content):
    code, message = refusal(name, content)
    assert code == "file_type"
    assert "Upload a PDF, JPEG or PNG file" in message


def test_an_image_with_too_many_pixels_is_refused_before_it_is_decoded(monkeypatch):
    monkeypatch.setattr(evidence, "MAX_EVIDENCE_PIXELS", 64 * 48 - 1)
    code, message = refusal("scan.png", image_bytes("PNG", size=(64, 48)))
    assert code == "image_too_large"
    assert "megapixels" in message


def test_the_size_limit_is_kept():
    code, message = refusal("labour-book.pdf", PDF + b"%" + b"0" * MAX_EVIDENCE_BYTES)
    assert code == "file_too_large"
    assert "at most 5.0" in message
