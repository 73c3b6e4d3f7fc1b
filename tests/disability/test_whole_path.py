"""From a facility's referral to the citizen's award, as the people and systems involved do it.

The facility's system sends the referral through the API; a commission is drawn; two
of its experts assess and confirm on their pages; the decision becomes the registry's
finding, a certificate and an SMS; the proactive engine pays the disability benefit
the same day. A repeat assessment that lowers the degree lowers the benefit from its day.
"""

from __future__ import annotations

import base64
import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from disability.models import Commission, Referral, RegisterEntry
from dost.accounts.models import Scope
from dost.accounts.services import institution_token_create
from dost.audit.models import DecisionEntry
from dost.entitlements.models import Award
from dost.notifications.models import SmsMessage
from dost.registry.models import DisabilityStatus
from tests.disability.conftest import member_of
from tests.documents import pdf_bytes


@pytest.fixture
def facility_system(facility) -> Client:
    token, raw = institution_token_create(name="Baku Polyclinic No. 1 system",
                                          scopes=[Scope.REFERRALS_WRITE])
    facility.institution = token.institution
    facility.save(update_fields=["institution"])
    return Client(headers={"Authorization": f"Token {raw}"})


@pytest.fixture
def patient(make_person):
    return make_person(fin="5WH0LE1", first_name="Rəna", last_name="Kərimova",
                       birth_date=dt.date(1985, 4, 2), phone="+994503334455", language="en")


def _refer(system: Client, fin: str) -> str:
    response = system.post("/api/v1/disability/referrals/", {
        "fin": fin, "diagnoses": ["G35"], "treatment_months": 9,
        "limitations": {"mobility": 3, "self_care": 3},
        "doctor_name": "Samir Rzayev", "approved_by": ["Aynur Quliyeva"],
        "documents": [{"content_base64": base64.b64encode(pdf_bytes()).decode()}],
    }, content_type="application/json")
    assert response.status_code == 201, response.content
    return response.json()["case_number"]


def _assess(commission: Commission, case_number: str, percent: int, *, review: dt.date,
            names: tuple[str, str]) -> None:
    first, second = (member_of(commission, name) for name in names)
    referral = Referral.objects.get(case_number=case_number)
    author, confirmer = Client(), Client()
    author.force_login(first)
    confirmer.force_login(second)
    form = {f"percent_{diagnosis.pk}": percent for diagnosis in referral.diagnoses.all()}
    form |= {"cause": "general_illness", "duration": "2y",
             "next_review_on": review.isoformat(), "lost_working_capacity": 40}
    response = author.post(f"/msec/cases/{case_number}/assessment/", form)
    assert response.status_code == 302, response.content.decode()[-2000:]
    proposal = referral.assessments.get(state="proposed")
    response = confirmer.post(f"/msec/cases/{case_number}/assessments/{proposal.pk}/confirm/")
    assert response.status_code == 302, response.content.decode()[-2000:]


def test_referral_to_award_and_a_lower_degree_on_review(facility_system, commissions, patient):
    today = timezone.localdate()
    Commission.objects.exclude(code__in=["msec-1", "msec-2"]).update(active=False)

    case_number = _refer(facility_system, patient.fin)
    referral = Referral.objects.get(case_number=case_number)
    draw = DecisionEntry.objects.get(kind="assignment", subject=case_number)
    assert draw.details["commission"] == referral.commission.code
    _assess(referral.commission, case_number, 85, review=today + dt.timedelta(days=730),
            names=("first-a", "second-a"))

    finding = DisabilityStatus.objects.get(person=patient)
    assert (finding.percent, finding.source_id, finding.determined_on) == (85, "msec", today)
    entry = RegisterEntry.objects.get(person=patient)
    assert bytes(entry.certificate.pdf).startswith(b"%PDF")
    message = SmsMessage.objects.get(person=patient, template="disability_decision")
    assert message.language == "en"
    award = Award.objects.get(person=patient, benefit="disability_benefit")
    assert (award.period_start, award.amount) == (today, Decimal("300"))
    assert SmsMessage.objects.filter(person=patient, template="award_granted").exists()

    # A year on, the facility refers her again; the commission finds degree II.
    later = today + dt.timedelta(days=365)
    case_number = _refer(facility_system, patient.fin)
    referral = Referral.objects.get(case_number=case_number)
    assert referral.kind == "repeat"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(timezone, "localdate", lambda: later)
        _assess(referral.commission, case_number, 65, review=later + dt.timedelta(days=730),
                names=("first-b", "second-b"))

    periods = list(Award.objects.filter(person=patient, benefit="disability_benefit")
                   .order_by("period_start").values_list("period_start", "period_end", "amount"))
    assert periods[0][:2] == (today, later - dt.timedelta(days=1))
    assert periods[1][0] == later and periods[1][2] == Decimal("250")
