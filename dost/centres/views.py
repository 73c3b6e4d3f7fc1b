"""The public schedule of the mobile units ("Mobil DOST"): where they stop, by region."""

from __future__ import annotations

from itertools import groupby

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from dost.centres.selectors import coming_mobile_stops
from dost.registry.models import Region
from dost.registry.selectors import regions


class RegionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Region) -> str:
        return obj.name


class RegionFilter(forms.Form):
    region = RegionChoiceField(label=_("Region"), queryset=regions(), to_field_name="code",
                               required=False, empty_label=_("All regions"))


@require_GET
def mobile_stops(request: HttpRequest) -> HttpResponse:
    """Coming stops, by day; ``?region=`` shows one region's. An unknown region is refused
    beside the filter (400), and the whole schedule is shown."""
    form = RegionFilter(request.GET or None)
    region = None
    status = 200
    if form.is_bound:
        if form.is_valid():
            region = form.cleaned_data["region"]
        else:
            status = 400
    stops = list(coming_mobile_stops(now=timezone.now(), region=region.pk if region else None))
    days = [(day, list(of_day)) for day, of_day in groupby(stops, key=lambda stop: stop.day)]
    return render(request, "centres/mobile_stops.html",
                  {"form": form, "region": region, "days": days}, status=status)
