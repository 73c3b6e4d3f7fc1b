from __future__ import annotations

from dost.payments.adapters import LocalBankAdapter, bank_adapter
from dost.registry.validators import validate_iban


def test_local_bank_opens_a_valid_azerbaijani_account(queue_bank_request, person):
    reply = LocalBankAdapter().open_account(queue_bank_request(person))

    assert reply.accepted
    assert reply.iban.startswith("AZ")
    validate_iban(reply.iban)


def test_local_bank_gives_a_person_the_same_account_every_time(queue_bank_request, person):
    first = LocalBankAdapter().open_account(queue_bank_request(person))
    again = LocalBankAdapter().open_account(queue_bank_request(person))

    assert first.iban == again.iban


def test_local_bank_replies_with_a_reference_that_fits_the_column(queue_bank_request, person):
    request = queue_bank_request(person, kind="payment", amount="10",
                                 reference="award:" + "9" * 114)

    reply = LocalBankAdapter().send_payment(request)

    assert reply.accepted
    assert 0 < len(reply.bank_reference) <= 64


def test_local_bank_is_the_default_adapter(settings):
    del settings.BANK_ADAPTER

    assert isinstance(bank_adapter(), LocalBankAdapter)
