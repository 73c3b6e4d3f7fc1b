"""Citizen pages of the pensions subsystem."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from dost.accounts.decorators import own_person_id, role_required
from dost.accounts.models import Role
from pensions.selectors import capital_statement


@role_required(Role.CITIZEN)
def my_capital(request: HttpRequest) -> HttpResponse:
    """The signed-in citizen's own pension capital; there is no way to name anyone else."""
    statement = capital_statement(person_id=own_person_id(request), on=timezone.localdate())
    return render(request, "pensions/capital.html", {"statement": statement})
