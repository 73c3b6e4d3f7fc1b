"""A birth pushed by the civil registry: the child is registered and the mother is paid."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from dost.bridge.models import InboundEvent
from dost.bridge.services import event_receive
from dost.entitlements.models import Award
from dost.notifications.models import SmsMessage
from dost.payments.models import BankRequest
from dost.registry.models import FamilyRelation, Person
from tests.bridge.conftest import (
    CHILD_FIN,
    EVENTS_URL,
    FATHER_FIN,
    MOTHER_FIN,
    birth_event,
    today,
)

pytestmark = pytest.mark.usefixtures("mother", "father")


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count()
            for model in (Person, FamilyRelation, InboundEvent, Award, SmsMessage, BankRequest)}


def test_birth_is_accepted_with_the_people_touched_and_the_awards_made(justice):
    response = justice.post(EVENTS_URL, birth_event(), format="json")

    assert response.status_code == 201
    assert response.json() == {"event_id": "birth-1", "status": "accepted",
                               "people": [MOTHER_FIN, FATHER_FIN, CHILD_FIN], "awards": 1,
                               "reasons": [], "review": None}


def test_birth_registers_the_child_where_the_mother_lives(justice, mother):
    justice.post(EVENTS_URL, birth_event(), format="json")

    child = Person.objects.get(fin=CHILD_FIN)
    assert (child.first_name, child.last_name, child.sex) == ("Aylin", "Əliyeva", "F")
    assert child.birth_date == today() - dt.timedelta(days=2)
    assert child.source_id == "justice"
    assert (child.region_id, child.household_id) == (mother.region_id, mother.household_id)


def test_birth_makes_the_mother_and_father_parents_of_the_child(justice, mother, father):
    justice.post(EVENTS_URL, birth_event(), format="json")

    child = Person.objects.get(fin=CHILD_FIN)
    parents = set(FamilyRelation.objects.filter(person=child, kind="parent")
                  .values_list("relative_id", flat=True))
    assert parents == {mother.pk, father.pk}


def test_patronymic_comes_from_the_fathers_first_name(justice):
    justice.post(EVENTS_URL, birth_event(), format="json")
    justice.post(EVENTS_URL, birth_event("birth-2", child_fin="2CHD002", first_name="Tural",
                                         sex="M"), format="json")

    assert Person.objects.get(fin=CHILD_FIN).patronymic == "Rəşad qızı"
    assert Person.objects.get(fin="2CHD002").patronymic == "Rəşad oğlu"


def test_birth_without_a_known_father_leaves_the_patronymic_empty(justice, mother):
    response = justice.post(EVENTS_URL, birth_event(father_fin=None), format="json")

    assert response.status_code == 201
    assert response.json()["people"] == [MOTHER_FIN, CHILD_FIN]
    child = Person.objects.get(fin=CHILD_FIN)
    assert child.patronymic == ""
    assert list(child.relations.values_list("relative_id", flat=True)) == [mother.pk]


def test_birth_awards_the_mother_the_childbirth_allowance_at_once(justice, mother):
    justice.post(EVENTS_URL, birth_event(), format="json")

    award = Award.objects.get()
    assert (award.person, award.benefit, award.amount) == (mother, "childbirth_allowance",
                                                           Decimal("600.00"))
    assert award.basis_person == Person.objects.get(fin=CHILD_FIN)


def test_birth_queues_an_sms_and_bank_requests_for_the_mother(justice, mother):
    justice.post(EVENTS_URL, birth_event(), format="json")

    award = Award.objects.get()
    sms = SmsMessage.objects.get()
    assert (sms.person, sms.phone, sms.dedupe_key) == (mother, mother.phone, f"award:{award.pk}")
    kinds = set(BankRequest.objects.filter(person=mother).values_list("kind", flat=True))
    assert kinds == {"open_account", "payment"}


def test_birth_event_is_stored_with_its_outcome(justice, justice_token, mother, father):
    justice.post(EVENTS_URL, birth_event(), format="json")

    stored = InboundEvent.objects.get()
    child = Person.objects.get(fin=CHILD_FIN)
    assert stored.institution == justice_token[0].institution
    assert (stored.event_id, stored.type, stored.awards_made) == ("birth-1", "birth", 1)
    assert stored.people == [mother.pk, father.pk, child.pk]
    assert stored.payload["child"]["fin"] == CHILD_FIN


def test_resent_birth_event_creates_nothing_new(justice):
    first = justice.post(EVENTS_URL, birth_event(), format="json")
    before = counts()

    again = justice.post(EVENTS_URL, birth_event(), format="json")

    assert again.status_code == 200
    assert again.json() == first.json()
    assert counts() == before


def test_resend_with_a_lower_case_fin_is_the_same_event(justice):
    justice.post(EVENTS_URL, birth_event(), format="json")
    before = counts()

    again = justice.post(EVENTS_URL, birth_event(mother_fin=MOTHER_FIN.lower()), format="json")

    assert again.status_code == 200
    assert counts() == before


def test_reused_event_id_with_a_different_body_is_a_conflict(justice):
    justice.post(EVENTS_URL, birth_event(), format="json")
    before = counts()

    response = justice.post(EVENTS_URL, birth_event(first_name="Leyla"), format="json")

    assert response.status_code == 409
    assert response.json()["code"] == "event_id_reused"
    assert "birth-1" in response.json()["detail"]
    assert counts() == before
    assert Person.objects.get(fin=CHILD_FIN).first_name == "Aylin"


def test_the_same_event_id_from_another_institution_is_another_event(justice, tax):
    justice.post(EVENTS_URL, birth_event("42"), format="json")

    response = tax.post(EVENTS_URL, birth_event("42", child_fin="2CHD002"), format="json")

    assert response.status_code == 201
    assert InboundEvent.objects.filter(event_id="42").count() == 2


def test_a_child_fin_already_registered_is_refused_and_nothing_is_written(justice, make_person):
    make_person(fin=CHILD_FIN)
    before = counts()

    response = justice.post(EVENTS_URL, birth_event(), format="json")

    assert response.status_code == 400
    assert CHILD_FIN in response.json()["detail"]
    assert counts() == before


def test_a_man_as_the_mother_is_refused(justice):
    response = justice.post(EVENTS_URL, birth_event(mother_fin=FATHER_FIN, father_fin=None),
                            format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "mother_not_female"
    assert not Person.objects.filter(fin=CHILD_FIN).exists()


def test_a_failure_of_the_engine_leaves_no_child_and_no_event(justice_token, monkeypatch):
    def engine_down(**_kwargs):
        raise RuntimeError("engine down")

    monkeypatch.setattr("dost.bridge.services.entitlements_for_people", engine_down)
    child = {"fin": CHILD_FIN, "first_name": "Aylin", "last_name": "Əliyeva", "sex": "F",
             "birth_date": today()}

    with pytest.raises(RuntimeError):
        event_receive(institution=justice_token[0].institution, event_id="birth-1",
                      type="birth", occurred_on=today(),
                      data={"child": child, "mother_fin": MOTHER_FIN, "father_fin": None})

    assert not Person.objects.filter(fin=CHILD_FIN).exists()
    assert not FamilyRelation.objects.exists()
    assert not InboundEvent.objects.exists()
