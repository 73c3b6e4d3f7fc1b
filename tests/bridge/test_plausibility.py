"""Events checked against the registry: the impossible refused (and nothing written), the
unusual held for review (and nothing applied), the rest applied; each limit from both sides."""

from __future__ import annotations

import datetime as dt

import pytest

from dost.bridge.models import InboundEvent
from dost.bridge.plausibility import age_on, anniversary
from dost.entitlements.models import Award
from dost.registry.models import DisabilityStatus, EmploymentSpell, FamilyRelation, Person
from tests.bridge.conftest import CHILD_FIN, EVENTS_URL, MOTHER_FIN, birth_event, event, today
from tests.bridge.snapshots import database_snapshot

EMPLOYER_TIN = "1400057421"
# The day the Family Code's lowering of the marriage age by a year was repealed, and
# marriages between cousins barred.
FAMILY_CODE_2025 = dt.date(2025, 7, 1)


def post(client, body):
    return client.post(EVENTS_URL, body, format="json")


def born(years: int, before: dt.date, *, younger_by_days: int = 0) -> dt.date:
    """The date of birth of someone exactly ``years`` old on ``before`` (or some days short)."""
    return anniversary(before, -years) + dt.timedelta(days=younger_by_days)


def birth_day() -> dt.date:
    # birth_event() reports a child born two days ago.
    return today() - dt.timedelta(days=2)


def assert_refused(response, code: str, before: dict) -> None:
    assert response.status_code == 400, response.content
    assert response.json()["code"] == code
    assert response.json()["detail"]
    assert database_snapshot() == before


def assert_held(response, *codes: str) -> None:
    assert response.status_code == 202, response.content
    body = response.json()
    assert body["status"] == "held"
    assert [reason["code"] for reason in body["reasons"]] == list(codes)
    assert all(reason["message"] for reason in body["reasons"])
    assert (body["people"], body["awards"]) == ([], 0)
    assert InboundEvent.objects.get(event_id=body["event_id"]).state == "held"


def snapshot_but_events() -> dict:
    """Everything but the events: a held event's own row is all it adds."""
    return database_snapshot(leave_out=frozenset({"bridge_inboundevent"}))


# --- ages, without the database ----------------------------------------------------------------


def test_an_age_counts_completed_years_and_turns_on_the_birthday():
    assert age_on(dt.date(2000, 5, 10), dt.date(2018, 5, 9)) == 17
    assert age_on(dt.date(2000, 5, 10), dt.date(2018, 5, 10)) == 18


def test_someone_born_on_29_february_has_a_birthday_on_28_february_in_a_common_year():
    assert age_on(dt.date(2008, 2, 29), dt.date(2026, 2, 27)) == 17
    assert age_on(dt.date(2008, 2, 29), dt.date(2026, 2, 28)) == 18
    assert anniversary(dt.date(2008, 2, 29), 18) == dt.date(2026, 2, 28)


# --- births: the mother's age -------------------------------------------------------------------


@pytest.mark.parametrize(("years", "younger_by_days", "code"), [
    (8, 0, "mother_too_young"),      # an 8-year-old mother
    (10, 1, "mother_too_young"),     # a day short of 10
    (76, 0, "mother_too_old"),       # over 75
])
def test_a_birth_to_a_mother_too_young_or_too_old_is_refused_and_changes_nothing(
    justice, make_person, years, younger_by_days, code,
):
    make_person(fin="4MUM001", birth_date=born(years, birth_day(),
                                                younger_by_days=younger_by_days))
    before = database_snapshot()

    response = post(justice, birth_event(mother_fin="4MUM001", father_fin=None))

    assert_refused(response, code, before)
    assert "4MUM001" in response.json()["detail"]


