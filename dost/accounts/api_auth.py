"""DRF authentication and permissions for institutions' scoped tokens."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions, permissions, throttling
from rest_framework.settings import api_settings

from dost.accounts.models import InstitutionToken, hash_token


class InstitutionTokenAuthentication(authentication.TokenAuthentication):
    """``Authorization: Token <key>``; sets ``request.auth`` to the token row."""

    def authenticate_credentials(self, key: str):
        token = (
            InstitutionToken.objects.select_related("institution")
            .filter(key_hash=hash_token(key), revoked_at__isnull=True)
            .first()
        )
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid or revoked token."))
        now = timezone.now()
        if token.has_expired(at=now):
            raise exceptions.AuthenticationFailed(
                _("This token expired on %(expired)s (UTC). Ask DOST for a new token.")
                % {"expired": token.expires_at.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M")},
                code="token_expired",
            )
        # One write a minute at most, not one per request.
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
            InstitutionToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return (InstitutionUser(token), token)


class InstitutionUser:
    """Stands in for ``request.user`` on token requests (DRF wants a user object)."""

    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_staff = False
    is_superuser = False
    pk = None

    def __init__(self, token: InstitutionToken) -> None:
        self.token = token


def institution_of(request) -> InstitutionToken | None:
    return request.auth if isinstance(request.auth, InstitutionToken) else None


class HasScope(permissions.BasePermission):
    """Lets in an institution token holding the view's ``required_scope``."""

    message = _("This token lacks the scope this endpoint needs.")

    def has_permission(self, request, view) -> bool:
        token = institution_of(request)
        return token is not None and token.has_scope(view.required_scope)


class InstitutionTokenThrottle(throttling.SimpleRateThrottle):
    """Counts each institution token's requests apart; lets sessions through uncounted.

    Keyed by the token, not the address: institutions call from behind shared
    gateways, and one token's burst must not starve another's. The rate is the
    token's own ``rate`` when set, else ``DEFAULT_THROTTLE_RATES["institution"]``.
    A refusal is a 429 whose ``Retry-After`` says how many seconds to wait.
    """

    scope = "institution"

    def get_rate(self) -> str | None:
        # Read when a request comes, not when DRF is imported, so a changed setting applies.
        # The stubs type the rates as numbers; DRF's are strings such as "6000/min".
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)  # type: ignore[return-value]

    def allow_request(self, request, view) -> bool:
        token = institution_of(request)
        if token is None:
            return True
        if token.rate:
            self.rate = token.rate
            self.num_requests, self.duration = self.parse_rate(token.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request, view) -> str | None:
        token = institution_of(request)
        if token is None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": token.pk}
