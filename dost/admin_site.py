"""The Django admin, for administrators only, entered through the site's own sign-in.

Django lets any ``is_staff`` account into its admin and signs people in there with a
password alone. Here only an administrator gets in (``User.is_administrator``), and the
admin's sign-in page hands over to the site's, which asks for the second factor.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class AdminSite(admin.AdminSite):
    site_header = _("DOST back-office")
    site_title = _("DOST back-office")
    index_title = _("Administration")

    def has_permission(self, request: HttpRequest) -> bool:
        return getattr(request.user, "is_administrator", False)

    def login(self, request: HttpRequest, extra_context=None) -> HttpResponse:
        if not request.user.is_authenticated:
            # allauth checks that the page to return to is on this site.
            next_url = request.GET.get(REDIRECT_FIELD_NAME) or reverse("admin:index")
            return redirect_to_login(next_url, reverse("account_login"))
        if not self.has_permission(request):
            raise PermissionDenied
        # Never the admin's own password form, even to an administrator: posting another
        # account's password there would switch accounts without its second factor.
        return HttpResponseRedirect(reverse("admin:index"))
