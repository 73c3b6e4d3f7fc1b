"""The 142 line's voice menu, driven as Twilio drives it: signed webhooks answered with TwiML."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from decimal import Decimal
from urllib.parse import urlencode

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from twilio.request_validator import RequestValidator

from callcentre.ivr import prompts
from callcentre.models import IvrCall, IvrHandover, IvrStep
from callcentre.tasks import forget_ended_ivr_calls
from dost.accounts.models import PhonePin, Role
from dost.accounts.phone_pin import phone_pin_set
from dost.applications.services import application_submit
from dost.applications.statuses import Status as ApplicationStatus
from dost.audit.models import AccessRecord, Channel, Subject
from dost.centres.models import Service
from dost.equeue.services import booking_create
from dost.formatting import format_date
from dost.payments.models import Payment, PaymentSchedule
from dost.payments.services import payments_plan_month
from dost.registry.models import DisabilityStatus
from tests.conftest import _staff
from tests.documents import pdf_bytes
from tests.security.world import _employ, _first_slot

TOKEN = "ivr-test-auth-token"
CALL = "CA" + "1" * 32
PIN = "2580"
WRONG_PIN = "7391"
ALICE_KEYS = "5252731"  # 5ALC7E1 on the keypad
LANGUAGE_KEY = {"az": "1", "en": "2", "ru": "3"}
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _twilio_token(settings):
    settings.TWILIO_AUTH_TOKEN = TOKEN
    settings.IVR_AGENT_QUEUE = "142-agents"


def _post(client, name: str, params: dict[str, str], signature: str | None):
    headers = {} if signature is None else {"HTTP_X_TWILIO_SIGNATURE": signature}
    return client.post(reverse(f"callcentre:{name}"), urlencode(params),
                       content_type="application/x-www-form-urlencoded", **headers)


def twilio(client, name: str, *, call: str = CALL, **fields: str):
    """A request of Twilio's to the step ``name``, signed as Twilio signs it."""
    params = {"CallSid": call, "AccountSid": "AC" + "0" * 32, "From": "+994501112233",
              "To": "+994124142142", **fields}
    url = f"http://testserver{reverse(f'callcentre:{name}')}"
    return _post(client, name, params, RequestValidator(TOKEN).compute_signature(url, params))


def twiml(response) -> ET.Element:
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/xml")
    return ET.fromstring(response.content)  # noqa: S314 - our own answer, in a test


def said(response) -> str:
    """Everything the answer says, in order."""
    return " ".join(say.text or "" for say in twiml(response).iter("Say"))


def voices(response) -> set[str]:
    return {say.get("language") for say in twiml(response).iter("Say")}


def gather(response) -> ET.Element:
    [element] = twiml(response).iter("Gather")
    return element


def call_state(call: str = CALL) -> IvrCall:
    return IvrCall.objects.get(call_sid=call)


def to_pin(client, *, language: str = "en", call: str = CALL, **fin: str):
    twilio(client, "ivr_start", call=call)
    twilio(client, "ivr_language", call=call, Digits=LANGUAGE_KEY[language])
    return twilio(client, "ivr_fin", call=call, **(fin or {"Digits": ALICE_KEYS}))


def identified(client, *, language: str = "en", call: str = CALL, pin: str = PIN):
    to_pin(client, language=language, call=call)
    return twilio(client, "ivr_pin", call=call, Digits=pin)


@pytest.fixture
def alices_pin(alice) -> PhonePin:
    return phone_pin_set(person=alice.person, pin=PIN)


# --- Twilio's signature ------------------------------------------------------------------------

STEPS = ["ivr_start", "ivr_language", "ivr_fin", "ivr_pin", "ivr_menu"]


@pytest.mark.parametrize("name", STEPS)
def test_a_request_without_a_signature_is_refused_and_changes_nothing(client, name):
    response = _post(client, name, {"CallSid": CALL, "Digits": "1"}, signature=None)

    assert response.status_code == 403
    assert not IvrCall.objects.exists()


@pytest.mark.parametrize("name", STEPS)
def test_a_request_with_a_wrong_signature_is_refused_and_changes_nothing(client, name):
    params = {"CallSid": CALL, "Digits": "1"}
    url = f"http://testserver{reverse(f'callcentre:{name}')}"
    forged = RequestValidator("not-our-token").compute_signature(url, params)

    assert _post(client, name, params, signature=forged).status_code == 403
    # Signed for other values than those posted.
    signed_for_two = RequestValidator(TOKEN).compute_signature(url, {**params, "Digits": "2"})
    assert _post(client, name, params, signature=signed_for_two).status_code == 403
    assert not IvrCall.objects.exists()


