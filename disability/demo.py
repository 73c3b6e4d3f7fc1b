"""Demo data of the disability subsystem: facilities, commissions, the demo doctor's and
experts' places, a register carried over from the registry's findings, and some cases.

Run by ``seed_demo`` (registered from the app's ready()); a second run adds nothing.
"""

from __future__ import annotations

import datetime as dt
import io
import random

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils.translation import gettext as _
from pypdf import PdfWriter

from disability.models import (
    Commission,
    CommissionMember,
    CommissionProfile,
    FacilityDoctor,
    HealthFacility,
    LimitationDomain,
    Referral,
)
from disability.services.referrals import ReferralSubmission, referral_submit
from disability.services.register_backfill import register_backfill
from dost.accounts.models import User
from dost.errors import DomainError
from dost.registry.models import Person

FACILITIES = (
    ("baku-polyclinic-1", "nasimi", "Bakı şəhər 1 saylı poliklinika", "Baku City Polyclinic No. 1",
     "Бакинская городская поликлиника № 1"),
    ("ganja-hospital", "ganja", "Gəncə şəhər xəstəxanası", "Ganja City Hospital",
     "Гянджинская городская больница"),
    ("shaki-hospital", "shaki", "Şəki rayon mərkəzi xəstəxanası", "Shaki District Hospital",
     "Шекинская районная больница"),
)
COMMISSIONS = (
    ("msec-baku-1", CommissionProfile.GENERAL, "baku", "1"),
    ("msec-baku-2", CommissionProfile.GENERAL, "baku", "2"),
    ("msec-ganja", CommissionProfile.GENERAL, "ganja_dashkasan", "3"),
    ("msec-children", CommissionProfile.PAEDIATRIC, "baku", "4"),
    ("msec-mental", CommissionProfile.PSYCHIATRIC, "baku", "5"),
)
DEMO_EXPERTS = ("expert", "expert2")
DEMO_DOCTOR = "doctor"
DEMO_CASES = 12
# Common reasons for referral, by ICD-10 code.
DEMO_DIAGNOSES = (["G35"], ["I63.9", "I10"], ["E11.5"], ["M16.1"], ["C50.9"], ["H54.0"],
                  ["G80.0"], ["F20.0"], ["J44.1"], ["N18.5"], ["S72.0", "M80.0"], ["H90.3"])


def demo_disability(today: dt.date) -> list[str]:
    if Commission.objects.exists():
        return []
    with transaction.atomic():
        facilities = [HealthFacility.objects.create(code=code, region_id=region, name_az=az,
                                                    name_en=en, name_ru=ru)
                      for code, region, az, en, ru in FACILITIES]
        commissions = [Commission.objects.create(
            code=code, profile=profile, economic_region_id=region,
            name_az=f"{number} saylı Tibbi-Sosial Ekspert Komissiyası",
            name_en=f"Medical-Social Expert Commission No. {number}",
            name_ru=f"Медико-социальная экспертная комиссия № {number}")
            for code, profile, region, number in COMMISSIONS]
        for username in DEMO_EXPERTS:
            user = User.objects.filter(username=username).first()
            if user is not None:
                CommissionMember.objects.get_or_create(user=user,
                                                       defaults={"commission": commissions[0]})
        doctor = User.objects.filter(username=DEMO_DOCTOR).first()
        if doctor is not None:
            FacilityDoctor.objects.get_or_create(user=doctor, defaults={"facility": facilities[0]})
        entries = register_backfill()
    cases = _demo_cases(facilities[0], today)
    mine = Referral.objects.filter(commission=commissions[0]).count()
    return [_("Disability: %(commissions)s expert commissions, %(entries)s register entries "
              "from the registry's findings, %(cases)s referrals (%(mine)s for the demo "
              "experts' commission).") % {"commissions": len(commissions), "entries": entries,
                                          "cases": cases, "mine": mine}]


def _demo_cases(facility: HealthFacility, today: dt.date) -> int:
    """Referrals of living adults without a finding, as the demo doctor's facility sends them."""
    rng = random.Random(2026)  # noqa: S311 - demo data, not a draw
    people = list(Person.objects.filter(
        death_date__isnull=True, birth_date__lte=dt.date(today.year - 25, 1, 1),
        birth_date__gte=dt.date(today.year - 60, 1, 1), disability_statuses__isnull=True)
        .order_by("id")[:DEMO_CASES])
    made = 0
    for person, diagnoses in zip(people, DEMO_DIAGNOSES, strict=False):
        domains = rng.sample(list(LimitationDomain.values), 3)
        submission = ReferralSubmission(
            fin=person.fin, diagnoses=diagnoses, treatment_months=rng.randint(6, 24),
            limitations={domain: rng.randint(1, 4) for domain in domains},
            documents=[SimpleUploadedFile("discharge-summary.pdf", demo_pdf())],
            doctor_name="Samir Rzayev", approved_by=["Aynur Quliyeva", "Rəşad Əliyev"],
            clinical_summary=_("Continuous treatment without lasting improvement."))
        try:
            referral_submit(facility=facility, submission=submission, on=today)
        except DomainError:
            continue
        made += 1
    return made


def demo_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Author": "Polyclinic No. 1", "/Title": "Discharge summary"})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
