"""Reads of the citizen registry that other apps may use."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple

from django.db import connection
from django.db.models import Case, Q, QuerySet, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dost.errors import DomainError
from dost.registry.models import (
    CorrectionRequest,
    CorrectionStatus,
    EmploymentSpell,
    FamilyRelation,
    Person,
    Region,
    Source,
)
from dost.registry.validators import FIN_RE, name_key, normalize_fin, normalize_phone

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

LOOKUP_LIMIT = 20
# How many near spellings of each typed name word are tried. With a year of birth each
# pair of spellings is one index probe, so more of them cost little and find more slips.
_SIMILAR_KEYS = 12
NAME_SIMILARITY = 0.2
TRANSPOSED_SIMILARITY = 0.5
# The most people a name look-up ranks in Python: with a year of birth at 10 million
# people a misspelt name gives a few hundred at most; without one, the best spellings
# are tried first (see _CandidateSearch.two_words).
_CANDIDATES = 400
EARLIEST_BIRTH_YEAR = 1900
# The words that end an Azerbaijani patronymic ("Vaqif oğlu", "Vaqif qızı"), as their
# name keys: Latin, English and Russian spellings.
_PATRONYMIC_MARKERS = frozenset({"oglu", "ogli", "ogly", "gizi", "kizi", "kyzy"})
_DATE_FORMATS = ("%d.%m.%Y", "%d/%m/%Y", "%Y-%m-%d")
_PHONE_CHARACTERS = re.compile(r"^[0-9\s().+-]+\Z")
_YEAR = re.compile(r"^[0-9]{4}\Z")


def person_by_fin(fin: str) -> Person | None:
    return (
        Person.objects.select_related("region", "household")
        .filter(fin=normalize_fin(fin))
        .first()
    )


def people_by_phone(phone: str) -> QuerySet[Person]:
    return Person.objects.filter(phone=normalize_phone(phone)).order_by("last_name", "first_name")


def regions() -> QuerySet[Region]:
    return Region.objects.order_by("name_az")


def region_by_name(text: str) -> Region | None:
    """The region whose code or name, in any of the three languages, is ``text``.

    Compared by name key, so "Sumqayıt", "Sumgait" and "Сумгаит" are one region.
    """
    key = name_key(text)
    if not key:
        return None
    for region in Region.objects.all():
        names = (region.code, region.name_az, region.name_en, region.name_ru)
        if key in {name_key(name) for name in names}:
            return region
    return None


@dataclass(frozen=True)
class PeopleQuery:
    """What the agent knows about the caller: the one box, parsed, and what narrows it."""

    fin: str = ""
    phone: str = ""
    # Name words in the order typed, surname or first name first.
    words: tuple[str, ...] = ()
    birth_year: int | None = None
    birth_date: dt.date | None = None
    region_id: str | None = None
    patronymic: str = ""


def birth_year_checked(year: int, today: dt.date | None = None) -> int:
    """The year; refused if it is in the future or before 1900."""
    today = today or timezone.localdate()
    if year > today.year:
        raise DomainError(_("The year of birth cannot be in the future."),
                          code="future_birth_year")
    if year < EARLIEST_BIRTH_YEAR:
        raise DomainError(_("Check the year of birth: %(year)s is too long ago.")
                          % {"year": year}, code="birth_year_too_early")
    return year


def _birth_date_in(word: str, today: dt.date) -> dt.date | None:
    for date_format in _DATE_FORMATS:
        try:
            born = dt.datetime.strptime(word, date_format).date()  # noqa: DTZ007 - a date
        except ValueError:
            continue
        if born > today:
            raise DomainError(_("The date of birth cannot be in the future."),
                              code="future_birth_date")
        birth_year_checked(born.year, today)
        return born
    return None


def _father_name(patronymic: str) -> str:
    """The father's name in a patronymic: "Vaqif oğlu" and "Вагиф оглы" give Vaqif."""
    words = [word for word in patronymic.split() if name_key(word) not in _PATRONYMIC_MARKERS]
    return words[0] if words else ""


