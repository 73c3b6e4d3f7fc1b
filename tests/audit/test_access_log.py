from __future__ import annotations

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from dost.accounts.models import Institution, Role, User
from dost.audit.models import AccessRecord, Channel, Subject
from dost.audit.services import access_record
from dost.registry.models import Person
from tests.conftest import PASSWORD

ALICE_PHONE = "+994501112233"
ACCESS_LOG = "/my/access-log/"


def record_url(fin: str) -> str:
    return f"/backoffice/citizens/{fin}/"


def api_person_url(fin: str) -> str:
    return f"/api/v1/registry/persons/{fin}/"


@pytest.fixture
def administrator(db) -> User:
    user = User.objects.create_user(username="root", password=PASSWORD, role=Role.ADMIN,
                                    is_staff=True, is_superuser=True)
    TOTP.activate(user, generate_totp_secret())
    return user


# --- the back-office record page ----------------------------------------------------------


def test_staff_sees_the_reason_form_before_the_record(client, charlie, alice):
    client.force_login(charlie)

    response = client.get(record_url(alice.person.fin))

    body = response.content.decode()
    assert response.status_code == 200
    assert 'name="reason"' in body
    assert '<label for="id_reason">' in body
    assert ALICE_PHONE not in body
    assert not AccessRecord.objects.exists()


def test_staff_with_an_empty_reason_gets_a_form_error_and_no_record(client, charlie, alice):
    client.force_login(charlie)

    response = client.post(record_url(alice.person.fin), {"reason": "   "})

    body = response.content.decode()
    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    assert 'class="error"' in body
    assert ALICE_PHONE not in body
    assert not AccessRecord.objects.exists()


def test_staff_with_a_reason_sees_the_record_and_it_is_logged(client, charlie, alice):
    client.force_login(charlie)

    response = client.post(record_url(alice.person.fin), {"reason": "Pension application 77"})

    assert response.status_code == 200
    assert ALICE_PHONE in response.content.decode()
    record = AccessRecord.objects.get()
    assert record.person == alice.person
    assert record.actor == charlie
    assert record.institution is None
    assert record.channel == Channel.BACKOFFICE
    assert record.reason == "Pension application 77"


def test_staff_record_look_up_ignores_fin_case(client, charlie, alice):
    client.force_login(charlie)

    response = client.post(record_url(alice.person.fin.lower()), {"reason": "Call back"})

    assert response.status_code == 200
    assert AccessRecord.objects.get().person == alice.person


def test_staff_opening_an_unknown_fin_gets_404_and_no_record(client, charlie):
    client.force_login(charlie)

    response = client.post(record_url("9ZZZZZZ"), {"reason": "Looking around"})

    assert response.status_code == 404
    assert not AccessRecord.objects.exists()


def test_call_agent_opening_a_record_is_logged_as_call_centre(client, agent, alice):
    client.force_login(agent)

    response = client.post(record_url(alice.person.fin), {"reason": "Caller asked about benefit"})

    assert response.status_code == 200
    record = AccessRecord.objects.get()
    assert record.actor == agent
    assert record.channel == Channel.CALLCENTRE


# --- the citizen's access log ---------------------------------------------------------------


def test_citizen_access_log_lists_the_access_with_its_reason(client, charlie, alice):
    client.force_login(charlie)
    client.post(record_url(alice.person.fin), {"reason": "Disability review 2024-17"})
    client.logout()
    client.force_login(alice)

    response = client.get(ACCESS_LOG)

    body = response.content.decode()
    assert response.status_code == 200
    assert "Disability review 2024-17" in body
    assert "charlie" in body


def test_citizen_access_log_names_the_institution_that_looked(client, alice):
    ministry = Institution.objects.create(code="justice", name="Ministry of Justice")
    access_record(person_id=alice.person_id, institution_id=ministry.pk, channel=Channel.API,
                  what=Subject.REGISTRY_RECORD, reason="Court case 12/2024")
    client.force_login(alice)

    body = client.get(ACCESS_LOG).content.decode()

    assert "Ministry of Justice" in body
    assert "Court case 12/2024" in body


