"""Health endpoints for load balancers and orchestrators, and the refusal pages: "not
allowed" and "not found" in the site's layout, or in the API's JSON shape under ``/api/``."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from dost.accounts.adapters import role_home_url
from dost.accounts.decorators import ForCitizensOnly

denials = logging.getLogger("django.request")


@require_GET
@never_cache
def healthz(request):
    return JsonResponse({"status": "ok"})


@require_GET
@never_cache
def readyz(request):
    checks: dict[str, str] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as exc:  # noqa: BLE001 - any failure means not ready
        checks["database"] = f"error: {exc.__class__.__name__}"
    if settings.REDIS_URL:
        import redis

        try:
            redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2).ping()
            checks["broker"] = "ok"
        except Exception as exc:  # noqa: BLE001
            checks["broker"] = f"error: {exc.__class__.__name__}"
    else:
        checks["broker"] = "in-process"
    ready = all(value in {"ok", "in-process"} for value in checks.values())
    return JsonResponse({"status": "ok" if ready else "unavailable", **checks},
                        status=200 if ready else 503)


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def _refusal_page(request: HttpRequest, template: str, status: int,
                  **context) -> HttpResponse:
    return render(request, template,
                  {"home_url": role_home_url(getattr(request, "user", None)), **context},
                  status=status)


def not_found(request, exception):
    """A 404 in the API's JSON shape under ``/api/``, the site's page elsewhere: a client of
    the API never has to parse an HTML page."""
    if _is_api(request):
        return JsonResponse({"detail": _("Not found."), "code": "not_found"}, status=404)
    return _refusal_page(request, "404.html", 404)


def permission_denied(request, exception):
    """The 403 page (JSON under ``/api/``), and one line in the log instead of a traceback.

    A refusal is the application working as meant: its traceback says nothing that the
    method, path and user do not.
    """
    if _is_api(request):
        response = JsonResponse({"detail": _("You do not have permission to perform this "
                                             "action."), "code": "permission_denied"},
                                status=403)
    else:
        response = _refusal_page(request, "403.html", 403,
                                 for_citizens=isinstance(exception, ForCitizensOnly))
    user = getattr(request, "user", None)
    denials.warning("Forbidden: %s %s user=%s status=%s", request.method, request.path,
                    user.pk if user is not None and user.is_authenticated else "-",
                    response.status_code)
    # Django logs every refusal again, with the exception's traceback, unless the answer
    # says it is logged already (django.utils.log.log_response).
    response._has_been_logged = True
    return response
