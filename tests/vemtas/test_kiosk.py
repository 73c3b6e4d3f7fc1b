"""The kiosk at DOST centres: ID card, SMS code, the application, and nothing left behind."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse
from django.utils import timezone, translation

from dost.accounts.models import User
from dost.accounts.services import citizen_account_create
from dost.applications.models import Application
from dost.errors import DomainError
from dost.notifications.models import SmsMessage
from dost.notifications.templates import render_message
from tests.vemtas.households import household, person
from vemtas.kiosk import (
    CODE_TEMPLATE,
    CODES_PER_WINDOW,
    MAX_WRONG_CODES,
    kiosk_code_check,
    kiosk_code_send,
)
from vemtas.models import Case, Channel
from vemtas.views.kiosk import DONE_KEY, KIOSK_KEY

pytestmark = pytest.mark.django_db

ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}
PHONE = "+994501234567"


@pytest.fixture
def family(db):
    """A mother with the phone on record, and her son."""
    _home, (mother, son) = household(dt.date(1985, 4, 1), dt.date(2012, 6, 1), phone=PHONE)
    return mother, son


def _last_code(someone) -> str:
    return SmsMessage.objects.filter(person=someone, template=CODE_TEMPLATE).latest("id").context[
        "code"]


def _wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def _send_fin(client, fin: str):
    return client.post(reverse("kiosk:start"), {"fin": fin}, **ENGLISH)


def _identified(client, someone) -> None:
    assert _send_fin(client, someone.fin).status_code == 302
    response = client.post(reverse("kiosk:code"), {"code": _last_code(someone)}, **ENGLISH)
    assert response["Location"] == reverse("kiosk:apply")


def _state(client) -> dict:
    return client.session.get(KIOSK_KEY) or {}


def test_kiosk_happy_path_opens_a_case_made_at_the_kiosk(client, family):
    mother, son = family

    start = client.get(reverse("kiosk:start"), **ENGLISH)
    assert start.status_code == 200
    sent = _send_fin(client, mother.fin.lower())  # typed in small letters: still the FIN
    assert sent["Location"] == reverse("kiosk:code")
    code_page = client.get(reverse("kiosk:code"), **ENGLISH)
    assert "ending in 67" in code_page.content.decode()
    client.post(reverse("kiosk:code"), {"code": _last_code(mother)}, **ENGLISH)
    form_page = client.get(reverse("kiosk:apply"), **ENGLISH)
    assert form_page.status_code == 200
    # The household as the registry holds it, and the son as a box to tick.
    assert son.full_name in form_page.content.decode()

    done = client.post(reverse("kiosk:apply"), {
        "members": [str(son.pk)], "monthly_income": "120", "truthful": "on"}, **ENGLISH)

    assert done["Location"] == reverse("kiosk:done")
    application = Application.objects.get(person=mother)
    case = Case.objects.get(application=application)
    assert case.channel == Channel.KIOSK
    assert case.applicant == mother
    assert set(case.members.filter(confirmed=True).values_list("person_id", flat=True)) == {
        mother.pk, son.pk}
    confirmation = client.get(reverse("kiosk:done"), **ENGLISH)
    assert application.reference in confirmation.content.decode()


def test_after_submitting_the_kiosk_forgets_the_person_and_signs_nobody_in(client, family):
    mother, son = family
    _identified(client, mother)

    client.post(reverse("kiosk:apply"), {"members": [str(son.pk)], "monthly_income": "120",
                                         "truthful": "on"})

    assert KIOSK_KEY not in client.session
    assert SESSION_KEY not in client.session
    assert client.get(reverse("kiosk:done")).status_code == 200
    # The reference is shown once; then the kiosk is back at the first step.
    assert DONE_KEY not in client.session
    assert client.get(reverse("kiosk:done"))["Location"] == reverse("kiosk:start")
    assert client.get(reverse("kiosk:apply"))["Location"] == reverse("kiosk:start")


def test_a_person_without_an_account_gets_one_without_a_password(client, family):
    mother, son = family
    _identified(client, mother)

    client.post(reverse("kiosk:apply"), {"members": [str(son.pk)], "monthly_income": "120",
                                         "truthful": "on"})

    user = User.objects.get(person=mother)
    assert user.username == mother.fin and not user.has_usable_password()
    assert Application.objects.get(person=mother).events.get().actor == user


def test_a_person_with_an_account_applies_with_it_and_keeps_their_password(client, family):
    mother, son = family
    user = citizen_account_create(person=mother, password="correct-horse-battery-9")
    _identified(client, mother)

    client.post(reverse("kiosk:apply"), {"members": [str(son.pk)], "monthly_income": "120",
                                         "truthful": "on"})

    assert User.objects.filter(person=mother).count() == 1
    user.refresh_from_db()
    assert user.check_password("correct-horse-battery-9")


def test_a_refused_application_saves_nothing_not_even_an_account(client, family):
    mother, son = family
    _identified(client, mother)
    stranger = person(None, birth=dt.date(1970, 1, 1))

    response = client.post(reverse("kiosk:apply"), {
        "members": [str(son.pk), str(stranger.pk)], "monthly_income": "120", "truthful": "on",
    }, **ENGLISH)

    assert response.status_code == 400
    assert not Application.objects.exists() and not Case.objects.exists()
    assert not User.objects.filter(person=mother).exists()
    # Still identified: the person can correct the form.
    assert _state(client)["person_id"] == mother.pk


def test_bad_answers_show_the_form_again_with_errors_and_save_nothing(client, family):
    mother, _son = family
    _identified(client, mother)

    response = client.post(reverse("kiosk:apply"), {"monthly_income": "-5"}, **ENGLISH)

    assert response.status_code == 400
    assert response.context["form"].errors.keys() >= {"monthly_income", "truthful"}
    assert not Application.objects.exists()


def test_the_code_is_texted_in_the_persons_language_and_kept_only_hashed(client, db):
    _home, (mother,) = household(dt.date(1985, 4, 1))
    type(mother).objects.filter(pk=mother.pk).update(language="ru")

    _send_fin(client, mother.fin)

    sms = SmsMessage.objects.get(person=mother, template=CODE_TEMPLATE)
    assert sms.language == "ru"
    text = render_message(sms.template, sms.context, sms.language)
    assert sms.context["code"] in text
    with translation.override("en"):
        assert "Do not tell it to anyone" in render_message(sms.template, sms.context, "en")
    assert sms.context["code"] not in str(client.session.get(KIOSK_KEY))


def test_a_wrong_code_is_counted_and_refused(client, family):
    mother, _son = family
    _send_fin(client, mother.fin)
    code = _last_code(mother)

    response = client.post(reverse("kiosk:code"), {"code": _wrong(code)}, **ENGLISH)

    assert response.status_code == 400
    assert f"{MAX_WRONG_CODES - 1} more tries" in response.content.decode()
    assert not _state(client).get("person_id")
    # The right code still works after a wrong one.
    right = client.post(reverse("kiosk:code"), {"code": code})
    assert right["Location"] == reverse("kiosk:apply")


def test_too_many_wrong_codes_spend_the_code_and_a_new_one_is_needed(client, family):
    mother, _son = family
    _send_fin(client, mother.fin)
    code = _last_code(mother)

    for _try in range(MAX_WRONG_CODES):
        response = client.post(reverse("kiosk:code"), {"code": _wrong(code)}, **ENGLISH)

    assert "too many times" in response.content.decode()
    refused = client.post(reverse("kiosk:code"), {"code": code}, **ENGLISH)
    assert refused.status_code == 400 and not _state(client).get("person_id")
    # A new code works.
    client.post(reverse("kiosk:code_again"))
    accepted = client.post(reverse("kiosk:code"), {"code": _last_code(mother)})
    assert accepted["Location"] == reverse("kiosk:apply")


def test_tries_are_counted_for_the_code_across_sessions(family):
    """The count is kept with the code, not with the browser: the service refuses the sixth
    try even when the kiosk forgot the earlier ones."""
    mother, _son = family
    sent = kiosk_code_send(fin=mother.fin)
    code = _last_code(mother)
    with translation.override("en"):
        for _try in range(MAX_WRONG_CODES):
            with pytest.raises(DomainError):
                kiosk_code_check(sent=sent, code=_wrong(code))
        with pytest.raises(DomainError) as refusal:
            kiosk_code_check(sent=sent, code=code)
    assert refusal.value.code == "too_many_attempts"


def test_an_expired_code_is_refused(client, family):
    mother, _son = family
    _send_fin(client, mother.fin)
    session = client.session
    state = session[KIOSK_KEY]
    state["sent"]["expires_at"] = (timezone.now() - dt.timedelta(seconds=1)).isoformat()
    session[KIOSK_KEY] = state
    session.save()

    response = client.post(reverse("kiosk:code"), {"code": _last_code(mother)}, **ENGLISH)

    assert response.status_code == 400
    assert "expired" in response.content.decode()
    assert not _state(client).get("person_id")


def test_the_service_refuses_a_code_after_five_minutes(family):
    mother, _son = family
    sent = kiosk_code_send(fin=mother.fin)

    with translation.override("en"), pytest.raises(DomainError) as refusal:
        kiosk_code_check(sent=sent, code=_last_code(mother),
                         now=timezone.now() + dt.timedelta(minutes=5, seconds=1))

    assert refusal.value.code == "code_expired"


@pytest.mark.parametrize("case", ["unknown", "no_phone", "deceased"])
def test_a_card_that_cannot_get_a_code_is_sent_to_a_desk_with_one_message(client, db, case):
    if case == "unknown":
        fin = "7ZZZ9ZZ"
    else:
        _home, (someone,) = household(dt.date(1950, 1, 1),
                                      phone="" if case == "no_phone" else PHONE)
        if case == "deceased":
            type(someone).objects.filter(pk=someone.pk).update(death_date=dt.date(2025, 1, 1))
        fin = someone.fin

    response = _send_fin(client, fin)

    assert response.status_code == 400
    assert "We could not send a code for this ID card. Please go to a desk" in (
        response.content.decode())
    assert not SmsMessage.objects.filter(template=CODE_TEMPLATE).exists()
    assert KIOSK_KEY not in client.session


def test_a_malformed_fin_is_refused_with_its_format(client, db):
    response = _send_fin(client, "12-34")

    assert response.status_code == 400
    assert "A FIN has 7 characters" in response.content.decode()
    assert not SmsMessage.objects.exists()


def test_no_more_than_three_codes_are_sent_for_a_card_in_fifteen_minutes(client, family):
    mother, _son = family
    for _code in range(CODES_PER_WINDOW):
        assert _send_fin(client, mother.fin).status_code == 302

    response = _send_fin(client, mother.fin)

    assert response.status_code == 400
    assert "Too many codes" in response.content.decode()
    assert SmsMessage.objects.filter(person=mother,
                                     template=CODE_TEMPLATE).count() == CODES_PER_WINDOW


def test_an_idle_kiosk_forgets_the_person(client, family):
    mother, _son = family
    _identified(client, mother)
    session = client.session
    state = session[KIOSK_KEY]
    state["seen"] = (timezone.now() - dt.timedelta(minutes=3, seconds=1)).isoformat()
    session[KIOSK_KEY] = state
    session.save()

    response = client.get(reverse("kiosk:apply"))

    assert response["Location"] == reverse("kiosk:start")
    assert KIOSK_KEY not in client.session


def test_start_again_forgets_the_person(client, family):
    mother, _son = family
    _identified(client, mother)

    response = client.post(reverse("kiosk:restart"))

    assert response["Location"] == reverse("kiosk:start")
    assert KIOSK_KEY not in client.session
    assert client.get(reverse("kiosk:apply"))["Location"] == reverse("kiosk:start")


def test_later_steps_without_the_earlier_ones_go_back_to_the_first(client, db):
    for step in ("kiosk:code", "kiosk:apply", "kiosk:done"):
        assert client.get(reverse(step))["Location"] == reverse("kiosk:start")


def test_a_signed_in_citizen_stays_signed_in_after_the_kiosk(client, alice, family):
    mother, son = family
    client.force_login(alice)
    _identified(client, mother)
    client.post(reverse("kiosk:restart"))

    assert client.session[SESSION_KEY] == str(alice.pk)


def test_kiosk_pages_are_large_type_not_cached_and_in_the_chosen_language(client, db):
    response = client.get(reverse("kiosk:start"), **ENGLISH)

    page = response.content.decode()
    assert '<html lang="en">' in page
    assert 'class="kiosk"' in page and "css/kiosk.css" in page
    assert "Start again" in page
    assert "no-store" in response["Cache-Control"]


def test_applying_at_the_kiosk_for_another_household_is_refused_and_nothing_saved(client,
                                                                                  family):
    mother, _son = family
    _other_home, (stranger,) = household(dt.date(1960, 1, 1), phone="+994501112200")
    _identified(client, mother)

    response = client.post(reverse("kiosk:apply"), {
        "applicant": stranger.fin, "monthly_income": "10", "truthful": "on"}, **ENGLISH)

    assert response.status_code == 400
    assert "whose registered legal representative you are" in response.content.decode()
    assert not Application.objects.exists() and not Case.objects.exists()
