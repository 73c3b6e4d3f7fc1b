"""Writes to the citizen registry."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dost.errors import DomainError
from dost.registry.models import NameKey, Person, Region, Source
from dost.registry.validators import (
    name_key,
    normalize_fin,
    normalize_phone,
    validate_fin,
    validate_iban,
    validate_phone,
)


def _check(validator, value: str) -> None:
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