def test_without_our_twilio_token_every_request_is_refused(client, settings):
    settings.TWILIO_AUTH_TOKEN = ""
    url = f"http://testserver{reverse('callcentre:ivr_start')}"
    params = {"CallSid": CALL}

    response = _post(client, "ivr_start", params,
                     RequestValidator("").compute_signature(url, params))

    assert response.status_code == 403
    assert not IvrCall.objects.exists()


def test_a_signed_request_is_answered_with_the_language_menu(client):
    response = twilio(client, "ivr_start")

    menu = gather(response)
    assert menu.get("action") == reverse("callcentre:ivr_language")
    assert menu.get("actionOnEmptyResult") == "true"
    assert voices(response) == {"tr-TR", "en-GB", "ru-RU"}
    assert "To continue in English, press 2." in said(response)
    assert call_state().step == IvrStep.LANGUAGE


def test_twilio_needs_no_csrf_token_where_every_other_post_does(db):
    # Twilio's requests carry no CSRF cookie: these views alone are exempt.
    strict = Client(enforce_csrf_checks=True)

    assert twilio(strict, "ivr_start").status_code == 200
    assert strict.post(reverse("esocial:phone_pin"), {"pin": PIN}).status_code == 403


def test_a_signed_request_naming_no_call_is_refused(client):
    url = f"http://testserver{reverse('callcentre:ivr_start')}"
    params = {"AccountSid": "AC" + "0" * 32}

    response = _post(client, "ivr_start", params,
                     RequestValidator(TOKEN).compute_signature(url, params))

    assert response.status_code == 400
    assert not IvrCall.objects.exists()


def test_twilio_is_answered_only_by_post(client):
    assert client.get(reverse("callcentre:ivr_start")).status_code == 405


# --- the language menu -------------------------------------------------------------------------


@pytest.mark.parametrize("digits", ["", "7", "12", "*"])
def test_no_language_chosen_asks_again_and_changes_nothing(client, digits):
    twilio(client, "ivr_start")

    response = twilio(client, "ivr_language", Digits=digits)

    assert "We did not get your choice." in said(response)
    assert gather(response).get("action") == reverse("callcentre:ivr_language")
    state = call_state()
    assert (state.step, state.language) == (IvrStep.LANGUAGE, "")


def test_the_chosen_language_asks_for_the_fin_by_voice_or_keys(client):
    twilio(client, "ivr_start")

    response = twilio(client, "ivr_language", Digits="2")

    question = gather(response)
    assert question.get("input") == "dtmf speech"
    assert question.get("language") == "en-GB"
    assert question.get("numDigits") == "7"
    assert question.get("action") == reverse("callcentre:ivr_fin")
    assert "Say your FIN" in said(response)
    assert voices(response) == {"en-GB"}
    assert (call_state().step, call_state().language) == (IvrStep.FIN, "en")


def test_azerbaijani_is_spoken_with_the_closest_voice_and_heard_as_azerbaijani(client):
    twilio(client, "ivr_start")

    response = twilio(client, "ivr_language", Digits="1")

    assert voices(response) == {"tr-TR"}
    assert gather(response).get("language") == "az-AZ"


# --- the FIN -----------------------------------------------------------------------------------


@pytest.mark.parametrize("fin", [
    {"Digits": ALICE_KEYS},
    {"SpeechResult": "5ALC7E1"},
    {"SpeechResult": "5 a l c 7 e 1."},
    {"SpeechResult": "five A L C seven E one"},
    {"SpeechResult": "beş A L C yeddi E bir"},
    {"SpeechResult": "пять А L С семь Е один"},  # Cyrillic А, С and Е
])
def test_the_fin_keyed_or_said_leads_to_the_pin(client, alices_pin, fin):
    response = to_pin(client, **fin)

    assert "Key your phone PIN" in said(response)
    question = gather(response)
    assert (question.get("input"), question.get("finishOnKey")) == ("dtmf", "#")
    assert call_state().step == IvrStep.PIN


