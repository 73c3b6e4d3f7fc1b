"""Citizen portal pages."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render

from dost.accounts.decorators import role_required
from dost.accounts.models import Role
from dost.audit.selectors import accesses_to_person
from dost.entitlements.selectors import explained_awards
from dost.registry.selectors import person_facts


def home(request):
    return render(request, "esocial/home.html")


@role_required(Role.CITIZEN)
def my_data(request):
    person = request.user.person
    return render(request, "esocial/my_data.html",
                  {"person": person, "groups": person_facts(person)})


@role_required(Role.CITIZEN)
def my_access_log(request):
    page = Paginator(accesses_to_person(request.user.person_id), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "esocial/access_log.html", {"page": page})


@role_required(Role.CITIZEN)
def my_awards(request):
    return render(request, "esocial/my_awards.html",
                  {"awards": explained_awards(request.user.person_id)})
