"""Back-office pages of the register of persons with disabilities and of requests for aids.

For DOST centre staff and administrators. Every list logs a look at each person
on its page, and opening a request logs a look at its person: they see it in
their access log.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from disability.certificates import degree_text
from disability.models import AidRequest, AidRequestState
from disability.selectors import (
    NO_DISABILITY,
    UNDER_18,
    register_aid_request_for_staff,
    register_aid_requests_for_staff,
    register_for_staff,
)
from disability.services.aids import (
    ALLOWED_FROM,
    aid_request_approve,
    aid_request_deliver,
    aid_request_refuse,
    aid_request_return,
)
from dost.accounts.decorators import role_required
from dost.accounts.models import Role
from dost.audit.models import Subject, channel_for_role
from dost.audit.services import access_record, access_records_for_list
from dost.errors import DomainError
from dost.http import client_ip
from dost.registry.models import EconomicRegion

REVIEWERS = (Role.STAFF, Role.ADMIN)
PAGE_SIZE = 50
MAX_DAYS_AHEAD = 3650

State = AidRequestState


class RegisterFilterForm(forms.Form):
    economic_region = forms.ChoiceField(label=gettext_lazy("Economic region"), required=False)
    degree = forms.ChoiceField(label=gettext_lazy("Degree"), required=False, choices=[
        ("", gettext_lazy("any")),
        ("1", gettext_lazy("degree I")),
        ("2", gettext_lazy("degree II")),
        ("3", gettext_lazy("degree III")),
        (UNDER_18, gettext_lazy("disability under 18")),
        (NO_DISABILITY, gettext_lazy("no disability")),
    ])
    due_within_days = forms.IntegerField(
        label=gettext_lazy("Next assessment within, days"), required=False, min_value=0,
        max_value=MAX_DAYS_AHEAD)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["economic_region"].choices = [("", gettext_lazy("all"))] + [
            (region.code, region.name) for region in EconomicRegion.objects.order_by("code")]


class StepForm(forms.Form):
    note = forms.CharField(label=gettext_lazy("Note for the citizen"), required=False,
                           max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


# The URL's step → (the state it leads to, the service, the button, whether a note is needed).
STEPS = {
    "approve": (State.APPROVED, aid_request_approve, gettext_lazy("Approve"), False),
    "refuse": (State.REFUSED, aid_request_refuse, gettext_lazy("Refuse"), True),
    "deliver": (State.DELIVERED, aid_request_deliver, gettext_lazy("Record the delivery"), False),
    "return": (State.RETURNED, aid_request_return, gettext_lazy("Record the return"), False),
}


def _log_listed(request: HttpRequest, person_ids: list[int], reason: Promise) -> None:
    access_records_for_list(
        person_ids=person_ids, what=Subject.REGISTRY_RECORD, reason=reason,
        channel=channel_for_role(request.user.role),  # type: ignore[union-attr]
        actor_id=request.user.pk, ip_address=client_ip(request),
    )


@role_required(*REVIEWERS)
@require_GET
def register(request: HttpRequest) -> HttpResponse:
    """Each person's latest entry, filtered; the people on the page are logged."""
    form = RegisterFilterForm(request.GET or None)
    if request.GET and not form.is_valid():
        return render(request, "disability/backoffice/register.html",
                      {"form": form, "page": None, "rows": []}, status=400)
    filters = form.cleaned_data if form.is_bound else {}
    entries = register_for_staff(
        on=timezone.localdate(), economic_region=filters.get("economic_region") or "",
        degree=filters.get("degree") or "", due_within_days=filters.get("due_within_days"))
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    _log_listed(request, [entry.person_id for entry in page],
                gettext_lazy("Listed in the register of persons with disabilities"))
    kept = {key: value for key, value in request.GET.items() if key != "page" and value}
    return render(request, "disability/backoffice/register.html", {
        "form": form, "page": page,
        "rows": [(entry, degree_text(entry)) for entry in page],
        "pager_query": urlencode(kept) + "&" if kept else "",
    })


@role_required(*REVIEWERS)
@require_GET
def aid_requests(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state", "")
    if state and state not in State.values:
        state = ""
    page = Paginator(register_aid_requests_for_staff(state=state), PAGE_SIZE).get_page(
        request.GET.get("page"))
    _log_listed(request, [aid.person_id for aid in page],
                gettext_lazy("Listed among the requests for rehabilitation aids"))
    return render(request, "disability/backoffice/aid_requests.html", {
        "page": page, "state": state, "states": State.choices,
        "pager_query": urlencode({"state": state}) + "&" if state else "",
    })


def _aid_request(pk: int) -> AidRequest:
    aid = register_aid_request_for_staff(pk)
    if aid is None:
        raise Http404
    return aid


def _render_aid_request(request: HttpRequest, aid: AidRequest, *, failed_step: str = "",
                        failed_form: StepForm | None = None, status: int = 200) -> HttpResponse:
    person = aid.person
    # Stored in the citizen's own language: the log is theirs to read.
    with translation.override(person.language):
        reason = _("Processing a request for a rehabilitation aid (%(item)s)") % {
            "item": aid.item.name}
    access_record(person_id=person.pk, actor_id=request.user.pk,
                  channel=channel_for_role(request.user.role),  # type: ignore[union-attr]
                  what=Subject.REGISTRY_RECORD, reason=reason, ip_address=client_ip(request))
    steps = []
    for code, (to, _service, label, needs_note) in STEPS.items():
        if aid.state not in ALLOWED_FROM[to] or (to == State.RETURNED and not aid.item.returnable):
            continue
        form = failed_form if code == failed_step and failed_form else StepForm(prefix=code)
        if needs_note:
            form.fields["note"].label = _("Reason for the refusal (the citizen reads it)")
        steps.append((code, label, form))
    # A refusal of a step no longer offered (someone has just taken another) is said
    # above the page, its form being gone.
    refusals = (list(failed_form.non_field_errors())
                if failed_form is not None and failed_step not in {shown[0] for shown in steps}
                else [])
    return render(request, "disability/backoffice/aid_request.html", {
        "aid": aid, "steps": steps, "refusals": refusals,
    }, status=status)


@role_required(*REVIEWERS)
@require_GET
def aid_request(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_aid_request(request, _aid_request(pk))


@role_required(*REVIEWERS)
@require_POST
def aid_request_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    if step not in STEPS:
        raise Http404
    aid = _aid_request(pk)
    _to, service, _label, needs_note = STEPS[step]
    form = StepForm(request.POST, prefix=step)
    if form.is_valid():
        note = form.cleaned_data["note"]
        try:
            if needs_note:
                service(request=aid, actor=request.user, reason=note)
            else:
                service(request=aid, actor=request.user, note=note)
        except DomainError as refusal:
            form.add_error(None, refusal.message)
        else:
            aid.refresh_from_db(fields=["state"])
            messages.success(request, _("The request for “%(item)s” is now: %(state)s.")
                             % {"item": aid.item.name, "state": aid.get_state_display()})
            return redirect("disability_backoffice:aid_request", pk=pk)
    return _render_aid_request(request, _aid_request(pk), failed_step=step, failed_form=form,
                               status=400)