@pytest.mark.parametrize(("years", "younger_by_days", "code"), [
    (10, 0, "mother_young"),         # exactly the youngest possible
    (14, 1, "mother_young"),         # a day short of 14
    (56, 0, "mother_old"),           # over 55
    (76, 1, "mother_old"),           # a day short of 76: still possible
])
def test_a_birth_to_a_very_young_or_old_mother_is_held_and_nothing_is_applied(
    justice, make_person, years, younger_by_days, code,
):
    make_person(fin="4MUM001", birth_date=born(years, birth_day(),
                                                younger_by_days=younger_by_days))
    before = snapshot_but_events()

    response = post(justice, birth_event(mother_fin="4MUM001", father_fin=None))

    assert_held(response, code)
    assert snapshot_but_events() == before
    assert not Person.objects.filter(fin=CHILD_FIN).exists()
    assert not Award.objects.exists()


@pytest.mark.parametrize(("years", "younger_by_days"), [(14, 0), (56, 1)])
def test_a_birth_to_a_mother_of_usual_age_is_applied(justice, make_person, years,
                                                     younger_by_days):
    make_person(fin="4MUM001", birth_date=born(years, birth_day(),
                                                younger_by_days=younger_by_days))

    response = post(justice, birth_event(mother_fin="4MUM001", father_fin=None))

    assert response.status_code == 201, response.content
    assert response.json()["status"] == "accepted"
    assert Person.objects.filter(fin=CHILD_FIN).exists()


# --- births: the father's age -------------------------------------------------------------------


def father_born(make_person, years: int, younger_by_days: int = 0) -> Person:
    return make_person(fin="4DAD001", sex="M", first_name="Elnur",
                       birth_date=born(years, birth_day(), younger_by_days=younger_by_days))


@pytest.mark.parametrize(("years", "younger_by_days", "code"), [
    (4, 0, "father_too_young"),      # a 4-year-old father
    (10, 1, "father_too_young"),
    (101, 0, "father_too_old"),      # over 100
])
def test_a_birth_to_a_father_too_young_or_too_old_is_refused_and_changes_nothing(
    justice, mother, make_person, years, younger_by_days, code,
):
    father_born(make_person, years, younger_by_days)
    before = database_snapshot()

    response = post(justice, birth_event(father_fin="4DAD001"))

    assert_refused(response, code, before)


@pytest.mark.parametrize(("years", "younger_by_days", "code"), [
    (10, 0, "father_young"),
    (15, 1, "father_young"),
    (71, 0, "father_old"),           # over 70
    (101, 1, "father_old"),
])
def test_a_birth_to_a_very_young_or_old_father_is_held(justice, mother, make_person, years,
                                                       younger_by_days, code):
    father_born(make_person, years, younger_by_days)
    before = snapshot_but_events()

    response = post(justice, birth_event(father_fin="4DAD001"))

    assert_held(response, code)
    assert snapshot_but_events() == before


@pytest.mark.parametrize(("years", "younger_by_days"), [(15, 0), (71, 1)])
def test_a_birth_to_a_father_of_usual_age_is_applied(justice, mother, make_person, years,
                                                     younger_by_days):
    father_born(make_person, years, younger_by_days)

    response = post(justice, birth_event(father_fin="4DAD001"))

    assert response.status_code == 201, response.content


def test_a_birth_held_for_both_parents_gives_both_reasons(justice, make_person):
    make_person(fin="4MUM001", birth_date=born(12, birth_day()))
    father_born(make_person, 75)

    response = post(justice, birth_event(mother_fin="4MUM001", father_fin="4DAD001"))

    assert_held(response, "mother_young", "father_old")


def test_a_man_as_the_mother_is_still_refused_when_the_ages_are_unusual(justice, make_person):
    father_born(make_person, 12)
    before = database_snapshot()

    response = post(justice, birth_event(mother_fin="4DAD001", father_fin=None))

    assert_refused(response, "mother_not_female", before)


# --- marriages ----------------------------------------------------------------------------------


def marriage(event_id: str, first: str, second: str, on: dt.date | None = None) -> dict:
    return event(event_id, "marriage", {"spouse_fins": [first, second]}, on)


