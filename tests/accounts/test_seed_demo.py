from __future__ import annotations

import datetime as dt
import re
import socket
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from dost.accounts.management.commands.seed_demo import site_url
from dost.accounts.models import User
from dost.bridge.models import InboundEvent
from dost.entitlements.models import Award, ScanRun
from dost.equeue.models import Slot
from dost.notifications.models import SmsMessage
from dost.registry.models import FamilyRelation, Person

# Big enough for the demo seed's country to hold a family for the demo story.
STORY_PEOPLE = 700


@pytest.fixture(autouse=True)
def _local_machine(settings):
    # Demo users exist only where DEBUG is on, as `make run` has it.
    settings.DEBUG = True


@pytest.fixture
def seed_demo(db, django_capture_on_commit_callbacks):
    def run(**options) -> str:
        out = StringIO()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("seed_demo", stdout=out, **options)
        return out.getvalue()

    return run


@pytest.fixture
def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_demo_has_a_country_its_awards_open_queue_slots_and_a_user_per_role(seed_demo):
    out = seed_demo(people=300)
    scan = ScanRun.objects.get()
    assert scan.status == ScanRun.Status.DONE
    assert Award.objects.filter(scan_run=scan).count() == scan.awarded > 0
    assert Slot.objects.exists()
    assert User.objects.filter(role="citizen").exists()
    assert "Proactive scan" in out
    # Households applied for targeted assistance, checked with the registers and decided.
    from vemtas.models import Case

    assert "Targeted assistance:" in out and "/backoffice/assistance/" in out
    assert Case.objects.exists()
    assert not Case.objects.filter(state__in=["checking", "waiting"]).exists()


# --- the demo citizen's life story -----------------------------------------------------------


def _relatives(person: Person, kind: str) -> list[Person]:
    return list(Person.objects.filter(
        pk__in=FamilyRelation.objects.filter(person=person, kind=kind).values("relative")))


def _children(person: Person) -> list[Person]:
    return list(Person.objects.filter(
        pk__in=FamilyRelation.objects.filter(relative=person, kind="parent").values("person")))


@pytest.fixture
def story(seed_demo):
    out = seed_demo(people=STORY_PEOPLE)
    citizen = User.objects.get(role="citizen").person
    (husband,) = _relatives(citizen, "spouse")
    (daughter,) = _children(citizen)
    (father,) = [parent for parent in _relatives(citizen, "parent") if parent.sex == "M"]
    return {"out": out, "citizen": citizen, "husband": husband, "daughter": daughter,
            "father": father}


def test_the_demo_citizen_has_a_life_story_with_proactive_awards(story):
    citizen, daughter, father = story["citizen"], story["daughter"], story["father"]
    assert citizen.sex == "F"
    assert citizen.phone
    # Her daughter was born four months ago: the birth event awarded the allowance.
    assert timezone.localdate() - daughter.birth_date == dt.timedelta(days=120)
    allowance = Award.objects.get(person=citizen, benefit="childbirth_allowance")
    assert allowance.basis_person == daughter
    assert allowance.scan_run is None
    # Her father's old-age pension: a rule of the engine awarded it, with its reasons.
    pension = Award.objects.get(person=father, benefit="old_age_pension")
    assert pension.status == Award.Status.AWARDED
    assert pension.rule.startswith("pensions.old_age")
    assert pension.facts["birth_date"] == str(father.birth_date)
    assert father.death_date is None
    # Everything came as institutions report it, and the citizen was told by SMS.
    events = InboundEvent.objects.order_by("id")
    assert [event.type for event in events] == ["marriage", "disability", "birth", "death"]
    assert SmsMessage.objects.filter(person=citizen).exists()


