"""The pension capital statement as a certificate the citizen can download and share."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dost.certificates.registry import (
    FACTS,
    CertificateKind,
    ShareableField,
    register_certificate_kind,
)
from dost.entitlements.parameter_labels import Unit, format_quantity
from dost.formatting import format_money
from dost.registry.models import Person
from pensions.selectors import capital_statement


def build_capital_statement(person: Person) -> dict[str, Any]:
    """The same statement as the capital page, as of today."""
    statement = capital_statement(person_id=person.pk, on=timezone.localdate())
    capital = statement.capital
    return {
        "statement": statement,
        FACTS: {
            # Written as the PDF writes them, in the certificate's language.
            "pension_capital": format_money(capital.capital),
            "insured_years": format_quantity(capital.insured_years_completed, Unit.YEARS),
            "capital_pension": format_money(statement.pension) if statement.pension is not None
            else _("Not yet entitled"),
        },
    }


CAPITAL_STATEMENT = CertificateKind(
    code="pension_capital_statement",
    title=gettext_lazy("Pension capital statement"),
    description=gettext_lazy("Your pension capital: contributions by year, indexation and the "
                             "credit for service before 2006."),
    template="certificates/pension_capital_statement.html",
    build=build_capital_statement,
    shareable_fields=(
        ShareableField("amounts", gettext_lazy("the capital and the pension it would pay"), (
            ("pension_capital", gettext_lazy("Pension capital")),
            ("capital_pension", gettext_lazy("Old-age pension this capital would pay today")),
        )),
        ShareableField("insurance", gettext_lazy("the insurance period"), (
            ("insured_years", gettext_lazy("Insurance period")),
        )),
    ),
)


def register_certificates() -> None:
    register_certificate_kind(CAPITAL_STATEMENT)