@pytest.mark.parametrize(("fin", "told"), [
    ({}, "We did not hear anything."),
    ({"SpeechResult": "my fin is lost"}, "That was not a FIN."),
    ({"Digits": "52527"}, "That was not a FIN."),
    ({"Digits": "52527*1"}, "That was not a FIN."),
    ({"SpeechResult": "9ZZZZZ9"}, "We found no one with that FIN."),
    ({"Digits": "9999999"}, "We found no phone PIN for that FIN."),
])
def test_an_unusable_fin_is_asked_for_again_and_nothing_changes(client, alices_pin, fin, told):
    twilio(client, "ivr_start")
    twilio(client, "ivr_language", Digits="2")

    response = twilio(client, "ivr_fin", **fin)

    assert told in said(response)
    assert "Say your FIN" in said(response)
    state = call_state()
    assert (state.step, state.person, state.fin_given) == (IvrStep.FIN, None, "")
    assert not AccessRecord.objects.exists()
    alices_pin.refresh_from_db()
    assert alices_pin.failed_attempts == 0


def test_a_caller_who_set_no_pin_is_told_to_set_one_on_the_portal(client, alice):
    response = to_pin(client, SpeechResult=alice.person.fin)

    assert "You have not set a phone PIN yet. Set one on the e-Social portal" in said(response)
    assert call_state().step == IvrStep.FIN


def test_three_unusable_fins_put_the_caller_through_to_an_agent(client):
    twilio(client, "ivr_start")
    twilio(client, "ivr_language", Digits="2")
    for _try in range(2):
        twilio(client, "ivr_fin", SpeechResult="nonsense")

    response = twilio(client, "ivr_fin", SpeechResult="nonsense")

    assert "We could not identify you." in said(response)
    assert [queue.text for queue in twiml(response).iter("Enqueue")] == ["142-agents"]
    handover = IvrHandover.objects.get()
    assert (handover.call_sid, handover.person) == (CALL, None)


def test_a_locked_fin_is_told_so_at_once(client, alices_pin):
    PhonePin.objects.filter(pk=alices_pin.pk).update(locked_at=timezone.now(),
                                                     failed_attempts=3)

    response = to_pin(client)

    assert "Your phone PIN is locked after three wrong tries." in said(response)
    assert call_state().step == IvrStep.FIN


# --- the PIN -----------------------------------------------------------------------------------


def test_the_right_pin_identifies_the_caller_and_reads_the_menu(client, alice, alices_pin):
    response = identified(client)

    assert "Thank you, Alica." in said(response)
    assert "For the status of your applications, press 1." in said(response)
    assert gather(response).get("action") == reverse("callcentre:ivr_menu")
    state = call_state()
    assert (state.step, state.person) == (IvrStep.MENU, alice.person)


def test_identification_is_in_the_citizens_access_log_as_their_own_call(client, alice,
                                                                        alices_pin):
    identified(client)

    record = AccessRecord.objects.get(person=alice.person)
    assert (record.channel, record.what, record.actor) == (Channel.IVR, Subject.CITIZEN_VIEW,
                                                           alice)
    client.force_login(alice)
    log = client.get(reverse("esocial:access_log"), **EN).content.decode()
    assert "you, by phone (142 automated line)" in log
    # The reason in the citizen's own language (Azerbaijani), whatever the call's was.
    with translation.override(alice.person.language):
        reason = translation.gettext("You called the 142 line and identified yourself with "
                                     "your FIN and phone PIN.")
    assert record.reason == reason
    assert reason in log


def test_a_wrong_pin_says_how_many_tries_are_left(client, alices_pin):
    to_pin(client)

    response = twilio(client, "ivr_pin", Digits=WRONG_PIN)

    assert "That PIN is wrong. You have 2 more tries." in said(response)
    assert call_state().step == IvrStep.PIN
    alices_pin.refresh_from_db()
    assert alices_pin.failed_attempts == 1


@pytest.mark.parametrize(("digits", "told"), [
    ("", "We did not hear anything."),
    ("12", "A phone PIN has four to six digits."),
    ("1234567", "A phone PIN has four to six digits."),
])
def test_no_pin_or_a_malformed_one_asks_again_and_costs_no_try(client, alices_pin, digits, told):
    to_pin(client)

    response = twilio(client, "ivr_pin", Digits=digits)

    assert told in said(response)
    assert "Key your phone PIN" in said(response)
    alices_pin.refresh_from_db()
    assert (alices_pin.failed_attempts, alices_pin.locked_at) == (0, None)
    assert call_state().person is None


