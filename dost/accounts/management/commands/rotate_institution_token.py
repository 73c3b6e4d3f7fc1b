from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from dost.accounts.selectors import unrevoked_token_by_prefix
from dost.accounts.services import ROTATION_GRACE_DEFAULT, institution_token_rotate
from dost.errors import DomainError

DEFAULT_GRACE_HOURS = int(ROTATION_GRACE_DEFAULT.total_seconds() // 3600)


class Command(BaseCommand):
    help = (
        "Print a new API token replacing the one whose key starts with PREFIX (shown once): "
        "the same institution, scopes and rate, a full lifetime. The old token keeps working "
        f"for --grace-hours (default {DEFAULT_GRACE_HOURS}) so the institution can switch "
        "without downtime; 0 ends it at once."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "prefix",
            help="the first 8 characters of the token to replace (after -- if it starts with -)",
        )
        parser.add_argument(
            "--grace-hours", type=int, default=DEFAULT_GRACE_HOURS,
            help="how long the old token still works",
        )

    def handle(self, *args, prefix: str, grace_hours: int, **options) -> None:
        try:
            token, raw_key = institution_token_rotate(
                token=unrevoked_token_by_prefix(prefix), grace=dt.timedelta(hours=grace_hours)
            )
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        old = token.rotated_from
        if old is None:  # the rotation always links the new token to the one it replaces
            raise RuntimeError("The new token does not name the token it replaces.")
        self.stderr.write(
            f"Token {token.prefix}… for {token.institution.name} with scopes "
            f"{', '.join(token.scopes)}, until {token.expires_at:%Y-%m-%d %H:%M} UTC; "
            f"{old.prefix}… works until {old.expires_at:%Y-%m-%d %H:%M} UTC:"
        )
        self.stdout.write(raw_key)
