"""Demo data of targeted social assistance: households that applied, checked with the
other institutions' registers and decided, and the demo social worker's visits and key.

Run by ``seed_demo`` (registered from the app's ready()); a second run adds nothing.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.db.models import Count

from dost.accounts.models import User
from dost.applications.models import Application
from dost.registry.models import Household, Person
from vemtas.applications import CODE
from vemtas.checks import cases_cross_check
from vemtas.models import Case, CaseState, SigningKey
from vemtas.services import case_open
from vemtas.signing import key_issue

HOUSEHOLDS = 40
REFERENCE_PREFIX = "DEMO-TSSA-"


@transaction.atomic
def demo_assistance(today: dt.date) -> list[str]:
    if Application.objects.filter(reference__startswith=REFERENCE_PREFIX).exists():
        return []
    _demo_worker_key()
    households = (Household.objects.annotate(size=Count("members")).filter(size__gte=2)
                  .order_by("id").values_list("id", flat=True)[:HOUSEHOLDS])
    cases = []
    for number, household_id in enumerate(households):
        applicant = (Person.objects.filter(household_id=household_id, death_date__isnull=True)
                     .order_by("birth_date", "id").first())
        if applicant is None or Case.objects.filter(applicant=applicant).exists():
            continue
        application = Application.objects.create(
            person=applicant, type_code=CODE, status="submitted",
            reference=f"{REFERENCE_PREFIX}{number + 1:04d}",
            data={"monthly_income": str(30 * (number % 8))})
        members = Person.objects.filter(household_id=household_id, death_date__isnull=True)
        case = case_open(application=application, applicant=applicant, submitted_by=applicant,
                         declared_income=Decimal(30 * (number % 8)),
                         declared_business=number % 5 == 0,
                         confirmed=list(members.values_list("pk", flat=True)), on=today)
        # Every third household applies again after an award: no home visit.
        if number % 3 == 0:
            Case.objects.filter(pk=case.pk).update(visit_required=False)
        cases.append(case.pk)
    cases_cross_check(case_ids=cases, on=today)
    states = dict(Case.objects.filter(pk__in=cases).values_list("state").annotate(n=Count("id")))
    return [f"Targeted assistance: {len(cases)} households applied and were checked with the "
            f"other institutions' registers: {states.get(CaseState.AWARDED, 0)} awarded, "
            f"{states.get(CaseState.REFUSED, 0)} refused, {states.get(CaseState.VISIT, 0)} "
            "waiting for a home visit (staff: /backoffice/assistance/)."]


def _demo_worker_key() -> None:
    """The demo staff user is the social worker: a signing key issued by the demo admin."""
    worker = User.objects.filter(username="staff").first()
    admin = User.objects.filter(username="admin").first()
    if worker is None or admin is None:
        return
    if not SigningKey.objects.filter(worker=worker, revoked_at__isnull=True).exists():
        key_issue(worker=worker, issued_by=admin)
