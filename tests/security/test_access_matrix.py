"""Every route of the URL configuration × every role: a real request gets the declared decision.

The routes are read from the resolver (includes and namespaces followed), so a
route added without a decision in ``access_decisions`` fails here by name, and
so does a decision left behind for a route that is gone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.db import transaction
from django.http import HttpResponse
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

from tests.security.access_decisions import (
    ADMIN_SITE,
    ALLOW,
    DECISIONS,
    OWN,
    REFUSE,
    Access,
    admin_declaration,
    stale_admin_declarations,
)
from tests.security.world import ANONYMOUS, INSTITUTION, OTHER_PARTY, ROLES, World

ADMIN_NAMESPACE = "admin"


@dataclass(frozen=True)
class Route:
    key: str  # "namespace:name", or the whole pattern when the route has no name
    pattern: str
    named: bool
    admin_prefix: str | None  # the admin site's own prefix, for its routes

    def url(self, kwargs: dict[str, Any]) -> str:
        if self.named:
            return reverse(self.key, kwargs=kwargs)
        return "/" + _filled(self.pattern, kwargs)


def _filled(pattern: str, kwargs: dict[str, Any]) -> str:
    """An unnamed pattern with its arguments put in (both path() and re_path() syntax)."""

    def value(match: re.Match) -> str:
        return str(kwargs[match.group(1)])

    path = re.sub(r"<(?:\w+:)?(\w+)>", value, pattern)
    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", value, path)
    return path.replace("^", "").replace("$", "")


def _walk(patterns, prefix: str = "", namespace: str = "",
          admin_prefix: str | None = None) -> list[Route]:
    routes = []
    for entry in patterns:
        pattern = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            inner_admin = admin_prefix
            if entry.namespace == ADMIN_NAMESPACE and not namespace:
                inner_admin = pattern
            routes += _walk(entry.url_patterns, pattern, inner, inner_admin)
        elif isinstance(entry, URLPattern):
            named = bool(entry.name)
            routes.append(Route(key=f"{namespace}{entry.name}" if named else pattern,
                                pattern=pattern, named=named, admin_prefix=admin_prefix))
    return routes


ROUTES = _walk(get_resolver().url_patterns)


def declaration(route: Route) -> Access | None:
    if route.key in DECISIONS:
        return DECISIONS[route.key]
    if route.admin_prefix is not None:
        return admin_declaration(route.key, route.admin_prefix)
    return None


def _attempts(access: Access) -> list[tuple[str, str | None]]:
    """(role, "mine"/"theirs" for "own" decisions): one request each."""
    attempts: list[tuple[str, str | None]] = []
    for role in ROLES:
        if access.decisions[role] == OWN:
            attempts += [(role, "mine"), (role, "theirs")]
        else:
            attempts.append((role, None))
    return attempts


def _sign_in_paths() -> set[str]:
    return {reverse("account_login"), reverse(f"{ADMIN_NAMESPACE}:login")}


def _to_sign_in(response: HttpResponse) -> bool:
    return (response.status_code == 302
            and urlsplit(response["Location"]).path in _sign_in_paths())


def refused(response: HttpResponse, *, role: str, api: bool) -> bool:
    status = response.status_code
    if api:
        return status in {401, 403} or (role != ANONYMOUS and status == 404)
    if role in {ANONYMOUS, INSTITUTION}:
        # An institution's token means nothing to a page: it is anonymous there.
        return _to_sign_in(response)
    return status in {403, 404} or _to_sign_in(response)


def _to_second_factor_setup(response: HttpResponse) -> bool:
    # Where the middleware sends staff without a second factor: the view never ran.
    return (response.status_code == 302
            and urlsplit(response["Location"]).path == reverse("mfa_activate_totp"))


def got_in(response: HttpResponse) -> bool:
    # A validation error (400, 405, 422) or a redirect elsewhere means the role got in.
    return not (_to_sign_in(response) or _to_second_factor_setup(response)
                or response.status_code in {401, 403, 404})


def _request(world: World, route: Route, access: Access, role: str, party: str) -> HttpResponse:
    kwargs = dict(access.kwargs(world, party)) if access.kwargs else {}
    url = route.url(kwargs)
    # The URL must reach the route under test, not a pattern before it.
    assert resolve(url).route == route.pattern.replace("^", ""), url
    if access.query:
        url = f"{url}?{access.query}"
    client = world.client(role)
    if access.method == "POST":
        return client.post(url, data=dict(access.data))
    return client.get(url)


def _shown(response: HttpResponse) -> str:
    location = response.get("Location", "")
    return f"{response.status_code}{' to ' + location if location else ''}"


def _checked(world: World, route: Route, access: Access, role: str,
             ownership: str | None) -> str | None:
    """What is wrong with the answer to ``role``, or None when it is as declared."""
    decision = access.decisions[role]
    if decision == OWN:
        party = role if ownership == "mine" else OTHER_PARTY[role]
        decision = ALLOW if ownership == "mine" else REFUSE
    else:
        party = access.subject
    if access.method == "GET":
        response = _request(world, route, access, role, party)
    else:
        # A savepoint of its own: what one role changes (a revoked certificate, a
        # withdrawn application) is gone before the next one asks.
        with transaction.atomic():
            response = _request(world, route, access, role, party)
            transaction.set_rollback(True)
    asked = f"{route.key} as {role}" + (f" ({ownership} object)" if ownership else "")
    if decision == ALLOW and not got_in(response):
        return f"{asked}: should get in, got {_shown(response)}"
    if decision == REFUSE and not refused(response, role=role, api=access.api):
        return f"{asked}: should be refused, got {_shown(response)}"
    return None


# One test per route, one request per role in it: a test per route and role would
# spend more on the test machinery than on the requests.
@pytest.mark.parametrize("route", ROUTES, ids=[route.key for route in ROUTES])
def test_route_answers_each_role_as_declared(world, db, route):
    access = declaration(route)
    if access is None:
        pytest.fail(f"{route.key} ({route.pattern}) has no declared access decision: add it to "
                    f"tests/security/access_decisions.py")
    wrong = [problem for role, ownership in _attempts(access)
             if (problem := _checked(world, route, access, role, ownership))]
    assert not wrong, "\n".join(wrong)


def test_every_declaration_names_a_route_that_exists():
    keys = {route.key for route in ROUTES}
    stale = sorted((set(DECISIONS) | set(ADMIN_SITE)) - keys) + stale_admin_declarations()
    assert not stale, f"declared for routes that no longer exist: {stale}"


def test_every_declaration_decides_for_every_role():
    declared = {**DECISIONS, **ADMIN_SITE}
    incomplete = sorted(key for key, access in declared.items()
                        if set(access.decisions) != set(ROLES)
                        or not set(access.decisions.values()) <= {ALLOW, REFUSE, OWN})
    assert not incomplete


def test_route_keys_are_unique():
    keys = [route.key for route in ROUTES]
    assert len(keys) == len(set(keys))
