"""The OpenAPI schema documents the API as it is: its fields, formats and answers.

The fuzz in ``tests/api`` checks the answers against the schema; these tests
check what the schema itself promises: required fields required, nullable ones
nullable, dates and FINs in their formats, every refusal with its body.
"""

from __future__ import annotations

from drf_spectacular.validation import validate_schema

# JSON Schema patterns are ECMA-262, so the FIN's is spelled here, not taken from FIN_RE.
FIN_PATTERN = "^[0-9A-HJ-NP-Z]{7}$"

def schema(client) -> dict:
    response = client.get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


def test_schema_documents_the_events_endpoint_with_each_event_shape(client):
    document = schema(client)

    operation = document["paths"]["/api/v1/bridge/events/"]["post"]
    assert {"200", "201", "400", "401", "403", "409"} <= operation["responses"].keys()
    data_shapes = {ref["$ref"].rsplit("/", 1)[-1]
                   for ref in document["components"]["schemas"]["EventData"]["oneOf"]}
    assert data_shapes == {"BirthData", "DeathData", "MarriageData", "DisabilityData",
                           "EmploymentStartData", "EmploymentEndData"}


def test_schema_documents_the_awards_look_up_and_its_required_reason(client):
    operation = schema(client)["paths"]["/api/v1/bridge/citizens/{fin}/awards/"]["get"]

    reason = next(parameter for parameter in operation["parameters"]
                  if parameter["name"] == "reason")
    assert reason["required"] is True
    assert {"200", "400", "403", "404"} <= operation["responses"].keys()


def operations(document: dict) -> list[tuple[str, str, dict]]:
    return [(path, method, operation) for path, methods in document["paths"].items()
            for method, operation in methods.items()]


def component(document: dict, name: str) -> dict:
    return document["components"]["schemas"][name]


def test_schema_is_a_valid_openapi_3_document(client):
    validate_schema(schema(client))


def test_the_person_answer_requires_every_field_it_always_has(client):
    person = component(schema(client), "Person")

    assert set(person["required"]) == set(person["properties"])
    nullable = {name for name, field in person["properties"].items() if field.get("nullable")}
    assert nullable == {"death_date", "region"}


def test_answers_give_dates_and_times_in_their_formats(client):
    document = schema(client)

    person = component(document, "Person")["properties"]
    award = component(document, "CitizenAward")["properties"]
    assert {person["birth_date"]["format"], person["death_date"]["format"]} == {"date"}
    assert person["recorded_at"]["format"] == "date-time"
    assert {award["period_start"]["format"], award["period_end"]["format"]} == {"date"}
    assert award["decided_at"]["format"] == "date-time"


def test_the_registry_documents_the_fin_in_its_path_and_its_answer(client):
    document = schema(client)

    operation = document["paths"]["/api/v1/registry/persons/{fin}/"]["get"]
    fin = next(parameter for parameter in operation["parameters"] if parameter["name"] == "fin")
    # The look-up ignores case: the path takes either.
    assert fin["schema"]["pattern"] == "^[0-9A-HJ-NP-Za-hj-np-z]{7}$"
    assert component(document, "Person")["properties"]["fin"]["pattern"] == FIN_PATTERN


def test_the_registry_reason_is_documented_as_optional_for_a_citizen(client):
    operation = schema(client)["paths"]["/api/v1/registry/persons/{fin}/"]["get"]

    reason = next(parameter for parameter in operation["parameters"]
                  if parameter["name"] == "reason")
    assert reason.get("required", False) is False
    assert "400" in operation["responses"]


def test_an_event_requires_the_fields_the_contract_names(client):
    document = schema(client)

    assert set(component(document, "Event")["required"]) == {
        "event_id", "type", "occurred_on", "data"}
    assert set(component(document, "BirthData")["required"]) == {"child", "mother_fin"}
    assert set(component(document, "Child")["required"]) == {
        "fin", "first_name", "last_name", "sex", "birth_date"}
    assert component(document, "Event")["properties"]["occurred_on"]["format"] == "date"
    assert component(document, "Child")["properties"]["birth_date"]["format"] == "date"


def test_fins_an_institution_sends_are_documented_with_the_fin_pattern(client):
    document = schema(client)

    assert component(document, "Child")["properties"]["fin"].get("pattern") == FIN_PATTERN
    assert component(document, "BirthData")["properties"]["mother_fin"].get(
        "pattern") == FIN_PATTERN
    assert component(document, "DeathData")["properties"]["fin"].get("pattern") == FIN_PATTERN


def open_to_anyone(operation: dict) -> bool:
    """An operation whose credential is in the request itself (Twilio's signature)."""
    return operation.get("security") in (None, [], [{}])


def test_every_operation_documents_the_refusal_of_a_missing_token(client):
    for path, method, operation in operations(schema(client)):
        if open_to_anyone(operation):
            continue
        refusal = operation["responses"].get("401", {})
        assert "application/json" in refusal.get("content", {}), (method, path)


def test_every_operation_a_token_reaches_documents_throttling_and_when_to_retry(client):
    for path, method, operation in operations(schema(client)):
        if {"tokenAuth": []} not in operation.get("security", []):
            continue
        throttled = operation["responses"].get("429", {})
        assert "application/json" in throttled.get("content", {}), (method, path)
        assert "Retry-After" in throttled.get("headers", {}), (method, path)


def vague_refusals(document: dict) -> set[tuple[str, str, str]]:
    """Refusals documented without a JSON body, or with one of no particular shape."""
    vague = set()
    for path, method, operation in operations(document):
        for status, answer in operation["responses"].items():
            body = answer.get("content", {}).get("application/json", {}).get("schema", {})
            if status.startswith("4") and not body.keys() & {"$ref", "properties", "oneOf"}:
                vague.add((path, method, status))
    return vague


def test_every_refusal_is_documented_with_the_shape_of_its_body(client):
    assert vague_refusals(schema(client)) == set()


def test_an_operation_open_to_anyone_documents_the_refusal_of_an_unsigned_request(client):
    opened = [(path, operation) for path, _method, operation in operations(schema(client))
              if open_to_anyone(operation)]

    assert [path for path, _operation in opened] == ["/api/v1/notifications/twilio/status/"]
    for _path, operation in opened:
        assert "application/json" in operation["responses"]["403"]["content"]
