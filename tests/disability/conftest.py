"""A facility, commissions, doctors and experts, and referrals made as a facility makes them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core.files.uploadedfile import SimpleUploadedFile

from disability.models import (
    Commission,
    CommissionMember,
    CommissionProfile,
    FacilityDoctor,
    HealthFacility,
    Referral,
)
from disability.services.referrals import ReferralSubmission, referral_submit
from dost.accounts.models import Role, User
from tests.documents import pdf_bytes

PASSWORD = "correct-horse-battery-9"


def _user(username: str, role: str, *, first_name: str = "", last_name: str = "") -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, role=role,
                                    first_name=first_name, last_name=last_name)
    if role in {Role.EXPERT, Role.STAFF, Role.AGENT, Role.ADMIN}:
        TOTP.activate(user, generate_totp_secret())
    return user


@pytest.fixture
def facility(db) -> HealthFacility:
    return HealthFacility.objects.create(
        code="baku-clinic-1", name_az="Bakı 1 saylı poliklinika",
        name_en="Baku Polyclinic No. 1", name_ru="Бакинская поликлиника № 1", region_id="nasimi")


@pytest.fixture
def commissions(db) -> dict[str, Commission]:
    """Two general commissions, one for children and one for mental health."""
    made = {}
    for code, profile in (("msec-1", CommissionProfile.GENERAL),
                          ("msec-2", CommissionProfile.GENERAL),
                          ("msec-children", CommissionProfile.PAEDIATRIC),
                          ("msec-mental", CommissionProfile.PSYCHIATRIC)):
        made[code] = Commission.objects.create(
            code=code, profile=profile, economic_region_id="baku",
            name_az=f"TSEK {code}", name_en=f"MSEC {code}", name_ru=f"МСЭК {code}")
    return made


@pytest.fixture
def doctor(facility) -> User:
    user = _user("doctor1", Role.DOCTOR, first_name="Samir", last_name="Rzayev")
    FacilityDoctor.objects.create(user=user, facility=facility)
    return user


def member_of(commission: Commission, username: str) -> User:
    user = _user(username, Role.EXPERT, first_name="Nigar", last_name=username)
    CommissionMember.objects.create(user=user, commission=commission)
    return user


@pytest.fixture
def make_submission() -> Callable[..., ReferralSubmission]:
    def make(**overrides) -> ReferralSubmission:
        fields = {
            "fin": "",
            "diagnoses": ["G35"],
            "treatment_months": 8,
            "limitations": {"mobility": 3, "self_care": 2},
            "documents": [SimpleUploadedFile("discharge.pdf", pdf_bytes())],
            "doctor_name": "Samir Rzayev",
            "approved_by": ["Aynur Quliyeva", "Rəşad Əliyev"],
        }
        fields.update(overrides)
        return ReferralSubmission(**fields)

    return make


@pytest.fixture
def refer(facility, commissions, make_submission) -> Callable[..., Referral]:
    """Refer a person (by FIN) as the facility does; keyword arguments change the submission."""

    def make(fin: str, *, on: dt.date | None = None, **overrides) -> Referral:
        return referral_submit(facility=facility, submission=make_submission(fin=fin, **overrides),
                               on=on)

    return make