def people_query(box: str, *, birth_year: int | None = None, region: str = "",
                 patronymic: str = "", today: dt.date | None = None) -> PeopleQuery:
    """Parse the search box and the narrowing fields into one query; refuse what cannot be.

    The box holds a FIN, a mobile number, or a name with, if the agent likes, the
    year or date of birth and the patronymic in the Azerbaijani order: "Məmmədov Əli
    Vaqif oğlu 1985" (a third name word is the patronymic). Raises ``DomainError`` for
    a year or date in the future or too long ago, a year the box and the field disagree
    on, a region not in the registry, or words that are neither a name nor a date.
    """
    today = today or timezone.localdate()
    box = (box or "").strip()
    if birth_year is not None:
        birth_year_checked(birth_year, today)
    region_id = None
    if region.strip():
        found = region_by_name(region)
        if found is None:
            raise DomainError(_("Unknown region “%(region)s”: choose one from the list.")
                              % {"region": region.strip()}, code="unknown_region")
        region_id = found.code
    father = _father_name(patronymic)
    if FIN_RE.match(normalize_fin(box)):
        # Seven letters without I or O may be a FIN or a name (Aygunel): the name is
        # looked up if no one has that FIN.
        return PeopleQuery(fin=normalize_fin(box), words=(box,) if box.isalpha() else (),
                           birth_year=birth_year, region_id=region_id, patronymic=father)
    if _PHONE_CHARACTERS.match(box) and sum(ch.isdigit() for ch in box) >= 7:
        return PeopleQuery(phone=normalize_phone(box), birth_year=birth_year,
                           region_id=region_id, patronymic=father)

    words: list[str] = []
    # Every year and date of birth stated, as typed, to name them if they disagree.
    stated = {str(birth_year): birth_year} if birth_year is not None else {}
    born: dt.date | None = None
    for token in box.replace(",", " ").split():
        if _YEAR.match(token):
            stated[token] = birth_year_checked(int(token), today)
        elif any(ch.isdigit() for ch in token):
            date = _birth_date_in(token, today)
            if date is None:
                raise DomainError(
                    _("“%(word)s” is neither a name nor a date of birth: write the year with "
                      "four digits (1985) or the whole date (15.03.1985).") % {"word": token},
                    code="unreadable_word")
            if born is not None and born != date:
                raise _conflicting([born.strftime("%d.%m.%Y"), token])
            stated[token] = date.year
            born = date
        elif name_key(token) in _PATRONYMIC_MARKERS and words:
            # "Vaqif oğlu": the word before the marker is the father's name.
            father = father or words.pop()
        elif name_key(token):
            words.append(token)
    if len(set(stated.values())) > 1:
        raise _conflicting(list(stated))
    if not words:
        raise DomainError(_("Type a FIN, a mobile number or a name."), code="no_name")
    if len(words) > 2:
        father = father or words[2]
    return PeopleQuery(words=tuple(words[:2]), birth_year=next(iter(stated.values()), None),
                       birth_date=born, region_id=region_id, patronymic=father)


def _conflicting(stated: list[str]) -> DomainError:
    return DomainError(_("The date of birth is given twice and differs: %(dates)s.")
                       % {"dates": ", ".join(stated)}, code="conflicting_birth_dates")


@dataclass(frozen=True)
class _Similar:
    """A typed name word and the name keys that look like it, with their similarity."""

    word: str
    keys: dict[str, float]


def _swapped(word: str) -> list[str]:
    """The word with two neighbouring letters swapped back, each way it could be."""
    return [word[:i] + word[i + 1] + word[i] + word[i + 2:] for i in range(len(word) - 1)]


def _similar_keys(words: list[str], count: int = _SIMILAR_KEYS) -> list[_Similar]:
    """For each word, the nearest keys in the vocabulary, most similar first.

    One statement for all the words: a nearest-neighbour search on the vocabulary's
    trigram index (no threshold to set, so no transaction around it), keeping keys at
    least NAME_SIMILARITY alike; and the keys of the word with two neighbouring letters
    swapped back, looked up exactly. A swap near the start of a short name leaves few
    trigrams in common ("Ayla" typed "Yala"), but is one slip: it counts as
    TRANSPOSED_SIMILARITY at least.
    """
    keys = [name_key(word) for word in words]
    parts = []
    params: list[str | int | float | list[str]] = []
    for position, (word, key) in enumerate(zip(words, keys, strict=True)):
        swapped = sorted({name_key(variant) for variant in _swapped(word)} - {key, ""})
        parts.append("(SELECT %s, key, similarity(key, %s) FROM registry_namekey"
                     " ORDER BY key <-> %s LIMIT %s)")
        params += [position, key, key, count]
        if swapped:
            parts.append("(SELECT %s, key, greatest(similarity(key, %s), %s::real)"
                         " FROM registry_namekey WHERE key = ANY(%s))")
            params += [position, key, TRANSPOSED_SIMILARITY, swapped]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        rows = cursor.fetchall()
    # Only keys someone bears: the word's own key comes first when it is one (its
    # similarity is 1), and a key nobody bears would only cost index probes.
    found: list[dict[str, float]] = [{} for _key in keys]
    # Names are short, so a typo costs a large share of their trigrams: pg_trgm's
    # default 0.3 would miss "Xelilof" for "Xəlilov".
    for position, key, similarity in sorted(rows, key=lambda row: (row[0], -row[2], row[1])):
        if similarity >= NAME_SIMILARITY:
            found[position].setdefault(key, similarity)
    return [_Similar(word, keys_found) for word, keys_found in zip(words, found, strict=True)]


