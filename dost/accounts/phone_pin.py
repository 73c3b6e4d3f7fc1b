"""The citizen's PIN for the 142 phone line (IVR): setting it, and checking it on a call.

A caller says or keys their FIN, then keys their PIN. Three wrong PINs in a row
lock the phone line for that FIN: even the right PIN is refused until the
citizen sets a new PIN on the portal. The count and the lock are written under
a row lock (``select_for_update``), so calls at the same moment cannot get
more tries between them, nor lose a wrong one.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dost.accounts.models import PhonePin, Role, User
from dost.accounts.selectors import usable_phone_pins
from dost.errors import DomainError
from dost.notifications.services import sms_enqueue
from dost.notifications.tasks import schedule_delivery
from dost.notifications.templates import register_template

if TYPE_CHECKING:
    from dost.registry.models import Person

PIN_RE = re.compile(r"^[0-9]{4,6}\Z")
MAX_WRONG_PINS = 3
# Keyed FINs that share their keys with more people than this are asked to be said instead:
# each candidate costs a password-hash check while the caller waits.
MAX_KEYPAD_CANDIDATES = 4

# The letters of a phone keypad (ITU E.161): a letter is keyed as its key's digit.
_KEYS = {"2": "ABC", "3": "DEF", "4": "GHI", "5": "JKL", "6": "MNO", "7": "PQRS", "8": "TUV",
         "9": "WXYZ"}
_KEYPAD = str.maketrans({letter: digit for digit, letters in _KEYS.items()
                         for letter in letters})

PIN_LOCKED_TEMPLATE = "phone_pin_locked"
PIN_SET_TEMPLATE = "phone_pin_set"


def keypad_form(fin: str) -> str:
    """The FIN as keyed on a phone: ``5ALC7E1`` → ``5252731``."""
    return fin.upper().translate(_KEYPAD)


# --- setting a PIN on the portal ---------------------------------------------------------------


def _is_run(pin: str) -> bool:
    steps = {int(after) - int(before) for before, after in zip(pin, pin[1:], strict=False)}
    return steps in ({1}, {-1})


def phone_pin_refusal(pin: str, *, person: Person) -> DomainError | None:
    """Why ``pin`` cannot be the person's PIN, or None when it can."""
    if not PIN_RE.match(pin):
        return DomainError(_("A PIN is 4 to 6 digits, with nothing else."), code="pin_format")
    if len(set(pin)) == 1:
        return DomainError(_("A PIN of one digit repeated is too easy to guess."),
                           code="pin_repeated")
    if _is_run(pin):
        return DomainError(_("Digits in a row, like 1234 or 4321, are too easy to guess."),
                           code="pin_run")
    birth = person.birth_date
    if str(birth.year) in pin or pin in (f"{birth:%d%m%y}", f"{birth:%d%m}", f"{birth:%m%d}"):
        return DomainError(_("Anyone who knows your date of birth could guess this PIN: "
                             "choose another."), code="pin_birth_date")
    return None


@transaction.atomic
def phone_pin_set(*, person: Person, pin: str) -> PhonePin:
    """Set or change the person's PIN for the phone line, unlocking it; texts them about it.

    Refuses (``DomainError``) a PIN that is not 4–6 digits or is easy to guess,
    saving nothing. A new PIN clears the count of wrong ones and the lock.
    """
    pin = (pin or "").strip()
    refusal = phone_pin_refusal(pin, person=person)
    if refusal is not None:
        raise refusal
    now = timezone.now()
    # One statement, INSERT ... ON CONFLICT: two saves at once cannot both insert.
    PhonePin.objects.bulk_create(
        [PhonePin(person=person, pin_hash=make_password(pin), keypad_fin=keypad_form(person.fin),
                  failed_attempts=0, locked_at=None, set_at=now)],
        update_conflicts=True, unique_fields=["person"],
        update_fields=["pin_hash", "keypad_fin", "failed_attempts", "locked_at", "set_at"],
    )
    phone_pin = PhonePin.objects.get(person=person)
    # Told by text, so that a PIN set by someone else in the citizen's session does not go
    # unnoticed.
    sms_enqueue(person=person, template=PIN_SET_TEMPLATE, context={},
                dedupe_key=f"phone-pin-set:{phone_pin.pk}:{now.isoformat()}")
    schedule_delivery()
    return phone_pin


