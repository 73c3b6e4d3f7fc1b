"""Citizen portal pages."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from dost.accounts.decorators import own_person_id, role_required
from dost.accounts.models import Role
from dost.audit.selectors import accesses_to_person
from dost.entitlements.selectors import award_cards, family_stops
from dost.errors import DomainError
from dost.registry.corrections import fact_label
from dost.registry.selectors import correction_requests_of_person, person_facts
from dost.registry.services import correction_request_create
from esocial.applications.forms import ANY_GROUP, CorrectionRequestForm


def home(request):
    return render(request, "esocial/home.html")




@role_required(Role.CITIZEN)
@require_http_methods(["GET", "POST"])
def my_data(request):
    """Everything the state holds about me, and a "report a mistake" form under each group.

    A report changes nothing in the registry; staff check it first.
    """
    person = request.user.person
    if person is None:
        raise PermissionDenied
    groups = person_facts(person)
    group_keys = {group.key for group in groups} | {ANY_GROUP}
    bound = None
    if request.method == "POST":
        group = request.POST.get("group", "")
        if group not in group_keys:
            return HttpResponseBadRequest()
        bound = CorrectionRequestForm(request.POST, request.FILES, group=group)
        if bound.is_valid():
            try:
                correction_request_create(
                    person=person, fact=bound.cleaned_data["fact"],
                    proposed_value=bound.cleaned_data["proposed_value"],
                    document=bound.cleaned_data.get("document"))
            except DomainError as exc:
                bound.add_error("proposed_value", exc.message)
            else:
                messages.success(request, _("Thank you. We will check it with the institution "
                                            "the fact came from and tell you the outcome here."))
                return redirect(reverse("esocial:my_data") + "#corrections")
    forms = {key: bound if bound is not None and bound.group == key
             else CorrectionRequestForm(group=key) for key in group_keys}
    return render(request, "esocial/my_data.html", {
        "person": person,
        "groups": [(group, forms[group.key]) for group in groups],
        "other_form": forms[ANY_GROUP],
        "corrections": [(correction, fact_label(correction.fact)) for correction in
                        correction_requests_of_person(person.pk)],
    }, status=400 if bound is not None else 200)


@role_required(Role.CITIZEN)
def my_access_log(request):
    page = Paginator(accesses_to_person(own_person_id(request)), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "esocial/access_log.html", {"page": page})


@role_required(Role.CITIZEN)
def my_awards(request):
    person_id = own_person_id(request)
    return render(request, "esocial/my_awards.html",
                  {"cards": award_cards(person_id), "family_stops": family_stops(person_id)})
