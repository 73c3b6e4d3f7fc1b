from __future__ import annotations

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)
from allauth.mfa.utils import decrypt
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Print the current two-factor code of a demo user (development only)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")

    def handle(self, *args, username: str, **options) -> None:
        if not settings.DEBUG:
            raise CommandError("Only in development (DEBUG on): codes belong on the user's phone.")
        authenticator = Authenticator.objects.filter(
            user__username=username, type=Authenticator.Type.TOTP
        ).first()
        if authenticator is None:
            raise CommandError(f"{username} has no two-factor authenticator.")
        counters = list(yield_hotp_counters_from_time())
        secret = decrypt(authenticator.data["secret"])
        self.stdout.write(format_hotp_value(hotp_value(secret, counters[len(counters) // 2])))
