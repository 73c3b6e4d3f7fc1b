"""Writes to the citizen registry."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from pathlib import PurePath
from typing import TypeVar

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dost.accounts.models import Role, User
from dost.audit.models import Subject, channel_for_role
from dost.audit.services import access_record
from dost.errors import DomainError
from dost.registry.corrections import (
    CorrectableFact,
    apply_correction,
    correctable_fact,
    correction_decision_record,
    current_value,
    fact_label,
)
from dost.registry.evidence import validate_evidence_file
from dost.registry.models import (
    CorrectionRequest,
    CorrectionStatus,
    NameKey,
    Person,
    Region,
    Source,
)
from dost.registry.validators import (
    name_key,
    normalize_fin,
    normalize_phone,
    validate_fin,
    validate_iban,
    validate_phone,
)

_V = TypeVar("_V")


def _check(validator: Callable[[_V], object], value: _V) -> None:
    try:
        validator(value)
    except ValidationError as exc:
        raise DomainError(exc.messages[0], code=exc.code or "invalid") from exc


def person_register(
    *,
    fin: str,
    first_name: str,
    last_name: str,
    sex: str,
    birth_date: dt.date,
    source: str,
    patronymic: str = "",
    phone: str = "",
    region: str | None = None,
    language: str = "az",
    bank_account: str = "",
    household_id: int | None = None,
) -> Person:
    """Add a person to the registry; refuses a malformed or already registered FIN.

    Also adds the name keys to the look-up vocabulary.
    """
    fin = normalize_fin(fin)
    _check(validate_fin, fin)
    phone = normalize_phone(phone) if phone else ""
    _check(validate_phone, phone)
    bank_account = bank_account.replace(" ", "").upper()
    _check(validate_iban, bank_account)
    if not first_name.strip() or not last_name.strip():
        raise DomainError(_("First and last name are required."), code="name_required")
    if sex not in {"F", "M"}:
        raise DomainError(_("Sex must be F or M."), code="invalid_sex")
    if birth_date > timezone.localdate():
        raise DomainError(_("The date of birth cannot be in the future."), code="future_birth")
    if not Source.objects.filter(code=source).exists():
        raise DomainError(_("Unknown source institution."), code="unknown_source")
    if region is not None and not Region.objects.filter(code=region).exists():
        raise DomainError(_("Unknown region."), code="unknown_region")

    person = Person(
        fin=fin,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        patronymic=patronymic.strip(),
        first_name_key=name_key(first_name),
        last_name_key=name_key(last_name),
        sex=sex,
        birth_date=birth_date,
        phone=phone,
        phone_source_id=source if phone else None,
        region_id=region,
        address_source_id=source if region else None,
        language=language,
        bank_account=bank_account,
        bank_account_source_id=source if bank_account else None,
        household_id=household_id,
        source_id=source,
    )
    try:
        with transaction.atomic():
            person.save()
            NameKey.objects.bulk_create(
                [NameKey(key=person.first_name_key), NameKey(key=person.last_name_key)],
                ignore_conflicts=True,
            )
    except IntegrityError as exc:
        if Person.objects.filter(fin=fin).exists():
            raise DomainError(
                _("A person with FIN %(fin)s is already registered.") % {"fin": fin},
                code="duplicate_fin",
            ) from exc
        raise
    return person


def _cleaned(correctable: CorrectableFact, value: str) -> str:
    try:
        return correctable.clean(value)
    except ValidationError as exc:
        raise DomainError(exc.messages[0], code=exc.code or "invalid") from exc


def correction_request_create(
    *,
    person: Person,
    fact: str,
    proposed_value: str,
    document: UploadedFile | None = None,
) -> CorrectionRequest:
    """Record a citizen's report that a fact about them is wrong.

    Changes nothing in the registry: the fact stays as the institution sent it
    until staff verify the report (``correction_request_resolve``). Refuses an
    unknown fact, an empty or malformed value, a bad document, and a second
    open report of the same fact.
    """
    correctable = correctable_fact(fact)
    if correctable is None:
        raise DomainError(_("Choose which fact is wrong."), code="unknown_fact")
    proposed_value = (proposed_value or "").strip()
    if not proposed_value:
        raise DomainError(_("Say what is right."), code="value_required")
    value = _cleaned(correctable, proposed_value)
    if document is not None:
        _check(validate_evidence_file, document)
    if CorrectionRequest.objects.filter(person=person, fact=fact,
                                        status=CorrectionStatus.OPEN).exists():
        raise DomainError(_("You have already reported this fact; we are checking it."),
                          code="already_reported")
    correction = CorrectionRequest(
        person=person, fact=fact, proposed_value=value,
        current_value=current_value(person, correctable)[:300],
    )
    if document is not None:
        # A random name: the citizen's file name stays out of paths and URLs.
        suffix = PurePath(document.name or "").suffix.lower()
        correction.document.save(f"{uuid.uuid4().hex}{suffix}", document, save=False)
    try:
        with transaction.atomic():
            correction.save()
    except IntegrityError as exc:
        if correction.document:
            correction.document.delete(save=False)
        raise DomainError(_("You have already reported this fact; we are checking it."),
                          code="already_reported") from exc
    return correction


def correction_request_resolve(
    *,
    correction: CorrectionRequest,
    verified: bool,
    actor: User,
    note: str = "",
    ip_address: str | None = None,
) -> CorrectionRequest:
    """Staff settle a correction request after checking it with the source institution.

    Verified: a fact kept in the person's record is corrected (its source
    becomes the DOST Agency for contact facts); an institution's record is
    corrected by that institution. Rejected: nothing changes, and the note
    tells the citizen why (required). Either way the officer's look at the
    record is written to the citizen's access log and the decision is
    appended to the decision log.
    """
    _require_staff(actor)
    note = (note or "").strip()
    if not verified and not note:
        raise DomainError(_("Tell the citizen why the correction is not confirmed."),
                          code="note_required")
    with transaction.atomic():
        locked = (CorrectionRequest.objects.select_for_update(of=("self",))
                  .select_related("person").get(pk=correction.pk))
        if locked.status != CorrectionStatus.OPEN:
            raise DomainError(_("This correction request has already been settled."),
                              code="already_resolved")
        correctable = correctable_fact(locked.fact)
        if verified and correctable is not None:
            person = Person.objects.select_for_update().get(pk=locked.person_id)
            # Checked again: the rules may have changed since the citizen wrote.
            value = _cleaned(correctable, locked.proposed_value)
            fields = apply_correction(person, correctable, value)
            if fields:
                person.save(update_fields=fields)
                if "first_name_key" in fields or "last_name_key" in fields:
                    NameKey.objects.bulk_create(
                        [NameKey(key=person.first_name_key), NameKey(key=person.last_name_key)],
                        ignore_conflicts=True,
                    )
        locked.status = CorrectionStatus.VERIFIED if verified else CorrectionStatus.REJECTED
        locked.resolved_at = timezone.now()
        locked.resolved_by = actor
        locked.resolution_note = note
        locked.save(update_fields=["status", "resolved_at", "resolved_by", "resolution_note"])
        correction_decision_record(locked)
        _log_correction_access(locked, actor=actor, ip_address=ip_address,
                               reason=gettext_lazy("Decision on your report of a wrong fact "
                                                   "(%(fact)s)"))
    return locked


def correction_request_open_for_staff(*, correction: CorrectionRequest, actor: User,
                                      ip_address: str | None = None) -> None:
    """Record in the citizen's access log that an officer opened their report to check it."""
    _require_staff(actor)
    _log_correction_access(correction, actor=actor, ip_address=ip_address,
                           reason=gettext_lazy("Checking your report of a wrong fact "
                                               "(%(fact)s)"))


def _require_staff(actor: User) -> None:
    if actor.role not in {Role.STAFF, Role.ADMIN} and not actor.is_superuser:
        raise DomainError(_("Only DOST staff can settle correction requests."),
                          code="not_staff")


def _log_correction_access(correction: CorrectionRequest, *, actor: User,
                           ip_address: str | None, reason: Promise) -> None:
    # Written in the citizen's own language: the log is theirs to read.
    with translation.override(correction.person.language):
        text = str(reason) % {"fact": fact_label(correction.fact)}
    access_record(
        person_id=correction.person_id, actor_id=actor.pk, channel=channel_for_role(actor.role),
        what=Subject.REGISTRY_RECORD, reason=text, ip_address=ip_address,
    )
