"""Reads of the disability subsystem that its pages and other apps may use."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from disability.degrees import degree_label
from disability.models import (
    OPEN_STATES,
    AidCategory,
    AidItem,
    AidRequest,
    AidRequestStep,
    AssessedCondition,
    Assessment,
    Commission,
    CommissionMember,
    Diagnosis,
    DocumentRequest,
    Limitation,
    MedicalDocument,
    Referral,
    RegisterEntry,
)
from dost.accounts.models import User
from dost.registry.models import DisabilityStatus

# --- the register ----------------------------------------------------------------------------

UNDER_18 = "under_18"
NO_DISABILITY = "none"


def register_latest_entries() -> QuerySet[RegisterEntry]:
    """Each person's latest entry: the one no later determination of theirs supersedes.

    Two entries on one day are told apart by the order they were written in.
    """
    later = RegisterEntry.objects.filter(person=OuterRef("person")).filter(
        Q(determined_on__gt=OuterRef("determined_on"))
        | Q(determined_on=OuterRef("determined_on"), pk__gt=OuterRef("pk")))
    return RegisterEntry.objects.filter(~Exists(later))


def register_entries_of(person_id: int) -> list[RegisterEntry]:
    """The person's entries, the latest first, with what their page shows of each."""
    return list(RegisterEntry.objects.filter(person_id=person_id)
                .select_related("status", "facility")
                .order_by("-determined_on", "-pk"))


def register_finding_in_force(person_id: int, on: dt.date) -> DisabilityStatus | None:
    """The person's latest disability finding in force on ``on``, if any."""
    return (DisabilityStatus.objects
            .filter(person_id=person_id, determined_on__lte=on)
            .filter(Q(valid_until__isnull=True) | Q(valid_until__gt=on))
            .order_by("-determined_on", "-pk").first())


def register_degree_filter(entries: QuerySet[RegisterEntry],
                           degree: str) -> QuerySet[RegisterEntry]:
    """Entries of one degree ("1", "2", "3"), of a disability under 18, or of no disability."""
    if degree == UNDER_18:
        return entries.filter(under_18=True)
    if degree == NO_DISABILITY:
        return entries.filter(status__isnull=True)
    return entries.filter(degree=int(degree), under_18=False)


def register_for_staff(*, on: dt.date, economic_region: str = "", degree: str = "",
                       due_within_days: int | None = None) -> QuerySet[RegisterEntry]:
    """The register as staff browse it: each person's latest entry, the next assessment due
    first, filtered by the economic region they live in, the degree, and how soon their next
    assessment is due."""
    entries = register_latest_entries().select_related("person", "person__region", "facility")
    if economic_region:
        entries = entries.filter(person__region__economic_region=economic_region)
    if degree:
        entries = register_degree_filter(entries, degree)
    if due_within_days is not None:
        entries = entries.filter(next_assessment_on__gte=on,
                                 next_assessment_on__lte=on + dt.timedelta(days=due_within_days))
    return entries.order_by("next_assessment_on", "person__last_name", "person__first_name", "pk")


@dataclass(frozen=True)
class RegisterCount:
    """Living people of one economic region (None: not recorded) whose latest determination
    is a finding in force, by degree ("1", "2", "3" or "under_18")."""

    economic_region: str | None
    # The region's name by language code: totals are cached and shared by every language.
    names: dict[str, str]
    degree: str
    people: int


def register_counts_by_region_and_degree(on: dt.date | None = None) -> list[RegisterCount]:
    """People with a disability in force today, by the economic region they live in and the
    degree, in one query."""
    on = on or timezone.localdate()
    region = "person__region__economic_region"
    rows = (
        register_latest_entries()
        .filter(person__death_date__isnull=True, status__isnull=False,
                status__determined_on__lte=on)
        .filter(Q(status__valid_until__isnull=True) | Q(status__valid_until__gt=on))
        .values(f"{region}__code", f"{region}__name_az", f"{region}__name_en",
                f"{region}__name_ru", "under_18", "degree")
        .annotate(people=Count("person_id", distinct=True))
        .order_by(f"{region}__code", "-under_18", "degree")
    )
    return [
        RegisterCount(
            economic_region=row[f"{region}__code"],
            names={language: row[f"{region}__name_{language}"] or ""
                   for language in ("az", "en", "ru")},
            degree=UNDER_18 if row["under_18"] else str(row["degree"]),
            people=row["people"],
        )
        for row in rows
    ]


