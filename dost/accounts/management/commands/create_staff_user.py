from __future__ import annotations

import getpass
import io
from pathlib import Path

import segno
from django.core.management.base import BaseCommand, CommandError

from dost.accounts.services import (
    OFFICIAL_ROLES,
    SecondFactor,
    official_account_check,
    official_account_create,
)
from dost.errors import DomainError


class Command(BaseCommand):
    help = (
        "Create an official's account (the first ones in production among them): DOST "
        "centre staff, a 142 agent, an MSEC expert, a doctor or an administrator. The "
        "password is asked twice, or read from --password-file. For roles that sign in with "
        "a second factor, prints the authenticator app's secret and recovery codes, once."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("username", help="the login of the new account")
        # Not argparse's choices: an unknown role gets the same refusal as in the service.
        parser.add_argument("--role", required=True,
                            help=f"one of: {', '.join(OFFICIAL_ROLES)}")
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--password-file", type=Path,
            help="read the password from the first line of this file instead of the terminal",
        )

    def handle(self, *args, username: str, role: str, first_name: str, last_name: str,
               email: str, password_file: Path | None, **options) -> None:
        try:
            official_account_check(username=username.strip(), role=role, email=email.strip())
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        password = _password_from(password_file) if password_file else _password_typed()
        try:
            user, second_factor = official_account_create(
                username=username, role=role, password=password, first_name=first_name,
                last_name=last_name, email=email)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(self.style.SUCCESS(
            f"Created {user.username} ({user.get_role_display()})."))
        if second_factor is not None:
            self._show(second_factor)

    def _show(self, second_factor: SecondFactor) -> None:
        write = self.stdout.write
        write("Two-factor sign-in is set up. Add the account to an authenticator app, from the "
              "QR code or the secret; shown only now:")
        write(_terminal_qr_code(second_factor.uri))
        write(f"URI:    {second_factor.uri}")
        write(f"Secret: {second_factor.secret}")
        write("Recovery codes, each good once if the authenticator is lost; keep them apart "
              "from the password:")
        for code in second_factor.recovery_codes:
            write(f"  {code}")


def _password_typed() -> str:
    try:
        password = getpass.getpass("Password: ")
        again = getpass.getpass("Password (again): ")
    except (EOFError, KeyboardInterrupt):
        raise CommandError("No password given: nothing was created.") from None
    if password != again:
        raise CommandError("The two passwords differ: nothing was created.")
    return password


def _password_from(path: Path) -> str:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise CommandError(f"Cannot read the password file {path}: {exc}") from None
    if not lines or not lines[0]:
        raise CommandError(f"The password file {path} is empty: nothing was created.")
    return lines[0]


def _terminal_qr_code(uri: str) -> str:
    """The URI as a QR code drawn in text blocks, for a phone to scan off the terminal."""
    out = io.StringIO()
    segno.make(uri).terminal(out=out, compact=True)
    return out.getvalue()
