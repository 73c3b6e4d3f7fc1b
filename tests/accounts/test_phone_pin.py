"""The citizen's PIN for the 142 phone line: set on the portal, locked by three wrong ones."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from django.contrib.auth.hashers import check_password
from django.urls import reverse

from dost.accounts import phone_pin as phone_pin_module
from dost.accounts.models import PhonePin
from dost.accounts.phone_pin import (
    DEMO_PHONE_PIN,
    PIN_LOCKED_TEMPLATE,
    PIN_SET_TEMPLATE,
    Outcome,
    PinCheck,
    demo_phone_pin,
    keypad_form,
    phone_pin_check,
    phone_pin_set,
)
from dost.accounts.selectors import phone_pins_for_fin, phone_pins_for_keypad
from dost.accounts.services import citizen_account_create
from dost.errors import DomainError
from dost.notifications.models import SmsMessage
from dost.notifications.templates import render_message
from dost.registry.models import Person
from dost.registry.validators import FIN_ALPHABET
from tests.concurrency import in_thread, someone_comes_to_wait_on_a_lock
from tests.conftest import PASSWORD

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
PIN = "2580"
OTHER_PIN = "7391"
WAIT_SECONDS = 10
PAGE = reverse("esocial:phone_pin")


@pytest.fixture
def twin(make_person) -> Person:
    """A citizen whose FIN is keyed as alice's: 5BJC7D1 and 5ALC7E1 are both 5252731."""
    person = make_person(fin="5BJC7D1", first_name="Bəxtiyar")
    citizen_account_create(person=person, password=PASSWORD)
    return person


def _check(phone_pin: PhonePin, pin: str) -> PinCheck:
    return phone_pin_check(candidate_ids=[phone_pin.pk], pin=pin)


# --- the keypad --------------------------------------------------------------------------------


def test_a_fin_is_keyed_with_each_letter_as_its_keys_digit():
    assert keypad_form("5ALC7E1") == "5252731"
    assert keypad_form("9WXYZ00") == "9999900"


def test_every_character_a_fin_may_hold_has_a_key():
    assert all(len(keypad_form(character)) == 1 and keypad_form(character).isdigit()
               for character in FIN_ALPHABET)


# --- setting a PIN -----------------------------------------------------------------------------


def test_a_pin_is_stored_hashed_with_the_fin_as_keyed(alice):
    phone_pin = phone_pin_set(person=alice.person, pin=PIN)

    assert phone_pin.pin_hash != PIN
    assert check_password(PIN, phone_pin.pin_hash)
    assert phone_pin.keypad_fin == "5252731"
    assert (phone_pin.failed_attempts, phone_pin.locked_at) == (0, None)


@pytest.mark.parametrize(("pin", "code"), [
    ("", "pin_format"),
    ("258", "pin_format"),
    ("2580369", "pin_format"),
    ("25a0", "pin_format"),
    ("25 80", "pin_format"),
    ("٢٥٨٠", "pin_format"),  # Arabic-Indic digits: not what a phone keypad sends
    ("1111", "pin_repeated"),
    ("000000", "pin_repeated"),
    ("1234", "pin_run"),
    ("4321", "pin_run"),
    ("56789", "pin_run"),
    ("1990", "pin_birth_date"),  # alice was born on 1 January 1990
    ("199077", "pin_birth_date"),
    ("010190", "pin_birth_date"),
])
def test_a_pin_that_is_malformed_or_easy_to_guess_is_refused_and_nothing_saved(alice, pin, code):
    with pytest.raises(DomainError) as refusal:
        phone_pin_set(person=alice.person, pin=pin)

    assert refusal.value.code == code
    assert not PhonePin.objects.exists()
    assert not SmsMessage.objects.exists()


def test_setting_a_pin_texts_the_citizen(alice):
    phone_pin_set(person=alice.person, pin=PIN)

    message = SmsMessage.objects.get(person=alice.person)
    assert message.template == PIN_SET_TEMPLATE
    assert "If you did not do this, call 142." in render_message(message.template,
                                                                   message.context, "en")


def test_setting_a_pin_again_replaces_it(alice):
    phone_pin_set(person=alice.person, pin=PIN)
    phone_pin = phone_pin_set(person=alice.person, pin=OTHER_PIN)

    assert PhonePin.objects.count() == 1
    assert check_password(OTHER_PIN, phone_pin.pin_hash)
    assert not check_password(PIN, phone_pin.pin_hash)


# --- checking a PIN on a call ------------------------------------------------------------------


def test_the_right_pin_identifies_the_citizen_with_their_account(alice):
    phone_pin = phone_pin_set(person=alice.person, pin=PIN)

    check = _check(phone_pin, PIN)

    assert (check.outcome, check.person, check.user_id) == (
        Outcome.IDENTIFIED, alice.person, alice.pk)