def test_the_husband_s_death_stopped_his_pension_and_started_his_daughter_s_share(story):
    husband, daughter = story["husband"], story["daughter"]
    assert husband.death_date == timezone.localdate() - dt.timedelta(days=61)
    assert FamilyRelation.objects.filter(person=daughter, relative=husband,
                                         kind="parent").exists()
    disability = Award.objects.get(person=husband, benefit="disability_pension")
    assert disability.status == "stopped"
    assert disability.end_reason == "death"
    assert disability.period_end < timezone.localdate()
    share = Award.objects.get(person=daughter, benefit="survivor_pension")
    assert share.basis_person == husband
    assert share.status == Award.Status.AWARDED
    assert share.amount > 0


def test_the_story_is_printed_with_the_family_and_their_awards(story):
    out = story["out"]
    for person in ("citizen", "father", "husband", "daughter"):
        assert story[person].fin in out
    assert str(story["husband"].death_date) in out
    # Patronymics and surnames as the registry gives them to a daughter.
    assert story["daughter"].patronymic == f"{story['husband'].first_name} qızı"
    assert story["citizen"].patronymic == f"{story['father'].first_name} qızı"


def test_seeding_the_demo_again_changes_nothing(seed_demo):
    seed_demo(people=STORY_PEOPLE)
    tables = (Person, Award, InboundEvent, User, SmsMessage, FamilyRelation, ScanRun)
    before = {table: table.objects.count() for table in tables}
    citizen = User.objects.get(role="citizen")

    out = seed_demo(people=STORY_PEOPLE)

    assert {table: table.objects.count() for table in tables} == before
    assert User.objects.get(role="citizen") == citizen
    assert citizen.username in out


def test_a_country_too_small_for_the_story_still_gets_a_demo_citizen(seed_demo):
    out = seed_demo(people=60)
    assert not InboundEvent.objects.exists()
    assert User.objects.get(role="citizen").username in out


# --- the logins and the address ----------------------------------------------------------


def test_logins_are_printed_in_columns_under_the_address_served(seed_demo, free_port):
    out = seed_demo(people=60, address=f"127.0.0.1:{free_port}")
    assert f"http://127.0.0.1:{free_port}/accounts/login/" in out
    lines = out[out.index(f"http://127.0.0.1:{free_port}/"):].splitlines()[1:]
    rows = [line for line in lines if "dost-demo-2026" in line]
    assert len(rows) == 8  # the citizen, six staff roles and a second expert
    logins = [re.split(r"\s{2,}", row.strip())[1] for row in rows]
    assert {"staff", "agent", "expert", "expert2", "doctor", "employer", "admin"} < set(logins)
    # Each column starts at the same place on every line (roles may hold single spaces).
    assert len({re.match(r"\s*\S.*?\s{2,}", row).end() for row in rows}) == 1
    assert len({row.index("dost-demo-2026") for row in rows}) == 1


def test_a_taken_port_is_reported_instead_of_an_address(seed_demo, free_port):
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", free_port))
        holder.listen()
        with pytest.raises(CommandError, match=f"{free_port}.*make run PORT={free_port + 1}"):
            seed_demo(people=60, address=f"127.0.0.1:{free_port}")
    assert not Person.objects.exists()  # refused before seeding anything


def test_a_port_free_again_after_a_server_stopped_counts_as_free(free_port):
    with socket.socket() as server:
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind(("127.0.0.1", free_port))
        server.listen()
        with socket.create_connection(("127.0.0.1", free_port)):
            server.accept()[0].close()  # the server closes first: its side waits in TIME_WAIT
    assert site_url(f"127.0.0.1:{free_port}") == f"http://127.0.0.1:{free_port}/"


def test_an_address_listening_everywhere_is_shown_as_this_machine(free_port):
    assert site_url(f"0.0.0.0:{free_port}") == f"http://127.0.0.1:{free_port}/"
    assert site_url(str(free_port)) == f"http://127.0.0.1:{free_port}/"


@pytest.mark.parametrize("address", ["127.0.0.1:http", "127.0.0.1:", "127.0.0.1:0"])
def test_an_address_runserver_cannot_serve_is_refused(address):
    with pytest.raises(CommandError):
        site_url(address)