def test_citizen_access_log_does_not_show_another_citizens_records(client, charlie, alice, bob):
    client.force_login(charlie)
    client.post(record_url(alice.person.fin), {"reason": "Only about Alica"})
    client.logout()
    client.force_login(bob)

    response = client.get(ACCESS_LOG)

    assert response.status_code == 200
    assert "Only about Alica" not in response.content.decode()


def test_citizen_access_log_page_uses_a_constant_number_of_queries(
    client, charlie, agent, alice, django_assert_max_num_queries
):
    ministry = Institution.objects.create(code="justice", name="Ministry of Justice")
    for number in range(30):
        by_institution = number % 3 == 2
        access_record(person_id=alice.person_id,
                      actor_id=None if by_institution else (charlie, agent)[number % 3].pk,
                      institution_id=ministry.pk if by_institution else None,
                      channel=Channel.API if by_institution else Channel.BACKOFFICE,
                      what=Subject.REGISTRY_RECORD, reason=f"reason {number}")
    client.force_login(alice)

    # Session, user, count, page: independent of the number of records.
    with django_assert_max_num_queries(4):
        response = client.get(ACCESS_LOG)

    assert response.status_code == 200
    assert "reason 29" in response.content.decode()


def test_anonymous_visitor_is_sent_to_sign_in_for_the_access_log(client, db):
    response = client.get(ACCESS_LOG)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse(settings.LOGIN_URL))


# --- who may open the back office -----------------------------------------------------------


def test_citizen_cannot_open_the_citizen_search(client, alice):
    client.force_login(alice)

    assert client.get("/backoffice/citizens/").status_code == 403


def test_citizen_cannot_read_another_citizens_record(client, alice, bob):
    client.force_login(alice)

    response = client.get(record_url(bob.person.fin))
    post_response = client.post(record_url(bob.person.fin), {"reason": "curious"})

    assert response.status_code == 403
    assert post_response.status_code == 403
    assert not AccessRecord.objects.exists()


def test_expert_cannot_open_the_citizen_search(client, expert, alice):
    client.force_login(expert)

    assert client.get("/backoffice/citizens/", {"q": alice.person.fin}).status_code == 403


def test_expert_cannot_open_a_citizens_record(client, expert, alice):
    client.force_login(expert)

    response = client.post(record_url(alice.person.fin), {"reason": "Commission file"})

    assert response.status_code == 403
    assert ALICE_PHONE not in response.content.decode()
    assert not AccessRecord.objects.exists()


@pytest.mark.parametrize("path", ["/backoffice/citizens/", "/backoffice/citizens/5ALC7E1/"])
def test_anonymous_visitor_is_sent_to_sign_in_for_the_back_office(client, alice, path):
    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse(settings.LOGIN_URL))


# --- the API for signed-in users ------------------------------------------------------------


def test_citizen_api_me_returns_their_own_record(client, alice):
    client.force_login(alice)

    response = client.get("/api/v1/me/")

    assert response.status_code == 200
    assert response.json()["fin"] == alice.person.fin


def test_citizen_api_reads_their_own_record_without_a_reason(client, alice):
    client.force_login(alice)

    response = client.get(api_person_url(alice.person.fin))

    assert response.status_code == 200
    assert response.json()["phone"] == ALICE_PHONE
    assert not AccessRecord.objects.exists()


def test_citizen_api_cannot_read_another_citizens_record(client, alice, bob):
    client.force_login(alice)

    response = client.get(api_person_url(bob.person.fin), {"reason": "curious"})

    body = response.content.decode()
    assert response.status_code == 404
    assert bob.person.first_name not in body
    assert bob.person.last_name not in body
    assert bob.person.fin not in body
    assert not AccessRecord.objects.exists()


