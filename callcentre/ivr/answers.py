"""The main menu's answers: the identified caller's own data, read through each app's
selectors and put into sentences in the active language."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from disability.selectors import register_assessment_status
from dost.applications.selectors import application_title, applications_of_person
from dost.equeue.selectors import bookings_of_person
from dost.formatting import format_date, format_number
from dost.payments.selectors import PaymentLine, payment_summary

# A phone menu reads out a few items, not a list to write down.
APPLICATIONS_READ = 3


def _day(value: dt.date | dt.datetime) -> str:
    return format_date(value)


def _month(value: dt.date) -> str:
    return formats.date_format(value, "YEAR_MONTH_FORMAT")


def _amount(value: Decimal) -> str:
    # Whole manats are read without ",00".
    return format_number(value, places=0 if value == value.to_integral_value() else 2)


def applications(person_id: int) -> list[str]:
    latest = list(applications_of_person(person_id)[:APPLICATIONS_READ])
    if not latest:
        return [_("You have no applications.")]
    sentences = []
    for application in latest:
        values = {"service": application_title(application.type_code),
                  "reference": application.reference,
                  "status": application.get_status_display(),
                  "date": _day(application.status_changed_at)}
        sentences.append(
            _("%(service)s, number %(reference)s: %(status)s since %(date)s.") % values
            if application.reference else _("%(service)s: %(status)s since %(date)s.") % values)
    return sentences


def disability(person_id: int) -> list[str]:
    status = register_assessment_status(person_id, timezone.localdate())
    if status is None:
        return [_("You have no disability finding in force.")]
    sentences = [_("Your disability finding: %(degree)s, %(percent)s percent, since %(date)s.")
                 % {"degree": status.degree, "percent": status.percent,
                    "date": _day(status.since)}]
    if status.next_review_on:
        sentences.append(_("Your next review is due on %(date)s.")
                         % {"date": _day(status.next_review_on)})
    elif status.valid_until:
        sentences.append(_("The finding is valid until %(date)s.")
                         % {"date": _day(status.valid_until)})
    else:
        sentences.append(_("No review is due."))
    return sentences


def _payment(line: PaymentLine) -> dict[str, str]:
    return {"amount": _amount(line.amount), "month": _month(line.month),
            "status": line.get_status_display()}


def payments(person_id: int) -> list[str]:
    summary = payment_summary(person_id, today=timezone.localdate())
    if summary.last is None and summary.next is None:
        return [_("You have no payments.")]
    sentences = []
    if summary.last is not None:
        sentences.append(_("Your last payment: %(amount)s manat for %(month)s, %(status)s.")
                         % _payment(summary.last))
    if summary.next is not None:
        sentences.append(_("Your next payment: %(amount)s manat for %(month)s.")
                         % _payment(summary.next))
    return sentences


def next_visit(person_id: int) -> list[str]:
    today = timezone.localdate()
    # The soonest booking still to come, with its place in the queue (``ahead``).
    booking = next((booking for booking in bookings_of_person(person_id).filter(day__gte=today)
                    if booking.active), None)
    if booking is None:
        return [_("You have no upcoming visit to a DOST centre.")]
    sentences = [_("Your next visit: %(centre)s, on %(date)s at %(time)s, ticket %(ticket)s.")
                 % {"centre": booking.centre.translated("name"), "date": _day(booking.day),
                    "time": formats.time_format(booking.slot.starts_at, "H:i"),
                    "ticket": booking.ticket_code}]
    # Annotated by the selector: the active bookings before this one at its centre that day.
    ahead: int | None = getattr(booking, "ahead", None)
    if ahead:
        sentences.append(ngettext("%(count)d person is ahead of you in the queue.",
                                  "%(count)d people are ahead of you in the queue.",
                                  ahead) % {"count": ahead})
    elif ahead == 0:
        sentences.append(_("Nobody is ahead of you in the queue."))
    return sentences


# The main menu's keys and what each reads out.
MENU: dict[str, Callable[[int], list[str]]] = {
    "1": applications,
    "2": disability,
    "3": payments,
    "4": next_visit,
}
