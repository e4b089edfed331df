"""Every integer the API takes, in a path, a query or a JSON body, is range-checked: a
number too big for any column answers 4xx, never 500 (walked from the OpenAPI document)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.conftest import login

HUGE = [99999999999999999999, -99999999999999999999, 2**31]


def _resolve(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = spec["components"]["schemas"][name]
    return schema


def _integer_places(spec: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    """(method, path, where, name) for every integer argument in the document."""
    places = []
    for path, operations in spec["paths"].items():
        shared = operations.get("parameters", [])
        for method, operation in operations.items():
            if method == "parameters":
                continue
            for parameter in shared + operation.get("parameters", []):
                if parameter.get("schema", {}).get("type") == "integer":
                    places.append((method, path, parameter["in"], parameter["name"]))
            body = operation.get("requestBody", {}).get("content", {}).get("application/json")
            if body:
                schema = _resolve(spec, body["schema"])
                for name, prop in schema.get("properties", {}).items():
                    prop = _resolve(spec, prop)
                    items = _resolve(spec, prop.get("items", {}))
                    if prop.get("type") == "integer" or items.get("type") == "integer":
                        places.append((method, path, "body", name))
    return places


def _send(client, headers, method, path, where, name, value, spec_op) -> Any:
    url = re.sub(r"\{[^}]+\}", "1", path)
    query: dict[str, Any] = {}
    body: dict[str, Any] | None = None
    if where == "path":
        url = path.replace("{" + name + "}", str(value))
        url = re.sub(r"\{[^}]+\}", "1", url)
    elif where == "query":
        query[name] = str(value)
    else:
        body = {name: value}
    return client.open(url, method=method.upper(), query_string=query, json=body, headers=headers)


def test_the_document_has_integer_arguments_to_try(client, demo):
    spec = client.get("/api/v1/openapi.json").get_json()
    wheres = {where for _m, _p, where, _n in _integer_places(spec)}
    assert wheres == {"path", "query", "body"}


@pytest.mark.parametrize("value", HUGE)
def test_huge_integers_anywhere_in_the_api_answer_4xx(client, demo, api_headers, value):
    headers = api_headers("admin")
    spec = client.get("/api/v1/openapi.json").get_json()
    failures = []
    for method, path, where, name in _integer_places(spec):
        response = _send(client, headers, method, path, where, name, value, None)
        if not 400 <= response.status_code < 500:
            failures.append((method, path, where, name, response.status_code))
        # a body with a list of ids: the list form too
        if where == "body":
            response = client.open(
                re.sub(r"\{[^}]+\}", "1", path),
                method=method.upper(),
                json={name: [value]},
                headers=headers,
            )
            if response.status_code >= 500:
                failures.append((method, path, "body[]", name, response.status_code))
    assert failures == []


@pytest.mark.parametrize(
    "path",
    [
        "/children/99999999999999999999",
        "/advice?household_id=99999999999999999999",
        "/visits/new?child_id=-99999999999999999999",
        "/admin/audit?child_id=99999999999999999999",
        "/respite?household_id=99999999999999999999",
        "/caseload?worker=99999999999999999999",
    ],
)
def test_huge_integers_in_pages_answer_without_an_error(client, demo, path):
    login(client, "admin")
    assert client.get(path).status_code < 500


def test_the_examples_from_the_issue(client, demo, api_headers):
    headers = api_headers("familj1")
    response = client.post("/api/v1/activities/99999999999999999999/rsvp", headers=headers)
    assert response.status_code == 404
    admin = api_headers("admin")
    response = client.get("/api/v1/audit?household_id=-99999999999999999999", headers=admin)
    assert response.status_code == 422
    assert response.headers["Content-Type"].startswith("application/problem+json")
