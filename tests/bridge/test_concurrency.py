"""Two identical events at the same moment: the second waits for the first and applies nothing."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest

from dost.accounts.models import Scope
from dost.accounts.services import institution_token_create
from dost.bridge import services
from dost.bridge.models import InboundEvent
from dost.entitlements.models import Award
from dost.registry.models import Person
from tests.bridge.conftest import CHILD_FIN, JUSTICE, MOTHER_FIN, today
from tests.concurrency import in_thread, someone_comes_to_wait_on_a_lock

WAIT_SECONDS = 10


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_identical_events_at_once_apply_only_once(make_person, monkeypatch):
    make_person(fin=MOTHER_FIN, phone="+994501234567")
    token, _raw = institution_token_create(name=JUSTICE, scopes=[Scope.EVENTS_WRITE])
    born = today() - dt.timedelta(days=1)
    child = {"fin": CHILD_FIN, "first_name": "Aylin", "last_name": "Əliyeva", "sex": "F",
             "birth_date": born}

    def receive() -> tuple[InboundEvent, bool]:
        return services.event_receive(institution=token.institution, event_id="birth-1",
                                      type="birth", occurred_on=born,
                                      data={"child": child, "mother_fin": MOTHER_FIN,
                                            "father_fin": None})

    # Hold the first request inside its transaction, after its event row is in.
    applying, release = threading.Event(), threading.Event()
    engine = services.entitlements_for_people

    def held_engine(**kwargs: Any) -> int:
        applying.set()
        release.wait(WAIT_SECONDS)
        return engine(**kwargs)

    monkeypatch.setattr(services, "entitlements_for_people", held_engine)
    first_results: list[Any] = []
    second_results: list[Any] = []
    first = in_thread(receive, first_results)
    try:
        assert applying.wait(WAIT_SECONDS)
        second = in_thread(receive, second_results)
        assert someone_comes_to_wait_on_a_lock(), "the second request should wait for the first"
    finally:
        release.set()
        first.join(WAIT_SECONDS)
    second.join(WAIT_SECONDS)

    [(first_event, first_created)] = first_results
    [(second_event, second_created)] = second_results
    assert (first_created, second_created) == (True, False)
    assert second_event.pk == first_event.pk
    assert Person.objects.filter(fin=CHILD_FIN).count() == 1
    assert Award.objects.count() == 1
    assert InboundEvent.objects.count() == 1
