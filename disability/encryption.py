"""Re-encryption of the identities held as ciphertext, after a new key is put first.

``FIELD_ENCRYPTION_KEYS`` lists salts newest first: the first encrypts, all decrypt
(``encrypted_fields`` derives a Fernet key from ``SECRET_KEY`` and each). Putting a
new salt first protects what is written from then on; re-encrypting the rows under
it is what lets the old one be dropped. Rows are rewritten in chunks, each in its
own transaction, so a long rotation never holds a lock on the table, and one that
stops half-way is simply run again.
"""

from __future__ import annotations

from django.db import models, transaction
from encrypted_fields.fields import EncryptedFieldMixin

from disability.models import Referral

CHUNK = 1_000


def encrypted_fields_of(model: type[models.Model]) -> list[str]:
    return [field.name for field in model._meta.concrete_fields
            if isinstance(field, EncryptedFieldMixin)]


def encryption_keys_reload() -> None:
    """Forget the keys the fields derived, so the settings in force are read again.

    The fields derive their keys once per process (PBKDF2 is slow on purpose); a
    process whose settings changed, as a rotation's tests do, must let them go.
    """
    for model in (Referral,):
        for field in model._meta.concrete_fields:
            if isinstance(field, EncryptedFieldMixin):
                for cached in ("keys", "f"):
                    field.__dict__.pop(cached, None)


def reencrypt_all(*, chunk: int = CHUNK) -> int:
    """Rewrite every encrypted field under the first key; returns the rows rewritten."""
    fields = encrypted_fields_of(Referral)
    last_pk = 0
    rewritten = 0
    while True:
        with transaction.atomic():
            rows = list(Referral.objects.filter(pk__gt=last_pk).order_by("pk")
                        .select_for_update().only("pk", *fields)[:chunk])
            if not rows:
                return rewritten
            Referral.objects.bulk_update(rows, fields)
        rewritten += len(rows)
        last_pk = rows[-1].pk
