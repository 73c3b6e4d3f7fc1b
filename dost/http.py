"""The client's address, as far as our own proxies vouch for it.

Every proxy in front of the site appends the address it received the request from
to ``X-Forwarded-For``; anything to the left of what our proxies wrote was written
by the client and can be anything. With ``TRUSTED_PROXY_COUNT`` proxies, the
client's address is the entry that many places from the right (the same choice
as DRF's ``NUM_PROXIES`` and allauth's ``ALLAUTH_TRUSTED_PROXY_COUNT``, which the
settings set to the same number). With none, the header is ignored and the
connection's peer, ``REMOTE_ADDR``, is the client.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _valid_ip(candidate: str | None) -> str | None:
    if not candidate:
        return None
    try:
        return str(ipaddress.ip_address(candidate.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str | None:
    """The client's IP address, or None when the request carries no usable one.

    Access logs, rate limits and throttles all call this, so one request is one
    address everywhere.
    """
    remote_addr = _valid_ip(request.META.get("REMOTE_ADDR"))
    trusted = settings.TRUSTED_PROXY_COUNT
    forwarded_for = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if trusted <= 0 or not forwarded_for.strip():
        return remote_addr
    hops = [hop.strip() for hop in forwarded_for.split(",")]
    # Fewer entries than proxies: the request skipped an outer proxy; the left-most
    # entry was still written by one of ours (DRF makes the same choice).
    return _valid_ip(hops[-min(trusted, len(hops))]) or remote_addr
