"""Small real documents, made by the same libraries that check uploads."""

from __future__ import annotations

import io

from PIL import Image
from pypdf import PdfWriter


def pdf_bytes(pages: int = 1) -> bytes:
    writer = PdfWriter()
    for _page in range(pages):
        writer.add_blank_page(width=595, height=842)  # A4 in points
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def image_bytes(image_format: str, *, size: tuple[int, int] = (64, 48)) -> bytes:
    """A small photo-like picture as ``PNG`` or ``JPEG``."""
    image = Image.new("RGB", size, (200, 180, 150))
    for x in range(size[0]):
        image.putpixel((x, x * size[1] // size[0]), (20, 20, 20))
    buffer = io.BytesIO()
    image.save(buffer, image_format)
    return buffer.getvalue()
