"""Back-office pages to find a citizen and open their record (every opening logged)."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from dost.accounts.decorators import role_required
from dost.accounts.models import Role
from dost.audit.models import Subject, channel_for_role
from dost.audit.services import access_record, access_records_for_list
from dost.entitlements.selectors import award_cards
from dost.http import client_ip
from dost.registry.forms import AccessReasonForm, CitizenSearchForm
from dost.registry.selectors import find_people, person_by_fin, person_facts

RECORD_READERS = (Role.STAFF, Role.AGENT, Role.ADMIN)


@role_required(*RECORD_READERS)
def citizen_search(request):
    form = CitizenSearchForm(request.GET or None)
    people = find_people(form.cleaned_data["q"]) if form.is_valid() else []
    if people:
        # The results name each person found: the search is a look at each of them.
        access_records_for_list(
            person_ids=[person.pk for person in people], what=Subject.REGISTRY_RECORD,
            reason=_("Found by the search “%(query)s”"),
            reason_params={"query": form.cleaned_data["q"]},
            channel=channel_for_role(request.user.role), actor_id=request.user.pk,
            ip_address=client_ip(request),
        )
    template = "registry/_results.html" if request.htmx else "registry/citizen_search.html"
    return render(request, template, {"form": form, "people": people})


@role_required(*RECORD_READERS)
@require_http_methods(["GET", "POST"])
def citizen_record(request, fin: str):
    person = person_by_fin(fin)
    if person is None:
        raise Http404
    form = AccessReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        awards = award_cards(person.pk)
        # Each kind of data the page shows is its own line in the citizen's log, with the
        # reason given: awards are logged only when there are some to see.
        subjects = [Subject.REGISTRY_RECORD] + ([Subject.AWARDS] if awards else [])
        for subject in subjects:
            access_record(
                person_id=person.pk,
                actor_id=request.user.pk,
                channel=channel_for_role(request.user.role),
                what=subject,
                reason=form.cleaned_data["reason"],
                ip_address=client_ip(request),
            )
        return render(request, "registry/citizen_record.html",
                      {"person": person, "facts": person_facts(person), "awards": awards})
    # Until a reason is given, only what the search list already showed.
    return render(request, "registry/citizen_reason.html", {"person": person, "form": form})
