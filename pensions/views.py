"""Citizen pages of the pensions subsystem."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from dost.accounts.decorators import role_required
from dost.accounts.models import Role
from pensions.selectors import capital_statement


@role_required(Role.CITIZEN)
def my_capital(request: HttpRequest) -> HttpResponse:
    """The signed-in citizen's own pension capital; there is no way to name anyone else."""
    person_id = request.user.person_id  # type: ignore[union-attr]
    if person_id is None:
        # A superuser passes the role check but has no record of their own.
        raise PermissionDenied
    statement = capital_statement(person_id=person_id, on=timezone.localdate())
    return render(request, "pensions/capital.html", {"statement": statement})
