"""A seeded country comes with the other institutions' registers the Digital Bridge reads.

Property, vehicles, businesses, large purchases and sales, utility bills, job
seekers and absences are derived in SQL for the people and households of the
seed run, from the seed alone; the administration site shows them read-only.
"""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import translation

from dost.accounts.management.commands.seed_demo import registers_line
from dost.accounts.models import Role, User
from dost.audit.models import AccessRecord, Channel, Subject
from dost.bridge.registers import (
    Absence,
    Business,
    JobSeeker,
    LargeTransaction,
    RealEstate,
    UtilityBill,
    Vehicle,
)
from dost.bridge.seeding import BILL_MONTHS, REGISTER_TABLES, derive_registers
from dost.registry.models import Household, Person
from dost.registry.seeding import populate
from tests.conftest import PASSWORD

TODAY = dt.date(2026, 11, 23)
PEOPLE = 2000
# A seed whose country of 2,000 has a few rehabilitation vehicles (about 0.5 % of households).
SEED = 3
RECORDED = "2026-11-23 09:00:00+04"

# Every register's columns but its id: what a seed decides.
CONTENT = {
    "bridge_realestate": "person_id, purpose, address, region_id, registered_on, disposed_on",
    "bridge_vehicle": "person_id, plate, make, registered_on, deregistered_on, given_by_state",
    "bridge_business": "person_id, tin, name, registered_on, closed_on, monthly_income",
    "bridge_largetransaction": 'person_id, kind, item, amount, "on"',
    "bridge_utilitybill": "household_id, service, month, amount",
    "bridge_jobseeker": "person_id, registered_on, ended_on, insurance_monthly, "
                        "insurance_until, suitable_offers_refused, last_refusal_on",
    "bridge_absence": "person_id, kind, since, until",
}


def scalar(sql: str, params: list | None = None):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def fingerprint() -> dict[str, str]:
    return {table: scalar(f"SELECT md5(string_agg(concat_ws('|', {columns}), ',' "  # noqa: S608
                          f"ORDER BY concat_ws('|', {columns}))) FROM {table}")
            for table, columns in CONTENT.items()}


@pytest.fixture
def country(db) -> dict[str, int]:
    return populate(people=PEOPLE, seed=SEED, today=TODAY)


def test_a_seeded_country_fills_every_register(country):
    for label, table in REGISTER_TABLES:
        assert country[label] == scalar(f"SELECT count(*) FROM {table}") > 0, label  # noqa: S608


def test_the_same_seed_gives_the_same_registers(country):
    first = fingerprint()
    populate(people=PEOPLE, seed=SEED, today=TODAY, replace=True)
    assert fingerprint() == first


def test_another_seed_gives_other_registers(country):
    first = fingerprint()
    populate(people=PEOPLE, seed=SEED + 1, today=TODAY, replace=True)
    second = fingerprint()
    assert all(second[table] != first[table] for table in CONTENT)


def test_replacing_the_country_replaces_its_registers(country):
    again = populate(people=PEOPLE, seed=SEED, today=TODAY, replace=True)
    for label, table in REGISTER_TABLES:
        # Emptied with the people (TRUNCATE ... CASCADE), numbering restarted.
        assert again[label] == country[label]
        assert scalar(f"SELECT min(id) FROM {table}") == 1, table  # noqa: S608


def test_each_register_comes_from_its_institution(country):
    expected = {RealEstate: "property", Vehicle: "vehicles", Business: "tax",
                LargeTransaction: "notary", UtilityBill: "utilities",
                JobSeeker: "employment_service", Absence: "justice"}
    for model, source in expected.items():
        assert set(model.objects.values_list("source_id", flat=True).distinct()) == {source}
        assert not model.objects.exclude(recorded_at=dt.datetime.fromisoformat(RECORDED)) \
            .exists()


def test_every_household_owns_its_home_in_the_name_of_a_member(country):
    homes = scalar(
        "SELECT count(*) FROM registry_household h JOIN bridge_realestate r "
        "ON r.address = h.address AND r.region_id = h.region_id AND r.purpose = 'residential' "
        "JOIN registry_person p ON p.id = r.person_id AND p.household_id = h.id")
    assert homes == country["households"]
    # A second dwelling is always at another address than the home.
    assert scalar(
        "SELECT count(*) FROM bridge_realestate r JOIN registry_person p ON p.id = r.person_id "
        "JOIN registry_household h ON h.id = p.household_id "
        "WHERE r.purpose = 'residential' AND r.address <> h.address") > 0


def test_about_a_fifth_of_households_have_a_car_with_an_azerbaijani_plate(country):
    share = Vehicle.objects.filter(given_by_state=False).values("person__household") \
        .distinct().count() / country["households"]
    assert 0.12 < share < 0.3
    assert not Vehicle.objects.exclude(plate__regex=r"^[0-9]{2}-[A-Z]{2}-[0-9]{3}$").exists()


