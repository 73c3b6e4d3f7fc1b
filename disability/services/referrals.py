"""E-referrals: accepted, anonymised and drawn to an expert commission in one transaction.

A referral is refused whole (``DomainError``, nothing stored) when the person is
unknown or dead, a diagnosis is not an ICD-10 code, a required field is missing,
a document is not what it claims, or the person already has a referral under
assessment. Accepted, it keeps the person, the facility and the doctors only as
ciphertext, and its documents only without their metadata.

The commission is drawn at random among the eligible ones, weighted towards the
least loaded: weight 1 ÷ (1 + open cases). The seed, the candidates with their
loads and weights, and the result go to the decision log, so anyone can redraw
it and get the same commission; nobody can choose it.
"""

from __future__ import annotations

import datetime as dt
import random
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from disability.documents import clean_document, documents_refused_for_size
from disability.models import (
    AgeBand,
    Commission,
    CommissionProfile,
    Diagnosis,
    HealthFacility,
    IcdCode,
    Limitation,
    LimitationDomain,
    MedicalDocument,
    Referral,
    ReferralInvitation,
    ReferralKind,
    Severity,
)
from disability.pseudonyms import facility_pseudonym, person_pseudonym
from dost.audit.decisions import decision_record
from dost.audit.models import DecisionKind
from dost.errors import DomainError
from dost.registry.models import DisabilityStatus, Person

DRAW_METHOD = "random.Random(seed).choices(candidates, weights), weight = 1 / (1 + open cases)"
# Mental and behavioural disorders go to a mental-health commission where there is one.
PSYCHIATRIC_CHAPTER = "V"
ADULT_AGE = 18
_CASE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's: no I, L, O, U
_NEW_NUMBER_ATTEMPTS = 5
MAX_TREATMENT_MONTHS = 600


@dataclass(frozen=True)
class ReferralSubmission:
    """What a facility sends: from its doctor's form or its own system through the API."""

    fin: str
    diagnoses: Sequence[str]  # ICD-10 codes, the principal first
    treatment_months: int | None
    limitations: Mapping[str, int]  # domain -> ICF severity 0-4
    documents: Sequence[UploadedFile]
    doctor_name: str
    approved_by: Sequence[str] = ()
    clinical_summary: str = ""
    extra: Mapping[str, str] = field(default_factory=dict)


def referral_submit(*, facility: HealthFacility, submission: ReferralSubmission,
                    on: dt.date | None = None) -> Referral:
    """Accept, anonymise and assign one referral; refuses with DomainError, storing nothing."""
    on = on or timezone.localdate()
    _require_fields(submission)
    person = _living_person(submission.fin, on)
    codes = _known_codes(submission.diagnoses)
    limitations = _limitations_checked(submission.limitations)
    if refused := documents_refused_for_size(list(submission.documents)):
        raise DomainError(refused.messages[0], code=refused.code or "documents")
    documents = []
    for upload in submission.documents:
        try:
            documents.append(clean_document(upload))
        except ValidationError as error:
            raise DomainError(error.messages[0], code=error.code or "document") from error
    person_key = person_pseudonym(person.fin)
    kind = ReferralKind.REPEAT if person.has_finding else ReferralKind.INITIAL
    age = age_on(person.birth_date, on)
    try:
        with transaction.atomic():
            # A second open referral for the person is refused by the database's unique
            # constraint (referral_one_open_per_person), also when two arrive at once.
            commission, draw = _draw_commission(age=age, principal_chapter=codes[0].chapter)
            referral = Referral.objects.create(
                case_number=_unused_case_number(on),
                kind=kind,
                person_fin=person.fin,
                facility_code=facility.code,
                doctor_name=submission.doctor_name.strip(),
                approved_by="\n".join(name.strip() for name in submission.approved_by
                                      if name.strip()),
                person_key=person_key,
                facility_key=facility_pseudonym(facility.code),
                age_band=age_band(age),
                sex=person.sex,
                treatment_months=submission.treatment_months,
                clinical_summary=submission.clinical_summary.strip(),
                commission=commission,
            )
            Diagnosis.objects.bulk_create([
                Diagnosis(referral=referral, icd_id=code.code, principal=index == 0)
                for index, code in enumerate(codes)
            ])
            Limitation.objects.bulk_create([
                Limitation(referral=referral, domain=domain, severity=severity)
                for domain, severity in limitations.items()
            ])
            MedicalDocument.objects.bulk_create([
                MedicalDocument(referral=referral, number=number,
                                content_type=document.content_type, content=document.content,
                                size=len(document.content), sha256=document.sha256)
                for number, document in enumerate(documents, start=1)
            ])
            Commission.objects.filter(pk=commission.pk).update(open_cases=F("open_cases") + 1)
            if kind == ReferralKind.REPEAT:  # only a person with a finding is invited
                ReferralInvitation.objects.filter(
                    entry__person=person, fulfilled_at__isnull=True,
                ).update(fulfilled_at=timezone.now())
            decision_record(
                kind=DecisionKind.ASSIGNMENT, subject=referral.case_number,
                decided_by="system:commission-draw", details=draw,
            )
    except IntegrityError as error:
        # A twin submitted at the same moment took the person's one open referral.
        if "referral_one_open_per_person" in str(error):
            raise _already_open() from error
        raise
    return referral


def icd_codes_checked(codes: Sequence[str]) -> list[str]:
    """The codes, normalised ("f200" → "F20.0") and in order; refuses unknown ones."""
    return [code.code for code in _known_codes(codes)]