def adult(make_person, fin: str, sex: str = "F", birth_date: dt.date = dt.date(1990, 1, 1)):
    return make_person(fin=fin, sex=sex, first_name="Aysel" if sex == "F" else "Orxan",
                       birth_date=birth_date)


def test_four_and_eight_year_olds_marrying_is_refused_and_changes_nothing(justice, make_person):
    make_person(fin="4KYD004", birth_date=born(4, today()))
    make_person(fin="4KYD008", sex="M", birth_date=born(8, today()))
    before = database_snapshot()

    response = post(justice, marriage("m-1", "4KYD004", "4KYD008"))

    assert_refused(response, "below_marriage_age", before)


def test_marriage_at_exactly_18_is_applied(justice, make_person):
    make_person(fin="4BRD001", birth_date=born(18, today()))
    adult(make_person, "4GRM001", "M")

    response = post(justice, marriage("m-1", "4BRD001", "4GRM001"))

    assert response.status_code == 201, response.content


def test_marriage_a_day_short_of_18_is_refused_since_the_lowering_was_repealed(justice,
                                                                               make_person):
    make_person(fin="4BRD001", birth_date=born(18, today(), younger_by_days=1))
    adult(make_person, "4GRM001", "M")
    before = database_snapshot()

    response = post(justice, marriage("m-1", "4BRD001", "4GRM001"))

    assert_refused(response, "below_marriage_age", before)
    assert "18" in response.json()["detail"]


def test_a_17_year_old_marrying_before_the_repeal_is_held_for_the_authoritys_lowering(
    justice, make_person,
):
    married = FAMILY_CODE_2025 - dt.timedelta(days=1)
    make_person(fin="4BRD001", birth_date=born(17, married))
    adult(make_person, "4GRM001", "M")
    before = snapshot_but_events()

    response = post(justice, marriage("m-1", "4BRD001", "4GRM001", married))

    assert_held(response, "marriage_age_lowered")
    assert snapshot_but_events() == before
    assert not FamilyRelation.objects.exists()


def test_a_day_short_of_17_before_the_repeal_is_refused(justice, make_person):
    married = FAMILY_CODE_2025 - dt.timedelta(days=1)
    make_person(fin="4BRD001", birth_date=born(17, married, younger_by_days=1))
    adult(make_person, "4GRM001", "M")
    before = database_snapshot()

    response = post(justice, marriage("m-1", "4BRD001", "4GRM001", married))

    assert_refused(response, "below_marriage_age", before)


def test_in_2005_a_woman_of_17_needed_no_lowering_but_a_man_of_17_did(justice, make_person):
    # Until 2011 the marriage age was 17 for women and 18 for men.
    married = dt.date(2005, 9, 1)
    make_person(fin="4BRD001", birth_date=born(17, married))
    make_person(fin="4GRM001", sex="M", birth_date=born(17, married))

    response = post(justice, marriage("m-1", "4BRD001", "4GRM001", married))

    assert_held(response, "marriage_age_lowered")
    assert response.json()["reasons"][0]["message"].startswith("4GRM001")


def test_a_second_marriage_while_the_first_stands_is_refused(justice, make_person):
    adult(make_person, "4WYF001")
    adult(make_person, "4HUS001", "M")
    adult(make_person, "4XTH001")
    assert post(justice, marriage("m-1", "4WYF001", "4HUS001",
                                  dt.date(2015, 5, 1))).status_code == 201
    before = database_snapshot()

    response = post(justice, marriage("m-2", "4HUS001", "4XTH001"))

    assert_refused(response, "already_married", before)
    assert "4HUS001" in response.json()["detail"]
    assert "4WYF001" not in response.json()["detail"]  # the wife is not named to the sender


def test_marrying_someone_who_is_still_married_is_refused_from_either_side(justice, make_person):
    adult(make_person, "4WYF001")
    adult(make_person, "4HUS001", "M")
    adult(make_person, "4XTH001", "M")
    post(justice, marriage("m-1", "4WYF001", "4HUS001", dt.date(2015, 5, 1)))
    before = database_snapshot()

    response = post(justice, marriage("m-2", "4XTH001", "4WYF001"))

    assert_refused(response, "already_married", before)


