from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from dost.accounts.models import Role


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
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