def similar_name_keys(word: str) -> list[str]:
    """Name keys that look like ``word``: the key itself first, then near spellings."""
    if not name_key(word):
        return []
    return list(_similar_keys([word], count=8)[0].keys)


# Names repeat across millions of people, so these small functions see few distinct
# arguments: caching them keeps ranking a few hundred candidates well under a millisecond.
@lru_cache(maxsize=8192)
def _trigrams(text: str) -> frozenset[str]:
    # As pg_trgm pads a word: two spaces before, one after.
    padded = f"  {text} "
    return frozenset(padded[i:i + 3] for i in range(len(padded) - 2))


def _trigram_similarity(first: str, second: str) -> float:
    if not first or not second:
        return 0.0
    a, b = _trigrams(first), _trigrams(second)
    return len(a & b) / len(a | b)


@lru_cache(maxsize=8192)
def _plain(word: str) -> str:
    """The word lowercased without marks: closer to how it was typed than its key."""
    return "".join(ch for ch in unicodedata.normalize("NFKD", word.lower())
                   if not unicodedata.combining(ch))


@lru_cache(maxsize=8192)
def _father_key(patronymic: str) -> str:
    return name_key(_father_name(patronymic))


class _Candidate(NamedTuple):
    """What ranking needs of a person found: far cheaper to fetch than the whole record."""

    id: int
    last_name_key: str
    first_name_key: str
    last_name: str
    first_name: str
    patronymic: str
    birth_date: dt.date


_CANDIDATE_FIELDS = _Candidate._fields
_Params = dict[str, "dt.date | str | int | list[str]"]


def _score(candidate: _Candidate, similar: list[_Similar], father_key: str) -> float:
    """How well a candidate fits what the agent typed; higher is better.

    The name keys' similarities count most, in whichever order the words were typed;
    the patronymic as much as a name; the spelling as typed breaks ties between names
    that share a key (Habil and Qabil).
    """
    keys = (candidate.last_name_key, candidate.first_name_key)
    plain = (_plain(candidate.last_name), _plain(candidate.first_name))

    def fit(typed: _Similar, field: int) -> float:
        return (typed.keys.get(keys[field], 0.0)
                + 0.1 * _trigram_similarity(_plain(typed.word), plain[field]))

    if len(similar) == 1:
        best = max(fit(similar[0], 0), fit(similar[0], 1))
    else:
        best = max(fit(similar[0], 0) + fit(similar[1], 1),
                   fit(similar[0], 1) + fit(similar[1], 0))
    if father_key:
        best += _trigram_similarity(father_key, _father_key(candidate.patronymic))
    return best


def people_by_name(query: str, *, birth_year: int | None = None,
                   birth_date: dt.date | None = None, region_id: str | None = None,
                   patronymic: str = "", limit: int = LOOKUP_LIMIT) -> list[Person]:
    """Typo-tolerant look-up by "last first" or "first last" name, best match first.

    Each word is corrected against the vocabulary of name keys, then people are found
    by exact index look-ups on the corrected keys (and the year or date of birth, on
    the same index), never by a scan. A region narrows; a patronymic ranks. The
    candidates are ranked on a few columns; only the page's people are then read whole.
    """
    words = [word for word in query.split() if name_key(word)][:2]
    if not words:
        return []
    narrowing = []
    params: _Params = {}
    if birth_date is not None:
        narrowing.append("birth_date = %(born)s")
        params["born"] = birth_date
    elif birth_year is not None:
        narrowing.append("birth_date BETWEEN %(born_from)s AND %(born_to)s")
        params.update(born_from=dt.date(birth_year, 1, 1), born_to=dt.date(birth_year, 12, 31))
    if region_id is not None:
        # Checked on the few rows the name keys find: the region's own index would
        # read a district's whole population (hundreds of thousands) to intersect.
        narrowing.append("coalesce(region_id, '') = %(region)s")
        params["region"] = region_id
    similar = _similar_keys(words)
    father_key = _father_key(patronymic)
    search = _CandidateSearch(narrowing, params)
    if len(words) == 1:
        candidates = search.one_word(list(similar[0].keys),
                                     wanted=_CANDIDATES if father_key else limit)
    else:
        candidates = search.two_words(*(list(typed.keys) for typed in similar),
                                      narrowed=birth_year is not None or birth_date is not None)
    if not candidates:
        return []
    ranked = sorted(candidates, key=lambda candidate: (
        -_score(candidate, similar, father_key), candidate.last_name, candidate.first_name,
        candidate.birth_date, candidate.id))[:limit]
    found = Person.objects.select_related("region").in_bulk([row.id for row in ranked])
    return [found[row.id] for row in ranked if row.id in found]


