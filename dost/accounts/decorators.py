from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied


def role_required(*roles: str):
    """Let in signed-in users with one of ``roles``; others get 403, anonymous a login."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if user.role not in roles and not user.is_superuser:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
