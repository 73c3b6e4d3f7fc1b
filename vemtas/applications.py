"""The targeted state social assistance application, plugged into the portal's e-applications.

The household and its members come from the registry; the applicant confirms who
lives with them and declares only what the state cannot know: the household's
income it does not see (gifts, a subsidiary plot, alimony), whether anyone runs a
business, and, when none is on file, the account to pay to. A registered legal
representative may apply for the person they represent, and nobody else can.
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
from vemtas.selectors import household_members, last_declaration, represented_people

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
    members = household_members(person)
    facts["members"] = PrefilledFact(_("Members of the household"), len(members),
                                     household.source_id, household.recorded_at)
    for number, member in enumerate(members, start=1):
        facts[f"member_{number}"] = PrefilledFact(
            format_lazy("{label} {number}", label=_("Member"), number=number),
            f"{member.full_name}, {member.birth_date:%d.%m.%Y}",
            member.source_id, member.recorded_at)
    return facts


class TargetedAssistanceForm(ApplicationForm):
    applicant = forms.ChoiceField(
        label=_("Whose household applies?"),
        help_text=_("You may apply for yourself or for a person whose registered legal "
                    "representative you are."),
        error_messages={"invalid_choice": _(
            "You can apply only for your own household, or for a person whose registered "
            "legal representative you are.")},
    )
    members = forms.MultipleChoiceField(
        label=_("Who lives in the household?"),
        help_text=_("Untick anyone who no longer lives with you. The civil registry is "
                    "checked: a member left out or added without reason is a false "
                    "declaration."),
        widget=forms.CheckboxSelectMultiple, required=False,
    )
    monthly_income = forms.DecimalField(
        label=_("Average monthly income of the whole household, AZN"),
        help_text=_("All income of the last 12 months divided by 12: wages, pensions, "
                    "alimony, gifts, rent, what the plot yields. Loans do not count."),
        min_value=Decimal(0), max_value=Decimal(1_000_000), decimal_places=2,
    )
    declared_business = forms.BooleanField(
        label=_("Someone in the household runs a business or is self-employed"),
        required=False,
    )
    bank_account = IbanField(required=False)
    truthful = forms.BooleanField(
        label=_("What I declare is true; I will report any change within 15 working days."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        wards = represented_people(self.person)
        self.fields["applicant"].choices = [
            (self.person.fin, format_lazy("{name} ({you})", name=self.person.full_name,
                                          you=_("you"))),
            *[(ward.fin, ward.full_name) for ward in wards],
        ]
        self.fields["applicant"].initial = self.person.fin
        if not wards:
            self.fields["applicant"].widget = forms.HiddenInput()
            self.fields["applicant"].required = False
        # The members of every household the user may apply for; the service checks
        # that those ticked live with the applicant chosen.
        members = {member.pk: member for whom in (self.person, *wards)
                   for member in household_members(whom)}
        self.fields["members"].choices = [
            (str(member.pk), f"{member.full_name}, {member.birth_date:%d.%m.%Y}")
            for member in members.values() if member.pk != self.person.pk]
        self.fields["members"].initial = [value for value, _label
                                          in self.fields["members"].choices]
        if not self.fields["members"].choices:
            del self.fields["members"]
        # A renewal starts from what the household declared the last time.
        previous = last_declaration(self.person)
        if previous is not None:
            self.fields["monthly_income"].initial = previous.declared_income
            self.fields["declared_business"].initial = previous.declared_business
        if self.person.bank_account:
            del self.fields["bank_account"]
        else:
            self.fields["bank_account"].help_text = _(
                "Optional: with none on file, the bank issues a card for the payments.")

    def clean_applicant(self) -> str:
        return self.cleaned_data.get("applicant") or self.person.fin

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        # A hidden field's error would go unseen: say it above the form instead.
        if isinstance(self.fields["applicant"].widget, forms.HiddenInput) \
                and "applicant" in self.errors:
            for message in self.errors.pop("applicant"):
                self.add_error(None, message)
        return cleaned


def on_submit(application: Any) -> None:
    from vemtas.services import case_open_from_application
    from vemtas.tasks import schedule_cross_check

    case_open_from_application(application)
    schedule_cross_check()


def register() -> None:
    register_application_type(ApplicationType(
        code=CODE,
        title=_("Targeted state social assistance"),
        description=_("Monthly assistance for a household whose income per member is below "
                      "the needs criterion. Checked with other institutions and decided by the "
                      "system."),
        form_class=TargetedAssistanceForm,
        prefill=household_facts,
        on_submit=on_submit,
    ))
