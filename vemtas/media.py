"""Photos, videos and sound recordings of a home visit, judged by their content and size.

The file's first bytes name its format (never the browser's word), the name's
extension must agree with them, and the format must be one of the kind the worker
chose: photos JPEG or PNG (which must also open with Pillow), videos MP4 or WebM,
sound MP3, M4A, OGG or WAV. Each kind has a size limit (``VEMTAS_MAX_PHOTO_BYTES``,
``VEMTAS_MAX_AUDIO_BYTES``, ``VEMTAS_MAX_VIDEO_BYTES``). The SHA-256 is computed in
the same pass that reads the file, in chunks. ``inspect_upload`` only reads: a
refused file leaves nothing behind.
"""

from __future__ import annotations

import hashlib
import warnings
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image, UnidentifiedImageError

from dost.errors import DomainError
from vemtas.models import MediaKind

CHUNK_BYTES = 1024 * 1024
# Enough of the head for every signature below (WebM names its doc type within it).
HEAD_BYTES = 64


@dataclass(frozen=True)
class Format:
    name: str
    content_type: str
    kind: str
    extensions: tuple[str, ...]


JPEG = Format("JPEG", "image/jpeg", MediaKind.PHOTO, (".jpg", ".jpeg"))
PNG = Format("PNG", "image/png", MediaKind.PHOTO, (".png",))
MP4 = Format("MP4", "video/mp4", MediaKind.VIDEO, (".mp4",))
WEBM = Format("WebM", "video/webm", MediaKind.VIDEO, (".webm",))
MP3 = Format("MP3", "audio/mpeg", MediaKind.AUDIO, (".mp3",))
M4A = Format("M4A", "audio/mp4", MediaKind.AUDIO, (".m4a",))
OGG = Format("OGG", "audio/ogg", MediaKind.AUDIO, (".ogg", ".oga", ".opus"))
WAV = Format("WAV", "audio/wav", MediaKind.AUDIO, (".wav",))
FORMATS = (JPEG, PNG, MP4, WEBM, MP3, M4A, OGG, WAV)

# For the file pickers' ``accept`` attribute, by kind.
ACCEPT = {kind: ",".join(ext for fmt in FORMATS if fmt.kind == kind for ext in fmt.extensions)
          for kind in MediaKind.values}

# What the worker is told each kind may be.
_KIND_FORMATS = {
    MediaKind.PHOTO: gettext_lazy("A photo must be a JPEG or PNG file."),
    MediaKind.VIDEO: gettext_lazy("A video must be an MP4 or WebM file."),
    MediaKind.AUDIO: gettext_lazy("A sound recording must be an MP3, M4A, OGG or WAV file."),
}
_KIND_NAMES = {
    MediaKind.PHOTO: gettext_lazy("a photo"),
    MediaKind.VIDEO: gettext_lazy("a video"),
    MediaKind.AUDIO: gettext_lazy("a sound recording"),
}
# The ISO base media (MP4) brands: what a phone's camera or recorder writes. QuickTime
# (``qt  ``) and 3GP are other formats, refused.
_MP4_BRANDS = {b"isom", b"iso2", b"iso3", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42",
               b"avc1", b"M4V ", b"M4VP", b"dash", b"MSNV", b"mmp4"}
_M4A_BRANDS = {b"M4A ", b"M4B "}


def max_bytes(kind: str) -> int:
    return {
        MediaKind.PHOTO: settings.VEMTAS_MAX_PHOTO_BYTES,
        MediaKind.AUDIO: settings.VEMTAS_MAX_AUDIO_BYTES,
        MediaKind.VIDEO: settings.VEMTAS_MAX_VIDEO_BYTES,
    }[kind]


def _is_mp3(head: bytes) -> bool:
    if head.startswith(b"ID3"):
        return True
    # An MPEG audio frame header: 11 sync bits, a version that is not reserved, Layer III.
    return (len(head) >= 2 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0
            and head[1] & 0x18 != 0x08 and head[1] & 0x06 == 0x02)


def _ftyp_brand(head: bytes) -> bytes | None:
    return head[8:12] if head[4:8] == b"ftyp" else None


