"""Requests for rehabilitation aids: who may ask, the steps staff take, and what each leaves."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from disability.models import AidItem, AidRequest, AidRequestState, AidRequestStep
from disability.services.aids import (
    aid_request_approve,
    aid_request_create,
    aid_request_deliver,
    aid_request_refuse,
    aid_request_return,
)
from dost.audit.models import AccessRecord, DecisionEntry, DecisionKind
from dost.errors import DomainError
from dost.notifications.models import SmsMessage
from dost.notifications.templates import render_message
from tests.disability.register_data import delivered, enter, item

State = AidRequestState


@pytest.fixture
def today() -> dt.date:
    return timezone.localdate()


@pytest.fixture
def disabled(alice, today):
    """Alice, with a degree II finding (70 %) in force for two more years."""
    enter(alice.person, determined_on=today - dt.timedelta(days=30),
          next_assessment_on=today + dt.timedelta(days=700), percent=70)
    return alice.person


def refusal_code(**kwargs) -> str:
    with pytest.raises(DomainError) as refused:
        aid_request_create(**kwargs)
    return refused.value.code


# --- the citizen's request ------------------------------------------------------------------


def test_request_writes_the_request_and_its_first_step(disabled):
    request = aid_request_create(person=disabled, item=item("wheelchair"))

    assert (request.state, request.status.percent) == (State.REQUESTED, 70)
    assert [step.state for step in request.steps.all()] == [State.REQUESTED]


def test_request_without_a_finding_is_refused(alice):
    assert refusal_code(person=alice.person, item=item("crutches")) == "no_finding"
    assert not AidRequest.objects.exists()


def test_request_with_a_finding_expired_is_refused(alice, today):
    enter(alice.person, determined_on=today - dt.timedelta(days=800),
          next_assessment_on=today, percent=70)

    assert refusal_code(person=alice.person, item=item("crutches")) == "no_finding"


def test_request_with_a_finding_not_yet_started_is_refused(alice, today):
    enter(alice.person, determined_on=today + dt.timedelta(days=1),
          next_assessment_on=today + dt.timedelta(days=400), percent=70)

    assert refusal_code(person=alice.person, item=item("crutches")) == "no_finding"


def test_request_below_the_items_minimum_is_refused(disabled):
    braille = item("braille-display")
    assert braille.minimum_percent == 81

    assert refusal_code(person=disabled, item=braille) == "below_minimum"
    assert not AidRequest.objects.exists()


def test_request_at_exactly_the_minimum_is_accepted(alice, today):
    enter(alice.person, determined_on=today, next_assessment_on=today + dt.timedelta(days=400),
          percent=61)

    assert aid_request_create(person=alice.person, item=item("wheelchair")).pk


def test_a_second_request_while_the_first_is_open_is_refused(disabled):
    aid_request_create(person=disabled, item=item("crutches"))

    assert refusal_code(person=disabled, item=item("crutches")) == "already_requested"
    assert AidRequest.objects.count() == 1


def test_another_item_may_be_requested_at_the_same_time(disabled):
    aid_request_create(person=disabled, item=item("crutches"))

    assert aid_request_create(person=disabled, item=item("white-cane")).pk


def test_a_replacement_within_the_service_life_is_refused(disabled):
    crutches = item("crutches")
    delivered(disabled, crutches, at=timezone.now() - dt.timedelta(days=365))

    with pytest.raises(DomainError) as refused:
        aid_request_create(person=disabled, item=crutches)

    assert refused.value.code == "too_soon"
    assert AidRequest.objects.count() == 1


def test_a_replacement_once_the_service_life_is_over_is_accepted(disabled, today):
    crutches = item("crutches")
    delivered(disabled, crutches,
              at=timezone.now() - dt.timedelta(days=365 * crutches.service_years + 2))

    request = aid_request_create(person=disabled, item=crutches)

    assert request.state == State.REQUESTED


def test_a_returned_item_does_not_delay_a_new_request(disabled, charlie):
    wheelchair = item("wheelchair")
    held = delivered(disabled, wheelchair, at=timezone.now() - dt.timedelta(days=30))
    aid_request_return(request=held, actor=charlie)

    assert aid_request_create(person=disabled, item=wheelchair).pk


def test_an_item_no_longer_offered_is_refused(disabled):
    crutches = item("crutches")
    AidItem.objects.filter(pk=crutches.pk).update(active=False)
    crutches.refresh_from_db()

    assert refusal_code(person=disabled, item=crutches) == "not_offered"


def test_refusal_messages_are_in_the_users_language(alice):
    with translation.override("en"), pytest.raises(DomainError) as refused:
        aid_request_create(person=alice.person, item=item("crutches"))

    assert "disability finding in force" in refused.value.message


# --- staff steps ----------------------------------------------------------------------------


@pytest.fixture
def requested(disabled) -> AidRequest:
    return aid_request_create(person=disabled, item=item("wheelchair"))


def states(request: AidRequest) -> list[str]:
    return list(request.steps.order_by("at", "id").values_list("state", flat=True))


def test_approval_is_a_step_an_sms_and_a_decision(requested, charlie):
    aid_request_approve(request=requested, actor=charlie, note="From the Baku stock.")

    requested.refresh_from_db()
    assert requested.state == State.APPROVED
    assert states(requested) == [State.REQUESTED, State.APPROVED]
    step = requested.steps.get(state=State.APPROVED)
    assert (step.by, step.note) == (charlie, "From the Baku stock.")
    sms = SmsMessage.objects.get(dedupe_key=f"disability-aid-{requested.pk}-approved")
    assert "“Wheelchair” has been approved" in render_message(sms.template, sms.context, "en")
    decision = DecisionEntry.objects.get(subject=f"aid-request:{requested.pk}")
    assert (decision.kind, decision.person_id, decision.decided_by) == (
        DecisionKind.AID, requested.person_id, f"user:{charlie.pk}")
    assert decision.details["decision"] == "approved"


def test_refusal_needs_a_reason(requested, charlie):
    with pytest.raises(DomainError) as refused:
        aid_request_refuse(request=requested, actor=charlie, reason="  ")

    assert refused.value.code == "reason_required"
    requested.refresh_from_db()
    assert requested.state == State.REQUESTED
    assert not DecisionEntry.objects.filter(subject=f"aid-request:{requested.pk}").exists()


def test_refusal_records_the_reason_for_the_citizen(requested, charlie):
    aid_request_refuse(request=requested, actor=charlie, reason="Out of stock until June.")

    requested.refresh_from_db()
    assert requested.state == State.REFUSED
    assert requested.steps.get(state=State.REFUSED).note == "Out of stock until June."
    decision = DecisionEntry.objects.get(subject=f"aid-request:{requested.pk}")
    assert decision.details["note"] == "Out of stock until June."


def test_a_refused_item_may_be_requested_again(requested, charlie, disabled):
    aid_request_refuse(request=requested, actor=charlie, reason="Out of stock.")

    assert aid_request_create(person=disabled, item=item("wheelchair")).pk


def test_delivery_and_return_of_a_returnable_item(requested, charlie):
    aid_request_approve(request=requested, actor=charlie)
    aid_request_deliver(request=requested, actor=charlie)
    aid_request_return(request=requested, actor=charlie)

    requested.refresh_from_db()
    assert requested.state == State.RETURNED
    assert states(requested) == [State.REQUESTED, State.APPROVED, State.DELIVERED,
                                 State.RETURNED]
    assert SmsMessage.objects.filter(template="disability_aid_step").count() == 3
    # Only approvals and refusals are decisions.
    assert DecisionEntry.objects.filter(subject=f"aid-request:{requested.pk}").count() == 1


@pytest.mark.parametrize(("step", "from_state"), [
    (aid_request_deliver, State.REQUESTED),
    (aid_request_return, State.APPROVED),
    (aid_request_approve, State.APPROVED),
    (aid_request_approve, State.REFUSED),
    (aid_request_deliver, State.DELIVERED),
    (aid_request_approve, State.RETURNED),
])
def test_a_step_not_allowed_from_the_current_state_is_refused(requested, charlie, step,
                                                             from_state):
    AidRequest.objects.filter(pk=requested.pk).update(state=from_state)
    steps_before = AidRequestStep.objects.count()

    with pytest.raises(DomainError) as refused:
        step(request=requested, actor=charlie)

    assert refused.value.code == "step_not_allowed"
    requested.refresh_from_db()
    assert requested.state == from_state
    assert AidRequestStep.objects.count() == steps_before


def test_an_item_that_is_not_returnable_cannot_be_returned(disabled, charlie):
    crutches = item("crutches")
    assert not crutches.returnable
    held = delivered(disabled, crutches, at=timezone.now())

    with pytest.raises(DomainError) as refused:
        aid_request_return(request=held, actor=charlie)

    assert refused.value.code == "not_returnable"
    held.refresh_from_db()
    assert held.state == State.DELIVERED


def test_a_step_judges_the_current_state_not_the_callers_copy(requested, charlie):
    stale = AidRequest.objects.get(pk=requested.pk)
    aid_request_refuse(request=requested, actor=charlie, reason="Out of stock.")

    with pytest.raises(DomainError):
        aid_request_approve(request=stale, actor=charlie)

    requested.refresh_from_db()
    assert requested.state == State.REFUSED


# --- the citizen's pages --------------------------------------------------------------------


def test_catalogue_lists_every_category_with_a_request_button(client, alice):
    client.force_login(alice)

    response = client.get(reverse("disability:aids"), HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    for name in ("Wheelchair", "Bath chair", "White cane", "Hearing aid",
                 "Communication board"):
        assert name in response.content.decode()
    assert reverse("disability:aid_request", args=["wheelchair"]) in response.content.decode()


def test_catalogue_names_follow_the_language(client, alice):
    client.force_login(alice)

    response = client.get(reverse("disability:aids"), HTTP_ACCEPT_LANGUAGE="ru")

    assert "Кресло-коляска" in response.content.decode()


def test_requesting_from_the_page_creates_the_request(client, alice, disabled):
    client.force_login(alice)

    response = client.post(reverse("disability:aid_request", args=["crutches"]),
                           HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 302
    assert AidRequest.objects.get().item.code == "crutches"
    page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Your request for “Crutches” has been sent." in page


def test_a_refused_request_from_the_page_says_why_and_changes_nothing(client, alice):
    client.force_login(alice)

    response = client.post(reverse("disability:aid_request", args=["crutches"]),
                           HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    assert "disability finding in force" in response.content.decode()
    assert not AidRequest.objects.exists()


def test_an_unknown_item_is_not_found(client, alice, disabled):
    client.force_login(alice)

    response = client.post(reverse("disability:aid_request", args=["jetpack"]))

    assert response.status_code == 404


def test_requesting_by_get_is_not_allowed(client, alice, disabled):
    client.force_login(alice)

    response = client.get(reverse("disability:aid_request", args=["crutches"]))

    assert response.status_code == 405
    assert not AidRequest.objects.exists()


# --- the back-office pages ------------------------------------------------------------------


def test_staff_list_of_requests_logs_each_person_listed(client, charlie, requested):
    client.force_login(charlie)

    response = client.get(reverse("disability_backoffice:aid_requests"),
                          HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert requested.person.fin in response.content.decode()
    assert AccessRecord.objects.filter(person=requested.person, actor=charlie).count() == 1


def test_staff_list_filters_by_state(client, charlie, requested, bob, today):
    enter(bob.person, determined_on=today, next_assessment_on=None, percent=90)
    approved = aid_request_create(person=bob.person, item=item("white-cane"))
    aid_request_approve(request=approved, actor=charlie)
    client.force_login(charlie)

    response = client.get(reverse("disability_backoffice:aid_requests"), {"state": "approved"})

    page = response.content.decode()
    assert bob.person.fin in page
    assert requested.person.fin not in page


def test_opening_a_request_logs_the_look_at_the_person(client, charlie, requested):
    client.force_login(charlie)

    response = client.get(reverse("disability_backoffice:aid_request", args=[requested.pk]),
                          HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert "Approve" in response.content.decode()
    assert "Record the return" not in response.content.decode()
    [record] = AccessRecord.objects.filter(person=requested.person)
    assert record.actor == charlie


def test_staff_approve_from_the_page(client, charlie, requested):
    client.force_login(charlie)

    response = client.post(
        reverse("disability_backoffice:aid_request_step", args=[requested.pk, "approve"]),
        {"approve-note": "Ready next week."})

    assert response.status_code == 302
    requested.refresh_from_db()
    assert requested.state == State.APPROVED
    assert requested.steps.get(state=State.APPROVED).note == "Ready next week."


def test_staff_refuse_without_a_reason_is_told_and_changes_nothing(client, charlie, requested):
    client.force_login(charlie)

    response = client.post(
        reverse("disability_backoffice:aid_request_step", args=[requested.pk, "refuse"]),
        {"refuse-note": ""}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    assert "Give the reason for the refusal" in response.content.decode()
    requested.refresh_from_db()
    assert requested.state == State.REQUESTED


def test_staff_step_not_allowed_any_more_is_told(client, charlie, requested):
    aid_request_refuse(request=requested, actor=charlie, reason="Out of stock.")
    client.force_login(charlie)

    response = client.post(
        reverse("disability_backoffice:aid_request_step", args=[requested.pk, "approve"]),
        HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    assert "cannot be made" in response.content.decode()
    requested.refresh_from_db()
    assert requested.state == State.REFUSED


def test_an_unknown_step_is_not_found(client, charlie, requested):
    client.force_login(charlie)

    response = client.post(
        reverse("disability_backoffice:aid_request_step", args=[requested.pk, "sell"]))

    assert response.status_code == 404


def test_a_citizen_cannot_reach_the_staff_pages(client, alice, requested):
    client.force_login(alice)

    for url in (reverse("disability_backoffice:aid_requests"),
                reverse("disability_backoffice:aid_request", args=[requested.pk])):
        assert client.get(url).status_code == 403
    response = client.post(
        reverse("disability_backoffice:aid_request_step", args=[requested.pk, "approve"]))
    assert response.status_code == 403
    requested.refresh_from_db()
    assert requested.state == State.REQUESTED


def test_staff_list_of_requests_costs_the_same_queries_for_more(client, charlie, requested,
                                                                 bob, today):
    client.force_login(charlie)
    url = reverse("disability_backoffice:aid_requests")
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    enter(bob.person, determined_on=today, next_assessment_on=None, percent=90)
    for code in ("white-cane", "magnifier", "hearing-aid"):
        aid_request_create(person=bob.person, item=item(code))

    with CaptureQueriesContext(connection) as more:
        client.get(url)

    assert len(more) == len(few)
