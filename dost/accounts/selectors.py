"""Reads of accounts and institution tokens."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from dost.accounts.models import InstitutionToken, PhonePin
from dost.errors import DomainError


def unrevoked_token_by_prefix(prefix: str) -> InstitutionToken:
    """The one unrevoked token whose key starts with ``prefix``, as operators name tokens.

    Refuses (``DomainError``) when none or several match: a prefix is 8 random
    characters, so two tokens may share one, and guessing between them is not ours.
    """
    prefix = prefix.strip()
    matches = list(InstitutionToken.objects.select_related("institution")
                   .filter(prefix=prefix, revoked_at__isnull=True)[:2])
    if not matches:
        raise DomainError(_("No unrevoked token starts with %(prefix)s.") % {"prefix": prefix},
                          code="token_not_found")
    if len(matches) > 1:
        raise DomainError(
            _("Several tokens start with %(prefix)s: revoke one in the back office.")
            % {"prefix": prefix},
            code="token_prefix_ambiguous",
        )
    return matches[0]


# --- the PIN for the 142 phone line ------------------------------------------------------------


def usable_phone_pins() -> QuerySet[PhonePin]:
    """PINs that may identify a caller: a living person's, whose portal account is active."""
    return (PhonePin.objects.select_related("person", "person__user")
            .filter(person__death_date__isnull=True, person__user__is_active=True))


def phone_pins_for_fin(fin: str) -> list[PhonePin]:
    """The PIN of the person with this FIN (none or one), as a caller said it."""
    return list(usable_phone_pins().filter(person__fin=fin))


def phone_pins_for_keypad(digits: str, *, limit: int) -> list[PhonePin]:
    """PINs of the people whose FIN is keyed as ``digits``, by its index; at most ``limit``."""
    return list(usable_phone_pins().filter(keypad_fin=digits).order_by("pk")[:limit])


def phone_pin_of_person(person_id: int) -> PhonePin | None:
    return PhonePin.objects.filter(person_id=person_id).first()
