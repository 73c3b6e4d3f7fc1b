"""The 142 agent console: find the caller, state why, see everything, act for them.

Nothing about a citizen opens from the search: the agent first states a reason,
which goes to the citizen's access log, and is then let see that citizen's 360°
view for ``OPEN_WINDOW``, in their own session only.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import get_language_info, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from callcentre.forms import (
    AgentComplaintForm,
    CallNoteForm,
    ConsoleSearchForm,
    OpenReasonForm,
    VisitSearchForm,
)
from callcentre.ivr.selectors import handover_exists, waiting_handovers
from callcentre.ivr.services import ivr_handover_take
from callcentre.models import Topic
from callcentre.selectors import call_notes_of_person
from callcentre.services import call_note_add
from dost.accounts.decorators import AuthenticatedHttpRequest, role_required
from dost.accounts.models import Role
from dost.audit.models import Channel, Subject
from dost.audit.services import access_record, access_records_for_list
from dost.citizen_view import panels
from dost.complaints.models import Channel as ComplaintChannel
from dost.complaints.services import complaint_open
from dost.equeue.selectors import free_slots
from dost.equeue.services import booking_create
from dost.errors import DomainError
from dost.http import client_ip
from dost.registry.models import Person
from dost.registry.selectors import find_people, person_by_fin, regions

AGENTS = (Role.AGENT, Role.ADMIN)
# How long a stated reason lets the agent see the citizen: about one call.
OPEN_WINDOW = dt.timedelta(minutes=15)
SESSION_KEY = "callcentre_open"


def masked_fin(fin: str) -> str:
    """Enough of the FIN for the caller to confirm it, not enough to copy it."""
    return f"{fin[:2]}{'•' * (len(fin) - 3)}{fin[-1:]}" if len(fin) > 3 else "•" * len(fin)


def _grant(request: AuthenticatedHttpRequest, person: Person) -> None:
    granted = dict(request.session.get(SESSION_KEY, {}))
    granted[person.fin] = timezone.now().isoformat()
    request.session[SESSION_KEY] = granted


def _granted(request: AuthenticatedHttpRequest, person: Person) -> bool:
    opened_at = request.session.get(SESSION_KEY, {}).get(person.fin)
    if not opened_at:
        return False
    try:
        opened = dt.datetime.fromisoformat(opened_at)
    except (TypeError, ValueError):
        return False
    return timezone.now() - opened < OPEN_WINDOW


def _person_or_404(fin: str) -> Person:
    person = person_by_fin(fin)
    if person is None:
        raise Http404
    return person


@role_required(*AGENTS)
def console(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ConsoleSearchForm(request.GET or None)
    people = find_people(form.query) if form.is_valid() and form.query else []
    if people:
        # Even masked, the list names who was found: each of them sees the search.
        access_records_for_list(
            person_ids=[person.pk for person in people], what=Subject.REGISTRY_RECORD,
            reason=gettext_lazy("Found by a 142 agent's search “%(query)s”"),
            reason_params={"query": form.cleaned_data["q"]},
            channel=Channel.CALLCENTRE, actor_id=request.user.pk, ip_address=client_ip(request),
        )
    found = [{"person": person, "fin": masked_fin(person.fin)} for person in people]
    return render(request, "callcentre/console.html", {"form": form, "found": found,
                                                       "regions": regions(),
                                                       "handovers": _waiting_callers()})


def _waiting_callers() -> list[dict[str, object]]:
    # A masked FIN only: the caller's records open, as any, after a search and a reason.
    return [{"handover": handover,
             "fin": masked_fin(handover.person.fin) if handover.person else "",
             "language": get_language_info(handover.language)["name_translated"]
             if handover.language else ""}
            for handover in waiting_handovers()]


@role_required(*AGENTS)
@require_POST
def handover_take(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Answer a caller the voice menu put through: the console searches for their FIN, and
    their records open, as any, once the agent states a reason."""
    try:
        handover = ivr_handover_take(handover_id=pk, agent=request.user)
    except DomainError as refusal:
        if not handover_exists(pk):
            raise Http404 from None
        messages.error(request, refusal.message)
        return redirect("callcentre:console")
    if handover.person is None:
        messages.info(request, _("The caller was not identified: ask for their FIN."))
        return redirect("callcentre:console")
    messages.info(request, _("The caller's FIN is searched for you: check it with them, then "
                             "open their records with a reason."))
    return redirect(f"{reverse('callcentre:console')}?{urlencode({'q': handover.person.fin})}")


@role_required(*AGENTS)
@require_http_methods(["GET", "POST"])
def open_citizen(request: AuthenticatedHttpRequest, fin: str) -> HttpResponse:
    person = _person_or_404(fin)
    form = OpenReasonForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            # The choice's wording in the citizen's own language: the log is theirs.
            with translation.override(person.language or None):
                reason = form.reason_text()
            access_record(person_id=person.pk, actor_id=request.user.pk,
                          channel=Channel.CALLCENTRE, what=Subject.CITIZEN_VIEW,
                          reason=reason, ip_address=client_ip(request))
            _grant(request, person)
            return redirect("callcentre:view", fin=person.fin)
        status = 400
    else:
        status = 200
    return render(request, "callcentre/open.html",
                  {"person": person, "masked_fin": masked_fin(person.fin), "form": form},
                  status=status)


