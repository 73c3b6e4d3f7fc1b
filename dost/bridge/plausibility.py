"""Whether a life event an institution reports can have happened, checked against the registry.

Each event type has a check that reads what the event needs from the registry and
either refuses the event with ``DomainError`` (it cannot have happened, or the law
forbids it: a mother of eight, a second marriage while the first stands) or returns
the concerns that make it unusual (a mother of twelve, a death at 112). An event
with concerns is stored but held until staff decide; one without is applied.

The limits are effective-dated parameters with their legal source
(``dost/bridge/parameters.yaml``), looked up as of the day of the event. Nothing
here writes: the handlers in ``dost.bridge.services`` run the same check before
they write, so an event applied after review still meets every limit that makes it
possible, while its concerns are waived because a person decided.

The checks expect ``data`` as ``dost.bridge.api.EventSerializer`` validates it
(FINs normalised, dates as dates).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dost.entitlements.parameters import ParameterValue, history
from dost.errors import DomainError
from dost.registry.models import (
    DisabilityStatus,
    EmploymentSpell,
    FamilyRelation,
    Person,
    RelationKind,
    Sex,
)

EventData = Mapping[str, Any]

# What each refusal and concern says, by code. Concerns are stored with their
# parameters and read back in the reader's language; refusals are said at once.
MESSAGES: dict[str, Promise] = {
    # births
    "mother_too_young": gettext_lazy(
        "The mother %(fin)s would have been %(age)s years old at the birth: a mother is at "
        "least %(limit)s."),
    "mother_too_old": gettext_lazy(
        "The mother %(fin)s would have been %(age)s years old at the birth: a mother is at "
        "most %(limit)s."),
    "father_too_young": gettext_lazy(
        "The father %(fin)s would have been %(age)s years old at the birth: a father is at "
        "least %(limit)s."),
    "father_too_old": gettext_lazy(
        "The father %(fin)s would have been %(age)s years old at the birth: a father is at "
        "most %(limit)s."),
    "mother_young": gettext_lazy(
        "The mother %(fin)s was %(age)s years old at the birth; births to mothers under "
        "%(limit)s are checked by staff."),
    "mother_old": gettext_lazy(
        "The mother %(fin)s was %(age)s years old at the birth; births to mothers over "
        "%(limit)s are checked by staff."),
    "father_young": gettext_lazy(
        "The father %(fin)s was %(age)s years old at the birth; births to fathers under "
        "%(limit)s are checked by staff."),
    "father_old": gettext_lazy(
        "The father %(fin)s was %(age)s years old at the birth; births to fathers over "
        "%(limit)s are checked by staff."),
    # marriages
    "below_marriage_age": gettext_lazy(
        "%(fin)s was %(age)s years old on the day of the marriage, under the lowest marriage "
        "age the law allows (%(limit)s)."),
    "marriage_age_lowered": gettext_lazy(
        "%(fin)s was %(age)s years old on the day of the marriage, under the marriage age of "
        "%(limit)s: staff check that the local executive authority lowered it."),
    "already_married": gettext_lazy(
        "%(fin)s is still married to someone else: a second marriage cannot be registered."),
    "close_kinship": gettext_lazy(
        "%(first)s and %(second)s are close relatives (%(kinship)s): the Family Code bars "
        "their marriage."),
    # work
    "below_working_age": gettext_lazy(
        "%(fin)s was %(age)s years old on the first day of work, under the minimum working "
        "age of %(limit)s."),
    # deaths
    "death_very_old": gettext_lazy(
        "%(fin)s was %(age)s years old at death; deaths over %(limit)s are checked by staff "
        "(the date of birth may be wrong)."),
    "death_reported_late": gettext_lazy(
        "The death was reported %(days)s days after it happened; deaths reported more than "
        "%(limit)s days late are checked by staff."),
    # disability findings
    "finding_same_day": gettext_lazy(
        "%(fin)s already has a finding dated %(date)s: a commission makes one finding a day."),
    "finding_too_long": gettext_lazy(
        "A fixed-term finding cannot run until %(until)s: the longest term is %(limit)s "
        "years."),
    "finding_long": gettext_lazy(
        "The finding runs until %(until)s, longer than %(limit)s years: staff check its "
        "term."),
    "finding_reported_late": gettext_lazy(
        "The finding was made on %(date)s, more than %(limit)s years before it was reported."),
}

KINSHIPS: dict[str, Promise] = {
    "parent": gettext_lazy("parent and child"),
    "sibling": gettext_lazy("siblings"),
    "grandparent": gettext_lazy("grandparent and grandchild"),
    "cousin": gettext_lazy("cousins"),
}


@dataclass(frozen=True)
class Concern:
    """Why an event is held: a code, and the facts its message names (JSON-safe)."""

    code: str
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def message(self) -> str:
        return str(MESSAGES[self.code] % self.params)

    def as_json(self) -> dict[str, Any]:
        """How the concern is stored with the held event (the message as first said)."""
        return {"code": self.code, "message": self.message, "params": self.params}


def reason_message(reason: Mapping[str, Any]) -> str:
    """A stored hold reason in the active language; as stored when its code is no longer known."""
    code, params = reason.get("code", ""), reason.get("params") or {}
    if code in MESSAGES:
        try:
            return str(MESSAGES[code] % params)
        except (KeyError, TypeError, ValueError):
            pass
    return str(reason.get("message") or code)


def _refusal(code: str, **params: Any) -> DomainError:
    return DomainError(str(MESSAGES[code] % params), code=code)


# --- dates and limits --------------------------------------------------------------------------


def anniversary(day: dt.date, years: int) -> dt.date:
    """The same day ``years`` later; 29 February falls on 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def age_on(birth_date: dt.date, day: dt.date) -> int:
    """Completed years of someone born on ``birth_date``, on ``day``."""
    years = day.year - birth_date.year
    return years - 1 if anniversary(birth_date, years) > day else years


