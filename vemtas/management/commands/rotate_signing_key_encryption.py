from __future__ import annotations

from django.core.management.base import BaseCommand

from vemtas.signing import signing_keys_reencrypt


class Command(BaseCommand):
    help = ("Re-encrypt the social workers' private signing keys under the first of "
            "FIELD_ENCRYPTION_KEYS, so that the older keys can be removed.")

    def handle(self, *args, **options) -> None:
        rewritten = signing_keys_reencrypt()
        self.stdout.write(f"{rewritten} signing keys re-encrypted under the newest key.")
