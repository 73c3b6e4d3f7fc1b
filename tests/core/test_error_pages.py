from __future__ import annotations

import logging

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import path, reverse

from dost import urls as site_urls
from dost.accounts.models import Role, User


def _refuse(request):
    raise PermissionDenied


def _missing(request):
    raise Http404


# The site's routes, and a view that refuses and one that finds nothing, under the API too.
urlpatterns = [
    path("api/v1/refuse/", _refuse),
    path("refuse/", _refuse),
    path("missing/", _missing),
    *site_urls.urlpatterns,
]
handler403 = site_urls.handler403
handler404 = site_urls.handler404

pytestmark = pytest.mark.urls(__name__)

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture(params=[False, True], ids=["production", "development"])
def debug(request, settings):
    settings.DEBUG = request.param
    return request.param


def _in_site_layout(body: str) -> bool:
    return 'class="site-header"' in body and 'href="tel:142"' in body


def test_an_official_following_a_booking_link_is_told_the_page_is_for_citizens(
        client, charlie, debug):
    client.force_login(charlie)
    response = client.get(reverse("esocial:queue_book"), **EN)
    body = response.content.decode()
    assert response.status_code == 403
    assert _in_site_layout(body)
    assert "This page is for citizens" in body
    assert "403 Forbidden" not in body
    # Their own work, a way to switch accounts, and the service search.
    assert f'href="{reverse("backoffice:home")}"' in body
    assert "Sign in with another account" in body
    assert f'action="{reverse("esocial:service_search")}"' in body


def test_an_administrator_following_an_apply_link_is_told_the_page_is_for_citizens(client, db):
    administrator = User.objects.create_user(username="root", password="x", role=Role.ADMIN,
                                             is_staff=True, is_superuser=True)
    TOTP.activate(administrator, generate_totp_secret())
    client.force_login(administrator)
    response = client.get(reverse("esocial:application_list"), **EN)
    assert response.status_code == 403
    assert "This page is for citizens" in response.content.decode()
    assert f'href="{reverse("admin:index")}"' in response.content.decode()


def test_the_refusal_is_in_the_users_language(client, charlie):
    client.force_login(charlie)
    response = client.get(reverse("esocial:queue_book"))
    assert response.status_code == 403
    assert '<html lang="az">' in response.content.decode()


def test_a_citizen_on_a_staff_page_gets_the_general_refusal_and_their_home(client, alice, debug):
    client.force_login(alice)
    response = client.get(reverse("esocial:staff_applications"), **EN)
    body = response.content.decode()
    assert response.status_code == 403
    assert "Your account does not give access to this page." in body
    assert "This page is for citizens" not in body
    assert 'href="/">Go to your home page' in body


def test_a_missing_address_gets_the_sites_page(client, db, debug):
    response = client.get("/no-such-page/", **EN)
    body = response.content.decode()
    assert response.status_code == 404
    assert _in_site_layout(body)
    assert "Page not found" in body
    assert 'href="/">Go to the home page' in body


def test_nothing_found_by_a_view_gets_the_sites_page(client, charlie, debug):
    client.force_login(charlie)
    response = client.get("/missing/", **EN)
    body = response.content.decode()
    assert response.status_code == 404
    assert "Page not found" in body
    assert f'href="{reverse("backoffice:home")}"' in body


def test_a_missing_address_still_gets_its_slash(client, db, debug):
    response = client.get("/services")
    assert response.status_code == 301
    assert response["Location"] == "/services/"


def test_the_api_keeps_its_json_errors(client, db, debug):
    missing = client.get("/api/v1/no-such-endpoint/", **EN)
    assert missing.status_code == 404
    assert missing.json() == {"detail": "Not found.", "code": "not_found"}
    refused = client.get("/api/v1/refuse/", **EN)
    assert refused.status_code == 403
    assert refused.json()["code"] == "permission_denied"


def test_a_refusal_is_logged_once_in_one_line(client, alice, caplog, debug):
    client.force_login(alice)
    with caplog.at_level(logging.INFO, logger="django"):
        client.get("/refuse/")
    refusals = [record for record in caplog.records if record.name == "django.request"]
    assert [record.getMessage() for record in refusals] == [
        f"Forbidden: GET /refuse/ user={alice.pk} status=403"]
    assert refusals[0].exc_info is None


def test_an_anonymous_refusal_names_no_user(client, db, caplog):
    with caplog.at_level(logging.INFO, logger="django"):
        client.post("/refuse/")
    assert [record.getMessage() for record in caplog.records
            if record.name == "django.request"] == ["Forbidden: POST /refuse/ user=- status=403"]


def test_djangos_records_are_written_by_one_handler_only():
    # Django's own console handler (DEBUG) besides the root's wrote every traceback twice.
    django_logger = logging.getLogger("django")
    assert django_logger.handlers == []
    assert django_logger.propagate
    assert logging.getLogger().handlers
