"""The Django admin (at /backoffice/admin/) is for administrators, signed in with their second
factor."""

from __future__ import annotations

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.urls import reverse

from dost.accounts.models import Role, User
from tests.conftest import PASSWORD

ADMIN_INDEX = reverse("admin:index")
ADMIN_LOGIN = reverse("admin:login")


def _official(username: str, role: str, **flags) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, role=role, **flags)
    TOTP.activate(user, generate_totp_secret())
    return user


@pytest.fixture
def administrator(db) -> User:
    return _official("root", Role.ADMIN, is_staff=True, is_superuser=True)


def test_an_administrator_gets_in(client, administrator):
    client.force_login(administrator)
    assert client.get(ADMIN_INDEX).status_code == 200


def test_the_admin_sits_under_the_back_office(client, administrator):
    assert ADMIN_INDEX == "/backoffice/admin/"
    client.force_login(administrator)
    # The back-office's own home is at /backoffice/; the admin's old addresses are gone.
    assert client.get("/backoffice/accounts/user/").status_code == 404
    assert client.get("/backoffice/admin/accounts/user/").status_code == 200


def test_an_administrator_by_role_alone_gets_in(client, db):
    client.force_login(_official("admin2", Role.ADMIN, is_staff=True))
    assert client.get(ADMIN_INDEX).status_code == 200


def test_centre_staff_flagged_is_staff_are_still_refused(client, db):
    client.force_login(_official("staff2", Role.STAFF, is_staff=True))
    response = client.get(ADMIN_INDEX, follow=True)
    assert response.status_code == 403


@pytest.mark.parametrize("role_fixture", ["charlie", "agent", "expert", "alice"])
def test_other_roles_are_refused(client, db, role_fixture, request):
    client.force_login(request.getfixturevalue(role_fixture))
    assert client.get(ADMIN_LOGIN).status_code == 403


def test_the_admins_sign_in_hands_over_to_the_sites_with_its_second_factor(client, administrator):
    response = client.get(f"{ADMIN_LOGIN}?next=/backoffice/admin/accounts/user/")
    assert response.status_code == 302
    assert response["Location"] == (f"{reverse('account_login')}"
                                    f"?next=/backoffice/admin/accounts/user/")


def test_a_password_alone_posted_to_the_admin_signs_nobody_in(client, administrator):
    response = client.post(ADMIN_LOGIN, {"username": "root", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session


def test_the_menu_links_the_admin_for_administrators_only(client, administrator, charlie):
    link = f'href="{ADMIN_INDEX}"'
    client.force_login(administrator)
    assert link in client.get(reverse("registry:citizen_search")).content.decode()
    client.force_login(charlie)
    assert link not in client.get(reverse("registry:citizen_search")).content.decode()