def test_citizen_api_other_fin_answers_exactly_like_an_unknown_fin(client, alice, bob):
    client.force_login(alice)

    other = client.get(api_person_url(bob.person.fin))
    unknown = client.get(api_person_url("9ZZZZZZ"))

    assert other.status_code == unknown.status_code == 404
    assert other.content == unknown.content


def test_staff_api_look_up_with_a_reason_is_logged_as_back_office(client, charlie, alice):
    client.force_login(charlie)

    response = client.get(api_person_url(alice.person.fin), {"reason": "Case 2024/5"})

    assert response.status_code == 200
    record = AccessRecord.objects.get()
    assert record.actor == charlie
    assert record.channel == Channel.BACKOFFICE
    assert record.reason == "Case 2024/5"


def test_staff_api_look_up_without_a_reason_is_refused(client, charlie, alice):
    client.force_login(charlie)

    response = client.get(api_person_url(alice.person.fin))

    assert response.status_code == 400
    assert not AccessRecord.objects.exists()


def test_expert_api_cannot_read_a_citizens_record(client, expert, alice):
    client.force_login(expert)

    response = client.get(api_person_url(alice.person.fin), {"reason": "Commission file"})

    assert response.status_code == 403
    assert ALICE_PHONE not in response.content.decode()
    assert not AccessRecord.objects.exists()


def test_anonymous_api_cannot_read_a_record(client, alice):
    response = client.get(api_person_url(alice.person.fin), {"reason": "curious"})

    assert response.status_code in {401, 403}
    assert not AccessRecord.objects.exists()


# --- the administration site --------------------------------------------------------------


def test_admin_viewing_a_person_is_logged_as_admin(client, administrator, alice):
    client.force_login(administrator)

    response = client.get(f"/backoffice/admin/registry/person/{alice.person.pk}/change/")

    assert response.status_code == 200
    record = AccessRecord.objects.get()
    assert record.person == alice.person
    assert record.actor == administrator
    assert record.channel == Channel.ADMIN
    assert record.reason


def test_admin_person_list_is_logged_as_a_list_not_an_opening(client, administrator, alice):
    client.force_login(administrator)

    response = client.get("/backoffice/admin/registry/person/")

    assert response.status_code == 200
    record = AccessRecord.objects.get()
    assert record.person == alice.person
    # The reason names the list, in the citizen's language.
    with translation.override(alice.person.language):
        assert str(Person._meta.verbose_name_plural) in record.reason


def test_access_records_cannot_be_changed_or_deleted_in_the_admin(client, administrator, alice):
    record = access_record(person_id=alice.person_id, actor_id=administrator.pk,
                           channel=Channel.BACKOFFICE, what=Subject.REGISTRY_RECORD, reason="Audit")
    client.force_login(administrator)
    base = f"/backoffice/admin/audit/accessrecord/{record.pk}"

    delete = client.post(f"{base}/delete/", {"post": "yes"})
    change = client.post(f"{base}/change/", {"reason": "rewritten", "channel": "admin",
                                             "what": "nothing", "person": alice.person_id})

    assert delete.status_code == 403
    assert change.status_code == 403
    record.refresh_from_db()
    assert record.reason == "Audit"
    assert AccessRecord.objects.count() == 1


def test_access_record_admin_denies_change_and_delete_permissions(rf, administrator):
    from django.contrib import admin

    request = rf.get("/")
    request.user = administrator
    model_admin = admin.site._registry[AccessRecord]

    assert model_admin.has_add_permission(request) is False
    assert model_admin.has_change_permission(request) is False
    assert model_admin.has_delete_permission(request) is False


def test_access_records_cannot_be_bulk_deleted_from_the_admin_list(client, administrator, alice):
    record = access_record(person_id=alice.person_id, actor_id=administrator.pk,
                           channel=Channel.BACKOFFICE, what=Subject.REGISTRY_RECORD, reason="Audit")
    client.force_login(administrator)

    client.post("/backoffice/admin/audit/accessrecord/",
                {"action": "delete_selected", "_selected_action": [record.pk], "post": "yes"})

    assert AccessRecord.objects.filter(pk=record.pk).exists()