def test_three_wrong_pins_lock_the_fin_and_the_right_one_is_then_refused(client, alice,
                                                                        alices_pin):
    # A second call that reached the PIN before the lock.
    to_pin(client, call="CA-second")
    to_pin(client)
    twilio(client, "ivr_pin", Digits=WRONG_PIN)
    twilio(client, "ivr_pin", Digits=WRONG_PIN)

    third = twilio(client, "ivr_pin", Digits=WRONG_PIN)

    assert "Your phone PIN is locked after three wrong tries." in said(third)
    alices_pin.refresh_from_db()
    assert alices_pin.locked
    fourth = twilio(client, "ivr_pin", call="CA-second", Digits=PIN)
    assert "Your phone PIN is locked" in said(fourth)
    assert "Thank you" not in said(fourth)
    assert IvrCall.objects.get(call_sid="CA-second").person is None
    next_call = to_pin(client, call="CA-third")
    assert "Your phone PIN is locked" in said(next_call)
    assert not AccessRecord.objects.filter(person=alice.person).exists()


def test_a_new_pin_on_the_portal_unlocks_the_phone_line(client, alice, alices_pin):
    to_pin(client)
    for _try in range(3):
        twilio(client, "ivr_pin", Digits=WRONG_PIN)
    client.force_login(alice)
    assert client.post(reverse("esocial:phone_pin"),
                       {"pin": "8520", "pin_again": "8520"}).status_code == 302
    client.logout()

    response = identified(client, call="CA-after", pin="8520")

    assert "Thank you, Alica." in said(response)


def test_the_menu_is_not_reached_without_the_pin(client, alice, alices_pin):
    to_pin(client)

    response = twilio(client, "ivr_menu", Digits="3")

    # Asked for the PIN again, and nothing of alice's is read out.
    assert "Key your phone PIN" in said(response)
    assert "payment" not in said(response).lower()
    assert call_state().person is None


def test_a_call_the_menu_does_not_know_starts_at_the_language_choice(client):
    response = twilio(client, "ivr_menu", call="CA-unknown", Digits="1")

    assert gather(response).get("action") == reverse("callcentre:ivr_language")
    assert IvrCall.objects.get(call_sid="CA-unknown").step == IvrStep.LANGUAGE


def test_a_call_past_its_time_is_ended_and_forgets_the_caller(client, alices_pin):
    identified(client)
    IvrCall.objects.filter(call_sid=CALL).update(
        started_at=timezone.now() - dt.timedelta(hours=2))

    response = twilio(client, "ivr_menu", Digits="1")

    assert list(twiml(response).iter("Hangup"))
    state = call_state()
    assert (state.step, state.person) == (IvrStep.ENDED, None)


# --- the main menu -----------------------------------------------------------------------------


@pytest.fixture
def alices_case(alice, alices_pin, settings, tmp_path):
    """Alice's application, disability finding, payments and next centre visit."""
    settings.MEDIA_ROOT = tmp_path / "media"
    person = alice.person
    today = timezone.localdate()
    _employ(person)
    application = application_submit(
        person=person, type_code="pension_recalculation",
        data={"reason": "service_missing", "details": "A job is missing."},
        files={"document_service_record": SimpleUploadedFile(
            "labour-book.pdf", pdf_bytes(), content_type="application/pdf")},
        submitted_by=alice)
    finding = DisabilityStatus.objects.create(person=person, percent=65,
                                              determined_on=today - dt.timedelta(days=30),
                                              valid_until=today + dt.timedelta(days=335),
                                              source_id="msec")
    this_month = today.replace(day=1)
    last_month = (this_month - dt.timedelta(days=1)).replace(day=1)
    PaymentSchedule.objects.create(person=person, reference="award:ivr-1",
                                   monthly_amount=Decimal("250.00"), starts_on=last_month)
    payments_plan_month(month=last_month)
    payments_plan_month(month=this_month)
    Payment.objects.filter(month=last_month).update(status=Payment.Status.PAID)
    service = Service.objects.filter(bookable=True, active=True).order_by("pk").first()
    booking = booking_create(person_id=person.pk, service_id=service.pk,
                             slot_id=_first_slot(today).pk)
    return {"application": application, "finding": finding, "booking": booking,
            "last_month": last_month, "this_month": this_month}


