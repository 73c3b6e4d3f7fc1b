"""Demo data of the labour subsystem: the demo employer's account acts for a real employer."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count
from django.utils.translation import gettext as _

from dost.accounts.models import User
from dost.registry.models import EmploymentSpell
from employment.models import Employer, EmployerRepresentative

DEMO_EMPLOYER = "employer"


def demo_employment(today: dt.date) -> list[str]:
    """Link the demo employer's account to the employer with the most current staff."""
    user = User.objects.filter(username=DEMO_EMPLOYER).first()
    if user is None or EmployerRepresentative.objects.filter(user=user).exists():
        return []
    largest = (EmploymentSpell.objects.filter(ended_on__isnull=True)
               .values("employer_tin", "employer_name").annotate(staff=Count("id"))
               .order_by("-staff", "employer_tin").first())
    if largest is None:
        return []
    employer, _created = Employer.objects.get_or_create(
        tin=largest["employer_tin"], defaults={"name": largest["employer_name"]})
    EmployerRepresentative.objects.create(user=user, employer=employer)
    return [_("Employment: the demo employer acts for %(name)s, with %(staff)s current staff.")
            % {"name": employer.name, "staff": largest["staff"]}]
