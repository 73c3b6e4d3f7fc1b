"""A visit's files are judged by their content and size: each accepted kind is stored with its
SHA-256; a file too large, of another kind, or whose name disagrees with its content is
refused with a clear message, and nothing is stored: no row, no file."""

# ruff: noqa: F811 (the fixtures imported from tests.vemtas.visits are arguments here)

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from dost.errors import DomainError
from tests.documents import image_bytes
from tests.vemtas.visits import (  # noqa: F401 (fixtures)
    HTML_BYTES,
    M4A_BYTES,
    MP3_BYTES,
    MP4_BYTES,
    OGG_BYTES,
    PDF_BYTES,
    WAV_BYTES,
    WEBM_BYTES,
    administrator,
    household_case,
    media_root,
    other_worker,
    scheduled,
    sha256,
    stored_files,
    unassigned,
    upload,
    worker,
)
from vemtas.assessments import assessment_media_add
from vemtas.models import AssessmentMedia

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.mark.parametrize(("kind", "name", "content", "content_type"), [
    ("photo", "kitchen.jpg", image_bytes("JPEG"), "image/jpeg"),
    ("photo", "Kitchen.JPEG", image_bytes("JPEG"), "image/jpeg"),
    ("photo", "room.png", image_bytes("PNG"), "image/png"),
    ("video", "walk.mp4", MP4_BYTES, "video/mp4"),
    ("video", "walk.webm", WEBM_BYTES, "video/webm"),
    ("audio", "talk.mp3", MP3_BYTES, "audio/mpeg"),
    ("audio", "talk.m4a", M4A_BYTES, "audio/mp4"),
    # A phone's recorder: a sound-only MP4 with a video brand, named .m4a.
    ("audio", "voice.m4a", MP4_BYTES, "audio/mp4"),
    ("audio", "talk.ogg", OGG_BYTES, "audio/ogg"),
    ("audio", "talk.wav", WAV_BYTES, "audio/wav"),
], ids=lambda value: value if isinstance(value, str) and len(value) < 20 else "")
def test_each_accepted_kind_is_stored_with_its_hash(scheduled, worker, media_root, kind, name,
                                                    content, content_type):
    media = assessment_media_add(assessment=scheduled, worker=worker, kind=kind,
                                 upload=upload(name, content, "text/plain"))
    stored = AssessmentMedia.objects.get()
    assert (stored.kind, stored.original_name, stored.content_type, stored.size,
            stored.sha256) == (kind, name, content_type, len(content), sha256(content))
    [path] = stored_files(media_root)
    assert path.read_bytes() == content
    # Stored under a name of its own, never the uploader's.
    assert name not in media.file.name


@pytest.mark.parametrize(("kind", "name", "content", "message"), [
    ("photo", "scan.pdf", PDF_BYTES, "A photo must be a JPEG or PNG file."),
    ("photo", "scan.jpg", PDF_BYTES, "A photo must be a JPEG or PNG file."),
    ("photo", "home.jpg", HTML_BYTES, "A photo must be a JPEG or PNG file."),
    ("photo", "room.jpg", image_bytes("PNG"),
     "The file's content is in PNG format, but its name ends in “.jpg”"),
    ("photo", "room", image_bytes("JPEG"), "its name ends in “(no extension)”"),
    ("video", "talk.mp4", MP3_BYTES, "A video must be an MP4 or WebM file."),
    ("video", "kitchen.mp4", image_bytes("JPEG"), "A video must be an MP4 or WebM file."),
    ("audio", "talk.wav", MP3_BYTES,
     "The file's content is in MP3 format, but its name ends in “.wav”"),
    ("audio", "walk.mp3", MP4_BYTES, "A sound recording must be an MP3, M4A, OGG or WAV file."),
    ("audio", "page.wav", HTML_BYTES,
     "A sound recording must be an MP3, M4A, OGG or WAV file."),
    ("photo", "cut.jpg", image_bytes("JPEG")[:200], "This photo does not open as a JPEG"),
    ("photo", "empty.jpg", b"", "The file is empty."),
], ids=lambda value: value if isinstance(value, str) and len(value) < 20 else "")
def test_a_file_of_another_kind_is_refused_and_nothing_stored(scheduled, worker, media_root,
                                                              kind, name, content, message):
    with translation.override("en"), pytest.raises(DomainError) as refusal:
        assessment_media_add(assessment=scheduled, worker=worker, kind=kind,
                             upload=upload(name, content, "image/jpeg"))
    assert message in str(refusal.value.message)
    assert not AssessmentMedia.objects.exists()
    assert stored_files(media_root) == []