def test_three_wrong_pins_lock_the_phone_line_and_then_the_right_one_is_refused(alice):
    phone_pin = phone_pin_set(person=alice.person, pin=PIN)

    outcomes = [_check(phone_pin, OTHER_PIN) for _try in range(3)]

    assert [(check.outcome, check.tries_left) for check in outcomes] == [
        (Outcome.WRONG, 2), (Outcome.WRONG, 1), (Outcome.LOCKED, 0)]
    phone_pin.refresh_from_db()
    assert phone_pin.locked and phone_pin.failed_attempts == 3
    fourth = _check(phone_pin, PIN)
    assert (fourth.outcome, fourth.person) == (Outcome.LOCKED, None)


def test_the_lock_texts_the_citizen_once(alice):
    phone_pin = phone_pin_set(person=alice.person, pin=PIN)
    for _try in range(5):
        _check(phone_pin, OTHER_PIN)

    assert SmsMessage.objects.filter(person=alice.person,
                                     template=PIN_LOCKED_TEMPLATE).count() == 1


def test_the_right_pin_clears_the_wrong_ones_before_it(alice):
    phone_pin = phone_pin_set(person=alice.person, pin=PIN)
    _check(phone_pin, OTHER_PIN)
    _check(phone_pin, OTHER_PIN)

    assert _check(phone_pin, PIN).outcome == Outcome.IDENTIFIED

    phone_pin.refresh_from_db()
    assert phone_pin.failed_attempts == 0
    assert _check(phone_pin, OTHER_PIN).tries_left == 2


def test_a_new_pin_on_the_portal_unlocks(alice):
    phone_pin = phone_pin_set(person=alice.person, pin=PIN)
    for _try in range(3):
        _check(phone_pin, OTHER_PIN)

    phone_pin_set(person=alice.person, pin=OTHER_PIN)

    assert _check(phone_pin, OTHER_PIN).outcome == Outcome.IDENTIFIED
    phone_pin.refresh_from_db()
    assert (phone_pin.failed_attempts, phone_pin.locked_at) == (0, None)


def test_a_malformed_pin_counts_as_wrong_only_when_checked(alice):
    # The phone menu never checks one (it asks again); checked, it fits nobody.
    phone_pin = phone_pin_set(person=alice.person, pin=PIN)

    assert _check(phone_pin, "12").outcome == Outcome.WRONG


def test_people_sharing_the_keys_of_their_fin_are_told_apart_by_the_pin(alice, twin):
    alices = phone_pin_set(person=alice.person, pin=PIN)
    twins = phone_pin_set(person=twin, pin=OTHER_PIN)
    candidates = phone_pins_for_keypad("5252731", limit=5)
    assert {pin.pk for pin in candidates} == {alices.pk, twins.pk}

    check = phone_pin_check(candidate_ids=[pin.pk for pin in candidates], pin=OTHER_PIN)

    assert check.person == twin
    assert PhonePin.objects.get(pk=alices.pk).failed_attempts == 0


def test_the_same_pin_for_two_people_sharing_keys_identifies_nobody(alice, twin):
    ids = [phone_pin_set(person=person, pin=PIN).pk for person in (alice.person, twin)]

    check = phone_pin_check(candidate_ids=ids, pin=PIN)

    assert (check.outcome, check.person) == (Outcome.AMBIGUOUS, None)
    assert set(PhonePin.objects.values_list("failed_attempts", flat=True)) == {0}


def test_a_wrong_pin_for_keys_several_people_share_counts_against_each(alice, twin):
    ids = [phone_pin_set(person=alice.person, pin=PIN).pk,
           phone_pin_set(person=twin, pin=OTHER_PIN).pk]

    phone_pin_check(candidate_ids=ids, pin="9630")

    assert list(PhonePin.objects.values_list("failed_attempts", flat=True)) == [1, 1]


def test_a_deceased_persons_pin_identifies_nobody(alice):
    phone_pin_set(person=alice.person, pin=PIN)
    Person.objects.filter(pk=alice.person.pk).update(death_date=dt.date(2024, 3, 1))

    assert phone_pins_for_fin(alice.person.fin) == []
    assert phone_pins_for_keypad("5252731", limit=5) == []


# --- at the same moment ------------------------------------------------------------------------

race = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _held_check(monkeypatch) -> tuple[threading.Event, threading.Event]:
    """Hold the first PIN check inside its transaction, after it has read its row."""
    checked, release = threading.Event(), threading.Event()
    real_check = phone_pin_module.check_password

    def held(pin: str, encoded: str) -> bool:
        fits = real_check(pin, encoded)
        if not checked.is_set():
            checked.set()
            release.wait(WAIT_SECONDS)
        return fits

    monkeypatch.setattr(phone_pin_module, "check_password", held)
    return checked, release


def _race(monkeypatch, first_pin: str, second_pin: str, phone_pin: PhonePin) -> list[Any]:
    checked, release = _held_check(monkeypatch)
    first_results: list[Any] = []
    second_results: list[Any] = []
    first = in_thread(lambda: _check(phone_pin, first_pin), first_results)
    try:
        assert checked.wait(WAIT_SECONDS)
        second = in_thread(lambda: _check(phone_pin, second_pin), second_results)
        assert someone_comes_to_wait_on_a_lock(), "the second check should wait for the first"
    finally:
        release.set()
        first.join(WAIT_SECONDS)
    second.join(WAIT_SECONDS)
    return [*first_results, *second_results]