class _CandidateSearch:
    """The index look-ups of people by name keys, with the narrowing conditions.

    Plain SQL: the statements are fixed but for the optional conditions, and building
    them through the ORM cost more than running them.
    """

    _COLUMNS = ", ".join(_CANDIDATE_FIELDS)

    def __init__(self, narrowing: list[str], params: _Params) -> None:
        self.narrowing = "".join(f" AND {condition}" for condition in narrowing)
        self.params = params

    def _rows(self, sql: str, params: _Params) -> list[_Candidate]:
        with connection.cursor() as cursor:
            cursor.execute(sql, {**self.params, **params})
            return [_Candidate(*row) for row in cursor.fetchall()]

    def one_word(self, keys: list[str], *, wanted: int) -> list[_Candidate]:
        # One word may match a tenth of the country (Məmmədov): walk the keys best first
        # and stop once enough are found, each step an index range in the index's order.
        found: list[_Candidate] = []
        for key in keys:
            for column, order in (("last_name_key", "first_name_key"),
                                  ("first_name_key", "birth_date")):
                found += self._rows(
                    f"SELECT {self._COLUMNS} FROM registry_person "  # noqa: S608 - fixed names
                    f"WHERE {column} = %(key)s{self.narrowing} "
                    f"ORDER BY {order}, id LIMIT %(wanted)s",
                    {"key": key, "wanted": wanted - len(found)})
                if len(found) >= wanted:
                    return found
        return found

    def two_words(self, first: list[str], second: list[str], *,
                  narrowed: bool) -> list[_Candidate]:
        if narrowed:
            # A year of birth leaves about one person per pair of spellings: take them all.
            return self._pairs(first, second)
        # Without one, a common name alone fills the page at millions of people: try the
        # best spellings of each word first, and more of them only if that finds too few.
        found: list[_Candidate] = []
        for best in (1, 4, None):
            found = self._pairs(first[:best], second[:best])
            if len(found) >= LOOKUP_LIMIT or best is None or best >= max(len(first),
                                                                          len(second)):
                break
        return found

    def _pairs(self, first: list[str], second: list[str]) -> list[_Candidate]:
        # Best pair first: the sum of each name's place among the corrected keys.
        return self._rows(
            f"SELECT {self._COLUMNS} FROM registry_person "  # noqa: S608 - fixed names
            "WHERE ((last_name_key = ANY(%(first)s) AND first_name_key = ANY(%(second)s))"
            " OR (last_name_key = ANY(%(second)s) AND first_name_key = ANY(%(first)s)))"
            f"{self.narrowing} "
            "ORDER BY array_position(%(both)s, last_name_key::text)"
            " + array_position(%(both)s, first_name_key::text),"
            " last_name_key, first_name_key, birth_date, id LIMIT %(cap)s",
            {"first": first, "second": second, "both": list(dict.fromkeys(first + second)),
             "cap": _CANDIDATES})


def find_people(query: str | PeopleQuery, *, limit: int = LOOKUP_LIMIT) -> list[Person]:
    """One search box for FIN, phone number or name (see ``people_query``)."""
    if isinstance(query, str):
        try:
            query = people_query(query)
        except DomainError:
            # Callers that show the box's errors parse it themselves; here it finds nobody.
            return []
    if query.fin:
        person = person_by_fin(query.fin)
        if person or not query.words:
            return [person] if person else []
    if query.phone:
        return list(people_by_phone(query.phone)[:limit])
    return people_by_name(" ".join(query.words), birth_year=query.birth_year,
                          birth_date=query.birth_date, region_id=query.region_id,
                          patronymic=query.patronymic, limit=limit)


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


def current_staff_of_employer(employer_tin: str) -> QuerySet[EmploymentSpell]:
    """The jobs an employer has reported and not ended, longest-serving first.

    A partial index on the TIN of open spells makes this an index range, whatever
    the size of the country.
    """
    return (EmploymentSpell.objects.filter(employer_tin=employer_tin, ended_on__isnull=True)
            .select_related("person", "source").order_by("started_on", "id"))


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
