"""The DOST Index on the portal: anyone may see how the centres serve citizens.

The pages read the precomputed Index (``dost.index`` selectors and presenters); they
hold counts only, never a person.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from dost.index.forms import chosen_month
from dost.index.presenters import centre_page, index_page
from dost.index.selectors import index_centre


def _centre_url(code: str) -> str:
    return reverse("esocial:dost_index_centre", args=[code])


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    form, month = chosen_month(request.GET)
    return render(request, "index/index.html", {
        "form": form, "page": index_page(month, centre_url=_centre_url) if month else None,
    }, status=400 if month is None and form.is_bound else 200)


@require_GET
def centre(request: HttpRequest, code: str) -> HttpResponse:
    found = index_centre(code)
    if found is None:
        raise Http404
    form, month = chosen_month(request.GET)
    return render(request, "index/centre.html", {
        "form": form, "centre": found,
        "page": centre_page(found, month, centre_url=_centre_url) if month else None,
        "index_url": reverse("esocial:dost_index"),
    }, status=400 if month is None and form.is_bound else 200)
