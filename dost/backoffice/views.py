"""The back-office of DOST centres: the official's home, today's desk queue, mobile units.

Staff work at one centre (their post, set by an administrator) and see only its queue
and units: another centre's ticket or stop is a 404. An administrator may choose any
centre. The ticket at the official's desk shows the citizen's name, to check against
the identity card: every page showing it is in that citizen's access log.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dost.accounts.decorators import AuthenticatedHttpRequest, role_required
from dost.accounts.models import Role
from dost.audit.models import Subject, channel_for_role
from dost.audit.services import access_records_for_list
from dost.backoffice.forms import FIELD_OF_STOP_REFUSAL, CentreForm, DeskForm, StopForm
from dost.centres.selectors import (
    centre_detail,
    centre_post,
    mobile_stop_by_id,
    mobile_stop_of_centre,
    mobile_stops_of_centre,
    mobile_units_of_centre,
)
from dost.centres.services import StopPlace, mobile_stop_add, mobile_stop_cancel
from dost.equeue.selectors import (
    booking_at_centre,
    booking_by_id,
    day_counts,
    tickets_at_desks,
    todays_queue,
)
from dost.equeue.services import booking_no_show, booking_served, desk_call_next
from dost.errors import DomainError
from dost.http import client_ip

if TYPE_CHECKING:
    from collections.abc import Callable

    from django_stubs_ext import StrOrPromise

    from dost.accounts.models import User
    from dost.centres.models import Centre, CentreStaff, MobileStop
    from dost.equeue.models import Booking

OFFICIALS = (Role.STAFF, Role.ADMIN)


@dataclass(frozen=True)
class BackofficeLink:
    """A back-office page on the home, by URL name: the pages belong to other apps (some to
    subsystems, which the core names without importing)."""

    url_name: str
    title: StrOrPromise
    summary: StrOrPromise
    administrators_only: bool = False


LINKS = (
    BackofficeLink("backoffice:queue", gettext_lazy("Today's queue"),
                   gettext_lazy("Call the next ticket to your desk; mark it served or not "
                                "come.")),
    BackofficeLink("esocial:staff_applications", gettext_lazy("Applications"),
                   gettext_lazy("E-applications to decide, ask about or answer.")),
    BackofficeLink("esocial:staff_corrections", gettext_lazy("Corrections"),
                   gettext_lazy("Citizens' requests to correct what the registry holds.")),
    BackofficeLink("registry:citizen_search", gettext_lazy("Citizens"),
                   gettext_lazy("Find a citizen and open their record, with a reason the "
                                "citizen sees.")),
    BackofficeLink("complaints_backoffice:dashboard", gettext_lazy("Complaints"),
                   gettext_lazy("Open and overdue complaints and appeals by unit.")),
    BackofficeLink("entitlements:scan_list", gettext_lazy("Proactive scans"),
                   gettext_lazy("Start and watch the scans that award without an "
                                "application.")),
    BackofficeLink("bridge_review:queue", gettext_lazy("Life events held for review"),
                   gettext_lazy("Unusual events from other institutions, to apply or "
                                "reject.")),
    BackofficeLink("vemtas_staff:queue", gettext_lazy("Targeted social assistance"),
                   gettext_lazy("Cases by state, each with its cross-checks beside the "
                                "declaration; the home visits.")),
    BackofficeLink("disability_backoffice:register", gettext_lazy("Disability register"),
                   gettext_lazy("Persons with a disability finding, and their aids.")),
    BackofficeLink("disability_backoffice:aid_requests", gettext_lazy("Rehabilitation aids"),
                   gettext_lazy("Requests for aids: approve, refuse, deliver, return.")),
    BackofficeLink("index_backoffice:dashboard", gettext_lazy("DOST Index"),
                   gettext_lazy("The Index's pillars and indicators by centre and month.")),
    BackofficeLink("callcentre:carecall", gettext_lazy("CareCall"),
                   gettext_lazy("Citizens' ratings after calls and visits, and follow-ups of "
                                "low scores.")),
    BackofficeLink("backoffice:mobile", gettext_lazy("Mobile units"),
                   gettext_lazy("Plan and cancel the stops of the centre's Mobil DOST "
                                "units.")),
    BackofficeLink("admin:index", gettext_lazy("Administration"),
                   gettext_lazy("Centres, their hours, services, desks and staff; users; "
                                "reference data."), administrators_only=True),
)


@dataclass(frozen=True)
class Workplace:
    """Where the official acts: the centre (None until there is one) and their post."""

    centre: Centre | None
    post: CentreStaff | None
    # An administrator chooses the centre; staff have their post's.
    chooses: bool


def _administers(user: User) -> bool:
    return user.role == Role.ADMIN or user.is_superuser


def _workplace(request: AuthenticatedHttpRequest, asked: str | None) -> Workplace:
    """The centre named by ``asked`` if the official may act there, else 404.

    Staff may act only at their post's centre (asking for another is a 404); without
    ``asked`` they are there. An administrator may name any active centre.
    """
    post = centre_post(request.user.pk)
    if not _administers(request.user):
        if asked and (post is None or asked != post.centre_id):
            raise Http404
        return Workplace(post.centre if post else None, post, chooses=False)
    if not asked:
        return Workplace(post.centre if post else None, post, chooses=True)
    centre = centre_detail(asked)
    if centre is None:
        raise Http404
    return Workplace(centre, post, chooses=True)


def _usual_desk(workplace: Workplace) -> int:
    post, centre = workplace.post, workplace.centre
    if (post is not None and centre is not None and post.centre_id == centre.pk
            and post.desk is not None and post.desk <= centre.desks):
        return post.desk
    return 1


def _queue_url(centre_code: str, desk: int | None) -> str:
    query = {"centre": centre_code} | ({"desk": str(desk)} if desk else {})
    return f"{reverse('backoffice:queue')}?{urlencode(query)}"


def _links(user: User) -> list[tuple[BackofficeLink, str]]:
    """The back-office pages this user may open, with their addresses; a page whose app is
    not installed is left out."""
    links = []
    for link in LINKS:
        if link.administrators_only and not user.is_administrator:
            continue
        try:
            links.append((link, reverse(link.url_name)))
        except NoReverseMatch:
            continue
    return links


# --- the home ----------------------------------------------------------------------------------


@role_required(*OFFICIALS)
@require_GET
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    workplace = _workplace(request, request.GET.get("centre"))
    today = timezone.localdate()
    counts = (day_counts(centre_code=workplace.centre.pk, day=today)
              if workplace.centre is not None else None)
    return render(request, "backoffice/home.html", {
        "workplace": workplace, "counts": counts, "today": today,
        "links": _links(request.user),
        "centre_form": CentreForm(initial={"centre": workplace.centre}),
    })


# --- today's desk queue ------------------------------------------------------------------------


def _queue_page(request: AuthenticatedHttpRequest, workplace: Workplace, centre: Centre,
                desk_form: DeskForm, desk: int, *, status: int = 200) -> HttpResponse:
    at_desks = list(tickets_at_desks(centre_code=centre.pk))
    mine = next((booking for booking in at_desks if booking.desk == desk), None)
    if mine is not None:
        # The desk sees who it is serving: that look is the citizen's to read.
        access_records_for_list(
            person_ids=[mine.person_id], what=Subject.REGISTRY_RECORD,
            reason=gettext_lazy("Served at desk %(desk)s of %(centre)s (ticket %(ticket)s)"),
            reason_params={"desk": desk, "centre": centre, "ticket": mine.ticket_code},
            channel=channel_for_role(request.user.role), actor_id=request.user.pk,
            ip_address=client_ip(request))
    return render(request, "backoffice/queue.html", {
        "workplace": workplace, "centre": centre, "desk": desk, "desk_form": desk_form,
        "waiting": list(todays_queue(centre_code=centre.pk)), "mine": mine,
        "others": [booking for booking in at_desks if booking.desk != desk],
        "counts": day_counts(centre_code=centre.pk, day=timezone.localdate()),
        "today": timezone.localdate(),
    }, status=status)


@role_required(*OFFICIALS)
@require_GET
def queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    workplace = _workplace(request, request.GET.get("centre"))
    centre = workplace.centre
    if centre is None:
        return render(request, "backoffice/no_centre.html", {
            "workplace": workplace, "centre_form": CentreForm(),
            "action": reverse("backoffice:queue")})
    usual = _usual_desk(workplace)
    desk_form = DeskForm(request.GET if "desk" in request.GET else None,
                         desks=centre.desks, initial={"desk": usual})
    if not desk_form.is_bound:
        return _queue_page(request, workplace, centre, desk_form, usual)
    if not desk_form.is_valid():
        # The page still works, at the usual desk, with the reason beside the desk field.
        return _queue_page(request, workplace, centre, desk_form, usual, status=400)
    return _queue_page(request, workplace, centre, desk_form, desk_form.cleaned_data["desk"])


@role_required(*OFFICIALS)
@require_POST
def call_next(request: AuthenticatedHttpRequest) -> HttpResponse:
    workplace = _workplace(request, request.POST.get("centre"))
    if workplace.centre is None:
        raise Http404
    centre = workplace.centre
    desk_form = DeskForm(request.POST, desks=centre.desks)
    if not desk_form.is_valid():
        messages.error(request, _("This centre has no desk with that number."))
        return redirect(_queue_url(centre.pk, None))
    desk = desk_form.cleaned_data["desk"]
    try:
        booking = desk_call_next(centre=centre, desk=desk, actor_id=request.user.pk)
    except DomainError as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("Ticket %(ticket)s is called to desk %(desk)s.")
                         % {"ticket": booking.ticket_code, "desk": desk})
    return redirect(_queue_url(centre.pk, desk))


def _booking_acted_on(request: AuthenticatedHttpRequest, pk: int) -> Booking:
    """A booking at a centre the official works at (any, for an administrator); else 404."""
    if _administers(request.user):
        booking = booking_by_id(pk)
    else:
        post = centre_post(request.user.pk)
        booking = (booking_at_centre(booking_id=pk, centre_code=post.centre_id)
                   if post is not None else None)
    if booking is None:
        raise Http404
    return booking


def _visit_ended(request: AuthenticatedHttpRequest, pk: int, *, end: Callable[..., Booking],
                 done: StrOrPromise) -> HttpResponse:
    booking = _booking_acted_on(request, pk)
    try:
        end(booking_id=booking.pk, centre_code=booking.centre_id)
    except DomainError as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, done % {"ticket": booking.ticket_code})
    desk = booking.desk
    if desk is None:
        # Back to the desk the form came from (a ticket never called has none of its own).
        posted = request.POST.get("desk", "")
        desk = int(posted) if posted.isascii() and posted.isdigit() and len(posted) < 4 else None
    return redirect(_queue_url(booking.centre_id, desk))


@role_required(*OFFICIALS)
@require_POST
def served(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _visit_ended(request, pk, end=booking_served,
                        done=_("Ticket %(ticket)s is served."))


@role_required(*OFFICIALS)
@require_POST
def no_show(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _visit_ended(request, pk, end=booking_no_show,
                        done=_("Ticket %(ticket)s is marked as not come."))


# --- mobile units ------------------------------------------------------------------------------


def _mobile_url(centre_code: str) -> str:
    return f"{reverse('backoffice:mobile')}?{urlencode({'centre': centre_code})}"


def _mobile_page(request: AuthenticatedHttpRequest, workplace: Workplace, centre: Centre,
                 form: StopForm | None = None, *, status: int = 200) -> HttpResponse:
    units = mobile_units_of_centre(centre.pk)
    return render(request, "backoffice/mobile.html", {
        "workplace": workplace, "centre": centre, "units": list(units),
        "stops": list(mobile_stops_of_centre(centre_code=centre.pk,
                                             since=timezone.localdate())),
        "form": form or StopForm(units=units), "now": timezone.now(),
    }, status=status)


@role_required(*OFFICIALS)
@require_http_methods(["GET", "POST"])
def mobile(request: AuthenticatedHttpRequest) -> HttpResponse:
    data: QueryDict = request.POST if request.method == "POST" else request.GET
    workplace = _workplace(request, data.get("centre"))
    centre = workplace.centre
    if centre is None:
        if request.method == "POST":
            raise Http404
        return render(request, "backoffice/no_centre.html", {
            "workplace": workplace, "centre_form": CentreForm(),
            "action": reverse("backoffice:mobile")})
    if request.method == "GET":
        return _mobile_page(request, workplace, centre)
    form = StopForm(request.POST, units=mobile_units_of_centre(centre.pk))
    if form.is_valid():
        chosen = form.cleaned_data
        try:
            stop = mobile_stop_add(
                unit=chosen["unit"], region_id=chosen["region"].pk, day=chosen["day"],
                starts_at=chosen["starts_at"], ends_at=chosen["ends_at"],
                place=StopPlace(az=chosen["place_az"], en=chosen["place_en"],
                                ru=chosen["place_ru"]),
                actor_id=request.user.pk)
        except DomainError as refusal:
            form.add_error(FIELD_OF_STOP_REFUSAL.get(refusal.code), refusal.message)
        else:
            messages.success(request, _("The stop of %(unit)s on %(day)s is planned.")
                             % {"unit": stop.unit.name,
                                "day": date_format(stop.day, "DATE_FORMAT")})
            return redirect(_mobile_url(centre.pk))
    return _mobile_page(request, workplace, centre, form, status=400)


def _stop_acted_on(request: AuthenticatedHttpRequest, pk: int) -> MobileStop:
    """A stop of a unit of the official's centre (any, for an administrator); else 404."""
    if _administers(request.user):
        stop = mobile_stop_by_id(pk)
    else:
        post = centre_post(request.user.pk)
        stop = (mobile_stop_of_centre(stop_id=pk, centre_code=post.centre_id)
                if post is not None else None)
    if stop is None:
        raise Http404
    return stop


@role_required(*OFFICIALS)
@require_POST
def stop_cancel(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    stop = _stop_acted_on(request, pk)
    try:
        mobile_stop_cancel(stop_id=stop.pk, actor_id=request.user.pk)
    except DomainError as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("The stop is cancelled and no longer on the public "
                                    "schedule."))
    return redirect(_mobile_url(stop.unit.centre_id))