def limit_on(name: str, on: dt.date) -> ParameterValue:
    """The limit ``name`` in force on ``on``; its first value for a day before it.

    Events can be reported decades late; the oldest value known is the best
    judgement for a day before it (``parameters.yaml`` starts most limits in 1900).
    """
    values = history(name)
    in_force = [item for item in values if item.starts_on <= on]
    return in_force[-1] if in_force else values[0]


def _years(name: str, on: dt.date) -> int:
    return int(limit_on(name, on).value)


# --- reads shared with the handlers ----------------------------------------------------------


def person_of(fin: str, *, for_update: bool = False) -> Person:
    """The registry's person with ``fin``; refused when the registry has none."""
    people = Person.objects.select_for_update() if for_update else Person.objects.all()
    person = people.filter(fin=fin).first()
    if person is None:
        raise DomainError(_("No person with FIN %(fin)s is in the registry.") % {"fin": fin},
                          code="unknown_fin")
    return person


def check_living_on(person: Person, day: dt.date) -> None:
    """Refuse an event on a day the person was not yet born or already dead."""
    if person.birth_date > day:
        raise DomainError(_("%(fin)s was not yet born on %(date)s.")
                          % {"fin": person.fin, "date": day.isoformat()},
                          code="not_yet_born")
    if person.death_date is not None and person.death_date < day:
        raise DomainError(_("%(fin)s had died before %(date)s.")
                          % {"fin": person.fin, "date": day.isoformat()}, code="dead")


# --- one check per type of event ---------------------------------------------------------------


