"""Demo users, one per role, for trying the site locally (never in production)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.db import transaction

from dost.accounts.models import Role, User
from dost.registry.models import Person

DEMO_PASSWORD = "dost-demo-2026"  # noqa: S105 - printed for local demos only
# A fixed secret so a phone's authenticator app set up once keeps working.
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # noqa: S105

STAFF_DEMO_USERS = [
    ("staff", Role.STAFF, "Aynur", "Quliyeva"),
    ("agent", Role.AGENT, "Tural", "Əliyev"),
    ("expert", Role.EXPERT, "Nigar", "Hüseynova"),
    # A second expert of the same commission: a decision needs two.
    ("expert2", Role.EXPERT, "Elçin", "Məmmədov"),
    ("doctor", Role.DOCTOR, "Samir", "Rzayev"),
    ("employer", Role.EMPLOYER, "Kamran", "Babayev"),
    ("admin", Role.ADMIN, "Admin", "DOST"),
]


# Subsystems add their own demo data, registered from their AppConfig.ready(): the core
# cannot import them. Each step gets the day and returns lines to print.
DemoStep = Callable[[dt.date], list[str]]
_demo_steps: list[DemoStep] = []


def register_demo_step(step: DemoStep) -> None:
    if step not in _demo_steps:
        _demo_steps.append(step)


def demo_steps_run(*, today: dt.date) -> list[str]:
    """Run every subsystem's demo step once the demo users exist; their lines to print."""
    if not settings.DEBUG:
        raise RuntimeError("Demo data is for local use only (DEBUG is off).")
    return [line for step in _demo_steps for line in step(today)]


@dataclass(frozen=True)
class DemoLogin:
    role: str
    username: str
    password: str
    totp_secret: str | None


@transaction.atomic
def demo_users_ensure() -> list[DemoLogin]:
    """Create the demo users that do not exist yet; return every demo login."""
    if not settings.DEBUG:
        raise RuntimeError("Demo users are for local use only (DEBUG is off).")
    logins = []
    existing_citizen = User.objects.filter(role=Role.CITIZEN).order_by("id").first()
    citizen_person = None
    if existing_citizen is None:
        # A living adult with a phone: someone who can receive SMS and sign in.
        citizen_person = (
            Person.objects.filter(death_date__isnull=True, birth_date__year__lte=1990,
                                  user__isnull=True)
            .exclude(phone="").order_by("id").first()
        )
    if citizen_person is not None:
        existing_citizen = User(username=citizen_person.fin, role=Role.CITIZEN,
                                person=citizen_person, first_name=citizen_person.first_name,
                                last_name=citizen_person.last_name)
        existing_citizen.set_password(DEMO_PASSWORD)
        existing_citizen.save()
    if existing_citizen is not None:
        logins.append(DemoLogin(str(Role.CITIZEN.label), existing_citizen.username, DEMO_PASSWORD,
                                None))
    for username, role, first_name, last_name in STAFF_DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"role": role, "first_name": first_name, "last_name": last_name,
                      "is_staff": role == Role.ADMIN, "is_superuser": role == Role.ADMIN},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        needs_second_factor = role in settings.TWO_FACTOR_ROLES
        if needs_second_factor and not Authenticator.objects.filter(
            user=user, type=Authenticator.Type.TOTP
        ).exists():
            TOTP.activate(user, DEMO_TOTP_SECRET)
        logins.append(DemoLogin(str(role.label), username, DEMO_PASSWORD,
                                DEMO_TOTP_SECRET if needs_second_factor else None))
    return logins
