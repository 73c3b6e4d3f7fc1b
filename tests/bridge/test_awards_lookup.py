"""An institution looks up a citizen's awards; every look is logged for the citizen."""

from __future__ import annotations

import datetime as dt

import pytest

from dost.accounts.models import Scope
from dost.accounts.services import institution_token_create
from dost.audit.models import AccessRecord, Channel, Subject
from dost.bridge.services import event_receive
from dost.registry.models import Person
from tests.bridge.conftest import (
    EVENTS_URL,
    MOTHER_FIN,
    TAX,
    awards_url,
    birth_event,
    today,
    token_client,
)

pytestmark = pytest.mark.usefixtures("mother", "father")


@pytest.fixture
def mother_with_allowance(justice) -> Person:
    justice.post(EVENTS_URL, birth_event(), format="json")
    return Person.objects.get(fin=MOTHER_FIN)


def triplets_born(justice_token) -> None:
    """Three births to the same mother, applied as the civil registry would push them."""
    born = today() - dt.timedelta(days=1)
    for number in range(1, 4):
        child = {"fin": f"2TRP00{number}", "first_name": "Ay", "last_name": "Əliyeva",
                 "sex": "F", "birth_date": born}
        event_receive(institution=justice_token[0].institution, event_id=f"triplet-{number}",
                      type="birth", occurred_on=born,
                      data={"child": child, "mother_fin": MOTHER_FIN, "father_fin": None})


def test_look_up_returns_the_citizens_awards(tax, mother_with_allowance):
    response = tax.get(awards_url(MOTHER_FIN))

    assert response.status_code == 200
    [award] = response.json()
    assert award.keys() == {"benefit", "amount", "period_start", "period_end", "status",
                            "decided_at", "frequency"}
    assert (award["benefit"], award["amount"], award["status"], award["frequency"]) == (
        "childbirth_allowance", "600.00", "awarded", "once")
    assert award["period_start"] == (today() - dt.timedelta(days=2)).isoformat()
    assert award["period_end"] is None


def test_look_up_is_logged_for_the_citizen_with_the_reason(tax, mother_with_allowance):
    tax.get(awards_url(MOTHER_FIN, "income check 7/2026"))

    record = AccessRecord.objects.get()
    assert record.person == mother_with_allowance
    assert (record.channel, record.what, record.reason) == (Channel.API, Subject.AWARDS,
                                                            "income check 7/2026")
    assert record.institution.name == TAX
    assert record.actor is None


def test_look_up_of_a_citizen_without_awards_is_an_empty_list_and_is_logged(tax):
    response = tax.get(awards_url(MOTHER_FIN))

    assert response.status_code == 200
    assert response.json() == []
    assert AccessRecord.objects.count() == 1


def test_look_up_ignores_the_case_of_the_fin(tax, mother_with_allowance):
    response = tax.get(awards_url(MOTHER_FIN.lower()))

    assert response.status_code == 200
    assert len(response.json()) == 1


@pytest.mark.parametrize("reason", [None, "", "%20%20"])
def test_look_up_without_a_reason_is_refused_and_not_logged(tax, mother_with_allowance,
                                                            reason):
    response = tax.get(awards_url(MOTHER_FIN, reason))

    assert response.status_code == 400
    assert "reason" in response.json()
    assert not AccessRecord.objects.exists()


def test_look_up_of_an_unknown_fin_is_not_found_and_not_logged(tax):
    response = tax.get(awards_url("9ZZZZZ9"))

    assert response.status_code == 404
    assert not AccessRecord.objects.exists()


def test_look_up_with_a_token_lacking_awards_read_is_forbidden(justice, mother_with_allowance):
    response = justice.get(awards_url(MOTHER_FIN))

    assert response.status_code == 403
    assert "600" not in response.content.decode()
    assert not AccessRecord.objects.exists()


def test_look_up_with_a_wrong_token_is_unauthorised(db):
    response = token_client("not-the-right-key").get(awards_url(MOTHER_FIN))

    assert response.status_code == 401


def test_look_up_takes_the_same_queries_however_many_awards(
    justice_token, django_assert_num_queries
):
    triplets_born(justice_token)
    _token, raw = institution_token_create(name=TAX, scopes=[Scope.AWARDS_READ])
    client = token_client(raw)
    client.get(awards_url(MOTHER_FIN))  # stamps the token's last use

    # The token, the person, the access record, the awards.
    with django_assert_num_queries(4):
        response = client.get(awards_url(MOTHER_FIN))

    assert len(response.json()) == 3