def birth_check(occurred_on: dt.date, data: EventData) -> list[Concern]:
    """A birth: the child new to the registry, the parents of the right sex, alive (the
    mother) and of an age to have a child on the child's date of birth."""
    child = data["child"]
    birth_date: dt.date = child["birth_date"]
    mother = person_of(data["mother_fin"])
    father = person_of(data["father_fin"]) if data.get("father_fin") else None
    if child["fin"] in {mother.fin, father.fin if father else None}:
        raise DomainError(_("The child's FIN %(fin)s is a parent's FIN.")
                          % {"fin": child["fin"]}, code="child_is_parent")
    if birth_date > occurred_on:
        raise DomainError(_("The child's date of birth is after the date of the event."),
                          code="birth_after_event")
    if mother.sex != Sex.FEMALE:
        raise DomainError(_("%(fin)s is not recorded as a woman and cannot be the mother.")
                          % {"fin": mother.fin}, code="mother_not_female")
    if father is not None and father.sex != Sex.MALE:
        raise DomainError(_("%(fin)s is not recorded as a man and cannot be the father.")
                          % {"fin": father.fin}, code="father_not_male")
    parents = [("mother", mother)] if father is None else [("mother", mother),
                                                           ("father", father)]
    for _role, parent in parents:
        if parent.birth_date >= birth_date:
            raise DomainError(_("The parent %(fin)s was born after the child.")
                              % {"fin": parent.fin}, code="parent_younger")
    if mother.death_date is not None and mother.death_date < birth_date:
        raise DomainError(_("The mother %(fin)s died before the child's date of birth.")
                          % {"fin": mother.fin}, code="mother_dead")
    if Person.objects.filter(fin=child["fin"]).exists():
        raise DomainError(_("A person with FIN %(fin)s is already registered.")
                          % {"fin": child["fin"]}, code="duplicate_fin")
    concerns: list[Concern] = []
    for role, parent in parents:
        concerns += _parent_age_concerns(role, parent, birth_date)
    return concerns


def _parent_age_concerns(role: str, parent: Person, born: dt.date) -> list[Concern]:
    age = age_on(parent.birth_date, born)
    facts = {"fin": parent.fin, "age": age}
    minimum, maximum = _years(f"{role}_minimum_age", born), _years(f"{role}_maximum_age", born)
    if age < minimum:
        raise _refusal(f"{role}_too_young", **facts, limit=minimum)
    if age > maximum:
        raise _refusal(f"{role}_too_old", **facts, limit=maximum)
    concerns: list[Concern] = []
    usual_minimum = _years(f"{role}_usual_minimum_age", born)
    usual_maximum = _years(f"{role}_usual_maximum_age", born)
    if age < usual_minimum:
        concerns.append(Concern(f"{role}_young", {**facts, "limit": usual_minimum}))
    if age > usual_maximum:
        concerns.append(Concern(f"{role}_old", {**facts, "limit": usual_maximum}))
    return concerns


def marriage_check(occurred_on: dt.date, data: EventData) -> list[Concern]:
    """A marriage: two living people, neither still married to someone else, not close
    relatives, and both of marriage age (held when only a lowering makes them so)."""
    first, second = (person_of(fin) for fin in data["spouse_fins"])
    if first.pk == second.pk:
        raise DomainError(_("A marriage needs two different people."), code="same_spouse")
    for spouse in (first, second):
        check_living_on(spouse, occurred_on)
    already = FamilyRelation.objects.filter(
        Q(person=first, relative=second) | Q(person=second, relative=first),
        kind=RelationKind.SPOUSE,
    )
    if already.exists():
        raise DomainError(
            _("%(first)s and %(second)s are already recorded as spouses.")
            % {"first": first.fin, "second": second.fin},
            code="already_spouses",
        )
    _refuse_a_standing_marriage(first, second, occurred_on)
    _refuse_close_kinship(first, second, occurred_on)
    concerns: list[Concern] = []
    for spouse in (first, second):
        concerns += _marriage_age_concerns(spouse, occurred_on)
    return concerns


def _refuse_a_standing_marriage(first: Person, second: Person, day: dt.date) -> None:
    # A marriage ends on its recorded end (``until``, e.g. a divorce) or on the day
    # the spouse dies; one that has not ended by the day of the new one stands.
    standing = (
        FamilyRelation.objects.filter(person__in=[first, second], kind=RelationKind.SPOUSE)
        .exclude(relative__in=[first, second])
        .filter(Q(until__isnull=True) | Q(until__gt=day))
        .filter(Q(relative__death_date__isnull=True) | Q(relative__death_date__gt=day))
        .select_related("person")
        .order_by("id")
        .first()
    )
    if standing is not None:
        # The other spouse is not named: the sender learns no more than it sent.
        raise _refusal("already_married", fin=standing.person.fin)