def test_rehabilitation_vehicles_go_only_to_people_with_a_disability_finding(country):
    given = Vehicle.objects.filter(given_by_state=True)
    assert given.exists()
    assert not given.exclude(person__disability_statuses__percent__gte=61).exists()
    assert not given.filter(deregistered_on__isnull=False).exists()


def test_businesses_and_transactions_have_plausible_amounts(country):
    incomes = Business.objects.values_list("monthly_income", flat=True)
    assert all(300 <= income <= 2000 for income in incomes)
    transactions = LargeTransaction.objects.all()
    assert all(4000 <= deal.amount <= 60000 for deal in transactions)
    assert all(TODAY - dt.timedelta(days=731) <= deal.on < TODAY for deal in transactions)


def test_utility_bills_are_one_a_month_per_household_and_service(country):
    assert not UtilityBill.objects.exclude(month__day=1).exists()
    assert scalar("SELECT count(*) FROM (SELECT household_id, service, month "
                  "FROM bridge_utilitybill GROUP BY 1, 2, 3 HAVING count(*) > 1) twice") == 0
    # The last complete months, for every household, for every service but the internet.
    months = scalar("SELECT array_agg(DISTINCT month ORDER BY month) FROM bridge_utilitybill")
    assert len(months) == BILL_MONTHS
    assert months[-1] == dt.date(2026, 10, 1) and months[0] == dt.date(2025, 11, 1)
    for service in ("electricity", "gas", "water", "phone"):
        assert UtilityBill.objects.filter(service=service).count() \
            == BILL_MONTHS * country["households"]
    assert 0 < UtilityBill.objects.filter(service="internet").count() \
        < BILL_MONTHS * country["households"]


def test_utility_costs_per_person_are_mostly_modest_and_high_for_a_few(country):
    per_person = (
        "SELECT u.total / %s / greatest(1, (SELECT count(*) FROM registry_person p "
        "  WHERE p.household_id = u.household_id AND p.death_date IS NULL)) AS monthly "
        "FROM (SELECT household_id, sum(amount) AS total FROM bridge_utilitybill "
        "      GROUP BY household_id) u")
    modest = scalar(f"SELECT avg((monthly BETWEEN 8 AND 45)::int) FROM ({per_person}) h",
                    [BILL_MONTHS])
    high = scalar(f"SELECT avg((monthly > 55)::int) FROM ({per_person}) h", [BILL_MONTHS])
    assert modest > 0.9
    assert 0.01 < high < 0.1


def test_job_seekers_are_of_working_age_and_without_a_current_job(country):
    assert JobSeeker.objects.count() > 50
    assert scalar("SELECT count(*) FROM bridge_jobseeker j JOIN registry_employmentspell e "
                  "ON e.person_id = j.person_id WHERE e.ended_on IS NULL") == 0
    assert not JobSeeker.objects.filter(person__birth_date__gt=dt.date(2008, 11, 23)).exists()
    assert not JobSeeker.objects.filter(person__birth_date__lte=dt.date(1961, 11, 23)).exists()
    assert not JobSeeker.objects.filter(registered_on__gt=TODAY).exists()


def test_unemployment_insurance_is_200_to_600_for_six_months(country):
    insured = JobSeeker.objects.filter(insurance_monthly__gt=0)
    assert insured.exists()
    assert not insured.exclude(insurance_monthly__range=(200, 600)).exists()
    assert scalar("SELECT count(*) FROM bridge_jobseeker WHERE insurance_monthly > 0 AND "
                  "insurance_until <> (registered_on + interval '6 months' - interval '1 day')"
                  "::date") == 0
    # Someone still drawing it, someone whose six months are over.
    assert insured.filter(insurance_until__gte=TODAY).exists()
    assert insured.filter(insurance_until__lt=TODAY).exists()
    assert not JobSeeker.objects.filter(insurance_monthly=0, insurance_until__isnull=False) \
        .exists()


def test_a_few_job_seekers_refused_suitable_jobs_in_the_last_year(country):
    refused = JobSeeker.objects.filter(suitable_offers_refused__gt=0)
    assert 0 < refused.count() < JobSeeker.objects.count() * 0.1
    for seeker in refused:
        assert 1 <= seeker.suitable_offers_refused <= 3
        assert TODAY - dt.timedelta(days=365) <= seeker.last_refusal_on <= TODAY
        assert seeker.last_refusal_on >= seeker.registered_on


def test_people_in_prison_or_missing_neither_seek_work_nor_run_a_business(country):
    absent = Absence.objects.values("person")
    assert Absence.objects.filter(person__death_date__isnull=False).count() == 0
    assert not JobSeeker.objects.filter(person__in=absent).exists()
    assert not Business.objects.filter(person__in=absent).exists()


