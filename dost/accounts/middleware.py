"""Staff, agents, experts and administrators must use a second factor."""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

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
