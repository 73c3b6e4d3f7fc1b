"""DRF authentication and permissions for institutions' scoped tokens."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions, permissions

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
