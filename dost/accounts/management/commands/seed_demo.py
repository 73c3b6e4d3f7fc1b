from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from dost.accounts.demo import demo_users_ensure
from dost.entitlements.services import scan_start
from dost.equeue.services import slots_open_ahead
from dost.registry.models import Person
from dost.registry.seeding import populate

DEMO_PEOPLE = 5_000
DEMO_SEED = 2026


class Command(BaseCommand):
    help = "Seed a small demo country (if the registry is empty) and one demo user per role."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--people", type=int, default=DEMO_PEOPLE)

    def handle(self, *args, people: int, **options) -> None:
        if not Person.objects.exists():
            counts = populate(people=people, seed=DEMO_SEED, today=timezone.localdate())
            self.stdout.write(f"Demo country: {counts['people']:,} people in "
                              f"{counts['households']:,} households.")
            # As the nightly scan would: the rights that have arisen, with their SMS.
            with transaction.atomic():
                scan = scan_start(on=timezone.localdate())
            scan.refresh_from_db()
            self.stdout.write(f"Proactive scan {scan.pk}: {scan.awarded:,} awards "
                              f"({scan.get_status_display()}).")
        slots_open_ahead()
        try:
            logins = demo_users_ensure()
        except RuntimeError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS("Demo logins (http://127.0.0.1:8000/accounts/login/):"))
        for login in logins:
            line = f"  {login.role:<28} {login.username:<10} password {login.password}"
            if login.totp_secret:
                line += f"  (two-factor: code from `python manage.py totp_code {login.username}`)"
            self.stdout.write(line)
