"""Home visits for the assessment tests: workers, an administrator, a case waiting for its
visit, and small real files of every accepted kind (and some that are not).

Imported by the test modules that use them (``from tests.vemtas.visits import ...``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from dost.accounts.models import Role, User
from dost.registry.models import Household
from tests.documents import image_bytes, pdf_bytes
from vemtas.assessments import (
    assessment_assign,
    assessment_media_add,
    assessment_record,
    assessment_submit,
)
from vemtas.models import Assessment, CaseMember, CaseState
from vemtas.signing import key_issue

PASSWORD = "correct-horse-battery-9"


def official(username: str, role: str = Role.STAFF, **flags) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, role=role,
                                    first_name=username.title(), last_name="Həsənli", **flags)
    TOTP.activate(user, generate_totp_secret())
    return user


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path) -> Path:
    """Every stored file goes under a fresh directory, so a test can see what is left."""
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = root
    return root


@pytest.fixture
def after_visit(monkeypatch) -> list[int]:
    """The case's decision after the visit (the lead's ``case_after_visit``), recorded
    instead of made: these tests are about the assessment, not the award."""
    import vemtas.decisions

    called: list[int] = []
    monkeypatch.setattr(vemtas.decisions, "case_after_visit",
                        lambda *, case_id, on=None: called.append(case_id))
    return called


@pytest.fixture
def worker(db) -> User:
    """The social worker the visit is given to."""
    return official("samira")


@pytest.fixture
def other_worker(db) -> User:
    return official("rauf")


@pytest.fixture
def administrator(db) -> User:
    return official("root", Role.ADMIN, is_staff=True, is_superuser=True)


@pytest.fixture
def household_case(make_person, make_case):
    """A two-person household whose case waits for its home visit."""
    home = Household.objects.create(region_id="nasimi", address="Nizami küç. 5",
                                    source_id="justice")
    applicant = make_person(first_name="Günel", household_id=home.pk)
    son = make_person(first_name="Murad", sex="M", birth_date=dt.date(2012, 5, 5),
                      household_id=home.pk)
    case = make_case(applicant, household=home, state=CaseState.VISIT)
    CaseMember.objects.bulk_create([CaseMember(case=case, person=applicant),
                                    CaseMember(case=case, person=son)])
    return case


@pytest.fixture
def unassigned(household_case) -> Assessment:
    return Assessment.objects.create(case=household_case)


def tomorrow_at_ten() -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=1)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10)))


@pytest.fixture
def scheduled(unassigned, worker, administrator) -> Assessment:
    """The visit, given to ``worker`` for tomorrow at 10:00."""
    return assessment_assign(assessment=unassigned, worker=worker, visit_at=tomorrow_at_ten(),
                             actor=administrator)


@pytest.fixture
def signing_key(worker, administrator):
    return key_issue(worker=worker, issued_by=administrator)


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def jpeg(name: str = "kitchen.jpg", *, size: tuple[int, int] = (64, 48)) -> SimpleUploadedFile:
    return upload(name, image_bytes("JPEG", size=size), "image/jpeg")


def png(name: str = "room.png") -> SimpleUploadedFile:
    return upload(name, image_bytes("PNG"), "image/png")


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


# Heads of each container, followed by filler: enough for a check by content.
MP4_BYTES = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 2048
M4A_BYTES = b"\x00\x00\x00\x1cftypM4A \x00\x00\x00\x00M4A mp42isom" + b"\x00" * 2048
WEBM_BYTES = (b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\xf2\x81\x04"
              b"\x42\xf3\x81\x08\x42\x82\x84webm\x42\x87\x81\x02\x42\x85\x81\x02"
              + b"\x00" * 2048)
MP3_BYTES = b"ID3\x03\x00\x00\x00\x00\x00\x0a" + b"\xff\xfb\x90\x64" + b"\x00" * 2048
OGG_BYTES = b"OggS\x00\x02" + b"\x00" * 2048
WAV_BYTES = b"RIFF\x24\x08\x00\x00WAVEfmt " + b"\x00" * 2048
HTML_BYTES = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"
PDF_BYTES = pdf_bytes()


def recorded(assessment: Assessment, worker: User, *, matches: bool = True,
             disagreement: str = "") -> Assessment:
    return assessment_record(assessment=assessment, worker=worker, members_present=2,
                             conditions="Two rooms, gas heating, an old refrigerator.",
                             matches_declaration=matches, disagreement=disagreement)


def ready_to_sign(assessment: Assessment, worker: User) -> Assessment:
    """Findings recorded and a photo and a recording added."""
    recorded(assessment, worker)
    assessment_media_add(assessment=assessment, worker=worker, kind="photo", upload=jpeg())
    assessment_media_add(assessment=assessment, worker=worker, kind="audio",
                         upload=upload("talk.mp3", MP3_BYTES, "audio/mpeg"))
    return assessment


def signed_assessment(assessment: Assessment, worker: User) -> Assessment:
    ready_to_sign(assessment, worker)
    return assessment_submit(assessment=assessment, worker=worker)


def stored_files(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()]