def test_a_widower_may_marry_again(justice, make_person):
    adult(make_person, "4WYF001")
    adult(make_person, "4HUS001", "M")
    adult(make_person, "4XTH001")
    post(justice, marriage("m-1", "4WYF001", "4HUS001", dt.date(2015, 5, 1)))
    died = today() - dt.timedelta(days=30)
    assert post(justice, event("d-1", "death", {"fin": "4WYF001"}, died)).status_code == 201

    response = post(justice, marriage("m-2", "4HUS001", "4XTH001", died))

    assert response.status_code == 201, response.content


def test_a_marriage_that_ended_before_is_no_bar_but_one_that_ended_after_is(justice,
                                                                            make_person):
    wife, husband = adult(make_person, "4WYF001"), adult(make_person, "4HUS001", "M")
    adult(make_person, "4XTH001")
    for person, relative in ((wife, husband), (husband, wife)):
        FamilyRelation.objects.create(person=person, relative=relative, kind="spouse",
                                      since=dt.date(2010, 1, 1), until=dt.date(2020, 1, 1),
                                      source_id="justice")
    before = database_snapshot()

    during = post(justice, marriage("m-1", "4HUS001", "4XTH001", dt.date(2019, 12, 31)))
    assert_refused(during, "already_married", before)

    after = post(justice, marriage("m-2", "4HUS001", "4XTH001", dt.date(2020, 1, 1)))

    assert after.status_code == 201, after.content


def test_a_woman_marrying_her_own_newborn_is_refused_and_changes_nothing(justice, mother,
                                                                         father):
    post(justice, birth_event())
    before = database_snapshot()

    response = post(justice, marriage("m-1", MOTHER_FIN, CHILD_FIN))

    assert_refused(response, "close_kinship", before)


@pytest.fixture
def family(make_person):
    """Grandparents G1+G2; their children P1 and P2 (siblings); P1's child C1, P2's child C2
    (cousins); H, P1's half-sibling by G1 and another woman. Everyone is an adult."""
    people = {name: adult(make_person, f"4FAM{index:03d}", sex,
                          dt.date(birth_year, 1, 1))
              for index, (name, sex, birth_year) in enumerate([
                  ("G1", "M", 1940), ("G2", "F", 1942), ("W", "F", 1945),
                  ("P1", "F", 1965), ("P2", "M", 1967), ("H", "M", 1970),
                  ("C1", "F", 1990), ("C2", "M", 1992)], start=1)}
    for child, parents in (("P1", ["G1", "G2"]), ("P2", ["G1", "G2"]), ("H", ["G1", "W"]),
                           ("C1", ["P1"]), ("C2", ["P2"])):
        for parent in parents:
            FamilyRelation.objects.create(person=people[child], relative=people[parent],
                                          kind="parent", source_id="justice")
    return people


@pytest.mark.parametrize(("first", "second", "kinship"), [
    ("P1", "G1", "parent and child"),
    ("G2", "P2", "parent and child"),
    ("P1", "P2", "siblings"),
    ("P1", "H", "siblings"),             # half-siblings: one parent in common
    ("C2", "G2", "grandparent and grandchild"),
    ("G1", "C1", "grandparent and grandchild"),
    ("C1", "C2", "cousins"),
])
def test_close_relatives_marrying_is_refused_and_changes_nothing(justice, family, first, second,
                                                                 kinship):
    before = database_snapshot()

    response = post(justice, marriage("m-1", family[first].fin, family[second].fin))

    assert_refused(response, "close_kinship", before)
    assert kinship in response.json()["detail"]


def test_cousins_could_marry_before_the_2025_amendment(justice, family):
    response = post(justice, marriage("m-1", family["C1"].fin, family["C2"].fin,
                                      FAMILY_CODE_2025 - dt.timedelta(days=1)))

    assert response.status_code == 201, response.content


