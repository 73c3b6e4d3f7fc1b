"""A person recorded as deceased cannot sign in, and an open session of theirs ends."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.urls import reverse

from dost.registry.models import Person
from tests.conftest import PASSWORD

LOGIN = "/accounts/login/"
DECEASED = "This account belongs to a person recorded as deceased."


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def record_death(person: Person, on: dt.date = dt.date(2024, 3, 1)) -> None:
    # What a death event from the civil registry leaves in the record.
    Person.objects.filter(pk=person.pk).update(death_date=on)


def test_a_deceased_persons_account_is_refused_with_the_reason(client, alice):
    record_death(alice.person)

    response = client.post(LOGIN, {"login": "5ALC7E1", "password": PASSWORD},
                           HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    page = response.content.decode()
    assert DECEASED in page
    assert "call 142 or visit a DOST centre" in page
    assert "_auth_user_id" not in client.session


def test_a_wrong_password_does_not_reveal_the_death(client, alice):
    record_death(alice.person)

    response = client.post(LOGIN, {"login": "5ALC7E1", "password": "wrong"},
                           HTTP_ACCEPT_LANGUAGE="en")

    page = response.content.decode()
    assert "not correct" in page
    assert DECEASED not in page


def test_a_living_citizen_still_signs_in(client, alice, bob):
    record_death(bob.person)

    client.post(LOGIN, {"login": "5ALC7E1", "password": PASSWORD})

    assert int(client.session["_auth_user_id"]) == alice.pk


def test_an_open_session_ends_when_the_death_is_recorded(client, alice):
    client.force_login(alice)
    assert client.get(reverse("esocial:my_data")).status_code == 200

    record_death(alice.person)
    response = client.get(reverse("esocial:my_data"), HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session
    login_page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en")
    assert DECEASED in login_page.content.decode()


def test_an_open_session_of_a_deceased_person_reads_no_api(client, alice):
    client.force_login(alice)
    record_death(alice.person)

    response = client.get(reverse("api-me"))

    assert response.status_code in (401, 403)


def test_staff_without_a_person_keep_their_session(client, charlie):
    client.force_login(charlie)

    assert client.get(reverse("registry:citizen_search")).status_code == 200
