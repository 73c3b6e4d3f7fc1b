"""The OpenAPI schema documents both bridge endpoints."""

from __future__ import annotations


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