def kinship_of(first: Person, second: Person) -> str | None:
    """How the two are related by recorded parenthood: a key of ``KINSHIPS``, or None.

    Two queries: the parents of both, then their parents.
    """
    parents = _parents_of([first.pk, second.pk])
    first_parents, second_parents = parents.get(first.pk, set()), parents.get(second.pk, set())
    if second.pk in first_parents or first.pk in second_parents:
        return "parent"
    if first_parents & second_parents:
        return "sibling"
    grandparents = _parents_of(first_parents | second_parents)

    def of(people: set[int]) -> set[int]:
        return {grandparent for parent in people for grandparent in grandparents.get(parent, ())}

    first_grandparents, second_grandparents = of(first_parents), of(second_parents)
    if second.pk in first_grandparents or first.pk in second_grandparents:
        return "grandparent"
    if first_grandparents & second_grandparents:
        return "cousin"
    return None


def _parents_of(people: Iterable[int]) -> dict[int, set[int]]:
    parents: dict[int, set[int]] = {}
    pairs = FamilyRelation.objects.filter(person__in=list(people), kind=RelationKind.PARENT)
    for child, parent in pairs.values_list("person_id", "relative_id"):
        parents.setdefault(child, set()).add(parent)
    return parents


def _refuse_close_kinship(first: Person, second: Person, day: dt.date) -> None:
    kinship = kinship_of(first, second)
    if kinship is not None and kinship in limit_on("marriage_barred_kinship", day).value:
        raise _refusal("close_kinship", first=first.fin, second=second.fin,
                       kinship=str(KINSHIPS[kinship]))


def _marriage_age_concerns(spouse: Person, day: dt.date) -> list[Concern]:
    age = age_on(spouse.birth_date, day)
    marriage_age = int(limit_on("marriage_minimum_age", day).value[spouse.sex])
    lowest = marriage_age - _years("marriage_age_lowering_years", day)
    if age < lowest:
        raise _refusal("below_marriage_age", fin=spouse.fin, age=age, limit=lowest)
    if age < marriage_age:
        return [Concern("marriage_age_lowered",
                        {"fin": spouse.fin, "age": age, "limit": marriage_age})]
    return []


def death_check(occurred_on: dt.date, data: EventData) -> list[Concern]:
    """A death: of someone in the registry, not before their birth, not already recorded on
    another day; held when they would have been very old or it is reported late.

    Locks the person's row (the handler then sets the date of death on it).
    """
    person = person_of(data["fin"], for_update=True)
    if person.death_date is not None and person.death_date != occurred_on:
        raise DomainError(
            _("%(fin)s is already recorded as having died on %(date)s.")
            % {"fin": person.fin, "date": person.death_date.isoformat()},
            code="already_dead",
        )
    if occurred_on < person.birth_date:
        raise DomainError(
            _("%(fin)s cannot have died before their date of birth (%(date)s).")
            % {"fin": person.fin, "date": person.birth_date.isoformat()},
            code="death_before_birth",
        )
    if person.death_date is not None:
        return []  # Another institution's report of the same death changes nothing.
    concerns: list[Concern] = []
    age = age_on(person.birth_date, occurred_on)
    oldest = _years("death_usual_maximum_age", occurred_on)
    if age > oldest:
        concerns.append(Concern("death_very_old", {"fin": person.fin, "age": age,
                                                   "limit": oldest}))
    late = (timezone.localdate() - occurred_on).days
    longest = _years("death_usual_report_delay_days", occurred_on)
    if late > longest:
        concerns.append(Concern("death_reported_late", {"days": late, "limit": longest}))
    return concerns


