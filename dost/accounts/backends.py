"""Authentication backends that know, at no extra query, whether the user's person died.

Each request loads the signed-in user once (``get_user``). These backends fetch the
person's date of death in that same statement, so the middleware that ends the
sessions of people recorded as deceased costs nothing on every other request.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import F

if TYPE_CHECKING:
    from dost.accounts.models import User

# The annotation each loaded user carries: the date of death of their person, or None.
DEATH_DATE_ATTRIBUTE = "person_death_date"


def recorded_deceased(user: AbstractBaseUser) -> bool:
    """True when the user's person has a date of death (loaded by these backends)."""
    return getattr(user, DEATH_DATE_ATTRIBUTE, None) is not None


class _LoadsDeathDate(DjangoModelBackend):
    # A ModelBackend itself, as allauth's backend is: the classes below still find this
    # get_user first and everything else where they found it before.
    def get_user(self, user_id: Any) -> User | None:
        users = get_user_model()._default_manager.annotate(
            **{DEATH_DATE_ATTRIBUTE: F("person__death_date")})
        try:
            user = users.get(pk=user_id)
        except get_user_model().DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None


class ModelBackend(_LoadsDeathDate, DjangoModelBackend):
    """Django's backend (``force_login`` and the admin use it)."""


class AuthenticationBackend(_LoadsDeathDate, AllauthBackend):
    """allauth's backend (the sign-in page uses it)."""
