"""Reads of the citizen registry that other apps may use."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.contrib.postgres.fields import ArrayField
from django.db import connection, transaction
from django.db.models import Case, CharField, F, Func, IntegerField, Q, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _

from dost.registry.models import (
    CorrectionRequest,
    CorrectionStatus,
    EmploymentSpell,
    FamilyRelation,
    Person,
    Source,
)
from dost.registry.validators import FIN_RE, name_key, normalize_fin, normalize_phone

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

LOOKUP_LIMIT = 20
_SIMILAR_KEYS = 8
NAME_SIMILARITY = 0.2


def person_by_fin(fin: str) -> Person | None:
    return (
        Person.objects.select_related("region", "household")
        .filter(fin=normalize_fin(fin))
        .first()
    )


def people_by_phone(phone: str) -> QuerySet[Person]:
    return Person.objects.filter(phone=normalize_phone(phone)).order_by("last_name", "first_name")


def similar_name_keys(word: str) -> list[str]:
    """Name keys that look like ``word``: the key itself first, then near spellings."""
    key = name_key(word)
    if not key:
        return []
    with transaction.atomic(), connection.cursor() as cursor:
        # Names are short, so a typo costs a large share of their trigrams: the
        # default 0.3 threshold would miss "Xelilof" for "Xəlilov".
        cursor.execute("SET LOCAL pg_trgm.similarity_threshold = %s", [NAME_SIMILARITY])
        cursor.execute(
            "SELECT key FROM registry_namekey WHERE key %% %s"
            " ORDER BY similarity(key, %s) DESC, key LIMIT %s",
            [key, key, _SIMILAR_KEYS],
        )
        keys = [row[0] for row in cursor.fetchall()]
    return keys if key in keys else [key, *keys]


def people_by_name(query: str, *, limit: int = LOOKUP_LIMIT) -> list[Person]:
    """Typo-tolerant look-up by "last first" or "first last" name, best match first.

    Each word is corrected against the vocabulary of name keys, then people are
    found by exact index look-ups on the corrected keys, never by a scan.
    """
    words = [word for word in query.split() if name_key(word)][:2]
    if not words:
        return []
    people = Person.objects.select_related("region")
    if len(words) == 1:
        # One word may match a tenth of the country (Məmmədov): walk the keys
        # best first and stop once the page is full, each step an index range.
        found: list[Person] = []
        for key in similar_name_keys(words[0]):
            for field, order in (("last_name_key", "first_name_key"), ("first_name_key", "id")):
                found += people.filter(**{field: key}).order_by(order)[: limit - len(found)]
                if len(found) >= limit:
                    return found
        return found

    first, second = (similar_name_keys(word) for word in words)
    both = list(dict.fromkeys(first + second))
    # Best match first: the sum of each name's place among the corrected keys.
    distance = _position(both, "last_name_key") + _position(both, "first_name_key")
    return list(
        people.filter(
            Q(last_name_key__in=first, first_name_key__in=second)
            | Q(last_name_key__in=second, first_name_key__in=first)
        )
        .annotate(distance=distance)
        .order_by("distance", "last_name_key", "first_name_key", "birth_date")[:limit]
    )


def _position(keys: list[str], field: str) -> Func:
    return Func(Value(keys, output_field=ArrayField(CharField())), F(field),
                function="array_position", output_field=IntegerField())


def find_people(query: str, *, limit: int = LOOKUP_LIMIT) -> list[Person]:
    """One search box for FIN, phone number or name."""
    query = (query or "").strip()
    if not query:
        return []
    if FIN_RE.match(normalize_fin(query)):
        person = person_by_fin(query)
        return [person] if person else []
    if sum(ch.isdigit() for ch in query) >= 7:
        return list(people_by_phone(query)[:limit])
    return people_by_name(query, limit=limit)


@dataclass(frozen=True)
class FactRow:
    label: StrOrPromise
    value: object
    source: Source | None
    recorded_at: object


@dataclass(frozen=True)
class FactGroup:
    title: StrOrPromise
    rows: list[FactRow] = field(default_factory=list)
    # Stable name of the group (``corrections.CORRECTABLE_FACTS`` refer to it).
    key: str = ""


def person_facts(person: Person) -> list[FactGroup]:
    """Everything the registry holds about a person, grouped, each fact with its source."""
    sources = {source.code: source for source in Source.objects.all()}
    recorded = person.recorded_at
    identity = FactGroup(_("Identity"), key="identity", rows=[
        FactRow(_("FIN"), person.fin, sources.get(person.source_id), recorded),
        FactRow(_("Name"), person.full_name, sources.get(person.source_id), recorded),
        FactRow(_("Sex"), person.get_sex_display(), sources.get(person.source_id), recorded),
        FactRow(_("Date of birth"), person.birth_date, sources.get(person.source_id), recorded),
    ])
    if person.death_date:
        identity.rows.append(
            FactRow(_("Date of death"), person.death_date, sources.get(person.source_id), recorded)
        )
    contact = FactGroup(_("Contact and payment"), key="contact", rows=[
        FactRow(_("Mobile phone"), person.phone or "—", sources.get(person.phone_source_id or ""),
                recorded),
        FactRow(_("Region"), person.region or "—", sources.get(person.address_source_id or ""),
                recorded),
        FactRow(_("Bank account (IBAN)"), person.bank_account or "—",
                sources.get(person.bank_account_source_id or ""), recorded),
    ])
    family = FactGroup(_("Family"), key="family", rows=[
        FactRow(relation.get_kind_display(), relation.relative.full_name,
                sources.get(relation.source_id), relation.recorded_at)
        for relation in person.relations.select_related("relative").order_by("kind", "since")
    ])
    work = FactGroup(_("Employment"), key="employment", rows=[
        FactRow(
            spell.employer_name,
            f"{spell.started_on} – {spell.ended_on or _('now')}",
            sources.get(spell.source_id), spell.recorded_at,
        )
        for spell in person.employment_spells.order_by("-started_on")
    ])
    insurance = FactGroup(_("Social insurance"), key="insurance", rows=[
        FactRow(
            str(contribution.year),
            _("%(months)s months, %(amount)s AZN")
            % {"months": contribution.insured_months, "amount": contribution.amount},
            sources.get(contribution.source_id), contribution.recorded_at,
        )
        for contribution in person.contributions.order_by("-year")
    ])
    disability = FactGroup(_("Disability"), key="disability", rows=[
        FactRow(
            _("Functional impairment"),
            f"{status.percent} % ({status.determined_on} – "
            f"{status.valid_until or _('indefinite')})",
            sources.get(status.source_id), status.recorded_at,
        )
        for status in person.disability_statuses.order_by("-determined_on")
    ])
    return [group for group in (identity, contact, family, work, insurance, disability)
            if group.rows]


def employment_spells_of(person_id: int) -> QuerySet[EmploymentSpell]:
    """A person's jobs as reported by employers, earliest first, each with its source."""
    return (EmploymentSpell.objects.filter(person_id=person_id).select_related("source")
            .order_by("started_on", "id"))


def correction_requests_of_person(person_id: int) -> QuerySet[CorrectionRequest]:
    """The person's reports of wrong facts, open ones first, then newest first."""
    return CorrectionRequest.objects.filter(person_id=person_id).order_by(
        Case(When(status=CorrectionStatus.OPEN, then=0), default=1), "-created_at", "-id")


def open_correction_requests() -> QuerySet[CorrectionRequest]:
    """Reports waiting for staff, the oldest first."""
    return (CorrectionRequest.objects.filter(status=CorrectionStatus.OPEN)
            .select_related("person").order_by("created_at", "id"))


def correction_request_by_id(pk: int) -> CorrectionRequest | None:
    return CorrectionRequest.objects.select_related("person", "resolved_by").filter(pk=pk).first()


def relatives_of(person_id: int) -> list[int]:
    """Everyone related to the person, in either direction of a family relation: the people
    a fact about them (a birth, a death, a disability) can give rights to."""
    pairs = FamilyRelation.objects.filter(
        Q(person_id=person_id) | Q(relative_id=person_id)
    ).values_list("person_id", "relative_id")
    return sorted({other for pair in pairs for other in pair if other != person_id})
