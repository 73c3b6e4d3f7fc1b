"""Reads of the labour and employment subsystem that other apps may use."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import QuerySet
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from dost.entitlements.parameters import ParameterMissing, history, parameter_on
from dost.errors import DomainError
from dost.registry.models import EmploymentSpell
from dost.registry.selectors import current_staff_of_employer
from employment.calculator import Sector, WageBreakdown, parameter_names
from employment.calculator import wage_breakdown as breakdown
from employment.models import Employer, EmployerRepresentative


def wage_rules_start() -> dt.date:
    """The first day for which every wage parameter of every sector has a value."""
    names = {name for sector in Sector.values for name in parameter_names(sector)}
    return max(history(name)[0].starts_on for name in names)


def wage_breakdown(*, gross: Decimal, sector: str, on: dt.date) -> WageBreakdown:
    """Net wage, each tax and contribution and the employer's cost, by the law in force on ``on``.

    Refuses a date before the rates this system knows.
    """
    try:
        parameters = {name: parameter_on(name, on) for name in parameter_names(sector)}
    except ParameterMissing:
        raise DomainError(
            _("Rates are known from %(date)s onwards.")
            % {"date": date_format(wage_rules_start(), "SHORT_DATE_FORMAT")},
            code="no_rates",
        ) from None
    return breakdown(gross=gross, sector=sector, parameters=parameters)


def employer_of_user(user_id: int) -> Employer | None:
    """The employer a user account acts for, or None when no administrator has linked one."""
    representative = (EmployerRepresentative.objects.select_related("employer")
                      .filter(user_id=user_id).first())
    return representative.employer if representative else None


def personnel_record(employer: Employer) -> QuerySet[EmploymentSpell]:
    """The employer's current staff, as the registry holds their jobs."""
    return current_staff_of_employer(employer.tin)