# --- checking a PIN on a call ------------------------------------------------------------------


class Outcome:
    IDENTIFIED = "identified"
    WRONG = "wrong"
    LOCKED = "locked"
    # The PIN fits more than one person who shares the keyed FIN: nobody is identified.
    AMBIGUOUS = "ambiguous"


@dataclass(frozen=True)
class PinCheck:
    outcome: str
    person: Person | None = None
    # The citizen's own account, which the access log names for what they hear.
    user_id: int | None = None
    # Wrong PINs still allowed before the lock (after a wrong one).
    tries_left: int = 0


def phone_pin_check(*, candidate_ids: Sequence[int], pin: str) -> PinCheck:
    """Check a PIN keyed on a call against the PINs of the FIN the caller gave.

    ``candidate_ids`` are the ``PhonePin`` rows that FIN points to: one when it was
    said, the few sharing its keys when it was keyed. A locked row is never
    checked. The one row the PIN fits identifies the caller and has its count of
    wrong PINs cleared; when it fits none, each unlocked candidate counts a wrong
    PIN, and the third in a row locks it (the citizen is told by text).
    """
    pin = (pin or "").strip()
    with transaction.atomic():
        # In id order, so two calls over the same rows cannot deadlock.
        rows = list(usable_phone_pins().select_for_update(of=("self",))
                    .filter(pk__in=list(candidate_ids)).order_by("pk"))
        unlocked = [row for row in rows if not row.locked]
        if not unlocked:
            return PinCheck(Outcome.LOCKED)
        fitting = ([row for row in unlocked if check_password(pin, row.pin_hash)]
                   if PIN_RE.match(pin) else [])
        if len(fitting) == 1:
            row = fitting[0]
            if row.failed_attempts:
                row.failed_attempts = 0
                row.save(update_fields=["failed_attempts"])
            user = getattr(row.person, "user", None)
            return PinCheck(Outcome.IDENTIFIED, person=row.person,
                            user_id=user.pk if user is not None else None)
        if fitting:
            return PinCheck(Outcome.AMBIGUOUS)
        now = timezone.now()
        for row in unlocked:
            row.failed_attempts += 1
            if row.failed_attempts >= MAX_WRONG_PINS:
                row.locked_at = now
                sms_enqueue(person=row.person, template=PIN_LOCKED_TEMPLATE, context={},
                            dedupe_key=f"phone-pin-locked:{row.pk}:{now.isoformat()}")
                schedule_delivery()
            row.save(update_fields=["failed_attempts", "locked_at"])
        still_open = [row for row in unlocked if not row.locked]
        if not still_open:
            return PinCheck(Outcome.LOCKED)
        return PinCheck(Outcome.WRONG, tries_left=min(MAX_WRONG_PINS - row.failed_attempts
                                                      for row in still_open))


# --- the texts ---------------------------------------------------------------------------------


def _pin_set(context: Mapping[str, Any]) -> str:
    return _("DOST: a PIN for the 142 phone line was set on your e-Social account. If you did "
             "not do this, call 142.")


def _pin_locked(context: Mapping[str, Any]) -> str:
    return _("DOST: your PIN for the 142 phone line is locked after three wrong tries. To "
             "unlock it, set a new PIN on e-social.gov.az.")


def register_templates() -> None:
    register_template(PIN_SET_TEMPLATE, _pin_set)
    register_template(PIN_LOCKED_TEMPLATE, _pin_locked)



# --- the demo ----------------------------------------------------------------------------------

DEMO_PHONE_PIN = "2580"


def demo_phone_pin(today: dt.date) -> list[str]:
    """Once: a PIN for the demo citizen, so that the voice menu can be tried with them."""
    citizen = (User.objects.filter(role=Role.CITIZEN, person__isnull=False)
               .select_related("person").order_by("id").first())
    if citizen is None or citizen.person is None:
        return []
    person = citizen.person
    if (PhonePin.objects.filter(person=person).exists()
            or phone_pin_refusal(DEMO_PHONE_PIN, person=person) is not None):
        return []
    phone_pin_set(person=person, pin=DEMO_PHONE_PIN)
    return [_("Voice menu of the 142 line: the demo citizen %(fin)s has the phone PIN %(pin)s.")
            % {"fin": person.fin, "pin": DEMO_PHONE_PIN}]
