"""A life story for the demo citizen, told through the Digital Bridge as institutions would.

The demo country is synthetic; this picks one young woman in it whose father
already draws an old-age pension (the proactive scan awarded it), and a man
with a work record, and lets the civil registry and the expert commission
report what then happened to them: they married, he was found disabled (the
engine awards him a disability pension), their daughter was born four months
ago (a childbirth allowance for her), and he died two months ago (his pension
stops; their daughter gets a survivor's pension). Each report is an
``event_receive`` call, so the registry changes, awards, SMS and bank requests
are the ones a real event makes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet, Sum
from django.utils.text import slugify

from dost.accounts.models import EVENT_TYPES_OF_KIND, Institution, InstitutionKind
from dost.accounts.services import citizen_account_create
from dost.bridge.services import event_receive
from dost.entitlements.models import Award
from dost.entitlements.services import entitlements_for_people
from dost.registry.models import (
    Contribution,
    DisabilityStatus,
    FamilyRelation,
    Person,
    RelationKind,
    Sex,
)
from dost.registry.synthetic import FIN_SPACE, female_surname, fin_for

CIVIL_REGISTRY = "Ministry of Justice"
EXPERT_COMMISSION = "Medical-Social Expert Commission"
DAUGHTER_NAME = "Nərmin"
# Insured months the husband needs by the year of his finding: enough for a disability
# pension at any age up to 45 (96 months from 41) and for a survivor's pension (60).
HUSBAND_INSURED_MONTHS = 96
# No one retires younger (the lowest retirement age in the parameters, in years).
MIN_PENSION_AGE = 60


@dataclass(frozen=True)
class DemoStory:
    citizen: Person
    father: Person
    husband: Person
    daughter: Person


def demo_story_tell(*, today: dt.date, password: str) -> DemoStory | None:
    """Pick a family in the registry, report their life events, give the woman an account.

    Returns None when the registry holds no one who fits: a woman of 22-32 with
    a phone and no family of her own yet, whose father draws an old-age pension,
    and an unmarried man of 28-45 insured for eight years by the year of his
    finding. All of it is one transaction. Side effects: those of the four
    events (registry changes, awards, SMS, bank requests), the engine run for
    the fathers of the women who might fit, and the woman's portal account.
    """
    with transaction.atomic():
        found = _family(today)
        if found is None:
            return None
        citizen, father, husband = found
        justice = _institution(CIVIL_REGISTRY, InstitutionKind.CIVIL_REGISTRY)
        commission = _institution(EXPERT_COMMISSION, InstitutionKind.EXPERT_COMMISSION)
        married_on = today - dt.timedelta(days=3 * 365)
        found_disabled_on = today - dt.timedelta(days=2 * 365)
        born_on = today - dt.timedelta(days=120)
        died_on = today - dt.timedelta(days=61)
        daughter_fin = _free_fin()

        _report(justice, "marriage", married_on,
                {"spouse_fins": [citizen.fin, husband.fin]}, subject=citizen)
        _report(commission, "disability", found_disabled_on,
                {"fin": husband.fin, "percent": 70, "cause": "general illness",
                 "valid_until": found_disabled_on + dt.timedelta(days=3 * 365)},
                subject=husband)
        _report(justice, "birth", born_on,
                {"child": {"fin": daughter_fin, "first_name": DAUGHTER_NAME,
                           "last_name": female_surname(husband.last_name), "sex": Sex.FEMALE,
                           "birth_date": born_on},
                 "mother_fin": citizen.fin, "father_fin": husband.fin},
                subject=citizen)
        _report(justice, "death", died_on, {"fin": husband.fin}, subject=husband)
        citizen_account_create(person=citizen, password=password)
    # As the events left them (the husband's date of death).
    people = Person.objects.in_bulk([citizen.fin, father.fin, husband.fin, daughter_fin],
                                    field_name="fin")
    return DemoStory(citizen=people[citizen.fin], father=people[father.fin],
                     husband=people[husband.fin], daughter=people[daughter_fin])


def _family(today: dt.date) -> tuple[Person, Person, Person] | None:
    """The first woman, her father and a husband for her who fit the story, or None."""
    daughters = (
        _unattached(Person.objects.filter(sex=Sex.FEMALE))
        .filter(birth_date__gt=_years_before(today, 33), birth_date__lte=_years_before(today, 22))
        .exclude(phone="")
    )
    # The engine, run for their fathers of pension age, awards what the demo's scan has
    # not (yet: its chunks may still be on their way to the workers).
    fathers = (FamilyRelation.objects
               .filter(person__in=daughters, kind=RelationKind.PARENT, relative__sex=Sex.MALE,
                       relative__death_date__isnull=True,
                       relative__birth_date__lte=_years_before(today, MIN_PENSION_AGE))
               .values_list("relative", flat=True))
    entitlements_for_people(people=sorted(set(fathers)), on=today)
    citizen = (daughters.filter(Exists(_pensioner_fathers(OuterRef("pk"))))
               .order_by("id").first())
    if citizen is None:
        return None
    father = (Person.objects.filter(pk__in=_pensioner_fathers(citizen.pk).values("relative"))
              .order_by("id").first())
    if father is None:  # she was chosen, in this same transaction, for having one
        raise RuntimeError("The pensioner father the search found is gone.")
    found_disabled_year = (today - dt.timedelta(days=2 * 365)).year
    insured = (Contribution.objects.filter(person=OuterRef("pk"), year__lte=found_disabled_year)
               .values("person").annotate(months=Sum("insured_months")).values("months"))
    husband = (
        _unattached(Person.objects.filter(sex=Sex.MALE))
        .filter(birth_date__gt=_years_before(today, 46), birth_date__lte=_years_before(today, 28))
        .exclude(household=citizen.household_id)
        .exclude(Exists(DisabilityStatus.objects.filter(person=OuterRef("pk"))))
        .annotate(insured_months=insured)
        .filter(insured_months__gte=HUSBAND_INSURED_MONTHS)
        .order_by("id").first()
    )
    if husband is None:
        return None
    return citizen, father, husband


def _pensioner_fathers(child: int | OuterRef) -> QuerySet[FamilyRelation]:
    """The child's relations to a living father whom the engine awarded an old-age pension."""
    pension = Award.objects.filter(person=OuterRef("relative"), benefit="old_age_pension",
                                   status=Award.Status.AWARDED)
    return FamilyRelation.objects.filter(person=child, kind=RelationKind.PARENT,
                                         relative__sex=Sex.MALE,
                                         relative__death_date__isnull=True).filter(Exists(pension))


