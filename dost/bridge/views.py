"""Staff pages: life events held for review, the oldest first, and the decision on each.

Every page that shows a held event logs the look at the registry data of the
people it names (``held_events_seen``): they see it in their access log.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from dost.accounts.decorators import AuthenticatedHttpRequest, role_required
from dost.accounts.models import Role
from dost.bridge.forms import EventApplyForm, EventRejectForm
from dost.bridge.models import InboundEvent
from dost.bridge.plausibility import reason_message
from dost.bridge.selectors import event_fins, event_for_review, held_events, people_named
from dost.bridge.services import event_review_apply, event_review_reject, held_events_seen
from dost.errors import DomainError
from dost.http import client_ip
from dost.registry.models import Person

REVIEWERS = (Role.STAFF, Role.ADMIN)
PAGE_SIZE = 25

# How the fields of an event's data read (most are the registry's own field names).
DATA_LABELS: dict[str, Promise] = {
    "child": gettext_lazy("child"),
    "fin": gettext_lazy("FIN"),
    "first_name": gettext_lazy("first name"),
    "last_name": gettext_lazy("last name"),
    "sex": gettext_lazy("sex"),
    "birth_date": gettext_lazy("date of birth"),
    "mother_fin": gettext_lazy("mother's FIN"),
    "father_fin": gettext_lazy("father's FIN"),
    "spouse_fins": gettext_lazy("spouses' FINs"),
    "percent": gettext_lazy("functional impairment, %"),
    "valid_until": gettext_lazy("valid until"),
    "cause": gettext_lazy("cause"),
    "employer_name": gettext_lazy("employer"),
    "employer_tin": gettext_lazy("employer's TIN"),
    "occupation_code": gettext_lazy("occupation code"),
    "monthly_wage": gettext_lazy("monthly wage"),
    "reason": gettext_lazy("reason for ending"),
}


@dataclass(frozen=True)
class EventShown:
    """A held (or reviewed) event as a reviewer reads it, with the forms to decide it."""

    event: InboundEvent
    reasons: list[str]
    facts: list[tuple[str, str]]
    people: list[Person]
    apply_form: forms.Form
    reject_form: forms.Form


def _facts(data: Mapping[str, Any], within: str = "") -> Iterator[tuple[str, str]]:
    for key, value in data.items():
        label = str(DATA_LABELS.get(key, key))
        label = f"{within}: {label}" if within else label
        if isinstance(value, Mapping):
            yield from _facts(value, label)
        elif isinstance(value, list):
            yield label, ", ".join(str(item) for item in value)
        else:
            yield label, "—" if value in (None, "") else str(value)


def _prefix(event: InboundEvent) -> str:
    # Every card of the queue has its own forms: their fields need their own ids.
    return f"event-{event.pk}"


def _shown(event: InboundEvent, people: Mapping[str, Person], *,
           apply_form: forms.Form | None = None,
           reject_form: forms.Form | None = None) -> EventShown:
    return EventShown(
        event=event,
        reasons=[reason_message(reason) for reason in event.hold_reasons],
        facts=list(_facts(event.payload)),
        people=[people[fin] for fin in event_fins(event) if fin in people],
        apply_form=apply_form or EventApplyForm(prefix=_prefix(event)),
        reject_form=reject_form or EventRejectForm(prefix=_prefix(event)),
    )


def _event(pk: int) -> InboundEvent:
    event = event_for_review(pk)
    if event is None:
        raise Http404
    return event


@role_required(*REVIEWERS)
@require_GET
def held_event_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The queue: events held for review, the oldest first, each with its decision forms."""
    page = Paginator(held_events(), PAGE_SIZE).get_page(request.GET.get("page"))
    events = list(page)
    people = people_named(events)
    held_events_seen(people=people.values(), actor=request.user, ip_address=client_ip(request))
    return render(request, "bridge/held_events.html", {
        "page": page, "shown": [_shown(event, people) for event in events],
    })


def _render_event(request: AuthenticatedHttpRequest, event: InboundEvent, *, status: int = 200,
                  **forms_bound: forms.Form) -> HttpResponse:
    people = people_named([event])
    held_events_seen(people=people.values(), actor=request.user, ip_address=client_ip(request))
    shown = _shown(event, people, **forms_bound)
    # A refusal of a decision on an event someone else has just reviewed: its forms
    # are gone from the page, so the refusal is said above it.
    refusals = [error for form in forms_bound.values() for error in form.non_field_errors()]
    return render(request, "bridge/held_event.html", {"shown": shown, "refusals": refusals},
                  status=status)


@role_required(*REVIEWERS)
@require_GET
def held_event_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _render_event(request, _event(pk))


@role_required(*REVIEWERS)
@require_POST
def held_event_apply(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    event = _event(pk)
    form = EventApplyForm(request.POST, prefix=_prefix(event))
    if form.is_valid():
        try:
            event_review_apply(event=event, actor=request.user, note=form.cleaned_data["note"])
        except DomainError as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("The event %(event_id)s has been applied.")
                             % {"event_id": event.event_id})
            return redirect("bridge_review:queue")
    return _render_event(request, _event(pk), status=400, apply_form=form)


@role_required(*REVIEWERS)
@require_POST
def held_event_reject(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    event = _event(pk)
    form = EventRejectForm(request.POST, prefix=_prefix(event))
    if form.is_valid():
        try:
            event_review_reject(event=event, actor=request.user,
                                reason=form.cleaned_data["reason"])
        except DomainError as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("The event %(event_id)s has been rejected.")
                             % {"event_id": event.event_id})
            return redirect("bridge_review:queue")
    return _render_event(request, _event(pk), status=400, reject_form=form)
