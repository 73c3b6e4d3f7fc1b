"""The DOST Index in the back-office: the portal's pages, with the numerator and
denominator of every value, and (for administrators) recomputing a month.

The Index is made of counts only: no page names a person, so none writes to the access
log.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from dost.accounts.decorators import AuthenticatedHttpRequest, role_required
from dost.accounts.models import Role
from dost.errors import DomainError
from dost.index.forms import ComputeForm, chosen_month
from dost.index.presenters import centre_page, index_page, month_label, month_value
from dost.index.selectors import index_centre
from dost.index.services import index_compute

OFFICIALS = (Role.STAFF, Role.ADMIN)


def _centre_url(code: str) -> str:
    return reverse("index_backoffice:centre", args=[code])


def _is_administrator(request: AuthenticatedHttpRequest) -> bool:
    return request.user.role == Role.ADMIN or request.user.is_superuser


def _dashboard(request: AuthenticatedHttpRequest, *, compute_form: ComputeForm | None = None,
               status: int = 200) -> HttpResponse:
    form, month = chosen_month(request.GET)
    if month is None and form.is_bound:
        status = 400
    return render(request, "index/index.html", {
        "form": form, "page": index_page(month, centre_url=_centre_url) if month else None,
        "backoffice": True,
        "compute_form": (compute_form or ComputeForm()) if _is_administrator(request) else None,
    }, status=status)


@role_required(*OFFICIALS)
@require_GET
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _dashboard(request)


@role_required(*OFFICIALS)
@require_GET
def centre(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    found = index_centre(code)
    if found is None:
        raise Http404
    form, month = chosen_month(request.GET)
    return render(request, "index/centre.html", {
        "form": form, "centre": found, "backoffice": True,
        "page": centre_page(found, month, centre_url=_centre_url) if month else None,
        "index_url": reverse("index_backoffice:dashboard"),
    }, status=400 if month is None and form.is_bound else 200)


@role_required(Role.ADMIN)
@require_POST
def compute(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ComputeForm(request.POST)
    if form.is_valid():
        try:
            result = index_compute(first=form.cleaned_data["month"])
        except DomainError as refusal:
            form.add_error("month", refusal.message)
        else:
            messages.success(request, _("The Index of %(month)s has been computed.")
                             % {"month": month_label(result.first)})
            return redirect(f"{reverse('index_backoffice:dashboard')}"
                            f"?month={month_value(result.first)}")
    return _dashboard(request, compute_form=form, status=400)
