from __future__ import annotations

import errno
import socket

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.core.management.commands.runserver import naiveip_re
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dost.accounts.demo import DEMO_PASSWORD, DemoLogin, demo_steps_run, demo_users_ensure
from dost.accounts.demo_story import DemoStory, demo_story_tell
from dost.accounts.models import Role, User
from dost.entitlements.models import Award
from dost.entitlements.rules import rule_for_benefit
from dost.entitlements.selectors import awards_of_person
from dost.entitlements.tasks import scan_launch
from dost.equeue.services import slots_open_ahead
from dost.registry.models import Person
from dost.registry.seeding import populate

DEMO_PEOPLE = 5_000
DEMO_SEED = 2026
# Addresses that listen everywhere, and the one a browser on this machine opens.
LOCAL_NAMES = {"0": "127.0.0.1", "0.0.0.0": "127.0.0.1", "[::]": "[::1]"}  # noqa: S104


class Command(BaseCommand):
    help = "Seed a small demo country (if the registry is empty) and one demo user per role."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--people", type=int, default=DEMO_PEOPLE)
        parser.add_argument(
            "--address", metavar="HOST:PORT",
            help="Where `runserver` will serve the site (as runserver takes it): checked to "
                 "be free and printed with the logins.",
        )

    def handle(self, *args, people: int, address: str | None, **options) -> None:
        # First, so that a taken port stops `make run` before it seeds anything.
        site = site_url(address) if address else None
        today = timezone.localdate()
        if not Person.objects.exists():
            counts = populate(people=people, seed=DEMO_SEED, today=today)
            self.stdout.write(f"Demo country: {counts['people']:,} people in "
                              f"{counts['households']:,} households.")
            self.stdout.write(registers_line(counts))
            # As the nightly scan would: the rights that have arisen, with their SMS.
            with transaction.atomic():
                scan = scan_launch(on=today)
            scan.refresh_from_db()
            self.stdout.write(f"Proactive scan {scan.pk}: {scan.awarded:,} awards "
                              f"({scan.get_status_display()}).")
        slots_open_ahead()
        # The story comes with the demo citizen's account: told once, before any citizen
        # signs in, and only where demo accounts may exist at all.
        if settings.DEBUG and not User.objects.filter(role=Role.CITIZEN).exists():
            story = demo_story_tell(today=today, password=DEMO_PASSWORD)
            self._story_print(story)
        try:
            logins = demo_users_ensure()
        except RuntimeError as exc:
            raise CommandError(str(exc)) from exc
        for line in demo_steps_run(today=today):
            self.stdout.write(line)
        self._logins_print(logins, site)

    def _story_print(self, story: DemoStory | None) -> None:
        if story is None:
            self.stdout.write(_("No family in this registry fits the demo story (a country of "
                                "a few thousand people has several)."))
            return
        self.stdout.write(_("The demo citizen's story, as the institutions reported it:"))
        family = [
            (story.citizen, _("the demo citizen")),
            (story.father, _("her father")),
            (story.husband, _("her husband, died on %(date)s")
             % {"date": story.husband.death_date}),
            (story.daughter, _("their daughter, born on %(date)s")
             % {"date": story.daughter.birth_date}),
        ]
        for person, relation in family:
            self.stdout.write(f"  {person.full_name} ({person.fin}), {relation}")
            for award in sorted(awards_of_person(person.pk), key=lambda award: award.period_start):
                self.stdout.write(f"      {award_line(award)}")

    def _logins_print(self, logins: list[DemoLogin], site: str | None) -> None:
        login_path = reverse("account_login")
        if site:
            heading = _("Demo site: %(site)s (sign in at %(login)s)") % {
                "site": site, "login": site.rstrip("/") + login_path}
        else:
            heading = _("Demo logins (sign in at %(login)s):") % {"login": login_path}
        rows = [(_("role"), _("login"), _("password"), _("second factor"))]
        rows += [
            (str(login.role), login.username, login.password,
             _("code from `python manage.py totp_code %(username)s`")
             % {"username": login.username} if login.totp_secret else "")
            for login in logins
        ]
        widths = [max(len(row[column]) for row in rows) for column in range(3)]
        self.stdout.write(self.style.SUCCESS(heading))
        for number, row in enumerate(rows):
            line = "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=False))
            line = f"  {line}  {row[3]}".rstrip()
            self.stdout.write(self.style.MIGRATE_HEADING(line) if number == 0 else line)


def site_url(address: str) -> str:
    """The site's address once `runserver ADDRESS` runs; refuses one it cannot serve on.

    ``address`` is what runserver takes (``PORT`` or ``HOST:PORT``). The port is
    checked by binding it as runserver will (address reuse on, so a port left in
    TIME_WAIT by the last run counts as free).
    """
    match = naiveip_re.match(address)
    if match is None:
        raise CommandError(_('"%(address)s" is not a port or a HOST:PORT pair.')
                           % {"address": address})
    host, _ipv4, ipv6, _fqdn, port = match.groups()
    host = host or "127.0.0.1"
    if int(port) == 0:
        raise CommandError(_("Choose a port for the demo site: port 0 means any free port, "
                             "and its address could not be printed."))
    family = socket.AF_INET6 if ipv6 else socket.AF_INET
    try:
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host.strip("[]"), int(port)))
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise CommandError(
                _("Port %(port)s on %(host)s is already in use (another `make run`?), so the "
                  "demo site cannot be served there. Stop what holds it, or choose another "
                  "port: make run PORT=%(other)s")
                % {"port": port, "host": host, "other": int(port) + 1}
            ) from exc
        raise CommandError(_("The demo site cannot be served on %(address)s: %(error)s")
                           % {"address": address, "error": exc.strerror or exc}) from exc
    return f"http://{LOCAL_NAMES.get(host, host)}:{port}/"


def award_line(award: Award) -> str:
    rule = rule_for_benefit(award.benefit)
    title = str(rule.title) if rule else award.benefit
    amount = (_("%(amount)s AZN a month") if award.frequency == "monthly"
              else _("%(amount)s AZN once")) % {"amount": award.amount}
    line = _("%(benefit)s: %(amount)s from %(start)s") % {
        "benefit": title, "amount": amount, "start": award.period_start}
    if award.status != Award.Status.AWARDED:
        line += _(" (%(status)s: %(reason)s, last day %(end)s)") % {
            "status": award.get_status_display(), "reason": award.get_end_reason_display(),
            "end": award.period_end}
    return line


def registers_line(counts: dict[str, int]) -> str:
    """One line on what the other institutions' registers hold about the demo country."""
    return _("Other institutions' registers: %(properties)s properties, %(vehicles)s "
             "vehicles, %(businesses)s businesses, %(transactions)s large purchases and "
             "sales, %(bills)s utility bills, %(job_seekers)s job seekers, %(absences)s "
             "people in prison or missing.") % {
        "properties": f"{counts['properties']:,}", "vehicles": f"{counts['vehicles']:,}",
        "businesses": f"{counts['businesses']:,}",
        "transactions": f"{counts['large transactions']:,}",
        "bills": f"{counts['utility bills']:,}", "job_seekers": f"{counts['job seekers']:,}",
        "absences": f"{counts['absences']:,}"}
