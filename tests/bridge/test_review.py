"""Events held for review: what the institution reads back, and what staff decide."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.urls import reverse

from dost.accounts.models import Role, Scope, User
from dost.accounts.services import institution_token_create
from dost.audit.models import AccessRecord, DecisionEntry
from dost.audit.verification import decision_log_verify
from dost.bridge import services
from dost.bridge.models import InboundEvent
from dost.bridge.plausibility import anniversary
from dost.bridge.services import event_receive, event_review_apply, event_review_reject
from dost.entitlements.models import Award
from dost.errors import DomainError
from dost.notifications.models import SmsMessage
from dost.registry.models import FamilyRelation, Person
from tests.bridge.conftest import (
    CHILD_FIN,
    EVENTS_URL,
    JUSTICE,
    birth_event,
    event,
    today,
    token_client,
)
from tests.concurrency import in_thread, someone_comes_to_wait_on_a_lock
from tests.conftest import PASSWORD

YOUNG_MOTHER_FIN = "4MUM012"
QUEUE_URL = "/backoffice/bridge/"
WAIT_SECONDS = 10


def event_url(event_id: str) -> str:
    return f"{EVENTS_URL}{event_id}/"


def apply_url(event: InboundEvent) -> str:
    return reverse("bridge_review:apply", args=[event.pk])


def reject_url(event: InboundEvent) -> str:
    return reverse("bridge_review:reject", args=[event.pk])


def form_data(event: InboundEvent, **fields: str) -> dict[str, str]:
    return {f"event-{event.pk}-{name}": value for name, value in fields.items()}


@pytest.fixture
def young_mother(make_person) -> Person:
    """A girl of twelve: a birth to her is unusual enough to hold."""
    return make_person(fin=YOUNG_MOTHER_FIN, first_name="Nərgiz", phone="+994501230012",
                       birth_date=anniversary(today(), -12) - dt.timedelta(days=30))


@pytest.fixture
def held_birth(justice, young_mother) -> InboundEvent:
    response = justice.post(EVENTS_URL, birth_event(mother_fin=YOUNG_MOTHER_FIN,
                                                    father_fin=None), format="json")
    assert response.status_code == 202, response.content
    return InboundEvent.objects.get(event_id="birth-1")


@pytest.fixture(autouse=True)
def _pages_in_english(client):
    # The pages' words are checked below in the source language.
    client.cookies["dost_language"] = "en"


@pytest.fixture
def administrator(db) -> User:
    user = User.objects.create_user(username="admin1", password=PASSWORD, role=Role.ADMIN)
    TOTP.activate(user, generate_totp_secret())
    return user


# --- what the institution reads -----------------------------------------------------------------


def test_a_held_event_reads_back_as_held_with_its_reasons(justice, held_birth):
    response = justice.get(event_url("birth-1"))

    assert response.status_code == 200
    body = response.json()
    assert (body["event_id"], body["status"], body["people"], body["awards"]) == (
        "birth-1", "held", [], 0)
    [reason] = body["reasons"]
    assert reason["code"] == "mother_young"
    assert YOUNG_MOTHER_FIN in reason["message"]
    assert body["review"] is None


def test_a_resend_of_a_held_event_answers_200_with_the_held_outcome_and_adds_nothing(
    justice, held_birth,
):
    again = justice.post(EVENTS_URL, birth_event(mother_fin=YOUNG_MOTHER_FIN, father_fin=None),
                         format="json")

    assert again.status_code == 200
    assert again.json()["status"] == "held"
    assert InboundEvent.objects.count() == 1
    assert not Person.objects.filter(fin=CHILD_FIN).exists()


def test_an_applied_event_reads_back_as_the_post_answered_it(justice, mother, father):
    posted = justice.post(EVENTS_URL, birth_event(), format="json")

    response = justice.get(event_url("birth-1"))

    assert response.status_code == 200
    assert response.json() == posted.json()
    assert response.json()["status"] == "accepted"


def test_another_institutions_event_is_not_found(tax, held_birth):
    response = tax.get(event_url("birth-1"))

    assert response.status_code == 404


def test_an_unknown_event_id_is_not_found(justice, held_birth):
    assert justice.get(event_url("birth-2")).status_code == 404


def test_an_event_id_with_a_slash_reads_back(justice, mother, father):
    justice.post(EVENTS_URL, birth_event("2026/birth/7"), format="json")

    response = justice.get(event_url("2026/birth/7"))

    assert response.status_code == 200
    assert response.json()["event_id"] == "2026/birth/7"


def test_a_token_without_events_write_cannot_read_events(held_birth):
    _token, raw = institution_token_create(name="Bank", scopes=[Scope.AWARDS_READ])

    assert token_client(raw).get(event_url("birth-1")).status_code == 403


# --- staff decide ---------------------------------------------------------------------------


def test_staff_applying_a_held_birth_registers_the_child_and_pays_the_mother(
    client, charlie, justice, held_birth, young_mother,
):
    client.force_login(charlie)

    response = client.post(apply_url(held_birth),
                           form_data(held_birth, note="Confirmed with the maternity ward."))

    assert response.status_code == 302
    assert response.url == QUEUE_URL
    held_birth.refresh_from_db()
    assert (held_birth.state, held_birth.reviewed_by, held_birth.review_note) == (
        "applied", charlie, "Confirmed with the maternity ward.")
    child = Person.objects.get(fin=CHILD_FIN)
    assert FamilyRelation.objects.filter(person=child, relative=young_mother,
                                         kind="parent").exists()
    award = Award.objects.get(person=young_mother, benefit="childbirth_allowance")
    assert SmsMessage.objects.filter(person=young_mother, dedupe_key=f"award:{award.pk}").exists()
    body = justice.get(event_url("birth-1")).json()
    assert (body["status"], body["people"], body["awards"]) == (
        "accepted", [YOUNG_MOTHER_FIN, CHILD_FIN], 1)
    assert body["review"]["decision"] == "applied"
    assert [reason["code"] for reason in body["reasons"]] == ["mother_young"]


def test_an_application_is_a_decision_in_the_log(charlie, held_birth, young_mother):
    event_review_apply(event=held_birth, actor=charlie, note="checked")

    entry = DecisionEntry.objects.get(kind="event_review", subject="event:birth")
    assert (entry.person_id, entry.decided_by) == (young_mother.pk, f"official:{charlie.pk}")
    assert entry.details["status"] == "applied"
    assert entry.details["held_for"] == ["mother_young"]
    assert entry.details["event"] == held_birth.pk
    assert decision_log_verify().intact


def test_staff_rejecting_with_a_reason_applies_nothing_and_the_institution_reads_why(
    client, charlie, justice, held_birth, young_mother,
):
    client.force_login(charlie)

    response = client.post(reject_url(held_birth), form_data(
        held_birth, reason="The mother's FIN was mistyped; the ward will send it again."))

    assert response.status_code == 302
    body = justice.get(event_url("birth-1")).json()
    assert body["status"] == "rejected"
    assert body["review"]["decision"] == "rejected"
    assert body["review"]["reason"] == "The mother's FIN was mistyped; the ward will send it again."
    assert not Person.objects.filter(fin=CHILD_FIN).exists()
    assert not Award.objects.exists()
    entry = DecisionEntry.objects.get(kind="event_review", subject="event:birth")
    assert (entry.person_id, entry.details["status"]) == (young_mother.pk, "rejected")


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_rejection_without_a_reason_is_refused_and_the_event_stays_held(
    client, charlie, held_birth, reason,
):
    client.force_login(charlie)

    response = client.post(reject_url(held_birth), form_data(held_birth, reason=reason))

    assert response.status_code == 400
    held_birth.refresh_from_db()
    assert held_birth.state == "held"
    assert not DecisionEntry.objects.filter(subject="event:birth").exists()


def test_the_service_refuses_a_rejection_without_a_reason(charlie, held_birth):
    with pytest.raises(DomainError) as refusal:
        event_review_reject(event=held_birth, actor=charlie, reason="  ")

    assert refusal.value.code == "reason_required"


def test_applying_a_second_time_applies_nothing_more(client, charlie, held_birth):
    client.force_login(charlie)
    client.post(apply_url(held_birth), form_data(held_birth, note=""))

    again = client.post(apply_url(held_birth), form_data(held_birth, note=""))

    assert again.status_code == 400
    assert "already been reviewed" in again.content.decode()
    assert Person.objects.filter(fin=CHILD_FIN).count() == 1
    assert Award.objects.count() == 1


def test_a_rejected_event_cannot_be_applied_afterwards(charlie, held_birth):
    event_review_reject(event=held_birth, actor=charlie, reason="wrong mother")

    with pytest.raises(DomainError) as refusal:
        event_review_apply(event=held_birth, actor=charlie)

    assert refusal.value.code == "event_not_held"
    assert not Person.objects.filter(fin=CHILD_FIN).exists()


def test_an_event_impossible_by_the_time_of_review_is_refused_and_stays_held(
    justice, charlie, make_person,
):
    # A 17-year-old's marriage just before the lowering of the marriage age was repealed...
    married = dt.date(2025, 6, 30)
    make_person(fin="4BRD017", birth_date=anniversary(married, -17))
    make_person(fin="4GRM001", sex="M", first_name="Orxan")
    make_person(fin="4XTH001", first_name="Səbinə")
    justice.post(EVENTS_URL, event("m-1", "marriage", {"spouse_fins": ["4BRD017", "4GRM001"]},
                                   married), format="json")
    # ...while the groom has since married someone else.
    assert justice.post(EVENTS_URL, event("m-2", "marriage",
                                          {"spouse_fins": ["4GRM001", "4XTH001"]}),
                        format="json").status_code == 201
    held = InboundEvent.objects.get(event_id="m-1")

    with pytest.raises(DomainError) as refusal:
        event_review_apply(event=held, actor=charlie)

    assert refusal.value.code == "already_married"
    held.refresh_from_db()
    assert held.state == "held"
    assert FamilyRelation.objects.filter(person__fin="4BRD017").count() == 0


def test_a_held_marriage_applied_by_staff_records_the_spouses(justice, charlie, make_person):
    married = dt.date(2025, 6, 30)
    bride = make_person(fin="4BRD017", birth_date=anniversary(married, -17))
    groom = make_person(fin="4GRM001", sex="M", first_name="Orxan")
    justice.post(EVENTS_URL, event("m-1", "marriage", {"spouse_fins": ["4BRD017", "4GRM001"]},
                                   married), format="json")

    applied = event_review_apply(event=InboundEvent.objects.get(event_id="m-1"), actor=charlie)

    assert applied.people == [bride.pk, groom.pk]
    assert FamilyRelation.objects.filter(person=bride, relative=groom, kind="spouse",
                                         since=married).exists()


def test_a_held_disability_finding_applied_by_staff_keeps_its_dates(justice, charlie, mother):
    found = today() - dt.timedelta(days=10)
    valid_until = anniversary(found, 7)
    justice.post(EVENTS_URL, event("msec-1", "disability",
                                   {"fin": mother.fin, "percent": 85,
                                    "valid_until": valid_until.isoformat()}, found),
                 format="json")

    event_review_apply(event=InboundEvent.objects.get(event_id="msec-1"), actor=charlie)

    status = mother.disability_statuses.get()
    assert (status.determined_on, status.valid_until, status.percent) == (found, valid_until, 85)


# --- the queue ------------------------------------------------------------------------------


def test_the_queue_lists_held_events_oldest_first_with_their_reasons_and_data(
    client, charlie, justice, held_birth, mother, father,
):
    justice.post(EVENTS_URL, event("d-1", "death", {"fin": father.fin},
                                   today() - dt.timedelta(days=400)), format="json")
    justice.post(EVENTS_URL, birth_event("birth-ok", child_fin="2CHD009"), format="json")
    client.force_login(charlie)

    response = client.get(QUEUE_URL)

    assert response.status_code == 200
    page = response.content.decode()
    assert page.index(YOUNG_MOTHER_FIN) < page.index(father.fin)
    assert "births to mothers under 14 are checked by staff" in page
    assert "deaths reported more than 365 days late" in page
    assert "Aylin" in page  # the child's name as reported
    assert "2CHD009" not in page  # applied at once: not waiting


def test_opening_the_queue_is_in_the_access_log_of_the_people_it_names(client, charlie,
                                                                       held_birth,
                                                                       young_mother):
    client.force_login(charlie)

    client.get(QUEUE_URL)

    record = AccessRecord.objects.get(person=young_mother)
    assert (record.actor, record.channel, record.what) == (charlie, "backoffice",
                                                           "registry_record")


def test_a_reviewed_event_shows_the_decision_and_no_forms(client, charlie, held_birth):
    event_review_reject(event=held_birth, actor=charlie, reason="mistyped FIN")
    client.force_login(charlie)

    response = client.get(reverse("bridge_review:event", args=[held_birth.pk]))

    assert response.status_code == 200
    page = response.content.decode()
    assert "mistyped FIN" in page
    assert reject_url(held_birth) not in page


def test_an_administrator_may_review(client, administrator, held_birth):
    client.force_login(administrator)

    assert client.get(QUEUE_URL).status_code == 200
    response = client.post(reject_url(held_birth), form_data(held_birth, reason="duplicate"))

    assert response.status_code == 302


@pytest.mark.parametrize("role", ["alice", "agent", "expert"])
def test_other_roles_get_403_and_cannot_decide(request, client, held_birth, role):
    client.force_login(request.getfixturevalue(role))

    assert client.get(QUEUE_URL).status_code == 403
    assert client.post(apply_url(held_birth), form_data(held_birth, note="")).status_code == 403
    held_birth.refresh_from_db()
    assert held_birth.state == "held"


def test_an_anonymous_visitor_is_sent_to_sign_in(client, held_birth):
    response = client.get(QUEUE_URL)

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


# --- two officers at once -------------------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_officers_applying_at_once_apply_only_once(make_person, monkeypatch):
    mother = make_person(fin=YOUNG_MOTHER_FIN, phone="+994501230012",
                         birth_date=anniversary(today(), -12))
    token, _raw = institution_token_create(name=JUSTICE, scopes=[Scope.EVENTS_WRITE])
    first_officer = User.objects.create_user(username="officer1", role=Role.STAFF)
    second_officer = User.objects.create_user(username="officer2", role=Role.STAFF)
    born = today() - dt.timedelta(days=1)
    held, _created = event_receive(
        institution=token.institution, event_id="birth-1", type="birth", occurred_on=born,
        data={"child": {"fin": CHILD_FIN, "first_name": "Aylin", "last_name": "Əliyeva",
                        "sex": "F", "birth_date": born},
              "mother_fin": mother.fin, "father_fin": None})
    assert held.state == "held"

    # Hold the first officer inside the transaction, after the event row is locked.
    applying, release = threading.Event(), threading.Event()
    engine = services.entitlements_for_people

    def held_engine(**kwargs: Any) -> int:
        applying.set()
        release.wait(WAIT_SECONDS)
        return engine(**kwargs)

    monkeypatch.setattr(services, "entitlements_for_people", held_engine)
    first_results: list[Any] = []
    second_results: list[Any] = []
    first = in_thread(lambda: event_review_apply(event=held, actor=first_officer),
                      first_results)
    try:
        assert applying.wait(WAIT_SECONDS)
        second = in_thread(lambda: event_review_apply(event=held, actor=second_officer),
                           second_results)
        assert someone_comes_to_wait_on_a_lock(), "the second officer should wait for the first"
    finally:
        release.set()
        first.join(WAIT_SECONDS)
    second.join(WAIT_SECONDS)

    [applied] = first_results
    [refusal] = second_results
    assert applied.state == "applied"
    assert isinstance(refusal, DomainError)
    assert refusal.code == "event_not_held"
    assert Person.objects.filter(fin=CHILD_FIN).count() == 1
    assert Award.objects.count() == 1
    held.refresh_from_db()
    assert held.reviewed_by == first_officer
