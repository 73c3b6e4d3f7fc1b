from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.internal import ratelimit
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import resolve_url
from django.urls import NoReverseMatch, reverse

from dost.http import client_ip

# The account-wide limit on wrong passwords (settings.ACCOUNT_RATE_LIMITS explains both).
LOGIN_FAILED_FOR_ACCOUNT = "login_failed_account"


# Where each role's work is, by URL name: the pages belong to the subsystems, which the
# core names without importing. The citizen, whose pages are the portal itself, lands on
# the portal's home.
HOME_OF_ROLE = {
    "doctor": "referrals:index",
    "expert": "msec:index",
    # The back-office home: the centre's queue today and every back-office page.
    "staff": "backoffice:home",
    "agent": "callcentre:console",
    "employer": "employment:employer",
    "admin": "admin:index",
}


def role_home_url(user) -> str:
    """The page of the user's own work: where sign-in lands and error pages point.

    A home whose subsystem is not installed falls back to the portal's home.
    """
    home = HOME_OF_ROLE.get(getattr(user, "role", ""))
    if home is not None and getattr(user, "is_authenticated", False):
        try:
            return reverse(home)
        except NoReverseMatch:
            pass
    return resolve_url(settings.LOGIN_REDIRECT_URL)


class AccountAdapter(DefaultAccountAdapter):
    def get_login_redirect_url(self, request: HttpRequest) -> str:
        """A role's own work after sign-in, unless the sign-in asked to go somewhere."""
        return role_home_url(request.user)

    def is_open_for_signup(self, request) -> bool:
        # Citizens' accounts come from the registry, staff accounts from an
        # administrator: nobody creates an identity by filling in a form.
        return False

    def get_client_ip(self, request: HttpRequest) -> str:
        # The same address the access logs and the API throttle see.
        address = client_ip(request)
        if not address:
            raise PermissionDenied("Unable to determine client IP address")
        return address

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        """Count a sign-in attempt against the address, the account from that address,
        and the account from everywhere; refuse it if any limit is spent.

        allauth keys ``login_failed`` by the account alone, so a stranger's wrong
        guesses would shut the citizen out too. Here that limit counts per account
        *and* address, and the account-wide one is higher than any one address can
        reach. allauth takes the attempt back when the password is right
        (``_login_failed_rl_usage``), so only failures count.
        """
        account = credentials.get("username", "").lower()
        from_here = ratelimit.consume(request, app="allauth.account", action="login_failed",
                                      key=f"{account}@{self.get_client_ip(request)}")
        anywhere = from_here and ratelimit.consume(
            request, app="allauth.account", action=LOGIN_FAILED_FOR_ACCOUNT, key=account)
        if not anywhere:
            if from_here:
                # Refused before the password was looked at: no failure from this address.
                from_here.rollback()
            raise self.validation_error("too_many_login_attempts")
        self._login_failed_rl_usage = ratelimit.RateLimitUsage(
            usage=from_here.usage + anywhere.usage)
