"""The citizen's disability pages: their register entries, their finding, their aids.

Every page is the signed-in citizen's own: no address names a person, and an
aid is requested for whoever is signed in.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from disability.certificates import degree_text
from disability.degrees import degree_label
from disability.models import RegisterEntry
from disability.selectors import (
    register_aid_catalogue,
    register_aid_item,
    register_aid_requests_of,
    register_entries_of,
    register_finding_in_force,
)
from disability.services.aids import aid_request_create
from dost.accounts.decorators import own_person, role_required
from dost.accounts.models import Role
from dost.errors import DomainError
from dost.registry.models import DisabilityStatus, Person


@role_required(Role.CITIZEN)
@require_GET
def my_disability(request: HttpRequest) -> HttpResponse:
    """My register entries, my finding in force and my requests for aids, step by step."""
    person = own_person(request)
    entries = register_entries_of(person.pk)
    finding = register_finding_in_force(person.pk, timezone.localdate())
    return render(request, "disability/citizen/home.html", {
        "entries": [(entry, degree_text(entry)) for entry in entries],
        "finding": finding,
        "finding_degree": _finding_degree(finding, entries) if finding else "",
        "aid_requests": register_aid_requests_of(person.pk),
    })


def _finding_degree(finding: DisabilityStatus, entries: list[RegisterEntry]) -> str:
    # The register entry knows whether it is a disability under 18; a finding that came
    # from elsewhere (an institution's event) has only its percentage.
    entry = next((entry for entry in entries if entry.status_id == finding.pk), None)
    if entry is not None:
        return degree_text(entry)
    return degree_label(finding.degree)


def _render_aids(request: HttpRequest, person: Person, *, refusal: str = "",
                 refused_item: str = "", status: int = 200) -> HttpResponse:
    return render(request, "disability/citizen/aids.html", {
        "catalogue": register_aid_catalogue(),
        "finding": register_finding_in_force(person.pk, timezone.localdate()),
        "refusal": refusal,
        "refused_item": refused_item,
    }, status=status)


@role_required(Role.CITIZEN)
@require_GET
def aids(request: HttpRequest) -> HttpResponse:
    """The catalogue of aids, by category, each with a button to request it."""
    return _render_aids(request, own_person(request))


@role_required(Role.CITIZEN)
@require_POST
def aid_request(request: HttpRequest, code: str) -> HttpResponse:
    person = own_person(request)
    item = register_aid_item(code)
    if item is None:
        raise Http404
    try:
        aid_request_create(person=person, item=item)
    except DomainError as refusal:
        return _render_aids(request, person, refusal=refusal.message, refused_item=item.code,
                            status=400)
    messages.success(request, _("Your request for “%(item)s” has been sent. You will be told "
                                "of each step by SMS and here.") % {"item": item.name})
    return redirect(reverse("disability:home") + "#aids")