def _unattached(people: QuerySet[Person]) -> QuerySet[Person]:
    """Living people with no account, no spouse and no children."""
    return (people.filter(death_date__isnull=True, user__isnull=True)
            .exclude(Exists(FamilyRelation.objects.filter(
                Q(person=OuterRef("pk"), kind=RelationKind.SPOUSE)
                | Q(relative=OuterRef("pk"), kind=RelationKind.PARENT)))))


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _free_fin() -> str:
    """A FIN no one holds: counted down from the top of the synthetic numbering."""
    taken = set(Person.objects.filter(fin__in=[fin_for(FIN_SPACE - k, 0) for k in range(1, 50)])
                .values_list("fin", flat=True))
    return next(fin for k in range(1, 50) if (fin := fin_for(FIN_SPACE - k, 0)) not in taken)


def _institution(name: str, kind: str) -> Institution:
    # With its event types, so a token made for it later pushes what it reports here.
    event_types = list(EVENT_TYPES_OF_KIND[kind])
    institution, _created = Institution.objects.update_or_create(
        name=name, defaults={"event_types": event_types},
        create_defaults={"code": slugify(name)[:64], "event_types": event_types})
    return institution


def _report(institution: Institution, type: str, occurred_on: dt.date, data: dict[str, Any],
            *, subject: Person) -> None:
    event_receive(institution=institution, event_id=f"demo-{type}-{subject.fin}", type=type,
                  occurred_on=occurred_on, data=data)

