"""The pension recalculation application, plugged into the portal's e-applications.

The pension capital, the insured months and the service before 2006 come
from the capital statement (``pensions.selectors``); the citizen says only why
they think it is wrong and, for service the registry does not show, attaches
the proof (a labour book page, an archive certificate). Staff decide.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dost.applications.form_base import ApplicationForm, document_field_name
from dost.applications.registry import (
    ApplicationType,
    DocumentRequirement,
    PrefilledFact,
    register_application_type,
)
from dost.registry.models import Contribution, Person
from pensions.selectors import CENT, capital_statement

CODE = "pension_recalculation"
SERVICE_RECORD = "service_record"


REASONS = [
    ("service_missing", _("Years of work are missing")),
    ("wages_wrong", _("Wages or contributions are wrong")),
    ("other", _("Another reason")),
]


def pension_facts(person: Person) -> dict[str, PrefilledFact]:
    statement = capital_statement(person_id=person.pk, on=timezone.localdate())
    recorded = Contribution.objects.filter(person=person).aggregate(
        latest=Max("recorded_at"))["latest"]
    capital = statement.capital
    return {
        "name": PrefilledFact(_("Name"), person.full_name, person.source_id,
                              person.recorded_at),
        "fin": PrefilledFact(_("FIN"), person.fin, person.source_id, person.recorded_at),
        "capital": PrefilledFact(_("Pension capital, AZN"), capital.capital.quantize(CENT),
                                 "sssf", recorded),
        "insured_months": PrefilledFact(_("Insured months since 2006"),
                                        capital.insured_months, "sssf", recorded),
        "years_before_2006": PrefilledFact(
            _("Years of service before 2006"),
            capital.years_before_2006.quantize(Decimal("0.1")),
            "labour", recorded),
        "pension": PrefilledFact(_("Old-age pension this capital pays today, AZN"),
                                 statement.pension, "sssf", recorded),
    }


def pension_documents(person: Person) -> list[DocumentRequirement]:
    return [DocumentRequirement(
        SERVICE_RECORD, _("Proof of service the registry does not show"), required=False,
        help_text=_("Only if years of work are missing: a labour book page or an archive "
                    "certificate."),
    )]


class PensionRecalculationForm(ApplicationForm):
    reason = forms.ChoiceField(label=_("What is wrong?"), choices=REASONS)
    details = forms.CharField(
        label=_("Explain what should be counted"), max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For example: employer, years and position that are missing."),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        document = document_field_name(SERVICE_RECORD)
        if (cleaned.get("reason") == "service_missing" and document in self.fields
                and not cleaned.get(document) and document not in self.errors):
            self.add_error(document, _("Attach proof of the service the registry does not "
                                       "show."))
        return cleaned


def register() -> None:
    register_application_type(ApplicationType(
        code=CODE,
        title=_("Pension recalculation"),
        description=_("If your pension capital misses years of work or wages, ask for it to be "
                      "recalculated."),
        form_class=PensionRecalculationForm,
        prefill=pension_facts,
        documents=pension_documents,
    ))
