"""The API's OpenAPI schema, read by schemathesis from the application itself, and who calls what.

Shared by the fuzz (``test_schema_fuzz``) and the border cases (``test_border_answers``).
The schema is fetched in-process through WSGI, as a client would fetch it.
"""

from __future__ import annotations

from dataclasses import dataclass

import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from schemathesis.checks import not_a_server_error
from schemathesis.schemas import APIOperation
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from dost.accounts.models import Scope

CONFIG = schemathesis.Config.from_dict({
    "seed": 20260401,
    "generation": {"max-examples": 20, "deterministic": True, "database": "none",
                   # Credentials are the tests' to give (``Callers``), not generated ones.
                   "with-security-parameters": False},
    # Operations are tested one by one: the schema declares no links between them.
    "phases": {"stateful": {"enabled": False}},
})
schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", WSGIHandler(),
                                        config=CONFIG)
OPERATIONS: list[APIOperation] = [result.ok() for result in schema.get_all_operations()]

# An answer conforms when it is no 5xx and its status, content type and body are documented.
CONFORMANCE = [not_a_server_error, status_code_conformance, content_type_conformance,
               response_schema_conformance]

# Who calls each operation, by path prefix: the scope of the token it is called with,
# and whether a signed-in citizen calls it too.
CREDENTIALS: dict[str, tuple[str | None, bool]] = {
    "/api/v1/bridge/events/": (Scope.EVENTS_WRITE, False),
    "/api/v1/bridge/citizens/": (Scope.AWARDS_READ, False),
    "/api/v1/registry/persons/": (Scope.REGISTRY_READ, True),
    "/api/v1/me/": (None, True),
    # A health facility's own system (its institution linked to the facility).
    "/api/v1/disability/referrals/": (Scope.REFERRALS_WRITE, False),
    # Twilio's status callback: no token and no session; its signature is its credential.
    "/api/v1/notifications/": (None, False),
}
# The id of the event the fixtures push with the events:write token's institution.
EXAMPLE_EVENT_ID = "civil-registry-birth-1"


def callers_of(operation: APIOperation) -> tuple[str | None, bool]:
    """The scope an operation's token needs (None: no token), and whether citizens call it."""
    prefix = next((prefix for prefix in CREDENTIALS if operation.path.startswith(prefix)), None)
    assert prefix is not None, f"Say in tests/api/openapi.py CREDENTIALS who calls {operation.path}"
    return CREDENTIALS[prefix]


def documented_response(operation: APIOperation, status: int) -> dict:
    """The schema's response object for ``status`` (the schema's responses are inline)."""
    responses = schema.raw_schema["paths"][operation.path][operation.method]["responses"]
    return responses[str(status)]


@dataclass(frozen=True)
class Callers:
    """Raw tokens by scope, and the session key of a signed-in citizen."""

    tokens: dict[str, str]
    citizen_session: str

    def token_header(self, scope: str) -> dict[str, str]:
        return {"Authorization": f"Token {self.tokens[scope]}"}

    def for_operation(self, operation: APIOperation) -> list[dict[str, dict[str, str]]]:
        """The credentials each call of the operation is made with (one call each)."""
        scope, citizen = callers_of(operation)
        calls: list[dict[str, dict[str, str]]] = []
        if scope is not None:
            calls.append({"headers": self.token_header(scope)})
        if citizen:
            calls.append({"cookies": {"sessionid": self.citizen_session}})
        # An operation open to anyone (its credential is in the request) is called bare.
        return calls or [{}]