def _render_view(request: AuthenticatedHttpRequest, person: Person, *,
                 note_form: CallNoteForm | None = None,
                 complaint_form: AgentComplaintForm | None = None,
                 status: int = 200) -> HttpResponse:
    # Each panel's template sees only its own context (and the request's).
    rendered = [(panel, render_to_string(panel.template, {"person": person, **panel.build(person)},
                                         request=request)) for panel in panels()]
    return render(request, "callcentre/view.html", {
        "person": person,
        "panels": rendered,
        "notes": call_notes_of_person(person.pk),
        "note_form": note_form or CallNoteForm(),
        "complaint_form": complaint_form or AgentComplaintForm(person_id=person.pk),
        "visit_form": VisitSearchForm(initial={"day": timezone.localdate()}),
    }, status=status)


@role_required(*AGENTS)
def citizen_view(request: AuthenticatedHttpRequest, fin: str) -> HttpResponse:
    person = _person_or_404(fin)
    if not _granted(request, person):
        return redirect("callcentre:open", fin=person.fin)
    return _render_view(request, person)


@role_required(*AGENTS)
@require_POST
def note_add(request: AuthenticatedHttpRequest, fin: str) -> HttpResponse:
    person = _person_or_404(fin)
    if not _granted(request, person):
        return redirect("callcentre:open", fin=person.fin)
    form = CallNoteForm(request.POST)
    if form.is_valid():
        try:
            call_note_add(person=person, agent=request.user, **form.cleaned_data)
        except DomainError as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("The call note is saved."))
            return redirect("callcentre:view", fin=person.fin)
    return _render_view(request, person, note_form=form, status=400)


@role_required(*AGENTS)
@require_POST
def complaint_add(request: AuthenticatedHttpRequest, fin: str) -> HttpResponse:
    person = _person_or_404(fin)
    if not _granted(request, person):
        return redirect("callcentre:open", fin=person.fin)
    form = AgentComplaintForm(request.POST, person_id=person.pk)
    if form.is_valid():
        decision = form.cleaned_data["decision"]
        try:
            complaint = complaint_open(
                person=person, category=form.cleaned_data["category"],
                text=form.cleaned_data["text"], channel=ComplaintChannel.PHONE,
                opened_by=request.user, decision_entry_id=decision.pk if decision else None,
                ip_address=client_ip(request))
        except DomainError as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("Complaint %(reference)s is registered for the citizen.")
                             % {"reference": complaint.reference})
            return redirect("callcentre:view", fin=person.fin)
    return _render_view(request, person, complaint_form=form, status=400)


@role_required(*AGENTS)
@require_http_methods(["GET", "POST"])
def visit_book(request: AuthenticatedHttpRequest, fin: str) -> HttpResponse:
    """Book a centre visit for the caller: pick service, centre and day, then a time."""
    person = _person_or_404(fin)
    if not _granted(request, person):
        return redirect("callcentre:open", fin=person.fin)
    form = VisitSearchForm(request.POST if request.method == "POST" else request.GET or None)
    slots = []
    error = ""
    status = 200
    if form.is_valid():
        service = form.cleaned_data["service"]
        slots = list(free_slots(centre_code=form.cleaned_data["centre"].code,
                                day=form.cleaned_data["day"], service=service))
        if request.method == "POST":
            slot_id = request.POST.get("slot", "")
            if not slot_id.isdigit():
                error = _("Choose a time.")
            else:
                try:
                    booking = _book_for(request, person=person, service_id=service.pk,
                                        slot_id=int(slot_id))
                except DomainError as refusal:
                    error = str(refusal.message)
                else:
                    messages.success(request, _("Ticket %(ticket)s is booked for the citizen.")
                                     % {"ticket": booking.ticket_code})
                    return redirect("callcentre:view", fin=person.fin)
            status = 400
    elif form.is_bound:
        status = 400
    return render(request, "callcentre/visit.html",
                  {"person": person, "form": form, "slots": slots, "error": error},
                  status=status)


@transaction.atomic
def _book_for(request: AuthenticatedHttpRequest, *, person: Person, service_id: int,
              slot_id: int):
    # A booking has no "made by": the agent's act is kept in the call notes and in the
    # citizen's access log, both in the same transaction as the booking.
    booking = booking_create(person_id=person.pk, service_id=service_id, slot_id=slot_id)
    with translation.override(person.language or None):
        outcome = _("Booked centre visit %(ticket)s for the citizen.") % {
            "ticket": booking.ticket_code}
        logged = _("A 142 agent booked centre visit %(ticket)s for you") % {
            "ticket": booking.ticket_code}
    call_note_add(person=person, agent=request.user, topic=Topic.QUEUE, outcome=outcome)
    access_record(person_id=person.pk, actor_id=request.user.pk, channel=Channel.CALLCENTRE,
                  what=Subject.CITIZEN_VIEW, reason=logged, ip_address=client_ip(request))
    return booking
