"""The public catalogue of services: browse by category, read a service, search."""

from __future__ import annotations

from itertools import groupby
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language

from dost.applications.registry import application_types
from dost.centres import selectors

# As the user types only the best few are worth showing; the full page shows more.
LIVE_RESULTS = 8
PAGE_RESULTS = 30


def service_list(request: HttpRequest) -> HttpResponse:
    """Every service, grouped by category; ``?category=`` shows one category."""
    services = selectors.service_list(language=get_language())
    groups = [(category, list(members))
              for category, members in groupby(services, key=lambda service: service.category)]
    categories = [category for category, _members in groups]
    chosen = request.GET.get("category", "")
    if chosen:
        groups = [(category, members) for category, members in groups
                  if category.code == chosen]
        if not groups:
            raise Http404
    return render(request, "esocial/catalogue/service_list.html", {
        "categories": categories,
        "groups": groups,
        "chosen": chosen,
    })


def service_detail(request: HttpRequest, code: str) -> HttpResponse:
    service = selectors.service_detail(code)
    if service is None:
        raise Http404
    online = {application.code for application in application_types()}
    return render(request, "esocial/catalogue/service_detail.html", {
        "service": service,
        # Only a service whose e-application some subsystem has registered is
        # offered online; the others are served at a centre or without applying.
        "apply_url": (reverse("esocial:application_new", args=[service.application_code])
                      if service.application_code in online else ""),
        "book_url": (reverse("esocial:queue_book") + "?" + urlencode({"service": service.code})
                     if service.bookable else ""),
        "centres": list(selectors.centre_list()) if service.bookable else [],
    })


def service_search(request: HttpRequest) -> HttpResponse:
    """Results for ``?q=``: the results fragment for htmx, else the whole page."""
    query = request.GET.get("q", "")[:selectors.MAX_QUERY_CHARS]
    live = bool(request.htmx)
    too_short = (bool(query.strip())
                 and len(" ".join(selectors.search_words(query))) < selectors.MIN_QUERY_CHARS)
    limit = LIVE_RESULTS if live else PAGE_RESULTS
    results = selectors.services_search(query, language=get_language(), limit=limit)
    context = {"query": query.strip(), "results": results, "too_short": too_short,
               "live": live, "limit": limit}
    template = ("esocial/catalogue/_search_results.html" if live
                else "esocial/catalogue/search.html")
    response = render(request, template, context)
    # The same address answers a fragment or a page: caches must keep both.
    patch_vary_headers(response, ["HX-Request"])
    return response
