from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from dost.accounts.models import Scope
from dost.accounts.services import institution_token_create
from dost.errors import DomainError


class Command(BaseCommand):
    help = "Print a new API token for an institution (created if new). Shown once."

    def add_arguments(self, parser) -> None:
        parser.add_argument("name", help="the institution's name")
        parser.add_argument(
            "--scopes", nargs="+", default=[Scope.EVENTS_WRITE, Scope.AWARDS_READ],
            help=f"what the token may do; known: {', '.join(Scope.values)}",
        )

    def handle(self, *args, name: str, scopes: list[str], **options) -> None:
        try:
            token, raw_key = institution_token_create(name=name, scopes=scopes)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stderr.write(
            f"Token for {token.institution.name} with scopes {', '.join(token.scopes)}:"
        )
        self.stdout.write(raw_key)