def test_an_oversized_photo_is_refused_and_nothing_stored(settings, scheduled, worker,
                                                          media_root):
    settings.VEMTAS_MAX_PHOTO_BYTES = 1000
    photo = image_bytes("JPEG", size=(400, 300))
    assert len(photo) > 1000
    with translation.override("en"), pytest.raises(DomainError) as refusal:
        assessment_media_add(assessment=scheduled, worker=worker, kind="photo",
                             upload=upload("big.jpg", photo))
    assert "a photo may be at most 1000" in str(refusal.value.message)
    assert not AssessmentMedia.objects.exists()
    assert stored_files(media_root) == []


def test_each_kind_has_its_own_size_limit(settings, scheduled, worker):
    settings.VEMTAS_MAX_AUDIO_BYTES = 100
    with translation.override("en"), pytest.raises(DomainError, match="sound recording may"):
        assessment_media_add(assessment=scheduled, worker=worker, kind="audio",
                             upload=upload("talk.mp3", MP3_BYTES))
    assessment_media_add(assessment=scheduled, worker=worker, kind="video",
                         upload=upload("walk.mp4", MP4_BYTES))
    assert AssessmentMedia.objects.get().kind == "video"


def test_a_file_from_another_worker_is_refused(scheduled, other_worker, media_root):
    with translation.override("en"), pytest.raises(DomainError, match="Only the social worker"):
        assessment_media_add(assessment=scheduled, worker=other_worker, kind="audio",
                             upload=upload("talk.mp3", MP3_BYTES))
    assert stored_files(media_root) == []


# --- through the page --------------------------------------------------------------------


def media_url(assessment) -> str:
    return reverse("vemtas_visits:media_add", args=[assessment.pk])


def posted(kind: str, name: str, content: bytes) -> dict:
    return {"kind": kind, f"{kind}-file": upload(name, content)}


def test_the_page_stores_a_photo_larger_than_other_uploads(client, scheduled, worker,
                                                           media_root):
    # 7 MB: more than a citizen's document may be, less than a photo's 10 MB.
    photo = image_bytes("JPEG") + b"\x00" * (7 * 1024 * 1024)
    client.force_login(worker)
    response = client.post(media_url(scheduled), posted("photo", "wide.jpg", photo), **EN)
    assert response.status_code == 302
    assert AssessmentMedia.objects.get().sha256 == sha256(photo)


def test_the_page_refuses_a_photo_over_its_limit_and_stores_nothing(client, scheduled,
                                                                    worker, media_root):
    photo = image_bytes("JPEG") + b"\x00" * (10 * 1024 * 1024)
    client.force_login(worker)
    response = client.post(media_url(scheduled), posted("photo", "huge.jpg", photo), **EN)
    assert response.status_code == 400
    body = response.content.decode()
    assert "a photo may be at most 10.0" in body
    assert 'role="alert"' in body
    assert not AssessmentMedia.objects.exists()
    assert stored_files(media_root) == []


def test_the_page_refuses_a_web_page_named_as_a_photo(client, scheduled, worker, media_root):
    client.force_login(worker)
    response = client.post(media_url(scheduled), posted("photo", "home.jpg", HTML_BYTES), **EN)
    assert response.status_code == 400
    assert "A photo must be a JPEG or PNG file." in response.content.decode()
    assert not AssessmentMedia.objects.exists()
    assert stored_files(media_root) == []


def test_the_page_refuses_an_mp3_named_as_a_video(client, scheduled, worker, media_root):
    client.force_login(worker)
    response = client.post(media_url(scheduled), posted("video", "talk.mp4", MP3_BYTES), **EN)
    assert response.status_code == 400
    assert "A video must be an MP4 or WebM file." in response.content.decode()
    assert stored_files(media_root) == []


def test_another_worker_cannot_upload_to_the_visit(client, scheduled, other_worker,
                                                   media_root):
    client.force_login(other_worker)
    response = client.post(media_url(scheduled), posted("audio", "talk.mp3", MP3_BYTES))
    assert response.status_code == 403
    assert not AssessmentMedia.objects.exists()
    assert stored_files(media_root) == []


def test_the_file_pickers_accept_only_their_kind(client, scheduled, worker):
    client.force_login(worker)
    body = client.get(reverse("vemtas_visits:assessment", args=[scheduled.pk])).content.decode()
    assert 'accept=".jpg,.jpeg,.png"' in body
    assert 'accept=".mp4,.webm"' in body
    assert 'accept=".mp3,.m4a,.ogg,.oga,.opus,.wav"' in body
