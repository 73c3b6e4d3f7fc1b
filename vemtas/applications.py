"""The targeted state social assistance application, plugged into the portal's e-applications.

The household and its members come from the registry; the citizen declares only
the household's income (the tax service does not see all of it: gifts, a
subsidiary plot, alimony) and, when none is on file, the account to pay to.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from dost.applications.form_base import ApplicationForm, IbanField
from dost.applications.registry import (
    ApplicationType,
    PrefilledFact,
    register_application_type,
)
from dost.registry.models import Person

CODE = "targeted_social_assistance"


def household_facts(person: Person) -> dict[str, PrefilledFact]:
    facts = {
        "name": PrefilledFact(_("Applicant"), person.full_name, person.source_id,
                              person.recorded_at),
        "fin": PrefilledFact(_("FIN"), person.fin, person.source_id, person.recorded_at),
    }
    household = person.household
    if household is None:
        facts["household"] = PrefilledFact(_("Household"), _("you live alone"),
                                           person.source_id, person.recorded_at)
        return facts
    facts["address"] = PrefilledFact(_("Address of the household"),
                                     f"{household.region} {household.address}".strip(),
                                     household.source_id, household.recorded_at)
    members = list(household.members.select_related("region").order_by("birth_date", "id"))
    facts["members"] = PrefilledFact(_("Members of the household"), len(members),
                                     household.source_id, household.recorded_at)
    for number, member in enumerate(members, start=1):
        facts[f"member_{number}"] = PrefilledFact(
            format_lazy("{label} {number}", label=_("Member"), number=number),
            f"{member.full_name}, {member.birth_date:%d.%m.%Y}",
            member.source_id, member.recorded_at)
    return facts


class TargetedAssistanceForm(ApplicationForm):
    monthly_income = forms.DecimalField(
        label=_("Average monthly income of the whole household, AZN"),
        help_text=_("All income of the last 12 months divided by 12: wages, pensions, "
                    "alimony, gifts, rent, what the plot yields. Loans do not count."),
        min_value=Decimal(0), max_value=Decimal(1_000_000), decimal_places=2,
    )
    bank_account = IbanField()
    truthful = forms.BooleanField(
        label=_("What I declare is true; I will report any change within 15 working days."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.person.bank_account:
            del self.fields["bank_account"]


def register() -> None:
    register_application_type(ApplicationType(
        code=CODE,
        title=_("Targeted state social assistance"),
        description=_("Monthly assistance for a household whose income per member is below "
                      "the needs criterion."),
        form_class=TargetedAssistanceForm,
        prefill=household_facts,
    ))
