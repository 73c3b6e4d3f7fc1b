from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from disability.services.facilities import facility_token_create
from dost.errors import DomainError


class Command(BaseCommand):
    help = (
        "Print a new API token for a health facility's own system, with the scope "
        "referrals:write (POST /api/v1/disability/referrals/). Shown once. The facility is "
        "linked to an institution of its name if it has none yet."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("code", help="the health facility's code")
        parser.add_argument(
            "--rate", default="",
            help="this token's request rate, like 600/min (default: the API's institution rate)",
        )

    def handle(self, *args, code: str, rate: str = "", **options) -> None:
        try:
            token, raw_key = facility_token_create(code=code, rate=rate)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stderr.write(
            f"Token {token.prefix}… for {token.institution.name} with scopes "
            f"{', '.join(token.scopes)}, until {token.expires_at:%Y-%m-%d %H:%M} UTC:"
        )
        self.stdout.write(raw_key)
