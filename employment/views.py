"""The employer's own page: its personnel record as the state holds it."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from dost.accounts.decorators import AuthenticatedHttpRequest, role_required
from dost.accounts.models import Role
from dost.audit.models import Channel, Subject
from dost.audit.services import access_records_for_list
from dost.http import client_ip
from employment.selectors import employer_of_user, personnel_record

PAGE_SIZE = 50


@role_required(Role.EMPLOYER)
def employer_home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The signed-in representative's employer: whom the registry shows working there.

    Each employee shown on the page finds the look in their own access log, under
    the employer's name: the page shows their wage and occupation.
    """
    employer = employer_of_user(request.user.pk)
    if employer is None:
        return render(request, "employment/employer_home.html", {"employer": None})
    page = Paginator(personnel_record(employer), PAGE_SIZE).get_page(request.GET.get("page"))
    access_records_for_list(
        person_ids=[spell.person_id for spell in page.object_list],
        what=Subject.EMPLOYMENT, channel=Channel.EMPLOYER, actor_id=request.user.pk,
        reason=_("Personnel record of %(employer)s"), reason_params={"employer": employer.name},
        ip_address=client_ip(request),
    )
    return render(request, "employment/employer_home.html",
                  {"employer": employer, "page": page})
