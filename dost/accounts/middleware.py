"""Who may keep a session: staff need a second factor; the deceased none at all."""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse

from dost.accounts.backends import recorded_deceased
from dost.accounts.forms import DECEASED_MESSAGE

_ALWAYS_ALLOWED_PREFIXES = ("/accounts/", "/static/", "/healthz", "/readyz", "/i18n/")


class RequireTwoFactorMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and (user.role in settings.TWO_FACTOR_ROLES or user.is_superuser)
            and not request.path.startswith(_ALWAYS_ALLOWED_PREFIXES)
            and not Authenticator.objects.filter(
                user=user, type=Authenticator.Type.TOTP
            ).exists()
        ):
            return redirect(f"{reverse('mfa_activate_totp')}?next={request.path}")
        return self.get_response(request)


class EndSessionsOfTheDeceasedMiddleware:
    """A session stays open for hours; a death recorded meanwhile ends it.

    The next request is served as to an anonymous visitor, with the reason shown.
    Whether the person died comes with the user itself (``dost.accounts.backends``).
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and recorded_deceased(user):
            logout(request)
            messages.error(request, DECEASED_MESSAGE)
        return self.get_response(request)
