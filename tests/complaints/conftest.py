from __future__ import annotations

import pytest

from dost.accounts.models import Role, User
from dost.audit.decisions import decision_record
from dost.audit.models import DecisionKind
from dost.complaints.models import Category, Unit, UnitMember
from tests.conftest import _staff


@pytest.fixture
def unit(db) -> Unit:
    """The unit answering appeals against decisions, with a head and a centre manager."""
    unit = Unit.objects.get(code="decisions")
    unit.head, _secret = _staff("head", Role.STAFF)
    unit.manager, _secret = _staff("manager", Role.STAFF)
    unit.save(update_fields=["head", "manager"])
    return unit


@pytest.fixture
def officer(unit) -> User:
    user, _secret = _staff("officer", Role.STAFF)
    UnitMember.objects.create(unit=unit, user=user)
    return user


@pytest.fixture
def outsider(db) -> User:
    """Staff of another unit."""
    user, _secret = _staff("outsider", Role.STAFF)
    UnitMember.objects.create(unit=Unit.objects.get(code="service"), user=user)
    return user


@pytest.fixture
def appeal(unit) -> Category:
    return Category.objects.get(code="decision_appeal")


@pytest.fixture
def quality(db) -> Category:
    return Category.objects.get(code="service_quality")


@pytest.fixture
def decision_about():
    def make(person):
        return decision_record(kind=DecisionKind.AWARD, subject="childbirth",
                               decided_by="rule:childbirth", person_id=person.pk,
                               details={"amount": "600"})
    return make