@race
def test_two_wrong_pins_at_once_both_count_and_the_third_locks(alice, monkeypatch):
    phone_pin = phone_pin_set(person=alice.person, pin=PIN)
    _check(phone_pin, OTHER_PIN)

    first, second = _race(monkeypatch, OTHER_PIN, "9630", phone_pin)

    assert (first.outcome, second.outcome) == (Outcome.WRONG, Outcome.LOCKED)
    phone_pin.refresh_from_db()
    assert (phone_pin.failed_attempts, phone_pin.locked) == (3, True)


@race
def test_the_right_pin_arriving_while_the_third_wrong_one_locks_is_refused(alice, monkeypatch):
    phone_pin = phone_pin_set(person=alice.person, pin=PIN)
    _check(phone_pin, OTHER_PIN)
    _check(phone_pin, OTHER_PIN)

    first, second = _race(monkeypatch, OTHER_PIN, PIN, phone_pin)

    assert (first.outcome, second.outcome) == (Outcome.LOCKED, Outcome.LOCKED)
    assert second.person is None


# --- the portal page ---------------------------------------------------------------------------


def test_the_page_says_no_pin_is_set_yet(client, alice):
    client.force_login(alice)

    response = client.get(PAGE, **EN)

    assert response.status_code == 200
    assert "You have not set a phone PIN yet." in response.content.decode()


def test_the_citizen_sets_a_pin_with_its_confirmation(client, alice):
    client.force_login(alice)

    response = client.post(PAGE, {"pin": PIN, "pin_again": PIN}, **EN)

    assert response.status_code == 302
    assert check_password(PIN, PhonePin.objects.get(person=alice.person).pin_hash)
    page = client.get(response.url, **EN).content.decode()
    assert "Your phone PIN is saved." in page
    assert "Your phone PIN was set on" in page


@pytest.mark.parametrize(("data", "message"), [
    ({"pin": PIN, "pin_again": OTHER_PIN}, "The two PINs differ."),
    ({"pin": PIN, "pin_again": ""}, "This field is required."),
    ({"pin": "12", "pin_again": "12"}, "A PIN is 4 to 6 digits, with nothing else."),
    ({"pin": "7777", "pin_again": "7777"}, "A PIN of one digit repeated is too easy to guess."),
    ({"pin": "3456", "pin_again": "3456"}, "Digits in a row, like 1234 or 4321"),
    ({"pin": "1990", "pin_again": "1990"}, "Anyone who knows your date of birth"),
])
def test_a_bad_pin_is_refused_with_its_reason_and_nothing_saved(client, alice, data, message):
    client.force_login(alice)

    response = client.post(PAGE, data, **EN)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not PhonePin.objects.exists()


def test_the_page_says_when_the_pin_is_locked_and_a_new_one_unlocks_it(client, alice):
    phone_pin = phone_pin_set(person=alice.person, pin=PIN)
    for _try in range(3):
        _check(phone_pin, OTHER_PIN)
    client.force_login(alice)

    assert "Your phone PIN was locked on" in client.get(PAGE, **EN).content.decode()

    client.post(PAGE, {"pin": OTHER_PIN, "pin_again": OTHER_PIN})
    phone_pin.refresh_from_db()
    assert not phone_pin.locked
    assert "was locked" not in client.get(PAGE, **EN).content.decode()


def test_another_citizen_neither_sees_nor_changes_my_pin(client, alice, bob):
    mine = phone_pin_set(person=alice.person, pin=PIN)
    for _try in range(3):
        _check(mine, OTHER_PIN)
    client.force_login(bob)

    page = client.get(PAGE, **EN).content.decode()
    client.post(PAGE, {"pin": "8520", "pin_again": "8520"})

    assert "You have not set a phone PIN yet." in page
    mine.refresh_from_db()
    assert mine.locked and check_password(PIN, mine.pin_hash)
    assert check_password("8520", PhonePin.objects.get(person=bob.person).pin_hash)


@pytest.mark.parametrize("role", ["agent", "charlie"])
def test_officials_have_no_phone_pin_page(client, request, role):
    client.force_login(request.getfixturevalue(role))

    assert client.get(PAGE).status_code == 403
    assert client.post(PAGE, {"pin": PIN, "pin_again": PIN}).status_code == 403
    assert not PhonePin.objects.exists()


def test_the_anonymous_are_sent_to_sign_in(client):
    response = client.get(PAGE)

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_the_demo_citizen_gets_a_phone_pin_once(alice):
    lines = demo_phone_pin(dt.date(2026, 5, 14))

    assert alice.person.fin in lines[0]
    assert _check(PhonePin.objects.get(person=alice.person), DEMO_PHONE_PIN).outcome == \
        Outcome.IDENTIFIED
    assert demo_phone_pin(dt.date(2026, 5, 14)) == []