# --- aids ------------------------------------------------------------------------------------


def register_aid_catalogue() -> list[tuple[str, str, list[AidItem]]]:
    """The items offered, by category: (category code, its label, items)."""
    items = list(AidItem.objects.filter(active=True).order_by("category", "code"))
    return [(category.value, category.label,
             [item for item in items if item.category == category.value])
            for category in AidCategory
            if any(item.category == category.value for item in items)]


def register_aid_item(code: str) -> AidItem | None:
    return AidItem.objects.filter(code=code, active=True).first()


def _with_steps(requests: QuerySet[AidRequest]) -> QuerySet[AidRequest]:
    return requests.select_related("item").prefetch_related(
        Prefetch("steps", queryset=AidRequestStep.objects.order_by("at", "id")))


def register_aid_requests_of(person_id: int) -> list[AidRequest]:
    """The person's requests for aids, the latest first, each with its steps."""
    return list(_with_steps(AidRequest.objects.filter(person_id=person_id))
                .order_by("-requested_at", "-pk"))


def register_aid_requests_for_staff(*, state: str = "") -> QuerySet[AidRequest]:
    """Requests as staff work through them: the longest waiting first."""
    requests = AidRequest.objects.select_related("item", "person", "status")
    if state:
        requests = requests.filter(state=state)
    return requests.order_by("requested_at", "pk")


def register_aid_request_for_staff(pk: int) -> AidRequest | None:
    return (_with_steps(AidRequest.objects.filter(pk=pk))
            .select_related("person", "status").first())


# --- the expert commission's cases -----------------------------------------------------------
#
# What an expert reads of a case: the case number, the age band, the sex and the medical
# content. The identity columns are deferred, so they are neither decrypted nor shown.

CASE_IDENTITY_FIELDS = ("person_fin", "facility_code", "doctor_name", "approved_by")
CASE_LIST_FIELDS = ("case_number", "kind", "state", "age_band", "sex", "submitted_at",
                    "decided_at", "commission_id")


def case_commission_for(user: User) -> Commission | None:
    """The commission ``user`` is a member of, if any."""
    member = (CommissionMember.objects.filter(user_id=user.pk).select_related("commission")
              .first())
    return member.commission if member else None


def _commission_of(user: User) -> Subquery:
    # A scalar subquery is computed once, before the scan: the planner then reads the
    # (commission, state, -submitted_at) index in order, as for a literal commission.
    return Subquery(CommissionMember.objects.filter(user_id=user.pk).values("commission_id")[:1])


def _with_principal_code(referrals: QuerySet[Referral]) -> QuerySet[Referral]:
    principal = Diagnosis.objects.filter(referral=OuterRef("pk"), principal=True)
    return referrals.annotate(principal_code=Subquery(principal.values("icd_id")[:1]))


def cases_for_expert(user: User, *, state: str | None = None) -> QuerySet[Referral]:
    """The cases of the expert's commission, the newest first; none for a non-member.

    Filtered by commission and state and ordered by submission, as the index
    ``referral_commission_idx`` is, so a page of a commission's 10,000 cases reads
    50 index entries; the principal diagnosis comes in the same query.
    """
    referrals = Referral.objects.filter(commission_id=_commission_of(user))
    if state:
        referrals = referrals.filter(state=state)
    return (_with_principal_code(referrals).only(*CASE_LIST_FIELDS)
            .order_by("-submitted_at"))


def case_counts_for_expert(user: User) -> dict[str, int]:
    """How many of the expert's commission's cases are in each state."""
    rows = (Referral.objects.filter(commission_id=_commission_of(user)).order_by()
            .values_list("state").annotate(cases=Count("pk")))
    return dict(rows)


