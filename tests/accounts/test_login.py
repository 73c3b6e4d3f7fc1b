from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from allauth.mfa.utils import decrypt
from django.core.cache import cache
from django.urls import reverse

from dost.accounts.models import Role, User
from tests.conftest import PASSWORD

LOGIN = "/accounts/login/"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def current_code(user: User) -> str:
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    secret = decrypt(authenticator.data["secret"])
    counters = list(yield_hotp_counters_from_time())
    counter = counters[len(counters) // 2]
    return format_hotp_value(hotp_value(secret, counter))


def test_citizen_signs_in_with_fin_in_any_case(client, alice):
    response = client.post(LOGIN, {"login": "5alc7e1", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("esocial:my_data")).status_code == 200


def test_wrong_password_is_refused_with_a_message(client, alice):
    response = client.post(LOGIN, {"login": "5ALC7E1", "password": "wrong"},
                           HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "not correct" in response.content.decode()
    assert "_auth_user_id" not in client.session




def test_open_signup_is_closed(client, db):
    response = client.post("/accounts/signup/", {"username": "5ZZZZZZ", "password1": PASSWORD,
                                                 "password2": PASSWORD})
    assert User.objects.count() == 0
    assert response.status_code == 200


def test_staff_without_second_factor_is_sent_to_set_it_up(client, db):
    User.objects.create_user(username="newstaff", password=PASSWORD, role=Role.STAFF)
    client.post(LOGIN, {"login": "newstaff", "password": PASSWORD})
    response = client.get(reverse("registry:citizen_search"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_activate_totp"))


@pytest.mark.parametrize("role_fixture", ["charlie", "agent", "expert"])
def test_staff_password_alone_is_not_enough(client, role_fixture, request):
    user = request.getfixturevalue(role_fixture)
    response = client.post(LOGIN, {"login": user.username, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session


def test_staff_signs_in_with_password_and_code(client, charlie):
    client.post(LOGIN, {"login": "charlie", "password": PASSWORD})
    response = client.post(reverse("mfa_authenticate"), {"code": current_code(charlie)})
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == charlie.pk
    assert client.get(reverse("registry:citizen_search")).status_code == 200


def test_staff_wrong_code_is_refused(client, charlie):
    client.post(LOGIN, {"login": "charlie", "password": PASSWORD})
    client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert "_auth_user_id" not in client.session


def test_expert_lands_on_the_commissions_cases_after_the_second_factor(client, expert):
    client.post(LOGIN, {"login": "expert1", "password": PASSWORD})
    response = client.post(reverse("mfa_authenticate"), {"code": current_code(expert)})
    assert response.status_code == 302
    assert response["Location"] == reverse("msec:index")


def test_doctor_lands_on_the_referrals(client, db):
    User.objects.create_user(username="doctor7", password=PASSWORD, role=Role.DOCTOR)
    response = client.post(LOGIN, {"login": "doctor7", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("referrals:index")


def test_a_page_asked_for_before_signing_in_wins_over_the_roles_home(client, db):
    User.objects.create_user(username="doctor8", password=PASSWORD, role=Role.DOCTOR)
    response = client.post(f"{LOGIN}?next=/referrals/new/",
                           {"login": "doctor8", "password": PASSWORD})
    assert response["Location"] == "/referrals/new/"


def _signed_in_with_code(client, user: User) -> str:
    """Where the second factor's answer sends ``user``."""
    client.post(LOGIN, {"login": user.username, "password": PASSWORD})
    response = client.post(reverse("mfa_authenticate"), {"code": current_code(user)})
    assert response.status_code == 302
    return response["Location"]


def test_centre_staff_land_on_the_back_office(client, charlie):
    home = _signed_in_with_code(client, charlie)
    assert home == reverse("backoffice:home") == "/backoffice/"
    assert client.get(home).status_code == 200


def test_an_agent_lands_on_the_console(client, agent):
    assert _signed_in_with_code(client, agent) == reverse("callcentre:console")


def test_an_administrator_lands_on_the_admin(client, db):
    administrator = User.objects.create_user(username="root", password=PASSWORD,
                                             role=Role.ADMIN, is_staff=True,
                                             is_superuser=True)
    TOTP.activate(administrator, generate_totp_secret())
    home = _signed_in_with_code(client, administrator)
    assert home == reverse("admin:index")
    assert client.get(home).status_code == 200


def test_an_employer_lands_on_their_personnel_record(client, db):
    User.objects.create_user(username="employer7", password=PASSWORD, role=Role.EMPLOYER)
    response = client.post(LOGIN, {"login": "employer7", "password": PASSWORD})
    assert response["Location"] == reverse("employment:employer")


def test_a_citizen_lands_on_the_portal_home(client, alice):
    response = client.post(LOGIN, {"login": "5ALC7E1", "password": PASSWORD})
    assert response["Location"] == reverse("esocial:home")


def test_a_page_asked_for_wins_over_the_home_after_the_second_factor(client, charlie):
    client.post(f"{LOGIN}?next=/backoffice/citizens/", {"login": "charlie", "password": PASSWORD})
    response = client.post(reverse("mfa_authenticate"), {"code": current_code(charlie)})
    assert response["Location"] == "/backoffice/citizens/"
