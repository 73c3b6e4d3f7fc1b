"""The API answers as its OpenAPI schema says: schemathesis fuzzes every operation.

Every operation in the schema is called with generated requests, valid and
invalid, carrying real credentials (``Callers``: a token with the operation's
scope, and a signed-in citizen for the citizen's endpoints) against real rows,
so found records are checked as well as refusals. The checks: no 5xx; no status
code, content type or body the schema does not document; invalid input refused;
an undeclared method answered 405.

Bounded and deterministic: a few examples per operation, a fixed seed,
derandomized, no example database (``tests/api/openapi.py``). A new operation
fails here until ``CREDENTIALS`` says who calls it.
"""

from __future__ import annotations

import zlib

from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import negative_data_rejection, unsupported_method

from dost.registry.api import EXAMPLE_FIN
from tests.api.openapi import CONFORMANCE, EXAMPLE_EVENT_ID, schema

CHECKS = [*CONFORMANCE, negative_data_rejection, unsupported_method]

# Path parameters that name rows the fixtures made.
EXISTING = {"fin": EXAMPLE_FIN, "event_id": EXAMPLE_EVENT_ID}


@schema.hook
def map_case(context, case):
    # About half the valid look-ups name rows that exist, so found records are checked too.
    # An invalid case keeps its invalid path: the API must refuse it.
    if case.meta is None or case.meta.generation.mode.is_negative:
        return case
    for name, existing in EXISTING.items():
        generated = case.path_parameters.get(name) if case.path_parameters else None
        if generated is not None and zlib.crc32(str(generated).encode()) % 2:
            case.path_parameters[name] = existing
    return case


@schema.parametrize()
# The fixtures' rows are shared by all the examples of an operation, on purpose.
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_the_api_answers_as_its_schema_says(case, callers):
    for credentials in callers.for_operation(case.operation):
        case.call_and_validate(checks=CHECKS, **credentials)
