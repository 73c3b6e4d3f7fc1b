"""The facts a citizen may report as wrong, and how a verified report corrects each.

A fact with a ``field`` is a column of ``Person``: a verified report writes the
corrected value there. The others (a relation, a job, a year of contributions,
a disability finding) are records an institution sent; a verified report is
passed to that institution, whose corrected record then arrives through the
Digital Bridge.

``group`` is the key of the fact group on the "My data" page
(``selectors.person_facts``), under which the report form is offered.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from dost.audit.decisions import decision_record
from dost.audit.models import DecisionKind
from dost.registry.models import CorrectionRequest, Person, Sex
from dost.registry.validators import name_key, normalize_phone, validate_iban, validate_phone

MAX_PROPOSED_LENGTH = 500


def _text(limit: int) -> Callable[[str], str]:
    def clean(value: str) -> str:
        value = " ".join(value.split())
        if len(value) > limit:
            raise ValidationError(
                _("Keep it to %(limit)s characters.") % {"limit": limit}, code="too_long")
        return value

    return clean


def _date(value: str) -> str:
    value = value.strip()
    try:
        parsed = parse_date(value)
    except ValueError:
        parsed = None
    local = re.fullmatch(r"([0-9]{1,2})[./-]([0-9]{1,2})[./-]([0-9]{4})", value)
    if parsed is None and local:
        day, month, year = (int(part) for part in local.groups())
        try:
            parsed = dt.date(year, month, day)
        except ValueError:
            parsed = None
    if parsed is None:
        raise ValidationError(_("Write the date as DD.MM.YYYY, for example 21.03.1990."),
                              code="invalid_date")
    if parsed > timezone.localdate():
        raise ValidationError(_("The date of birth cannot be in the future."),
                              code="future_birth")
    return parsed.isoformat()


_SEX_WORDS = {
    Sex.FEMALE: {"f", "female", "woman", "qadın", "qadin", "ж", "женский", "женщина"},
    Sex.MALE: {"m", "male", "man", "kişi", "kisi", "м", "мужской", "мужчина"},
}


def _sex(value: str) -> str:
    word = value.strip().lower()
    for sex, words in _SEX_WORDS.items():
        if word in words:
            return sex.value
    raise ValidationError(_("Write female or male."), code="invalid_sex")


def _phone(value: str) -> str:
    phone = normalize_phone(value)
    validate_phone(phone)
    return phone


def _iban(value: str) -> str:
    iban = value.replace(" ", "").upper()
    validate_iban(iban)
    return iban


@dataclass(frozen=True)
class CorrectableFact:
    key: str
    group: str
    label: str | Promise
    # The Person column a verified report corrects; None when an institution's record does.
    field: str | None = None
    # Turns what the citizen typed into the stored value, or raises ValidationError.
    clean: Callable[[str], str] = _text(MAX_PROPOSED_LENGTH)
    help_text: str | Promise = ""


CORRECTABLE_FACTS: tuple[CorrectableFact, ...] = (
    CorrectableFact("last_name", "identity", _("Last name"), "last_name", _text(100)),
    CorrectableFact("first_name", "identity", _("First name"), "first_name", _text(100)),
    CorrectableFact("patronymic", "identity", _("Patronymic"), "patronymic", _text(120)),
    CorrectableFact("sex", "identity", _("Sex"), "sex", _sex),
    CorrectableFact("birth_date", "identity", _("Date of birth"), "birth_date", _date,
                    _("For example 21.03.1990.")),
    CorrectableFact("phone", "contact", _("Mobile phone"), "phone", _phone,
                    _("For example +994 50 123 45 67.")),
    CorrectableFact("address", "contact", _("Address"), "address", _text(300)),
    CorrectableFact("bank_account", "contact", _("Bank account (IBAN)"), "bank_account", _iban),
    CorrectableFact("family", "family", _("A family relation")),
    CorrectableFact("employment", "employment", _("A job or its dates")),
    CorrectableFact("insurance", "insurance", _("Insured months or contributions")),
    CorrectableFact("disability", "disability", _("A disability finding")),
)
_BY_KEY = {fact.key: fact for fact in CORRECTABLE_FACTS}

# Where a verified correction of a contact fact now comes from: DOST checked it.
_FIELD_SOURCES = {"phone": "phone_source_id", "address": "address_source_id",
                  "bank_account": "bank_account_source_id"}
VERIFIER_SOURCE = "dost"


def correctable_fact(key: str) -> CorrectableFact | None:
    return _BY_KEY.get(key)


def facts_of_group(group: str) -> list[CorrectableFact]:
    return [fact for fact in CORRECTABLE_FACTS if fact.group == group]


def fact_label(key: str) -> str:
    fact = _BY_KEY.get(key)
    return str(fact.label) if fact else key


def current_value(person: Person, fact: CorrectableFact) -> str:
    """What the registry holds now for a column fact; empty for an institution's record."""
    if fact.field is None:
        return ""
    value = getattr(person, fact.field)
    if fact.field == "sex":
        return person.get_sex_display()
    return "" if value is None else str(value)


def apply_correction(person: Person, fact: CorrectableFact, value: str) -> list[str]:
    """Set the corrected value on ``person``; returns the fields to save (nothing if no column)."""
    if fact.field is None:
        return []
    stored: object = parse_date(value) if fact.field == "birth_date" else value
    setattr(person, fact.field, stored)
    fields = [fact.field, "updated_at"]
    if fact.field in _FIELD_SOURCES:
        setattr(person, _FIELD_SOURCES[fact.field], VERIFIER_SOURCE if value else None)
        fields.append(_FIELD_SOURCES[fact.field].removesuffix("_id"))
    if fact.field in {"first_name", "last_name"}:
        setattr(person, f"{fact.field}_key", name_key(value))
        fields.append(f"{fact.field}_key")
    return fields


def correction_decision_record(correction: CorrectionRequest) -> None:
    """Append staff's settlement of a report (confirmed or not) to the decision log.

    Called in the settling transaction, after the request was saved as settled.
    The values reported and corrected are only hashed: the permanent log keeps
    no phone, address or account number.
    """
    decision_record(
        kind=DecisionKind.CORRECTION, subject=correction.fact,
        decided_by=f"official:{correction.resolved_by_id}", person_id=correction.person_id,
        details={"correction": correction.pk, "fact": correction.fact,
                 "status": correction.status, "reason": correction.resolution_note},
        facts={"current_value": correction.current_value,
               "proposed_value": correction.proposed_value},
    )