def _known_codes(codes: Sequence[str]) -> list[IcdCode]:
    normalised = list(dict.fromkeys(normalise_icd_code(code) for code in codes if code.strip()))
    if not normalised:
        raise DomainError(_("Give at least one diagnosis as an ICD-10 code."),
                          code="diagnoses_missing")
    known = {code.code: code for code in IcdCode.objects.filter(pk__in=normalised)
             .only("code", "chapter")}
    if unknown := [code for code in normalised if code not in known]:
        raise DomainError(
            _("Not ICD-10 codes: %(codes)s. Use a category or subcategory of ICD-10, like "
              "G35 or F20.0.") % {"codes": ", ".join(unknown)},
            code="unknown_icd_code",
        )
    return [known[code] for code in normalised]


def normalise_icd_code(code: str) -> str:
    code = code.strip().upper().replace(" ", "")
    if len(code) > 3 and "." not in code:
        code = f"{code[:3]}.{code[3:]}"
    return code


def age_on(birth_date: dt.date, on: dt.date) -> int:
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))


def age_band(age: int) -> str:
    for band, lowest in ((AgeBand.OLDER, 60), (AgeBand.MIDDLE, 45), (AgeBand.ADULT, 30),
                         (AgeBand.YOUNG, 18), (AgeBand.TEEN, 14), (AgeBand.SCHOOL, 7),
                         (AgeBand.CHILD, 3)):
        if age >= lowest:
            return band
    return AgeBand.UNDER_3


def eligible_profile(*, age: int, principal_chapter: str) -> str:
    if age < ADULT_AGE:
        return CommissionProfile.PAEDIATRIC
    if principal_chapter == PSYCHIATRIC_CHAPTER:
        return CommissionProfile.PSYCHIATRIC
    return CommissionProfile.GENERAL


def draw(candidates: Sequence[tuple[str, int]], seed: int) -> str:
    """The code of the commission drawn from (code, open cases) pairs with ``seed``."""
    weights = [1 / (1 + open_cases) for _code, open_cases in candidates]
    return random.Random(seed).choices([code for code, _open in candidates], weights)[0]  # noqa: S311 - the seed is from secrets; reproducibility is the point


def _draw_commission(*, age: int, principal_chapter: str) -> tuple[Commission, dict]:
    profile = eligible_profile(age=age, principal_chapter=principal_chapter)
    active = Commission.objects.filter(active=True).order_by("code").only("code", "open_cases")
    commissions = list(active.filter(profile=profile))
    if not commissions:  # No specialised commission: the general ones assess.
        commissions = list(active.filter(profile=CommissionProfile.GENERAL))
    candidates = [(commission.code, commission.open_cases) for commission in commissions]
    if not candidates:
        raise DomainError(_("No expert commission is taking cases now; try again later."),
                          code="no_commission")
    seed = secrets.randbits(64)
    chosen = draw(candidates, seed)
    details = {
        "seed": seed,
        "method": DRAW_METHOD,
        "profile": profile,
        "candidates": [{"commission": code, "open_cases": open_cases,
                        "weight": round(1 / (1 + open_cases), 6)}
                       for code, open_cases in candidates],
        "commission": chosen,
    }
    return next(commission for commission in commissions if commission.code == chosen), details


def _require_fields(submission: ReferralSubmission) -> None:
    missing = [label for label, value in (
        (_("FIN"), submission.fin.strip()),
        (_("diagnoses"), [code for code in submission.diagnoses if code.strip()]),
        (_("months of treatment"), submission.treatment_months is not None),
        (_("functional limitations"), submission.limitations),
        (_("medical documents"), submission.documents),
        (_("referring doctor"), submission.doctor_name.strip()),
        # The facility's medical advisory commission approves every referral it sends.
        (_("approved by"), [name for name in submission.approved_by if name.strip()]),
    ) if not value]
    if missing:
        raise DomainError(_("Missing: %(fields)s.") % {"fields": ", ".join(map(str, missing))},
                          code="missing_field")
    months = submission.treatment_months
    if months is None or not 0 <= months <= MAX_TREATMENT_MONTHS:
        raise DomainError(_("Months of treatment must be a number from 0 to %(most)s.")
                          % {"most": MAX_TREATMENT_MONTHS}, code="treatment_months")


def _living_person(fin: str, on: dt.date) -> Person:
    """The person, with ``has_finding``: whether the commission has assessed them before."""
    person = (Person.objects.filter(fin=fin.strip().upper())
              .only("id", "fin", "sex", "birth_date", "death_date")
              .annotate(has_finding=Exists(DisabilityStatus.objects.filter(person=OuterRef("pk"))))
              .first())
    if person is None:
        raise DomainError(_("No person with this FIN is in the registry."), code="unknown_person")
    if person.death_date is not None and person.death_date <= on:
        raise DomainError(_("The registry records this person as deceased: a referral cannot "
                            "be made."), code="person_dead")
    return person


def _limitations_checked(limitations: Mapping[str, int]) -> dict[str, int]:
    checked = {}
    for domain, severity in limitations.items():
        if domain not in LimitationDomain.values:
            raise DomainError(_("Unknown domain of functioning: %(domain)s.") % {"domain": domain},
                              code="unknown_domain")
        if severity not in Severity.values:
            raise DomainError(_("A limitation's severity is 0 (none) to 4 (complete)."),
                              code="severity")
        checked[domain] = severity
    return checked


def _already_open() -> DomainError:
    return DomainError(_("This person already has a referral under assessment; the commission "
                         "decides on it first."), code="referral_open")


def _unused_case_number(on: dt.date) -> str:
    for _attempt in range(_NEW_NUMBER_ATTEMPTS):
        body = "".join(secrets.choice(_CASE_ALPHABET) for _ in range(8))
        number = f"M{on:%y}-{body[:4]}-{body[4:]}"
        if not Referral.objects.filter(case_number=number).exists():
            return number
    raise RuntimeError("No unused case number after several draws.")
