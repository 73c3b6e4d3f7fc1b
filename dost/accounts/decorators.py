from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from dost.accounts.models import Role, User
from dost.registry.models import Person


class ForCitizensOnly(PermissionDenied):
    """A citizen's own page asked for by an official: the refusal page says so."""


def role_required(*roles: str):
    """Let in signed-in users with one of ``roles``; others get 403, anonymous a login.

    An administrator (superuser) gets into staff pages, never into pages only a citizen
    has: they would act for a person the administrator is not.
    """
    administrators_too = any(role != Role.CITIZEN for role in roles)

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if user.role not in roles and not (user.is_superuser and administrators_too):
                raise ForCitizensOnly if tuple(roles) == (Role.CITIZEN,) else PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def own_person_id(request) -> int:
    """The signed-in citizen's own record in the registry, by id.

    A superuser passes ``role_required`` for staff pages but has no record of their
    own: a citizen's page refuses them rather than show anyone's.
    """
    person_id = request.user.person_id
    if person_id is None:
        raise ForCitizensOnly
    return person_id


def own_person(request) -> Person:
    """The signed-in citizen's own record (see ``own_person_id``)."""
    person = request.user.person
    if person is None:
        raise ForCitizensOnly
    return person


class AuthenticatedHttpRequest(HttpRequest):
    """A request past ``role_required``: its user is signed in. For type checks only (the
    django-stubs recipe): views behind the decorator take it instead of ``HttpRequest``."""

    user: User