def case_for_expert(user: User, case_number: str) -> Referral:
    """A case of the expert's commission with everything its page shows; Http404 for any
    other case (another commission's reads as one that does not exist)."""
    referral = (
        Referral.objects.filter(case_number=case_number, commission_id=_commission_of(user))
        .defer(*CASE_IDENTITY_FIELDS)
        .prefetch_related(
            Prefetch("diagnoses", queryset=Diagnosis.objects.select_related("icd")
                     .order_by("-principal", "icd_id")),
            Prefetch("limitations", queryset=Limitation.objects.order_by("domain")),
            Prefetch("documents", queryset=MedicalDocument.objects.defer("content")
                     .order_by("number")),
            Prefetch("document_requests", queryset=DocumentRequest.objects.order_by("asked_at")),
            Prefetch("assessments", queryset=Assessment.objects
                     .select_related("assessed_by", "confirmed_by")
                     .prefetch_related(Prefetch(
                         "conditions", queryset=AssessedCondition.objects
                         .select_related("diagnosis__icd").order_by("diagnosis__icd_id")))
                     .order_by("-assessed_at", "-pk")),
        )
        .first()
    )
    if referral is None:
        raise Http404
    return referral


def case_document_for_expert(user: User, case_number: str, number: int) -> MedicalDocument:
    """A document of a case of the expert's commission, with its content; Http404 otherwise."""
    document = (MedicalDocument.objects
                .filter(referral__case_number=case_number,
                        referral__commission_id=_commission_of(user), number=number)
                .select_related("referral").defer(*(f"referral__{name}"
                                                    for name in CASE_IDENTITY_FIELDS))
                .first())
    if document is None:
        raise Http404
    return document


# --- supervision of the commissions ----------------------------------------------------------


@dataclass(frozen=True)
class CaseLoad:
    """A commission's open cases by state (counted, not the draw's counter)."""

    commission: Commission
    by_state: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.by_state.values())


def cases_open_by_commission() -> list[CaseLoad]:
    """Every commission with its open cases by state, in two queries."""
    counts: dict[int, dict[str, int]] = {}
    rows = (Referral.objects.filter(state__in=OPEN_STATES).order_by()
            .values_list("commission_id", "state").annotate(cases=Count("pk")))
    for commission_id, state, cases in rows:
        counts.setdefault(commission_id, {})[state] = cases
    return [CaseLoad(commission=commission, by_state=counts.get(commission.pk, {}))
            for commission in Commission.objects.order_by("code")]


def cases_open(*, commission: Commission | None = None) -> QuerySet[Referral]:
    """Open cases, the longest waiting first, with nothing that identifies anyone."""
    referrals = Referral.objects.filter(state__in=OPEN_STATES)
    if commission is not None:
        referrals = referrals.filter(commission=commission)
    return (referrals.select_related("commission").only(*CASE_LIST_FIELDS, "commission__code",
                                                        "commission__name_az",
                                                        "commission__name_en",
                                                        "commission__name_ru")
            .order_by("submitted_at", "pk"))


def case_open_for_supervisor(case_number: str) -> Referral:
    """An open case by its number, without its identity; Http404 for none or a decided one."""
    referral = (Referral.objects.filter(case_number=case_number, state__in=OPEN_STATES)
                .select_related("commission").defer(*CASE_IDENTITY_FIELDS).first())
    if referral is None:
        raise Http404
    return referral


@dataclass(frozen=True)
class AssessmentStatus:
    """A person's disability finding in force, as they are told of it (the phone line)."""

    percent: int
    # "degree II", "disability under 18": in the active language.
    degree: str
    since: dt.date
    next_review_on: dt.date | None
    valid_until: dt.date | None


def register_assessment_status(person_id: int, on: dt.date) -> AssessmentStatus | None:
    """The finding in force on ``on`` with its degree and the next review, as the 142 agent's
    panel shows it; None without one. Two queries."""
    finding = register_finding_in_force(person_id, on)
    if finding is None:
        return None
    entries = register_entries_of(person_id)
    # A finding from elsewhere (an institution's event) has no register entry: its degree
    # follows from its percentage.
    own_entry = next((entry for entry in entries if entry.status_id == finding.pk), None)
    return AssessmentStatus(
        percent=finding.percent,
        degree=(degree_label(own_entry.degree, under_18=own_entry.under_18) if own_entry
                else degree_label(finding.degree)),
        since=finding.determined_on,
        next_review_on=entries[0].next_assessment_on if entries else None,
        valid_until=finding.valid_until,
    )
