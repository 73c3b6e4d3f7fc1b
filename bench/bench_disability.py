"""Disability referrals at volume, and the expert's case list.

- 10,000 referrals accepted, anonymised and assigned: each through ``referral_submit``
  as a facility's form or API call makes it, in its own transaction (checks, the
  identity encrypted field by field, a one-page PDF stripped of its metadata, the
  weighted draw of a commission and its decision-log entry). Facilities submit at the
  same time, as web requests do: one process per core (``WORKERS``), each with its own
  connection, sharing the commissions' counters and the decision log's head. Target
  < 60 s of wall time.
- The expert's case list (``/msec/``) as an expert of a commission then holding
  about 500 cases opens it: p95 over 200 requests through Django's test client.
  Target < 100 ms.
"""

from __future__ import annotations

import multiprocessing
import statistics
import time
from concurrent.futures import ProcessPoolExecutor

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from disability.demo import demo_pdf
from disability.models import Commission, CommissionMember, CommissionProfile, HealthFacility
from disability.services.referrals import ReferralSubmission, referral_submit
from dost.accounts.models import Role, User

REFERRALS = 10_000
WORKERS = 2
LIST_REQUESTS = 200
TARGET_SECONDS = 60
TARGET_LIST_MS = 100
# 14 economic regions' general commissions, and specialised ones in the capital.
COMMISSIONS = [(f"bench-general-{n}", CommissionProfile.GENERAL) for n in range(1, 15)] + [
    ("bench-children-1", CommissionProfile.PAEDIATRIC), ("bench-children-2",
                                                          CommissionProfile.PAEDIATRIC),
    ("bench-mental-1", CommissionProfile.PSYCHIATRIC), ("bench-mental-2",
                                                         CommissionProfile.PSYCHIATRIC)]
DIAGNOSES = (["G35"], ["I63.9", "I10"], ["E11.5"], ["M16.1", "M17.1"], ["C50.9"], ["H54.0"],
             ["F20.0"], ["J44.1"], ["N18.5"], ["S72.0"])


def _reset() -> tuple[HealthFacility, list[Commission]]:
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE disability_referral, disability_diagnosis, "
                       "disability_limitation, disability_medicaldocument, "
                       "disability_documentrequest, disability_assessment, "
                       "disability_assessedcondition, disability_reassignment CASCADE")
    facility, _created = HealthFacility.objects.get_or_create(
        code="bench-clinic", defaults={"region_id": "nasimi", "name_az": "Klinika",
                                       "name_en": "Bench Clinic", "name_ru": "Клиника"})
    commissions = []
    for code, profile in COMMISSIONS:
        commission, _created = Commission.objects.update_or_create(
            code=code, defaults={"profile": profile, "economic_region_id": "baku",
                                 "name_az": code, "name_en": code, "name_ru": code,
                                 "open_cases": 0, "active": True})
        commissions.append(commission)
    Commission.objects.exclude(code__in=[code for code, _profile in COMMISSIONS]).update(
        active=False)
    return facility, commissions


def _people() -> list[str]:
    """Living people spread over the whole registry, one in every hundred."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT fin FROM registry_person WHERE death_date IS NULL "
                       "AND id %% 97 = 0 ORDER BY id LIMIT %s", [REFERRALS])
        return [row[0] for row in cursor.fetchall()]


def _submit(facility_id: int, fins: list[str], offset: int) -> int:
    facility = HealthFacility.objects.get(pk=facility_id)
    document = demo_pdf()
    on = timezone.localdate()
    for number, fin in enumerate(fins, start=offset):
        referral_submit(facility=facility, on=on, submission=ReferralSubmission(
            fin=fin, diagnoses=DIAGNOSES[number % len(DIAGNOSES)], treatment_months=8,
            limitations={"mobility": 3, "self_care": 2, "work": 3},
            documents=[SimpleUploadedFile("summary.pdf", document)],
            doctor_name="Samir Rzayev", approved_by=["Aynur Quliyeva", "Rəşad Əliyev"]))
    connection.close()
    return len(fins)


def _submit_all(facility: HealthFacility, fins: list[str], workers: int = WORKERS) -> float:
    shares = [fins[start::workers] for start in range(workers)]
    # Each process opens its own connection: none may inherit this one.
    connection.close()
    started = time.perf_counter()
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        submitted = sum(pool.map(_submit, [facility.pk] * workers, shares,
                                 range(workers)))
    seconds = time.perf_counter() - started
    if submitted != len(fins):
        raise RuntimeError(f"{submitted} of {len(fins)} referrals submitted")
    return seconds


def _expert_of(commission: Commission) -> User:
    user, _created = User.objects.get_or_create(
        username=f"bench-expert-{commission.code}", defaults={"role": Role.EXPERT})
    CommissionMember.objects.update_or_create(user=user, defaults={"commission": commission})
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, generate_totp_secret())
    return user


def _case_list_ms(commission: Commission) -> list[float]:
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(_expert_of(commission))
    url = reverse("msec:index")
    client.get(url)  # the first request loads the middleware and warms the caches
    timings = []
    for _request in range(LIST_REQUESTS):
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"the case list should open: {response.status_code}")
    return timings


def run(*, people: int) -> list[dict]:
    facility, commissions = _reset()
    fins = _people()
    if len(fins) < REFERRALS:
        raise RuntimeError(f"the registry has {len(fins)} people to refer; seed more")
    seconds = _submit_all(facility, fins)
    busiest = max(Commission.objects.filter(code__startswith="bench-general-"),
                  key=lambda commission: commission.open_cases)
    print(f"{REFERRALS:,} referrals accepted, anonymised and assigned in {seconds:.1f} s "
          f"({REFERRALS / seconds:.0f}/s); the busiest general commission holds "
          f"{busiest.open_cases} cases", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE disability_referral")
    list_ms = _case_list_ms(busiest)
    list_p95 = statistics.quantiles(list_ms, n=100)[94]
    print(f"expert's case list p95 {list_p95:.1f} ms (median {statistics.median(list_ms):.1f} "
          f"ms) over {LIST_REQUESTS} requests", flush=True)
    return [
        {"name": "10,000 referrals accepted", "value": seconds, "unit": "s",
         "target": f"< {TARGET_SECONDS} s", "met": seconds < TARGET_SECONDS},
        {"name": "referrals accepted/s", "value": REFERRALS / seconds, "unit": "referrals/s"},
        {"name": "expert's case list p95", "value": list_p95, "unit": "ms",
         "target": f"< {TARGET_LIST_MS} ms", "met": list_p95 < TARGET_LIST_MS},
    ]
