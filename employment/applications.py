"""The unemployment insurance application, plugged into the portal's e-applications.

The registry already knows who the applicant is, their last job, why it ended
and how long they were insured, so the form asks only for a bank account when
none is on file, and the applicant's declaration that they are looking for work.

Eligibility (Law on unemployment insurance): the job ended by liquidation of
the employer, a staff reduction or the end of a fixed-term contract, and more
than 12 insured months in the 24 months before it ended. An application the
registry shows to fall short is refused at once, with the reasons; one that
qualifies goes to DOST staff, who register the unemployed status.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django import forms
from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dost.applications.form_base import ApplicationForm, IbanField
from dost.applications.models import Application
from dost.applications.registry import (
    ApplicationType,
    Decision,
    PrefilledFact,
    register_application_type,
)
from dost.applications.statuses import Status
from dost.registry.models import Contribution, EmploymentSpell, EndReason, Person

CODE = "unemployment_insurance"
WINDOW_MONTHS = 24
MIN_INSURED_MONTHS = 12  # more than this many are needed
INSURED_END_REASONS = frozenset({EndReason.LIQUIDATION, EndReason.STAFF_CUT,
                                 EndReason.FIXED_TERM_END})


def insured_months_in_window(contributions: Iterable[tuple[int, int]], *, ended_on: dt.date,
                             months: int = WINDOW_MONTHS) -> int:
    """Insured months in the ``months`` calendar months up to and including ``ended_on``'s.

    Contributions are reported per calendar year, so a year counts at most as
    many of its insured months as the window has months in that year.
    """
    last = ended_on.year * 12 + ended_on.month - 1
    first = last - months + 1
    total = 0
    for year, insured in contributions:
        overlap = min(last, year * 12 + 11) - max(first, year * 12) + 1
        if overlap > 0:
            total += min(insured, overlap)
    return total


def _last_ended_spell(person: Person) -> EmploymentSpell | None:
    return (EmploymentSpell.objects.filter(person=person, ended_on__isnull=False)
            .order_by("-ended_on", "-id").first())


def _has_current_job(person: Person) -> bool:
    return EmploymentSpell.objects.filter(person=person, ended_on__isnull=True).exists()


def _insured_months(person: Person, spell: EmploymentSpell) -> tuple[int, dt.datetime | None]:
    rows = Contribution.objects.filter(
        person=person, year__gte=spell.ended_on.year - 2, year__lte=spell.ended_on.year)
    months = insured_months_in_window(rows.values_list("year", "insured_months"),
                                      ended_on=spell.ended_on)
    return months, rows.aggregate(latest=Max("recorded_at"))["latest"]


def unemployment_facts(person: Person) -> dict[str, PrefilledFact]:
    facts = {
        "name": PrefilledFact(gettext_lazy("Name"), person.full_name, person.source_id,
                              person.recorded_at),
        "fin": PrefilledFact(gettext_lazy("FIN"), person.fin, person.source_id,
                             person.recorded_at),
        "birth_date": PrefilledFact(gettext_lazy("Date of birth"), person.birth_date,
                                    person.source_id, person.recorded_at),
    }
    spell = _last_ended_spell(person)
    if spell is None:
        facts["last_job"] = PrefilledFact(gettext_lazy("Last job"),
                                          gettext_lazy("no ended job is recorded"), "labour")
    else:
        facts["employer"] = PrefilledFact(gettext_lazy("Last employer"), spell.employer_name,
                                          spell.source_id, spell.recorded_at)
        facts["job_ended_on"] = PrefilledFact(gettext_lazy("Job ended on"), spell.ended_on,
                                              spell.source_id, spell.recorded_at)
        reason = (EndReason(spell.end_reason).label if spell.end_reason in EndReason.values
                  else gettext_lazy("not recorded"))
        facts["end_reason"] = PrefilledFact(gettext_lazy("Reason the job ended"), reason,
                                            spell.source_id, spell.recorded_at)
        facts["monthly_wage"] = PrefilledFact(gettext_lazy("Monthly wage, AZN"),
                                              spell.monthly_wage, spell.source_id,
                                              spell.recorded_at)
        months, recorded = _insured_months(person, spell)
        facts["insured_months"] = PrefilledFact(
            gettext_lazy("Insured months in the 24 months before the job ended"), months,
            "sssf", recorded)
    if person.bank_account:
        facts["bank_account"] = PrefilledFact(gettext_lazy("Bank account (IBAN)"),
                                              person.bank_account,
                                              person.bank_account_source_id or "bank",
                                              person.updated_at)
    return facts


class UnemploymentInsuranceForm(ApplicationForm):
    bank_account = IbanField()
    looking_for_work = forms.BooleanField(
        label=gettext_lazy("I have no paid work, I am looking for a job and I am ready to "
                           "take a suitable one."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.person.bank_account:
            # The state pays to the account it already has.
            del self.fields["bank_account"]


def unemployment_decision(application: Application) -> Decision | None:
    """Refuse at once what the registry shows cannot qualify; leave the rest to staff."""
    person = application.person
    spell = _last_ended_spell(person)
    reasons = []
    if _has_current_job(person):
        reasons.append(_("The registry shows that you are employed now."))
    if spell is None:
        reasons.append(_("The registry shows no job of yours that has ended."))
    else:
        if spell.end_reason not in INSURED_END_REASONS:
            reasons.append(_(
                "Your last job ended for a reason the insurance does not cover; it covers "
                "liquidation of the employer, a staff reduction and the end of a fixed-term "
                "contract."))
        months, _recorded = _insured_months(person, spell)
        if months <= MIN_INSURED_MONTHS:
            reasons.append(_(
                "You were insured for %(months)s months in the 24 months before your job "
                "ended; more than %(minimum)s are needed.")
                % {"months": months, "minimum": MIN_INSURED_MONTHS})
    if not reasons:
        return None
    reasons.append(_("If a fact is wrong, report it on the My data page and apply again "
                     "once it is corrected."))
    return Decision(Status.REJECTED, " ".join(reasons))


def register() -> None:
    register_application_type(ApplicationType(
        code=CODE,
        title=gettext_lazy("Unemployment insurance benefit"),
        description=gettext_lazy(
            "For those whose job ended through no fault of their own: half the average "
            "wage of the last 12 months."),
        form_class=UnemploymentInsuranceForm,
        prefill=unemployment_facts,
        decide=unemployment_decision,
    ))
