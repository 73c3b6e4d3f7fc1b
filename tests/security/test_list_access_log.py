"""A list that shows citizens is a look at each of them: every citizen on the page is logged.

Admin lists (the Django admin at the back-office) and staff lists alike, one
access record per citizen shown, written in one statement, with the list's
name or the search as the stated reason; the citizen reads it on their portal.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dost.accounts.models import Role, User
from dost.audit.models import AccessRecord, Channel, Subject
from dost.audit.services import access_records_for_list
from dost.errors import DomainError
from dost.payments.models import PaymentSchedule
from dost.registry.admin import PersonAdmin
from dost.registry.models import Person
from dost.registry.services import correction_request_create
from tests.applications.conftest import apply_for_recalculation
from tests.conftest import PASSWORD

PEOPLE = reverse("admin:registry_person_changelist")
SCHEDULES = reverse("admin:payments_paymentschedule_changelist")
SMS = reverse("admin:notifications_smsmessage_changelist")
DECISION_BATCHES = reverse("admin:audit_decisionbatch_changelist")
CITIZEN_SEARCH = reverse("registry:citizen_search")
CORRECTIONS = reverse("esocial:staff_corrections")
ACCESS_LOG = reverse("esocial:access_log")


@pytest.fixture
def administrator(db) -> User:
    user = User.objects.create_user(username="root", password=PASSWORD, role=Role.ADMIN,
                                    is_staff=True, is_superuser=True)
    TOTP.activate(user, generate_totp_secret())
    return user


@pytest.fixture
def carol(make_person) -> Person:
    """A third citizen, without an account, who reads the portal in Russian."""
    return make_person(fin="7CRL0L3", first_name="Kamilla", last_name="Məmmədova",
                       language="ru")


def records_of(person: Person) -> list[AccessRecord]:
    return list(AccessRecord.objects.filter(person=person))


def access_log_inserts(queries: CaptureQueriesContext) -> list[str]:
    table = AccessRecord._meta.db_table
    return [query["sql"] for query in queries.captured_queries
            if query["sql"].startswith(f"INSERT INTO {table}")
            or query["sql"].startswith(f'INSERT INTO "{table}"')]


def schedule(person: Person, reference: str) -> PaymentSchedule:
    # As the engine writes it: raw SQL supplying only the business columns.
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO payments_paymentschedule (person_id, reference, monthly_amount, "
            "starts_on) VALUES (%s, %s, 250, %s) RETURNING id",
            [person.pk, reference, dt.date(2026, 1, 1)])
        (pk,) = cursor.fetchone()
    return PaymentSchedule.objects.get(pk=pk)


def queue_sms(person: Person, dedupe_key: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO notifications_smsmessage (person_id, phone, language, template, "
            "context, dedupe_key) VALUES (%s, %s, %s, %s, %s, %s)",
            [person.pk, person.phone, person.language, "award_granted",
             json.dumps({"benefit": "unemployment", "amount": "250"}), dedupe_key])


# --- the administration site ------------------------------------------------------------------


def test_admin_person_list_logs_each_person_shown_in_one_statement(
        client, administrator, alice, bob, carol):
    client.force_login(administrator)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(PEOPLE)

    assert response.status_code == 200
    assert len(access_log_inserts(queries)) == 1
    for person in (alice.person, bob.person, carol):
        [record] = records_of(person)
        assert (record.actor, record.channel, record.what) == (
            administrator, Channel.ADMIN, Subject.REGISTRY_RECORD)
    with translation.override(alice.person.language):
        expected = str(_("Listed in the administration site: %(list)s")) % {
            "list": Person._meta.verbose_name_plural}
    assert records_of(alice.person)[0].reason == expected


def test_admin_list_reason_names_the_list_in_the_citizens_language(client, administrator,
                                                                   alice, carol):
    client.force_login(administrator)

    client.get(PEOPLE)

    assert records_of(alice.person)[0].reason != records_of(carol)[0].reason
    assert "физические лица" in records_of(carol)[0].reason


def test_admin_list_logs_only_the_page_shown(client, administrator, make_person, monkeypatch):
    people = [make_person() for _number in range(3)]
    monkeypatch.setattr(PersonAdmin, "list_per_page", 2)
    client.force_login(administrator)

    response = client.get(PEOPLE)

    shown = {person.pk for person in response.context["cl"].result_list}
    assert len(shown) == 2
    assert set(AccessRecord.objects.values_list("person_id", flat=True)) == shown
    assert AccessRecord.objects.count() == 2
    assert shown < {person.pk for person in people}


def test_admin_search_states_the_search_as_the_reason(client, administrator, alice, bob):
    client.force_login(administrator)

    response = client.get(PEOPLE, {"q": alice.person.fin})

    assert response.status_code == 200
    [record] = AccessRecord.objects.all()
    assert record.person == alice.person
    assert alice.person.fin in record.reason
    assert not records_of(bob.person)


def test_admin_list_of_payments_logs_the_person_once_per_page_as_awards(
        client, administrator, alice, bob):
    schedule(alice.person, "award:1")
    schedule(alice.person, "award:2")
    schedule(bob.person, "award:3")
    client.force_login(administrator)

    client.get(SCHEDULES)

    [alices] = records_of(alice.person)
    assert alices.what == Subject.AWARDS
    assert len(records_of(bob.person)) == 1


def test_admin_outbox_list_logs_the_citizens_messaged(client, administrator, alice):
    queue_sms(alice.person, "award:1")
    queue_sms(alice.person, "award:2")
    client.force_login(administrator)

    client.get(SMS)

    assert len(records_of(alice.person)) == 1


def test_admin_user_list_logs_the_citizens_whose_logins_it_shows(client, administrator,
                                                                 alice, bob):
    client.force_login(administrator)

    client.get(reverse("admin:accounts_user_changelist"))

    assert len(records_of(alice.person)) == 1
    assert len(records_of(bob.person)) == 1


def test_an_empty_admin_list_writes_nothing(client, administrator, db):
    client.force_login(administrator)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(PEOPLE, {"q": "9ZZZZZZ"})

    assert response.status_code == 200
    assert not access_log_inserts(queries)


def test_an_admin_list_of_no_ones_data_writes_nothing(client, administrator, alice):
    client.force_login(administrator)

    client.get(DECISION_BATCHES)

    assert not AccessRecord.objects.exists()


def test_a_refused_admin_list_writes_nothing(client, charlie, alice):
    client.force_login(charlie)

    response = client.get(PEOPLE)

    assert response.status_code == 302
    assert not AccessRecord.objects.exists()


def test_the_citizen_reads_the_admin_list_look_in_their_access_log(client, administrator,
                                                                   alice):
    client.force_login(administrator)
    client.get(PEOPLE)
    reason = records_of(alice.person)[0].reason
    client.force_login(alice)

    body = client.get(ACCESS_LOG).content.decode()

    assert reason in body


# --- staff pages ------------------------------------------------------------------------------


def test_staff_search_logs_each_person_found_with_the_search(client, charlie, alice, bob):
    client.force_login(charlie)

    response = client.get(CITIZEN_SEARCH, {"q": alice.person.fin})

    assert response.status_code == 200
    [record] = AccessRecord.objects.all()
    assert (record.person, record.actor, record.channel) == (
        alice.person, charlie, Channel.BACKOFFICE)
    assert alice.person.fin in record.reason


def test_staff_search_by_name_logs_everyone_in_the_results(client, charlie, make_person):
    namesakes = [make_person(last_name="Quliyeva") for _number in range(3)]
    make_person(last_name="Həsənova")
    client.force_login(charlie)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(CITIZEN_SEARCH, {"q": "Quliyeva"})

    assert response.status_code == 200
    assert len(access_log_inserts(queries)) == 1
    assert set(AccessRecord.objects.values_list("person_id", flat=True)) == {
        person.pk for person in namesakes}
    assert all("Quliyeva" in record.reason for record in AccessRecord.objects.all())


def test_an_agents_search_is_logged_as_the_call_centre(client, agent, alice):
    client.force_login(agent)

    client.get(CITIZEN_SEARCH, {"q": alice.person.fin})

    assert AccessRecord.objects.get().channel == Channel.CALLCENTRE


def test_a_search_that_finds_no_one_or_the_empty_form_writes_nothing(client, charlie, alice):
    client.force_login(charlie)

    client.get(CITIZEN_SEARCH)
    client.get(CITIZEN_SEARCH, {"q": "9ZZZZZZ"})

    assert not AccessRecord.objects.exists()


def test_staff_application_queue_logs_each_applicant_on_the_page(client, charlie, alice, bob):
    apply_for_recalculation(alice)
    client.force_login(charlie)

    response = client.get(reverse("esocial:staff_applications"))

    assert response.status_code == 200
    [record] = AccessRecord.objects.all()
    assert (record.person, record.actor) == (alice.person, charlie)
    assert not records_of(bob.person)


def test_staff_corrections_list_logs_each_citizen_who_reported(client, charlie, alice, bob):
    correction_request_create(person=alice.person, fact="phone", proposed_value="055 765 43 21")
    client.force_login(charlie)

    response = client.get(CORRECTIONS)

    assert response.status_code == 200
    [record] = AccessRecord.objects.all()
    assert (record.person, record.channel) == (alice.person, Channel.BACKOFFICE)
    assert not records_of(bob.person)


def test_a_citizen_refused_a_staff_list_writes_nothing(client, alice):
    client.force_login(alice)

    response = client.get(CITIZEN_SEARCH, {"q": alice.person.fin})

    assert response.status_code == 403
    assert not AccessRecord.objects.exists()


# --- the service ------------------------------------------------------------------------------


def test_each_citizen_gets_the_reason_in_their_own_language(charlie, alice, carol):
    written = access_records_for_list(
        person_ids=[alice.person_id, carol.pk, alice.person_id], what=Subject.REGISTRY_RECORD,
        reason=gettext_lazy("Opened in the administration site"), channel=Channel.BACKOFFICE,
        actor_id=charlie.pk)

    assert written == 2
    assert records_of(carol)[0].reason == "Открыто в панели администрирования"
    assert records_of(alice.person)[0].reason != records_of(carol)[0].reason


def test_a_list_without_a_reason_is_refused(charlie, alice):
    with pytest.raises(DomainError) as refused:
        access_records_for_list(person_ids=[alice.person_id], what=Subject.REGISTRY_RECORD,
                                reason="  ", channel=Channel.BACKOFFICE, actor_id=charlie.pk)

    assert refused.value.code == "reason_required"
    assert not AccessRecord.objects.exists()


def test_a_list_through_an_unknown_channel_is_refused(charlie, alice):
    with pytest.raises(DomainError) as refused:
        access_records_for_list(person_ids=[alice.person_id], what=Subject.REGISTRY_RECORD,
                                reason="list", channel="backdoor", actor_id=charlie.pk)

    assert refused.value.code == "invalid_channel"
    assert not AccessRecord.objects.exists()


def test_no_one_shown_writes_nothing(charlie, django_assert_num_queries):
    with django_assert_num_queries(0):
        written = access_records_for_list(person_ids=[], what=Subject.REGISTRY_RECORD,
                                          reason="list", channel=Channel.BACKOFFICE,
                                          actor_id=charlie.pk)

    assert written == 0
