"""The pension capital panel of the 142 agent's 360° view (``dost.citizen_view``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dost.citizen_view import Panel, register_panel
from dost.entitlements.parameters import ParameterMissing
from pensions.selectors import capital_statement

if TYPE_CHECKING:
    from dost.registry.models import Person


def _capital(person: Person) -> dict[str, Any]:
    try:
        statement = capital_statement(person_id=person.pk, on=timezone.localdate())
    except ParameterMissing:
        # Without the decreed parameters there is no capital to tell the caller.
        statement = None
    return {"statement": statement}


def register_panels() -> None:
    register_panel(Panel("pension_capital", _("Pension capital"), 30,
                         "pensions/citizen_view_capital.html", _capital))
