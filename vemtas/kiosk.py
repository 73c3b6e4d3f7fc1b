"""Applying for targeted social assistance at a kiosk in a DOST centre, without an account.

Whoever stands at the kiosk proves who they are with the ID card and a one-time
code sent by SMS to the phone the registry holds for that card's FIN: the same
proof the portal's sign-in rests on, with nothing typed but two numbers.

Nobody is signed in. What the kiosk knows between the steps (the code's hash,
who it was sent to, who has been identified) lives in the server-side session,
under one key the views remove when the kiosk is done or left idle. Tries are
counted in the cache with an atomic increment, so that requests sent at once
cannot try more codes between them (Redis in production, shared by every web
process; the local default cache is one process's). How many codes a FIN may be
sent is counted in the SMS outbox itself, under a row lock on the person, so it
holds across sessions and kiosks. The outbox row keeps the code in its context,
as every message's context is kept until it is sent: the text is rendered then.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib.auth.hashers import check_password, make_password
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dost.accounts.models import User
from dost.accounts.services import citizen_account_create
from dost.applications.services import application_submit
from dost.errors import DomainError
from dost.notifications.models import SmsMessage
from dost.notifications.services import sms_enqueue
from dost.notifications.tasks import schedule_delivery
from dost.notifications.templates import register_template
from dost.registry.models import Person
from dost.registry.validators import normalize_fin, validate_fin
from vemtas.applications import CODE as APPLICATION_TYPE
from vemtas.models import Case, Channel

if TYPE_CHECKING:
    from dost.applications.models import Application

CODE_TEMPLATE = "kiosk_code"
CODE_DIGITS = 6
CODE_VALID_FOR = dt.timedelta(minutes=5)
MAX_WRONG_CODES = 5
# Codes one FIN may be sent in the window: each is an SMS to a real phone, and with
# MAX_WRONG_CODES each, at most 15 guesses of a million in a quarter of an hour.
CODES_PER_WINDOW = 3
CODE_WINDOW = dt.timedelta(minutes=15)
# A kiosk left alone this long forgets the person and goes back to the first step.
IDLE_TIMEOUT = dt.timedelta(minutes=3)


@dataclass(frozen=True)
class SentCode:
    """A code sent to a person, as the kiosk session keeps it: only its hash."""

    key: str
    person_id: int
    code_hash: str
    expires_at: dt.datetime
    # The last digits of the phone, so the person knows which phone to look at.
    phone_end: str

    def to_session(self) -> dict[str, Any]:
        return {"key": self.key, "person_id": self.person_id, "code_hash": self.code_hash,
                "expires_at": self.expires_at.isoformat(), "phone_end": self.phone_end}

    @classmethod
    def from_session(cls, data: Mapping[str, Any] | None) -> SentCode | None:
        if not data:
            return None
        try:
            return cls(key=str(data["key"]), person_id=int(data["person_id"]),
                       code_hash=str(data["code_hash"]),
                       expires_at=dt.datetime.fromisoformat(data["expires_at"]),
                       phone_end=str(data.get("phone_end", "")))
        except (KeyError, TypeError, ValueError):
            return None


def _cannot_send() -> DomainError:
    # The same words for an unknown FIN, a deceased person and a person with no phone: the
    # kiosk tells a stranger no more than that this card cannot be used here.
    return DomainError(_("We could not send a code for this ID card. Please go to a desk: "
                         "the staff will help you apply."), code="cannot_send")


def _attempts_key(key: str) -> str:
    return f"vemtas:kiosk-code:{key}:wrong"


def kiosk_code_send(*, fin: str, now: dt.datetime | None = None) -> SentCode:
    """Text a new one-time code to the phone on record for ``fin``; returns what to keep.

    Queues the SMS (template ``kiosk_code``, in the person's language) in the
    outbox and has it delivered once the transaction commits. Refuses
    (``DomainError``) a malformed FIN (``invalid_fin``); an unknown or deceased
    person or one with no phone on record (``cannot_send``, the same message
    for all three); and a fourth code within 15 minutes (``too_many_codes``).
    """
    now = now or timezone.now()
    fin = normalize_fin(fin)
    try:
        validate_fin(fin)
    except ValidationError as exc:
        raise DomainError(exc.messages[0], code="invalid_fin") from None
    code = f"{secrets.randbelow(10 ** CODE_DIGITS):0{CODE_DIGITS}d}"
    key = secrets.token_urlsafe(16)
    with transaction.atomic():
        # The person's row lock makes counting and queueing one step: two kiosks asking
        # at once cannot both see two codes sent and each send a third.
        person = (Person.objects.select_for_update(of=("self",))
                  .filter(fin=fin, death_date__isnull=True).first())
        if person is None or not person.phone:
            raise _cannot_send()
        sent = SmsMessage.objects.filter(person=person, template=CODE_TEMPLATE,
                                         created_at__gte=now - CODE_WINDOW).count()
        if sent >= CODES_PER_WINDOW:
            minutes = int(CODE_WINDOW.total_seconds() // 60)
            raise DomainError(ngettext(
                "Too many codes were sent for this ID card. Try again in %(minutes)d minute, "
                "or go to a desk.",
                "Too many codes were sent for this ID card. Try again in %(minutes)d minutes, "
                "or go to a desk.", minutes) % {"minutes": minutes}, code="too_many_codes")
        sms_enqueue(person=person, template=CODE_TEMPLATE, dedupe_key=f"kiosk-code:{key}",
                    context={"code": code,
                             "minutes": int(CODE_VALID_FOR.total_seconds() // 60)})
        schedule_delivery()
    return SentCode(key=key, person_id=person.pk, code_hash=make_password(code),
                    expires_at=now + CODE_VALID_FOR, phone_end=person.phone[-2:])


def kiosk_code_check(*, sent: SentCode, code: str, now: dt.datetime | None = None) -> Person:
    """The person the code was sent to, when ``code`` is it; refuses otherwise.

    Every try counts; after the fifth wrong one the code is useless. Refuses
    (``DomainError``) an expired code (``code_expired``), a code tried too often
    (``too_many_attempts``: a new one must be sent) and a wrong one
    (``wrong_code``, saying how many tries are left). Changes nothing else.
    """
    now = now or timezone.now()
    if now >= sent.expires_at:
        minutes = int(CODE_VALID_FOR.total_seconds() // 60)
        raise DomainError(_("This code has expired: a code is valid for %(minutes)d minutes. "
                            "Ask for a new code.") % {"minutes": minutes}, code="code_expired")
    counter = _attempts_key(sent.key)
    # Kept a little longer than the code itself, so an expired code's count cannot restart.
    timeout = int(CODE_VALID_FOR.total_seconds()) + 60
    cache.add(counter, 0, timeout=timeout)
    # The try is counted before the code is compared: requests sent at once each take a
    # number first, so no more than MAX_WRONG_CODES of them are ever compared.
    try:
        attempt = cache.incr(counter)
    except ValueError:  # the count expired in between: start it again, with this try
        cache.add(counter, 1, timeout=timeout)
        attempt = 1
    if attempt > MAX_WRONG_CODES:
        raise _too_many_attempts()
    code = (code or "").strip()
    if (len(code) == CODE_DIGITS and code.isascii() and code.isdigit()
            and check_password(code, sent.code_hash)):
        person = Person.objects.filter(pk=sent.person_id, death_date__isnull=True).first()
        if person is None:
            raise _cannot_send()
        return person
    left = MAX_WRONG_CODES - attempt
    if left <= 0:
        raise _too_many_attempts()
    raise DomainError(ngettext("The code is not right. You have %(left)d more try.",
                               "The code is not right. You have %(left)d more tries.", left)
                      % {"left": left}, code="wrong_code")


def identified_person(person_id: Any) -> Person | None:
    """The living person a code identified at this kiosk (its session names them)."""
    if not isinstance(person_id, int):
        return None
    return (Person.objects.select_related("household", "household__region", "region")
            .filter(pk=person_id, death_date__isnull=True).first())


def _too_many_attempts() -> DomainError:
    return DomainError(_("The code was entered wrongly too many times. Ask for a new code."),
                       code="too_many_attempts")


def _account_of(person: Person) -> User:
    """The person's portal account; one is opened, with no password, if they have none.

    The e-application names the account that submitted it, as on the portal. An
    account with an unusable password cannot be signed in to with a password; the
    person can set one later as any citizen does.
    """
    user = User.objects.filter(person=person).first()
    if user is not None:
        return user
    user = citizen_account_create(person=person, password=secrets.token_urlsafe(32))
    user.set_unusable_password()
    user.save(update_fields=["password"])
    return user


def kiosk_application_submit(*, person: Person, data: Any) -> Application:
    """File the person's application for targeted social assistance, made at a kiosk.

    Runs the portal's ``application_submit`` for the person (its form, its
    checks, the case it opens) with their account as the submitter, opening an
    account without a password if they have none, and marks the case as made at a
    kiosk. All in one transaction: a refusal (``DomainError``, or
    ``InvalidApplication`` with the form's errors) saves nothing, not even the
    account. Signs nobody in.
    """
    with transaction.atomic():
        user = _account_of(person)
        application = application_submit(person=person, type_code=APPLICATION_TYPE, data=data,
                                         submitted_by=user)
        Case.objects.filter(application=application).update(channel=Channel.KIOSK)
    return application


def _code_text(context: Mapping[str, Any]) -> str:
    return _("DOST kiosk: your code is %(code)s. It is valid for %(minutes)s minutes. Do not "
             "tell it to anyone; DOST staff never ask for it.") % {
        "code": context.get("code", ""), "minutes": context.get("minutes", 5)}


def register_templates() -> None:
    register_template(CODE_TEMPLATE, _code_text)
