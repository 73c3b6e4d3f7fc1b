from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from dost.accounts.models import EVENT_TYPES_OF_KIND, KNOWN_EVENT_TYPES, InstitutionKind, Scope
from dost.accounts.services import institution_token_create
from dost.errors import DomainError


class Command(BaseCommand):
    help = (
        "Print a new API token for an institution (created if new). Shown once. "
        "With --kind or --event-types, also set which life events the institution may push "
        "(for all its tokens); any other event is refused with 403."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("name", help="the institution's name")
        parser.add_argument(
            "--scopes", nargs="+", default=[Scope.EVENTS_WRITE, Scope.AWARDS_READ],
            help=f"what the token may do; known: {', '.join(Scope.values)}",
        )
        presets = "; ".join(f"{kind}: {', '.join(EVENT_TYPES_OF_KIND[kind])}"
                            for kind in InstitutionKind.values)
        events = parser.add_mutually_exclusive_group()
        events.add_argument(
            "--kind", choices=InstitutionKind.values,
            help=f"the events the institution pushes, by what it is ({presets})",
        )
        events.add_argument(
            "--event-types", type=_comma_list,
            help=f"the events the institution pushes, comma-separated; known: "
                 f"{', '.join(KNOWN_EVENT_TYPES)}",
        )
        parser.add_argument(
            "--rate", default="",
            help="this token's request rate, like 600/min (default: the API's institution rate)",
        )

    def handle(self, *args, name: str, scopes: list[str], kind: str | None = None,
               event_types: list[str] | None = None, rate: str = "", **options) -> None:
        if kind is not None:
            event_types = list(EVENT_TYPES_OF_KIND[kind])
        try:
            token, raw_key = institution_token_create(name=name, scopes=scopes,
                                                      event_types=event_types, rate=rate)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        institution = token.institution
        self.stderr.write(
            f"Token {token.prefix}… for {institution.name} with scopes {', '.join(token.scopes)}, "
            f"until {token.expires_at:%Y-%m-%d %H:%M} UTC:"
        )
        if token.has_scope(Scope.EVENTS_WRITE) and not institution.event_types:
            self.stderr.write(self.style.WARNING(
                f"{institution.name} may push no event yet: give it --kind or --event-types."
            ))
        self.stdout.write(raw_key)


def _comma_list(value: str) -> list[str]:
    return [item.strip() for item in value.split(",") if item.strip()]
