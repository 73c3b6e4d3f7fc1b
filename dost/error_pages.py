"""The site's "not found" page in development too.

With ``DEBUG`` on, Django answers a missing page with its technical 404 page instead of
``handler404``; a 403 always goes to ``handler403``. A tester would see a page no citizen
ever sees, in English and without the site's layout. This middleware, last in the list
(the language and the user are known by then), shows ``dost.views.not_found`` instead.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse

from dost.views import not_found


class NotFoundPageInDevelopmentMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # No route matched: Django's technical page, which no view wrote.
        if settings.DEBUG and response.status_code == 404 and request.resolver_match is None:
            return not_found(request, None)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if settings.DEBUG and isinstance(exception, Http404):
            return not_found(request, exception)
        return None
