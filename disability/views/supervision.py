"""Supervision of the expert commissions: their open cases, and moving a case to another.

Only for those with the permission to reassign cases (and administrators). The
pages show case numbers, states and commissions, never who a case is about, so
they are no look at anyone's data.
"""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from disability.forms_msec import ReassignForm
from disability.models import OPEN_STATES, Commission, ReferralState
from disability.selectors import case_open_for_supervisor, cases_open, cases_open_by_commission
from disability.services.assessments import referral_reassign
from dost.errors import DomainError

REASSIGN_PERMISSION = "disability.reassign_referral"
PAGE_SIZE = 50


def supervisor_required(view):
    """Signed-in users with the permission to reassign cases; others 403, anonymous a login."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not (user.is_superuser or user.has_perm(REASSIGN_PERMISSION)):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


@supervisor_required
@require_GET
def open_cases(request: HttpRequest) -> HttpResponse:
    """Each commission's open cases by state, and the open cases, the longest waiting first."""
    loads = cases_open_by_commission()
    chosen = next((load.commission for load in loads
                   if load.commission.code == request.GET.get("commission")), None)
    page = Paginator(cases_open(commission=chosen), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "disability/supervision/open_cases.html", {
        "rows": [(load, [load.by_state.get(state, 0) for state in OPEN_STATES])
                 for load in loads],
        "states": [ReferralState(state) for state in OPEN_STATES],
        "chosen": chosen, "page": page,
        "pager_query": urlencode({"commission": chosen.code}) + "&" if chosen else "",
    })


@supervisor_required
@require_http_methods(["GET", "POST"])
def reassign(request: HttpRequest, case_number: str) -> HttpResponse:
    referral = case_open_for_supervisor(case_number)
    form = ReassignForm(request.POST or None, current=referral.commission)
    if request.method == "POST" and form.is_valid():
        to_commission: Commission = form.cleaned_data["commission"]
        try:
            referral_reassign(referral=referral, to_commission=to_commission,
                              supervisor=request.user, reason=form.cleaned_data["reason"])
        except DomainError as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("Case %(case)s has moved to %(commission)s.")
                             % {"case": referral.case_number, "commission": to_commission})
            return redirect("disability_supervision:open_cases")
    status = 400 if request.method == "POST" else 200
    return render(request, "disability/supervision/reassign.html",
                  {"referral": referral, "form": form}, status=status)