def sniff(head: bytes, extension: str) -> Format | None:
    """The format the first bytes show (for an MP4 container, the name tells video from
    sound when its brand does not), or None when none we accept."""
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    brand = _ftyp_brand(head)
    if brand in _M4A_BRANDS:
        return M4A
    if brand in _MP4_BRANDS:
        # Phones' recorders write sound-only MP4 files with a video brand, named .m4a.
        return M4A if extension in M4A.extensions else MP4
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        # Matroska's EBML header; WebM is the profile whose doc type says so.
        return WEBM if b"\x42\x82\x84webm" in head else None
    if head.startswith(b"OggS"):
        return OGG
    if head.startswith(b"RIFF") and head[8:12] == b"WAVE":
        return WAV
    if _is_mp3(head):
        return MP3
    return None


@dataclass(frozen=True)
class Inspected:
    kind: str
    content_type: str
    size: int
    sha256: str
    original_name: str
    extension: str


def _too_large(kind: str, size: int) -> DomainError:
    return DomainError(
        _("The file is %(size)s; %(kind)s may be at most %(limit)s.")
        % {"size": filesizeformat(size), "kind": _KIND_NAMES[kind],
           "limit": filesizeformat(max_bytes(kind))},
        code="file_too_large")


def _read(upload: UploadedFile, kind: str) -> tuple[bytes, int, str]:
    """The head, the size actually read and the SHA-256, reading at most the limit + 1."""
    limit = max_bytes(kind)
    digest = hashlib.sha256()
    head = b""
    size = 0
    upload.seek(0)
    for chunk in upload.chunks(CHUNK_BYTES):
        if len(head) < HEAD_BYTES:
            head += chunk[:HEAD_BYTES - len(head)]
        size += len(chunk)
        if size > limit:
            raise _too_large(kind, size)
        digest.update(chunk)
    upload.seek(0)
    return head, size, digest.hexdigest()


def _check_photo(upload: UploadedFile, fmt: Format) -> None:
    """The whole photo must decode: a damaged, truncated or disguised file does not."""
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload, formats=[fmt.name]) as image:
                image.verify()
            upload.seek(0)
            with Image.open(upload, formats=[fmt.name]) as image:
                # Decoded at a reduced scale (JPEG), which still reads every byte.
                image.draft(None, (1024, 1024))
                image.load()
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise DomainError(_("The photo has too many pixels to be opened safely; take it at "
                            "a lower resolution."), code="image_too_large") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise DomainError(
            _("This photo does not open as a %(format)s image: it may be damaged or "
              "incomplete. Take or save it again.") % {"format": fmt.name},
            code="file_damaged") from None
    finally:
        upload.seek(0)


def inspect_upload(*, kind: str, upload: UploadedFile) -> Inspected:
    """What the file is, its size and SHA-256; ``DomainError`` when it is not acceptable.

    Reads the file (never more than the kind's limit + 1 byte) and stores nothing.
    """
    if kind not in MediaKind.values:
        raise DomainError(_("Choose whether the file is a photo, a video or a sound recording."),
                          code="invalid_kind")
    original_name = PurePath((upload.name or "").replace("\\", "/")).name.strip()[:255]
    extension = PurePath(original_name).suffix.lower()
    if upload.size is not None and upload.size > max_bytes(kind):
        raise _too_large(kind, upload.size)
    head, size, sha256 = _read(upload, kind)
    if size == 0:
        raise DomainError(_("The file is empty."), code="file_empty")
    fmt = sniff(head, extension)
    if fmt is None or fmt.kind != kind:
        raise DomainError(str(_KIND_FORMATS[kind]), code="file_type")
    if extension not in fmt.extensions:
        raise DomainError(
            _("The file's content is in %(format)s format, but its name ends in "
              "“%(extension)s”: choose the right file, or name it %(expected)s.")
            % {"format": fmt.name, "extension": extension or _("(no extension)"),
               "expected": " / ".join(fmt.extensions)},
            code="extension_mismatch")
    if fmt.kind == MediaKind.PHOTO:
        _check_photo(upload, fmt)
    return Inspected(kind=kind, content_type=fmt.content_type, size=size, sha256=sha256,
                     original_name=original_name, extension=extension)
