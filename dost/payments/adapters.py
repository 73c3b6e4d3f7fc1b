"""The paying bank, behind one small interface chosen by the ``BANK_ADAPTER`` setting.

An adapter may raise on any transport failure (timeout, 5xx): the delivery
service treats an exception as "try again later" and a reply with
``accepted=False`` as the bank's final refusal.

Delivery is at least once: if the process dies after the bank acted but before
our transaction commits, the request is sent again. A real adapter must pass
the request's ``reference`` to the bank as its idempotency key, so that the
repeat opens no second account and pays nothing twice.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from dost.payments.models import BankRequest, Payment
from dost.registry.validators import iban_with_checksum

DEFAULT_BANK_ADAPTER = "dost.payments.adapters.LocalBankAdapter"


@dataclass(frozen=True)
class BankReply:
    accepted: bool
    bank_reference: str
    # For an opened account: its IBAN. Empty when the bank will report it later.
    iban: str = ""
    # Why the bank refused, in the bank's words.
    reason: str = ""


class BankAdapter(Protocol):
    def open_account(self, request: BankRequest) -> BankReply: ...

    def send_payment(self, request_or_payment: BankRequest | Payment) -> BankReply: ...


def idempotency_key(request_or_payment: BankRequest | Payment) -> str:
    """The key the bank deduplicates on: the request's reference, or schedule and month."""
    if isinstance(request_or_payment, BankRequest):
        return request_or_payment.reference
    return f"schedule:{request_or_payment.schedule_id}:{request_or_payment.month:%Y-%m}"


class LocalBankAdapter(BankAdapter):
    """A bank that accepts everything, so development and tests run offline.

    Its replies are deterministic: the same request always gets the same IBAN
    and reference, as a real bank deduplicating on the reference would reply.
    """

    def open_account(self, request: BankRequest) -> BankReply:
        iban = iban_with_checksum(("AZ", "DOST" + f"{request.person_id:020d}"))
        return BankReply(accepted=True, bank_reference=self._reference(request), iban=iban)

    def send_payment(self, request_or_payment: BankRequest | Payment) -> BankReply:
        return BankReply(accepted=True, bank_reference=self._reference(request_or_payment))

    @staticmethod
    def _reference(request_or_payment: BankRequest | Payment) -> str:
        # Hashed because our references (120 characters) may be longer than the bank's (64).
        digest = hashlib.sha256(idempotency_key(request_or_payment).encode()).hexdigest()
        return f"LOCAL-{digest[:24].upper()}"


def bank_adapter() -> BankAdapter:
    """A new instance of the configured adapter (read on every call so tests can swap it)."""
    adapter_class = import_string(getattr(settings, "BANK_ADAPTER", DEFAULT_BANK_ADAPTER))
    return adapter_class()