def test_each_menu_reads_the_callers_own_data_in_english(client, alice, bob, alices_case):
    identified(client)

    applications = said(twilio(client, "ivr_menu", Digits="1"))
    disability = said(twilio(client, "ivr_menu", Digits="2"))
    payments = said(twilio(client, "ivr_menu", Digits="3"))
    visit = said(twilio(client, "ivr_menu", Digits="4"))

    application = alices_case["application"]
    assert f"number {application.reference}: submitted since" in applications
    assert "degree II, 65 percent, since" in disability
    assert f"valid until {format_date(alices_case['finding'].valid_until, language='en')}" \
        in disability
    assert "Your last payment: 250 manat for" in payments
    assert "paid" in payments
    assert "Your next payment: 250 manat for" in payments
    booking = alices_case["booking"]
    assert f"Centre, on {format_date(booking.day, language='en')}" in visit
    assert f"ticket {booking.ticket_code}" in visit
    assert "Nobody is ahead of you in the queue." in visit
    # Every answer ends with the menu again.
    assert visit.endswith("To talk to an agent, press 0.")


def test_the_menu_answers_in_russian(client, alices_case):
    identified(client, language="ru")

    applications = twilio(client, "ivr_menu", Digits="1")
    visit = said(twilio(client, "ivr_menu", Digits="4"))

    assert voices(applications) == {"ru-RU"}
    with translation.override("ru"):
        submitted = str(ApplicationStatus.SUBMITTED.label)
        menu = prompts.main_menu()
    assert alices_case["application"].reference in said(applications)
    assert f"«{submitted}»" in said(applications)
    assert "Центр" in visit
    assert format_date(alices_case["booking"].day, language="ru") in visit
    assert menu in visit
    # The catalogue's Russian, not the English it is kept under.
    assert "Чтобы узнать статус ваших заявлений, нажмите 1." in visit


def test_the_menu_answers_in_azerbaijani(client, alices_case):
    identified(client, language="az")

    response = twilio(client, "ivr_menu", Digits="3")

    assert voices(response) == {"tr-TR"}
    text = said(response)
    assert "250 manat" in text
    assert format_date(alices_case["this_month"], language="az").split()[1] in text
    assert "Son ödənişiniz" in text


def test_the_next_visit_says_how_many_are_ahead_in_the_queue(client, alice, bob, alices_pin):
    slot = _first_slot(timezone.localdate())
    service = Service.objects.filter(bookable=True, active=True).order_by("pk").first()
    booking_create(person_id=bob.person.pk, service_id=service.pk, slot_id=slot.pk)
    booking_create(person_id=alice.person.pk, service_id=service.pk, slot_id=slot.pk)
    identified(client)

    visit = said(twilio(client, "ivr_menu", Digits="4"))

    assert "1 person is ahead of you in the queue." in visit


def test_a_caller_with_nothing_on_record_is_told_so(client, alices_pin):
    identified(client)

    answers = [said(twilio(client, "ivr_menu", Digits=digit)) for digit in "1234"]

    assert "You have no applications." in answers[0]
    assert "You have no disability finding in force." in answers[1]
    assert "You have no payments." in answers[2]
    assert "You have no upcoming visit to a DOST centre." in answers[3]


@pytest.mark.parametrize(("digits", "told"), [("", "We did not hear anything."),
                                              ("7", "That is not on the menu.")])
def test_no_choice_or_one_not_on_the_menu_reads_the_menu_again(client, alices_pin, digits,
                                                                told):
    identified(client)

    response = twilio(client, "ivr_menu", Digits=digits)

    assert told in said(response)
    assert "For the status of your applications, press 1." in said(response)
    assert call_state().step == IvrStep.MENU


def test_a_silent_menu_ends_the_call_after_three_tries(client, alices_pin):
    identified(client)
    for _try in range(2):
        twilio(client, "ivr_menu")

    response = twilio(client, "ivr_menu")

    assert "Goodbye" in said(response)
    assert list(twiml(response).iter("Hangup"))
    assert call_state().step == IvrStep.ENDED


# --- talking to an agent -----------------------------------------------------------------------