def test_registers_are_derived_only_for_the_people_and_households_of_the_run(country):
    # As a second run would: the households from one in the middle on are "new".
    first_household = Household.objects.order_by("pk")[country["households"] // 2].pk
    first_person = Person.objects.filter(household_id__gte=first_household) \
        .order_by("pk").first().pk
    for _label, table in REGISTER_TABLES:
        scalar(f"DELETE FROM {table} RETURNING 1")  # noqa: S608
    with connection.cursor() as cursor:
        derive_registers(cursor, first_person_id=first_person,
                         first_household_id=first_household, today=TODAY, seed=SEED,
                         recorded=RECORDED)
    for model in (RealEstate, Vehicle, Business, LargeTransaction, JobSeeker, Absence):
        assert model.objects.exists(), model
        assert not model.objects.filter(person_id__lt=first_person).exists(), model
    assert not UtilityBill.objects.filter(household_id__lt=first_household).exists()
    assert UtilityBill.objects.filter(household_id=first_household).exists()


def test_a_run_with_no_new_people_adds_nothing(country):
    before = fingerprint()
    with connection.cursor() as cursor:
        derive_registers(cursor, first_person_id=PEOPLE + 1,
                         first_household_id=country["households"] + 1, today=TODAY, seed=SEED,
                         recorded=RECORDED)
    assert fingerprint() == before


# --- seed_demo ---------------------------------------------------------------------------------


def test_the_demo_prints_one_line_on_the_registers(db, settings,
                                                   django_capture_on_commit_callbacks):
    settings.DEBUG = True
    out = StringIO()
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", people=300, stdout=out)
    [line] = [line for line in out.getvalue().splitlines()
              if line.startswith("Other institutions' registers:")]
    assert f"{UtilityBill.objects.count():,} utility bills" in line
    assert f"{RealEstate.objects.count():,} properties" in line


def test_the_registers_line_groups_thousands():
    counts = {label: 1234 * number for number, (label, _table) in enumerate(REGISTER_TABLES, 1)}
    with translation.override("en"):
        line = registers_line(counts)
    assert line.startswith("Other institutions' registers: 1,234 properties, 2,468 vehicles,")
    assert "6,170 utility bills" in line


# --- the administration site -------------------------------------------------------------------


@pytest.fixture
def administrator(db) -> User:
    user = User.objects.create_user(username="root", password=PASSWORD, role=Role.ADMIN,
                                    is_staff=True, is_superuser=True)
    TOTP.activate(user, generate_totp_secret())
    return user


@pytest.fixture
def small_country(db) -> None:
    populate(people=300, seed=3, today=TODAY)


@pytest.mark.parametrize("model", [RealEstate, Vehicle, Business, LargeTransaction, JobSeeker,
                                   Absence])
def test_admin_finds_a_citizen_s_register_rows_by_fin_and_logs_the_look(
        client, administrator, small_country, model):
    if model is Absence:
        # A country of 300 may have no one in prison.
        Absence.objects.create(person=Person.objects.order_by("pk").first(), kind="missing",
                               since=TODAY - dt.timedelta(days=400), source_id="justice")
    row = model.objects.order_by("pk").first()
    client.force_login(administrator)
    url = reverse(f"admin:bridge_{model._meta.model_name}_changelist")

    response = client.get(url, {"q": row.person.fin})

    assert response.status_code == 200
    shown = list(response.context["cl"].result_list)
    assert shown and {item.person_id for item in shown} == {row.person_id}
    [record] = AccessRecord.objects.filter(person=row.person)
    assert (record.actor, record.channel, record.what) == (
        administrator, Channel.ADMIN, Subject.REGISTERS)


def test_admin_shows_a_register_row_read_only_and_logs_its_citizen(
        client, administrator, small_country):
    vehicle = Vehicle.objects.order_by("pk").first()
    client.force_login(administrator)

    response = client.get(reverse("admin:bridge_vehicle_change", args=[vehicle.pk]))

    assert response.status_code == 200
    assert vehicle.plate in response.content.decode()
    assert not response.context["has_change_permission"]
    assert AccessRecord.objects.filter(person=vehicle.person, channel=Channel.ADMIN).exists()
    assert client.get(reverse("admin:bridge_vehicle_add")).status_code == 403
    assert client.get(reverse("admin:bridge_vehicle_delete", args=[vehicle.pk])) \
        .status_code == 403


def test_admin_bill_list_logs_every_member_of_the_households_shown(
        client, administrator, small_country):
    member = Person.objects.filter(household__members__isnull=False).order_by("pk").first()
    household = list(Person.objects.filter(household_id=member.household_id))
    client.force_login(administrator)

    response = client.get(reverse("admin:bridge_utilitybill_changelist"), {"q": member.fin})

    assert response.status_code == 200
    shown = list(response.context["cl"].result_list)
    assert shown and {bill.household_id for bill in shown} == {member.household_id}
    assert set(AccessRecord.objects.values_list("person_id", flat=True)) == {
        person.pk for person in household}


def test_admin_registers_are_refused_to_staff(client, charlie, small_country):
    client.force_login(charlie)
    response = client.get(reverse("admin:bridge_realestate_changelist"))
    assert response.status_code in (302, 403)
    assert not AccessRecord.objects.exists()