def test_people_with_no_recorded_ancestor_in_common_may_marry(justice, family):
    # H's mother W is no relative of P2's son C2.
    response = post(justice, marriage("m-1", family["W"].fin, family["C2"].fin))

    assert response.status_code == 201, response.content


# --- employment -----------------------------------------------------------------------------


def job(event_id: str, fin: str, on: dt.date | None = None) -> dict:
    return event(event_id, "employment_start",
                 {"fin": fin, "employer_name": "Azərsu ASC", "employer_tin": EMPLOYER_TIN,
                  "occupation_code": "9112", "monthly_wage": "400.00"}, on)


def test_a_four_year_old_starting_a_job_is_refused_and_changes_nothing(justice, make_person):
    make_person(fin="4KYD004", birth_date=born(4, today()))
    before = database_snapshot()

    response = post(justice, job("job-1", "4KYD004"))

    assert_refused(response, "below_working_age", before)


def test_starting_work_a_day_short_of_15_is_refused(justice, make_person):
    make_person(fin="4TEN015", birth_date=born(15, today(), younger_by_days=1))
    before = database_snapshot()

    response = post(justice, job("job-1", "4TEN015"))

    assert_refused(response, "below_working_age", before)


def test_starting_work_at_exactly_15_is_applied(justice, make_person):
    make_person(fin="4TEN015", birth_date=born(15, today()))

    response = post(justice, job("job-1", "4TEN015"))

    assert response.status_code == 201, response.content
    assert EmploymentSpell.objects.filter(person__fin="4TEN015").exists()


# --- deaths ---------------------------------------------------------------------------------


def test_a_death_of_someone_unknown_to_the_registry_is_refused_and_changes_nothing(justice,
                                                                                  mother):
    before = database_snapshot()

    response = post(justice, event("d-1", "death", {"fin": "9ZZZZZ9"}))

    assert_refused(response, "unknown_fin", before)


def test_a_death_at_111_is_held_and_the_person_stays_alive(justice, make_person):
    died = today() - dt.timedelta(days=3)
    make_person(fin="4XLD111", birth_date=born(111, died))
    before = snapshot_but_events()

    response = post(justice, event("d-1", "death", {"fin": "4XLD111"}, died))

    assert_held(response, "death_very_old")
    assert snapshot_but_events() == before
    assert Person.objects.get(fin="4XLD111").death_date is None


def test_a_death_a_day_short_of_111_is_applied(justice, make_person):
    died = today() - dt.timedelta(days=3)
    make_person(fin="4XLD110", birth_date=born(111, died, younger_by_days=1))

    response = post(justice, event("d-1", "death", {"fin": "4XLD110"}, died))

    assert response.status_code == 201, response.content
    assert Person.objects.get(fin="4XLD110").death_date == died


def test_a_death_reported_more_than_a_year_late_is_held(justice, mother):
    response = post(justice, event("d-1", "death", {"fin": MOTHER_FIN},
                                   today() - dt.timedelta(days=366)))

    assert_held(response, "death_reported_late")
    assert Person.objects.get(fin=MOTHER_FIN).death_date is None


def test_a_death_reported_a_year_late_is_applied(justice, mother):
    response = post(justice, event("d-1", "death", {"fin": MOTHER_FIN},
                                   today() - dt.timedelta(days=365)))

    assert response.status_code == 201, response.content


# --- disability findings ----------------------------------------------------------------------


def finding(event_id: str, fin: str, on: dt.date, valid_until: dt.date | None = None) -> dict:
    data = {"fin": fin, "percent": 65,
            "valid_until": valid_until.isoformat() if valid_until else None}
    return event(event_id, "disability", data, on)


def test_a_second_finding_for_one_person_on_one_day_is_refused(justice, mother):
    found = today() - dt.timedelta(days=10)
    post(justice, finding("msec-1", MOTHER_FIN, found, found + dt.timedelta(days=365)))
    before = database_snapshot()

    response = post(justice, finding("msec-2", MOTHER_FIN, found))

    assert_refused(response, "finding_same_day", before)
    assert DisabilityStatus.objects.count() == 1


