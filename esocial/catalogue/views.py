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
    """Every service, grouped by category; ``?category=`` shows one category.

    The listing changes only with the catalogue, so its rendering is cached
    (keyed by language, category and catalogue version) and ``listing`` is
    computed only when the cache misses.
    """
    language = get_language()
    chosen = request.GET.get("category", "")
    chosen_category = None
    if chosen:
        chosen_category = selectors.category_detail(chosen)
        if chosen_category is None:
            raise Http404

    def listing() -> dict:
        services = selectors.service_list(language=language)
        groups = [(category, list(members))
                  for category, members in groupby(services, key=lambda s: s.category)]
        return {"categories": [category for category, _members in groups],
                "groups": [group for group in groups
                           if not chosen or group[0].code == chosen]}

    return render(request, "esocial/catalogue/service_list.html", {
        "listing": listing,
        "chosen": chosen,
        "chosen_category": chosen_category,
        "catalogue_version": selectors.catalogue_version(),
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
        "centres": list(selectors.centres_offering(service.pk)) if service.bookable else [],
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
