"""Response headers every page gets: the content policy, the permissions policy, no-store.

The settings list the policies; these middlewares only apply them.
"""

from __future__ import annotations

from collections.abc import Callable

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.utils.cache import add_never_cache_headers

GetResponse = Callable[[HttpRequest], HttpResponseBase]


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, plus the relaxations the settings give named views.

    Third-party pages we route but do not write (the API's Swagger and Redoc pages)
    carry inline code; ``CONTENT_SECURITY_POLICY_RELAXED_VIEWS`` adds to the policy
    for those views only, as django-csp's ``csp_update`` decorator would if we
    owned the views.
    """

    def get_policy_parts(self, request: HttpRequest, response: HttpResponseBase,
                         report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request=request, response=response,
                                         report_only=report_only)
        match = getattr(request, "resolver_match", None)
        relaxed = (settings.CONTENT_SECURITY_POLICY_RELAXED_VIEWS.get(match.view_name)
                   if match is not None and not report_only else None)
        if relaxed:
            parts.update = {**relaxed, **(parts.update or {})}
        return parts


class PermissionsPolicyMiddleware:
    """Deny the browser features no page of ours uses (camera, microphone, location...).

    A file input with ``capture`` opens the camera application, not the page's own
    camera access, so uploads of photographed papers still work.
    """

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response
        self.header = ", ".join(f"{feature}=()" for feature in settings.PERMISSIONS_POLICY_DENIED)

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.header)
        return response


def _is_private(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        # Signed in (or just signed out of by this very response, which is then public).
        return True
    # Institutions call the API with a token that DRF checks inside the view, after
    # this middleware has run: the header itself says the answer is someone's.
    return "HTTP_AUTHORIZATION" in request.META


class PrivateResponsesNoStoreMiddleware:
    """``Cache-Control: no-store`` on every answer to a signed-in user or an API token.

    A browser's back button, a shared computer at a DOST centre or a proxy's cache
    must not keep a citizen's pages or documents. Pages for anonymous visitors (the
    service catalogue, open data) keep the caching their views chose.
    """

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if _is_private(request):
            add_never_cache_headers(response)
        return response
