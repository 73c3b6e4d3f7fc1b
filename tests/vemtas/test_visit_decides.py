"""A case the cross-checks cleared is decided once the worker signs the home visit: awarded
when the conditions agree with the declaration, refused on the visit when they do not."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from dost.audit.models import DecisionEntry
from dost.entitlements.models import Award
from tests.vemtas.households import apply, household
from tests.vemtas.visits import (  # noqa: F401 (media_root: every file under a fresh folder)
    PASSWORD,
    jpeg,
    media_root,
    official,
    tomorrow_at_ten,
)
from vemtas.assessments import (
    assessment_assign,
    assessment_media_add,
    assessment_record,
    assessment_submit,
)
from vemtas.checks import cases_cross_check
from vemtas.models import CaseState, Ground
from vemtas.signing import key_issue

pytestmark = pytest.mark.django_db


def _visited(*, agrees: bool):
    _home, (mother, son) = household(dt.date(1990, 5, 1), dt.date(2016, 2, 2))
    case = apply(mother, on=timezone.localdate(), income="100")
    cases_cross_check(case_ids=[case.pk])
    case.refresh_from_db()
    assert case.state == CaseState.VISIT
    worker, administrator = official("samira"), official("boss", is_superuser=True)
    key_issue(worker=worker, issued_by=administrator)
    assessment = assessment_assign(assessment=case.assessment, worker=worker,
                                   visit_at=tomorrow_at_ten(), actor=administrator)
    assessment_media_add(assessment=assessment, worker=worker, kind="photo", upload=jpeg())
    assessment_record(assessment=assessment, worker=worker, members_present=2,
                      conditions="Two rooms, old furniture, no appliances of value.",
                      matches_declaration=agrees,
                      disagreement="" if agrees else "A third adult lives here and works.")
    assessment_submit(assessment=assessment, worker=worker)
    case.refresh_from_db()
    return case, mother


def test_a_signed_visit_that_agrees_lets_the_system_award():
    case, mother = _visited(agrees=True)
    assert case.state == CaseState.AWARDED
    assert Award.objects.get(person=mother, benefit="tssa").amount == case.criterion * 2 - 100
    assert DecisionEntry.objects.filter(kind="home_visit", person_id=mother.pk).exists()


def test_a_signed_visit_that_disagrees_refuses_on_that_ground():
    case, mother = _visited(agrees=False)
    assert case.state == CaseState.REFUSED and case.false_declaration
    ground = case.discrepancies.get()
    assert (ground.ground, ground.source) == (Ground.ASSESSMENT, "assessment")
    assert "third adult" in ground.found
    assert not Award.objects.filter(person=mother).exists()
    assert DecisionEntry.objects.filter(subject=f"tssa-case:{case.pk}", kind="refusal").exists()
