"""CareCall pages: scores by agent, centre, service and month; the follow-ups of low
scores; and the webhook by which Twilio brings the citizens' replies.

Agents see their own scores and the centres'; staff and administrators see all.
A follow-up names a citizen: the list and each look at one are in the citizen's
access log. Only the agent who took a follow-up (or an administrator) opens it.
"""

from __future__ import annotations

import logging

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from callcentre.carecall_forms import FollowUpCloseForm, FollowUpFilterForm, MonthForm
from callcentre.carecall_presenters import (
    agent_rows,
    centre_rows,
    follow_up_rows,
    month_rows,
    served_by,
    service_rows,
)
from dost.accounts.decorators import AuthenticatedHttpRequest, role_required
from dost.accounts.models import Role, User
from dost.audit.models import Subject, channel_for_role
from dost.audit.services import access_record, access_records_for_list
from dost.carecall.models import FollowUp
from dost.carecall.selectors import (
    follow_up_by_id,
    follow_up_counts,
    follow_ups,
    score_rollup,
)
from dost.carecall.services import follow_up_close, follow_up_take, rating_reply_receive
from dost.errors import DomainError
from dost.http import client_ip
from dost.notifications.twilio_signature import posted_form, signed_by_twilio

logger = logging.getLogger(__name__)

AGENTS = (Role.AGENT, Role.ADMIN)
READERS = (Role.AGENT, Role.STAFF, Role.ADMIN)
# Twilio sends what a webhook's TwiML says; an empty answer sends the citizen nothing.
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'


def _sees_everything(user: User) -> bool:
    return user.role in (Role.STAFF, Role.ADMIN) or user.is_superuser


def _is_administrator(user: User) -> bool:
    return user.role == Role.ADMIN or user.is_superuser


@role_required(*READERS)
@require_GET
def scores(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = MonthForm(request.GET or None)
    everything = _sees_everything(request.user)
    context = {"form": form, "everything": everything}
    if form.is_bound and not form.is_valid():
        return render(request, "callcentre/carecall/scores.html", context, status=400)
    month = (form.cleaned_data.get("month") if form.is_bound else None) or timezone.localdate()
    rollup = score_rollup(month=month, agent_id=request.user.pk, everything=everything)
    context.update({
        "month": rollup.month,
        "agents": agent_rows(rollup.agents, reader_id=request.user.pk),
        "centres": centre_rows(rollup.centres),
        "services": service_rows(rollup.services),
        "months": month_rows(rollup.months),
    })
    return render(request, "callcentre/carecall/scores.html", context)


def _statuses() -> list[tuple[str, str, int]]:
    """Each status with its label and how many follow-ups are in it, for the tabs."""
    counts = follow_up_counts()
    return [(code, str(label), counts[code]) for code, label in FollowUp.Status.choices]


def _list(request: AuthenticatedHttpRequest, *, status: str, form: FollowUpFilterForm,
          error: str = "", http_status: int = 200) -> HttpResponse:
    tasks = follow_ups(status=status)
    if tasks:
        # The list names the citizens: each of them sees that it was shown, and to whom.
        access_records_for_list(
            person_ids=[task.person_id for task in tasks], what=Subject.REGISTRY_RECORD,
            reason=gettext_lazy("Listed among the follow-ups of low CareCall ratings"),
            channel=channel_for_role(request.user.role), actor_id=request.user.pk,
            ip_address=client_ip(request))
    return render(request, "callcentre/carecall/follow_ups.html", {
        "form": form, "status": status, "rows": follow_up_rows(tasks, reader_id=request.user.pk),
        "statuses": _statuses(), "error": error,
        "can_act": request.user.role in AGENTS or request.user.is_superuser,
    }, status=http_status)


@role_required(*READERS)
@require_GET
def follow_up_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = FollowUpFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return render(request, "callcentre/carecall/follow_ups.html",
                      {"form": form, "rows": [], "statuses": _statuses(), "status": ""},
                      status=400)
    status = (form.cleaned_data.get("status") if form.is_bound else "") or FollowUp.Status.OPEN
    return _list(request, status=status, form=form)


def _reachable(request: AuthenticatedHttpRequest, follow_up_id: int) -> FollowUp:
    """The follow-up, if this user may open it: the agent who took it, or an administrator.

    Any other agent gets a 404: the task (and the citizen in it) is not theirs.
    """
    follow_up = follow_up_by_id(follow_up_id)
    if follow_up is None:
        raise Http404
    if follow_up.taken_by_id != request.user.pk and not _is_administrator(request.user):
        raise Http404
    return follow_up


def _detail(request: AuthenticatedHttpRequest, follow_up: FollowUp, *,
            form: FollowUpCloseForm | None = None, status: int = 200) -> HttpResponse:
    person = follow_up.person
    # In the citizen's own language: the access log is theirs to read.
    with translation.override(person.language or None):
        reason = _("Calling you back about your rating of a DOST service")
    access_record(person_id=person.pk, actor_id=request.user.pk,
                  channel=channel_for_role(request.user.role), what=Subject.REGISTRY_RECORD,
                  reason=reason, ip_address=client_ip(request))
    closable = (follow_up.status == FollowUp.Status.TAKEN
                and follow_up.taken_by_id == request.user.pk)
    return render(request, "callcentre/carecall/follow_up.html", {
        "follow_up": follow_up, "person": person, "request_": follow_up.request,
        "served_by": served_by(follow_up.request),
        "form": (form or FollowUpCloseForm()) if closable else None,
    }, status=status)


@role_required(*AGENTS)
@require_GET
def follow_up_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _reachable(request, pk))


@role_required(*AGENTS)
@require_POST
def follow_up_take_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    try:
        follow_up_take(follow_up_id=pk, agent=request.user)
    except DomainError as refusal:
        if refusal.code == "not_found":
            raise Http404 from refusal
        return _list(request, status=FollowUp.Status.OPEN, form=FollowUpFilterForm(),
                     error=str(refusal.message), http_status=409)
    return redirect("callcentre:carecall_follow_up", pk=pk)


@role_required(*AGENTS)
@require_POST
def follow_up_close_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    follow_up = _reachable(request, pk)
    form = FollowUpCloseForm(request.POST)
    if form.is_valid():
        try:
            follow_up_close(follow_up_id=pk, agent=request.user, note=form.cleaned_data["note"])
        except DomainError as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("The follow-up is closed."))
            return redirect(reverse("callcentre:carecall_follow_ups"))
    return _detail(request, follow_up, form=form, status=400)


@csrf_exempt
@require_POST
def inbound_sms(request: HttpRequest) -> HttpResponse:
    """A citizen's SMS to the CareCall number, as Twilio posts it (From, Body, MessageSid).

    Only a request Twilio signed is read. Whatever the message says, a signed one is
    answered 200 with empty TwiML: an error would only make Twilio retry it, and what
    became of it is in the reply log.
    """
    form = posted_form(request)
    if not signed_by_twilio(request, form):
        logger.warning("Refused an unsigned or wrongly signed inbound SMS from %s",
                       client_ip(request))
        return HttpResponse(_("The request is not signed by Twilio."), status=403,
                            content_type="text/plain; charset=utf-8")
    try:
        rating_reply_receive(sid=form.get("MessageSid", ""), from_number=form.get("From", ""),
                             body=form.get("Body", ""))
    except DomainError as refusal:
        # Signed, yet no message id or sender: nothing to log it under.
        return HttpResponse(str(refusal.message), status=400,
                            content_type="text/plain; charset=utf-8")
    return HttpResponse(EMPTY_TWIML, content_type="text/xml; charset=utf-8")
