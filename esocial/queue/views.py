"""The citizen's e-queue: book a visit to a DOST centre, see the ticket, move or cancel it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dost.accounts.decorators import own_person_id, role_required
from dost.accounts.models import Role
from dost.equeue.selectors import (
    booking_days,
    booking_of_person,
    bookings_of_person,
    centre_offers,
    free_slots,
)
from dost.equeue.services import booking_cancel, booking_create, booking_move
from dost.equeue.tickets import ticket_qr_svg
from dost.errors import DomainError
from esocial.queue.forms import BookingForm, MoveForm

if TYPE_CHECKING:
    from dost.centres.models import Service
    from dost.equeue.models import Booking
    from esocial.queue.forms import SlotPicker

# The form field a refusal is about; the others are shown above the form.
FIELD_FOR_REFUSAL = {
    "slot_full": "slot", "slot_past": "slot", "slot_unknown": "slot", "same_slot": "slot",
    "centre_closed": "centre", "service_not_bookable": "service",
    "service_not_offered": "centre",
}




def _own_booking(request: HttpRequest, pk: int) -> Booking:
    booking = booking_of_person(person_id=own_person_id(request), booking_id=pk)
    if booking is None:
        raise Http404
    return booking


def _picker_data(request: HttpRequest, *, preset: set[str]) -> QueryDict | None:
    """The data to bind: the POST, or the GET once the citizen asked for times.

    A link that only presets a field (``?service=``) shows an unbound form,
    not "this field is required" under the fields not chosen yet.
    """
    if request.method == "POST":
        return request.POST
    return request.GET if request.GET.keys() - preset else None


def _refusal_shown(form: SlotPicker, refusal: DomainError) -> None:
    form.add_error(FIELD_FOR_REFUSAL.get(refusal.code), refusal.message)


def _with_slots(form: SlotPicker, *, service: Service | None = None,
                current_slot_id: int | None = None) -> dict[str, str] | None:
    """Show the free times for the chosen centre and day; returns the choice to carry along."""
    needed = {"centre", "day"} | ({"service"} if "service" in form.fields else set())
    if not form.is_bound or not needed <= form.cleaned_data.keys():
        return None
    chosen = form.cleaned_data
    service = chosen.get("service", service)
    if service is not None and not centre_offers(centre_code=chosen["centre"].code,
                                                 service_id=service.pk):
        # Said beside the centre at once, rather than as a day without free times.
        form.add_error("centre", _("This DOST centre does not offer this service. Please "
                                   "choose another centre."))
        return None
    slots = free_slots(centre_code=chosen["centre"].code, day=chosen["day"], service=service)
    form.show_slots(slot for slot in slots if slot.pk != current_slot_id)
    carried = {"centre": chosen["centre"].code, "day": chosen["day"].isoformat()}
    if "service" in form.fields:
        carried["service"] = service.code
    return carried


def _slot_picker_page(request: HttpRequest, template: str, context: dict[str, object]
                      ) -> HttpResponse:
    if request.htmx:
        return render(request, "esocial/queue/_slots.html", context)
    return render(request, template, context)


@role_required(Role.CITIZEN)
def queue_mine(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    bookings = list(bookings_of_person(own_person_id(request)))
    # A ticket called to a desk is still the citizen's visit of today: it stays on top.
    upcoming = [booking for booking in bookings
                if (booking.active or booking.at_desk) and booking.day >= today]
    earlier = [booking for booking in reversed(bookings) if booking not in upcoming]
    return render(request, "esocial/queue/mine.html",
                  {"upcoming": upcoming, "earlier": earlier, "now": timezone.now()})


@role_required(Role.CITIZEN)
@require_http_methods(["GET", "POST"])
def queue_book(request: HttpRequest) -> HttpResponse:
    person_id = own_person_id(request)
    form = BookingForm(_picker_data(request, preset={"service"}), days=booking_days(),
                       initial={"service": request.GET.get("service")})
    if form.is_valid() and request.method == "POST":
        chosen = form.cleaned_data
        if chosen["slot"] is None:
            form.add_error("slot", _("Choose a free time."))
        else:
            try:
                booking = booking_create(person_id=person_id, service_id=chosen["service"].pk,
                                         slot_id=chosen["slot"])
            except DomainError as refusal:
                _refusal_shown(form, refusal)
            else:
                messages.success(request, _("Your visit is booked. Show this ticket at the "
                                            "centre."))
                return redirect("esocial:queue_ticket", pk=booking.pk)
    carried = _with_slots(form)
    return _slot_picker_page(request, "esocial/queue/book.html", {
        "form": form, "carried": carried, "submit_label": _("Book this time"),
    })


@role_required(Role.CITIZEN)
def queue_ticket(request: HttpRequest, pk: int) -> HttpResponse:
    booking = _own_booking(request, pk)
    return render(request, "esocial/queue/ticket.html", {
        "booking": booking,
        # segno's own SVG of our own ticket code: no user markup in it.
        "qr_svg": mark_safe(ticket_qr_svg(booking.ticket_code)),  # noqa: S308
        "changeable": booking.active and booking.slot.starts > timezone.now(),
    })


@role_required(Role.CITIZEN)
@require_http_methods(["GET", "POST"])
def queue_move(request: HttpRequest, pk: int) -> HttpResponse:
    booking = _own_booking(request, pk)
    if not booking.active:
        messages.error(request, _("This booking is no longer active."))
        return redirect("esocial:queue_ticket", pk=booking.pk)
    days = booking_days()
    data = _picker_data(request, preset=set())
    if data is None and booking.day in days:
        # Start from the booking's own centre and day, with its free times shown.
        data = QueryDict(mutable=True)
        data.update({"centre": booking.centre_id, "day": booking.day.isoformat()})
    form = MoveForm(data, days=days)
    if form.is_valid() and request.method == "POST":
        if form.cleaned_data["slot"] is None:
            form.add_error("slot", _("Choose a free time."))
        else:
            try:
                booking_move(booking_id=booking.pk, person_id=request.user.person_id,
                             slot_id=form.cleaned_data["slot"])
            except DomainError as refusal:
                _refusal_shown(form, refusal)
            else:
                messages.success(request, _("Your visit is moved. Your ticket has a new code."))
                return redirect("esocial:queue_ticket", pk=booking.pk)
    carried = _with_slots(form, service=booking.service, current_slot_id=booking.slot_id)
    return _slot_picker_page(request, "esocial/queue/move.html", {
        "form": form, "carried": carried, "booking": booking,
        "submit_label": _("Move my visit to this time"),
    })


@role_required(Role.CITIZEN)
@require_POST
def queue_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    booking = _own_booking(request, pk)
    try:
        booking_cancel(booking_id=booking.pk, person_id=request.user.person_id)
    except DomainError as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("Your booking is cancelled and the place is freed."))
    return redirect("esocial:queue_mine")
