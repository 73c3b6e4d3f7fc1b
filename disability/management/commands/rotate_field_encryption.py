from __future__ import annotations

from django.core.management.base import BaseCommand

from disability.encryption import reencrypt_all


class Command(BaseCommand):
    help = ("Re-encrypt the identities held as ciphertext under the first of "
            "FIELD_ENCRYPTION_KEYS, so that the older keys can be removed.")

    def handle(self, *args, **options) -> None:
        rewritten = reencrypt_all()
        self.stdout.write(f"{rewritten} referrals re-encrypted under the newest key.")
