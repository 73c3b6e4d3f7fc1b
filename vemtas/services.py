"""Opening a targeted social assistance case when a household applies.

The e-application's ``on_submit`` hook calls ``case_open_from_application`` in the
submitting transaction, so a refusal here saves nothing. The cross-checks and the
decision run later, set-based over every pending case (``vemtas.checks``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from dateutil.relativedelta import relativedelta
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from dost.entitlements.parameters import parameter_on
from dost.errors import DomainError
from dost.registry.models import Person
from vemtas.models import (
    OPEN_STATES,
    Assessment,
    AssessmentState,
    Case,
    CaseMember,
    CaseState,
    Channel,
)
from vemtas.selectors import household_members, represents


def tssa_period(applied_on: dt.date) -> tuple[dt.date, dt.date]:
    """The award's period: from the first of the month of application, for the months
    the law in force on the application date gives."""
    start = applied_on.replace(day=1)
    months = int(parameter_on("tssa_period_months", applied_on).value)
    return start, start + relativedelta(months=months) - dt.timedelta(days=1)


def case_open_from_application(application: Any) -> Case:
    """Open the case of a TSSA e-application (its ``on_submit`` hook)."""
    data = application.data
    submitter = application.person
    applicant_fin = (data.get("applicant") or submitter.fin).upper()
    applicant = Person.objects.filter(fin=applicant_fin).first()
    return case_open(
        application=application, applicant=applicant, submitted_by=submitter,
        declared_income=Decimal(str(data["monthly_income"])),
        declared_business=bool(data.get("declared_business")),
        confirmed=[int(pk) for pk in data.get("members", [])],
        bank_account=data.get("bank_account") or "",
        channel=data.get("channel") or Channel.PORTAL,
    )


def case_open(*, application: Any, applicant: Person | None, submitted_by: Person,
              declared_income: Decimal, declared_business: bool, confirmed: list[int],
              bank_account: str = "", channel: str = Channel.PORTAL,
              on: dt.date | None = None) -> Case:
    """Open a case for ``applicant``'s household, submitted by ``submitted_by``.

    Refused (``DomainError``, nothing saved) when the submitter is neither the
    applicant nor their registered legal representative, when the household or the
    applicant already has an open case, within the year a false declaration bars,
    and when a member ticked does not live with the applicant. ``confirmed`` are the
    members other than the submitter whom the applicant says live in the household;
    the applicant always counts.
    """
    on = on or timezone.localdate()
    if applicant is None or (applicant.pk != submitted_by.pk
                             and not represents(representative=submitted_by, person=applicant,
                                                on=on)):
        raise DomainError(_("You can apply only for your own household, or for a person whose "
                            "registered legal representative you are."),
                          code="not_representative")
    if applicant.death_date is not None:
        raise DomainError(_("The registry records this person as deceased."), code="deceased")
    _refuse_open_case(applicant, on)
    _refuse_false_declaration_block(applicant, on)
    members = household_members(applicant)
    member_ids = {member.pk for member in members}
    # The applicant lives there; so does the submitter when they share the household (the
    # form does not list the submitter among the members to tick).
    ticked = set(confirmed) | {applicant.pk}
    if submitted_by.pk in member_ids:
        ticked.add(submitted_by.pk)
    strangers = ticked - member_ids
    if strangers:
        raise DomainError(_("Only people who live with the applicant, as the civil registry "
                            "records them, can be members of the household."),
                          code="members_mismatch")
    if bank_account and not applicant.bank_account and applicant.pk == submitted_by.pk:
        Person.objects.filter(pk=applicant.pk).update(bank_account=bank_account,
                                                      bank_account_source_id="citizen")
    start, end = tssa_period(on)
    case = Case.objects.create(
        application=application, applicant=applicant,
        submitted_by=submitted_by if submitted_by.pk != applicant.pk else None,
        household_id=applicant.household_id, channel=channel, applied_on=on,
        period_start=start, period_end=end, declared_income=declared_income,
        declared_business=declared_business, visit_required=not _may_skip_visit(applicant, on),
        renewal_of=_previous_award_case(applicant, on),
    )
    CaseMember.objects.bulk_create(
        CaseMember(case=case, person_id=pk, confirmed=pk in ticked) for pk in sorted(member_ids))
    return case


def _household_cases(applicant: Person) -> Q:
    same = Q(applicant=applicant)
    if applicant.household_id is not None:
        same |= Q(household_id=applicant.household_id)
    return same


def _refuse_open_case(applicant: Person, on: dt.date) -> None:
    open_case = (Case.objects.filter(_household_cases(applicant), state__in=OPEN_STATES)
                 .select_related("application").first())
    if open_case is not None:
        raise DomainError(
            _("An application of this household (%(reference)s) is still being decided: "
              "a second one cannot be made until it is.")
            % {"reference": open_case.application.reference}, code="already_open")


def _refuse_false_declaration_block(applicant: Person, on: dt.date) -> None:
    months = int(parameter_on("tssa_false_declaration_block_months", on).value)
    since = timezone.now() - relativedelta(months=months)
    blocked = (Case.objects.filter(_household_cases(applicant), false_declaration=True,
                                   decided_at__gt=since).order_by("-decided_at").first())
    if blocked is not None and blocked.decided_at is not None:
        until = timezone.localdate(blocked.decided_at) + relativedelta(months=months)
        raise DomainError(
            _("A false declaration was found in this household's application of "
              "%(decided)s: the law bars a new application for a year, until %(until)s.")
            % {"decided": formats.date_format(timezone.localdate(blocked.decided_at)),
               "until": formats.date_format(until)}, code="false_declaration_block")


def _previous_award_case(applicant: Person, on: dt.date) -> Case | None:
    """The household's last awarded case that ended at most the law's span before ``on``
    (or is still running): the case this one renews."""
    months = int(parameter_on("tssa_visit_skip_months", on).value)
    return (Case.objects.filter(_household_cases(applicant), state=CaseState.AWARDED,
                                period_end__gte=on - relativedelta(months=months))
            .order_by("-period_end").first())


def _may_skip_visit(applicant: Person, on: dt.date) -> bool:
    """A repeat applicant whose household's last award, given after a signed home visit,
    ended at most the law's span ago skips the visit."""
    previous = _previous_award_case(applicant, on)
    if previous is None:
        return False
    return not previous.visit_required or Assessment.objects.filter(
        case=previous, state=AssessmentState.SIGNED).exists()