def test_a_finding_the_next_day_is_applied(justice, mother):
    found = today() - dt.timedelta(days=10)
    post(justice, finding("msec-1", MOTHER_FIN, found, found + dt.timedelta(days=365)))

    response = post(justice, finding("msec-2", MOTHER_FIN, found + dt.timedelta(days=1)))

    assert response.status_code == 201, response.content
    assert DisabilityStatus.objects.count() == 2


def test_a_finding_dated_before_the_birth_is_refused(justice, make_person):
    person = make_person(fin="4KYD002", birth_date=today() - dt.timedelta(days=30))
    before = database_snapshot()

    response = post(justice, finding("msec-1", person.fin,
                                     person.birth_date - dt.timedelta(days=1)))

    assert_refused(response, "not_yet_born", before)


def test_a_finding_valid_for_the_longest_review_period_is_applied(justice, mother):
    found = today() - dt.timedelta(days=10)

    response = post(justice, finding("msec-1", MOTHER_FIN, found, anniversary(found, 5)))

    assert response.status_code == 201, response.content


@pytest.mark.parametrize("valid_until", [
    lambda found: anniversary(found, 5) + dt.timedelta(days=1),
    lambda found: anniversary(found, 15),
])
def test_a_finding_valid_longer_than_the_longest_review_period_is_held(justice, mother,
                                                                       valid_until):
    found = today() - dt.timedelta(days=10)

    response = post(justice, finding("msec-1", MOTHER_FIN, found, valid_until(found)))

    assert_held(response, "finding_long")
    assert not DisabilityStatus.objects.exists()


def test_a_finding_valid_longer_than_any_fixed_term_is_refused(justice, mother):
    found = today() - dt.timedelta(days=10)
    before = database_snapshot()

    response = post(justice, finding("msec-1", MOTHER_FIN, found,
                                     anniversary(found, 15) + dt.timedelta(days=1)))

    assert_refused(response, "finding_too_long", before)


def test_a_childs_finding_may_run_until_18_but_not_a_day_longer(justice, make_person):
    child = make_person(fin="4KYD002", birth_date=born(2, today()))
    found = today() - dt.timedelta(days=10)
    before = database_snapshot()

    too_long = post(justice, finding("msec-1", child.fin, found,
                                     anniversary(child.birth_date, 18) + dt.timedelta(days=1)))
    assert_refused(too_long, "finding_too_long", before)

    response = post(justice, finding("msec-2", child.fin, found,
                                     anniversary(child.birth_date, 18)))

    assert response.status_code == 201, response.content


def test_a_finding_made_more_than_five_years_before_it_is_reported_is_held(justice, mother):
    found = anniversary(today(), -5) - dt.timedelta(days=1)

    response = post(justice, finding("msec-1", MOTHER_FIN, found))

    assert_held(response, "finding_reported_late")


def test_a_finding_made_five_years_before_it_is_reported_is_applied(justice, mother):
    response = post(justice, finding("msec-1", MOTHER_FIN, anniversary(today(), -5)))

    assert response.status_code == 201, response.content


# The 2011 amendment (marriage age 18 for women too), on both sides of its first day.
FAMILY_CODE_2011 = dt.date(2011, 12, 1)


@pytest.mark.parametrize(("married", "held"), [
    (FAMILY_CODE_2011 - dt.timedelta(days=1), False),
    (FAMILY_CODE_2011, True),
])
def test_a_woman_of_17_needs_the_authoritys_lowering_from_the_2011_amendment_on(
        justice, make_person, married, held):
    make_person(fin="4BRD001", birth_date=born(17, married))
    adult(make_person, "4GRM001", "M")

    response = post(justice, marriage("m-1", "4BRD001", "4GRM001", married))

    if held:
        assert_held(response, "marriage_age_lowered")
        assert not FamilyRelation.objects.exists()
    else:
        assert response.status_code == 201, response.content
        assert FamilyRelation.objects.filter(kind="spouse").count() == 2