def test_zero_puts_the_identified_caller_through_to_the_agents_queue(client, alice, alices_pin):
    identified(client)

    response = twilio(client, "ivr_menu", Digits="0")

    assert "Please hold: we are putting you through to an agent." in said(response)
    assert [queue.text for queue in twiml(response).iter("Enqueue")] == ["142-agents"]
    handover = IvrHandover.objects.get()
    assert (handover.call_sid, handover.person, handover.language, handover.taken_by) == (
        CALL, alice.person, "en", None)
    assert call_state().step == IvrStep.AGENT


def test_an_agents_number_is_dialled(client, settings, alices_pin):
    settings.IVR_AGENT_QUEUE = "+994124142000"
    identified(client)

    response = twilio(client, "ivr_menu", Digits="0")

    assert [dial.text for dial in twiml(response).iter("Dial")] == ["+994124142000"]


def test_the_handover_is_on_the_console_and_taking_it_searches_the_fin(client, agent, alice,
                                                                      alices_pin):
    identified(client)
    twilio(client, "ivr_menu", Digits="0")
    handover = IvrHandover.objects.get()
    client.force_login(agent)

    console = client.get(reverse("callcentre:console"), **EN).content.decode()
    assert "Callers waiting for an agent" in console
    assert "FIN 5A••••1" in console
    assert alice.person.fin not in console
    response = client.post(reverse("callcentre:handover_take", args=[handover.pk]), **EN)

    assert response.status_code == 302
    assert response.url == f"{reverse('callcentre:console')}?q={alice.person.fin}"
    handover.refresh_from_db()
    assert (handover.taken_by, handover.taken_at is not None) == (agent, True)
    page = client.get(response.url, **EN).content.decode()
    # Found by the search, opened only with a reason.
    assert reverse("callcentre:open", args=[alice.person.fin]) in page
    assert "No callers are waiting." in page
    assert not AccessRecord.objects.filter(person=alice.person,
                                           channel=Channel.CALLCENTRE,
                                           what=Subject.CITIZEN_VIEW).exists()


def test_a_handover_is_taken_once(client, agent, alices_pin):
    identified(client)
    twilio(client, "ivr_menu", Digits="0")
    handover = IvrHandover.objects.get()
    client.force_login(agent)
    client.post(reverse("callcentre:handover_take", args=[handover.pk]))
    colleague, _secret = _staff("agent2", Role.AGENT)
    client.force_login(colleague)

    response = client.post(reverse("callcentre:handover_take", args=[handover.pk]), **EN,
                           follow=True)

    assert "Another agent has already taken this caller." in response.content.decode()
    handover.refresh_from_db()
    assert handover.taken_by == agent


def test_an_unknown_handover_is_not_found(client, agent):
    client.force_login(agent)

    assert client.post(reverse("callcentre:handover_take", args=[999])).status_code == 404


def test_an_unidentified_callers_handover_opens_the_console_without_a_search(client, agent):
    twilio(client, "ivr_start")
    twilio(client, "ivr_language", Digits="2")
    twilio(client, "ivr_fin", Digits="0")
    handover = IvrHandover.objects.get()
    client.force_login(agent)

    assert "not identified" in client.get(reverse("callcentre:console"), **EN).content.decode()
    response = client.post(reverse("callcentre:handover_take", args=[handover.pk]))
    assert response.url == reverse("callcentre:console")


@pytest.mark.parametrize("role", ["alice", "charlie", "expert"])
def test_only_agents_take_handovers(client, request, role, alices_pin):
    identified(client)
    twilio(client, "ivr_menu", Digits="0")
    handover = IvrHandover.objects.get()
    client.force_login(request.getfixturevalue(role))

    assert client.post(reverse("callcentre:handover_take",
                               args=[handover.pk])).status_code == 403
    handover.refresh_from_db()
    assert handover.taken_by is None


def test_calls_that_are_over_are_forgotten_and_calls_going_on_are_kept(client, alices_pin,
                                                                        settings):
    identified(client)
    identified(client, call="CA-old")
    IvrCall.objects.filter(call_sid="CA-old").update(
        started_at=timezone.now() - dt.timedelta(minutes=2 * settings.IVR_CALL_MINUTES + 1))

    assert forget_ended_ivr_calls() == 1

    assert list(IvrCall.objects.values_list("call_sid", flat=True)) == [CALL]
    # The identification stays in the citizen's access log.
    assert AccessRecord.objects.filter(person=alices_pin.person, channel=Channel.IVR).count() == 2
