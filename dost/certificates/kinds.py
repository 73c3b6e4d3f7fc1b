"""The certificates the core can issue on its own data: award statements, employment records."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dost.certificates.registry import (
    FACTS,
    CertificateKind,
    Choice,
    ShareableField,
    register_certificate_kind,
)
from dost.entitlements.selectors import award_explanation, awards_of_person
from dost.errors import DomainError
from dost.formatting import capfirst, format_date, format_money
from dost.registry.models import Person
from dost.registry.selectors import employment_spells_of

DAYS_PER_YEAR = Decimal("365.25")


def _award_choices(person: Person) -> list[tuple[str, str]]:
    return [
        (str(award.pk), f"{capfirst(award_explanation(award).title)} · "
                        f"{format_money(award.amount)} · {format_date(award.period_start)}")
        for award in awards_of_person(person.pk)
    ]


def build_award_statement(person: Person, *, award: str | int | None = None) -> dict[str, Any]:
    """One of the person's awards, with the reasons and the parameters it relied on."""
    try:
        award_id = int(award) if award is not None else None
    except ValueError:
        award_id = None
    # Filtering by the holder is the object check: another citizen's award is
    # indistinguishable from one that does not exist.
    chosen = awards_of_person(person.pk).filter(pk=award_id).first() if award_id else None
    if chosen is None:
        raise DomainError(_("Choose one of your awards."), code="no_award")
    explanation = award_explanation(chosen)
    # Written as the PDF writes them, in the certificate's language.
    if chosen.frequency == "monthly":
        amount = _("%(amount)s a month") % {"amount": format_money(chosen.amount)}
    else:
        amount = _("%(amount)s, paid once") % {"amount": format_money(chosen.amount)}
    if chosen.period_end:
        period = f"{format_date(chosen.period_start)} – {format_date(chosen.period_end)}"
    else:
        period = _("from %(date)s") % {"date": format_date(chosen.period_start)}
    return {
        "award": chosen,
        "explanation": explanation,
        "amount_text": amount,
        FACTS: {
            "benefit": explanation.title,
            "period": period,
            "award_status": str(chosen.get_status_display()),
            "amount": amount,
        },
    }


def merged_days(spells: list[tuple[dt.date, dt.date | None]], *, on: dt.date) -> int:
    """Days covered by at least one spell up to ``on``: two jobs at once count once."""
    total = 0
    covered_until: dt.date | None = None
    for started_on, ended_on in sorted(spells):
        end = min(ended_on or on, on)
        if covered_until is not None:
            started_on = max(started_on, covered_until)
        if end > started_on:
            total += (end - started_on).days
            covered_until = end
    return total


def service_length_text(days: int) -> str:
    years = int(Decimal(days) / DAYS_PER_YEAR)
    months = int((Decimal(days) - years * DAYS_PER_YEAR) / (DAYS_PER_YEAR / 12))
    return _("%(years)s years %(months)s months") % {"years": years, "months": months}


def build_employment_record(person: Person) -> dict[str, Any]:
    """Every job employers reported for the person, and the total length of service."""
    spells = list(employment_spells_of(person.pk))
    today = timezone.localdate()
    service_length = service_length_text(
        merged_days([(spell.started_on, spell.ended_on) for spell in spells], on=today))
    return {
        "spells": spells,
        "service_length": service_length,
        "on": today,
        FACTS: {
            "employers": [
                f"{spell.employer_name}, {spell.started_on.isoformat()} – "
                + (spell.ended_on.isoformat() if spell.ended_on else _("now"))
                for spell in spells
            ],
            "service_length": service_length,
        },
    }


AWARD_STATEMENT = CertificateKind(
    code="award_statement",
    title=gettext_lazy("Award statement"),
    description=gettext_lazy("A benefit or pension granted to you, with the reasons and the "
                             "rules applied."),
    template="certificates/award_statement.html",
    build=build_award_statement,
    choice=Choice(
        name="award",
        label=gettext_lazy("Award"),
        values=_award_choices,
        empty_message=gettext_lazy("You have no awards yet, so there is nothing to certify."),
    ),
    shareable_fields=(
        ShareableField("benefit", gettext_lazy("which benefit, its period and status"), (
            ("benefit", gettext_lazy("Benefit")),
            ("period", gettext_lazy("Period")),
            ("award_status", gettext_lazy("Status of the award")),
        )),
        ShareableField("amounts", gettext_lazy("the amount"), (
            ("amount", gettext_lazy("Amount")),
        )),
    ),
)

EMPLOYMENT_RECORD = CertificateKind(
    code="employment_record",
    title=gettext_lazy("Employment record"),
    description=gettext_lazy("Your jobs as employers reported them, and your total length of "
                             "service."),
    template="certificates/employment_record.html",
    build=build_employment_record,
    shareable_fields=(
        ShareableField("employers", gettext_lazy("employers and dates"), (
            ("employers", gettext_lazy("Employment")),
        )),
        ShareableField("service", gettext_lazy("total length of service"), (
            ("service_length", gettext_lazy("Total length of service")),
        )),
    ),
)


def register_kinds() -> None:
    register_certificate_kind(AWARD_STATEMENT)
    register_certificate_kind(EMPLOYMENT_RECORD)