def death_annulled_check(occurred_on: dt.date, data: EventData) -> list[Concern]:
    """An annulled death: of someone recorded as dead. Locks the person's row."""
    person = person_of(data["fin"], for_update=True)
    if person.death_date is None:
        raise DomainError(
            _("%(fin)s is not recorded as dead: there is no death to annul.")
            % {"fin": person.fin},
            code="not_dead",
        )
    return []


def disability_check(occurred_on: dt.date, data: EventData) -> list[Concern]:
    """A finding: about a person living on its day, the only one that day, with a term no
    fixed-term finding can exceed; held when its term or its age is unusual."""
    person = person_of(data["fin"])
    check_living_on(person, occurred_on)
    valid_until: dt.date | None = data.get("valid_until")
    if valid_until is not None and valid_until <= occurred_on:
        raise DomainError(_("A finding must be valid until a date after it was made."),
                          code="valid_until_before_finding")
    if DisabilityStatus.objects.filter(person=person, determined_on=occurred_on).exists():
        raise _refusal("finding_same_day", fin=person.fin, date=occurred_on.isoformat())
    concerns: list[Concern] = []
    if valid_until is not None:
        # A child's finding may run to the end of childhood, however long that is.
        childhood_ends = anniversary(person.birth_date,
                                     _years("disability_child_until_age", occurred_on))
        longest = _years("disability_finding_maximum_years", occurred_on)
        if valid_until > max(anniversary(occurred_on, longest), childhood_ends):
            raise _refusal("finding_too_long", until=valid_until.isoformat(), limit=longest)
        usual = _years("disability_finding_usual_years", occurred_on)
        if valid_until > max(anniversary(occurred_on, usual), childhood_ends):
            concerns.append(Concern("finding_long", {"until": valid_until.isoformat(),
                                                     "limit": usual}))
    delay = _years("disability_finding_usual_delay_years", occurred_on)
    if anniversary(occurred_on, delay) < timezone.localdate():
        concerns.append(Concern("finding_reported_late", {"date": occurred_on.isoformat(),
                                                          "limit": delay}))
    return concerns


def employment_start_check(occurred_on: dt.date, data: EventData) -> list[Concern]:
    """A start of work: by a living person of working age, not already with that employer."""
    person = person_of(data["fin"])
    check_living_on(person, occurred_on)
    age = age_on(person.birth_date, occurred_on)
    minimum = _years("working_minimum_age", occurred_on)
    if age < minimum:
        raise _refusal("below_working_age", fin=person.fin, age=age, limit=minimum)
    open_spells = EmploymentSpell.objects.filter(person=person, employer_tin=data["employer_tin"],
                                                 ended_on__isnull=True)
    if open_spells.exists():
        raise DomainError(
            _("%(fin)s is already employed by the employer with TIN %(tin)s.")
            % {"fin": person.fin, "tin": data["employer_tin"]},
            code="already_employed",
        )
    return []


def employment_end_check(occurred_on: dt.date, data: EventData) -> list[Concern]:
    """An end of work: of an open employment with that employer, not before it started.

    Locks the spell's row (the handler then ends it).
    """
    person = person_of(data["fin"])
    spell = open_spell(person, data["employer_tin"])
    if spell is None:
        raise DomainError(
            _("%(fin)s has no open employment with the employer with TIN %(tin)s.")
            % {"fin": person.fin, "tin": data["employer_tin"]},
            code="no_open_employment",
        )
    if occurred_on < spell.started_on:
        raise DomainError(
            _("The employment cannot end before it started (%(date)s).")
            % {"date": spell.started_on.isoformat()},
            code="end_before_start",
        )
    return []


def open_spell(person: Person, employer_tin: str) -> EmploymentSpell | None:
    """The person's latest open employment with the employer, locked for the change."""
    return (
        EmploymentSpell.objects.select_for_update()
        .filter(person=person, employer_tin=employer_tin, ended_on__isnull=True)
        .order_by("-started_on")
        .first()
    )


Check = Callable[[dt.date, EventData], list[Concern]]
