"""The OpenAPI 3 schema and the Swagger UI, served by the project alone (no CDN)."""

import re

import pytest
from django.contrib.staticfiles import finders
from openapi_spec_validator import validate

pytestmark = pytest.mark.django_db


def test_the_schema_is_a_valid_openapi_3_document(client):
    response = client.get("/api/schema/?format=json")
    assert response.status_code == 200
    spec = response.json()
    validate(spec)
    assert spec["openapi"].startswith("3.")
    paths = spec["paths"]
    for path in (
        "/api/v1/reports/", "/api/v1/reports/{id}/framework/", "/api/v1/indicators/{id}/actual/",
        "/api/v1/outputs/{id}/delivery/", "/api/v1/reports/{id}/submit/", "/api/v1/reports/{id}/return/",
        "/api/v1/reports/{id}/accept/", "/api/v1/reports/{id}/reopen/", "/api/v1/export/", "/api/v1/iati.xml",
        "/api/v1/reports/{id}/iati.xml", "/api/v1/reports/{id}/narrative/", "/api/v1/reports/{id}/resources/",
    ):
        assert path in paths, path
    assert not any(not path.startswith("/api/v1/") for path in paths)


def test_every_operation_documents_the_error_shape(client):
    spec = client.get("/api/schema/?format=json").json()
    assert set(spec["components"]["schemas"]["Error"]["required"]) == {"message", "code", "extra"}
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            assert {"401", "403", "404"} <= set(operation["responses"]), (method, path)
            for code, response in operation["responses"].items():
                if code.startswith("4"):
                    assert response["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}


def test_token_and_session_auth_are_documented(client):
    spec = client.get("/api/schema/?format=json").json()
    schemes = spec["components"]["securitySchemes"]
    assert schemes["tokenAuth"]["in"] == "header" and schemes["cookieAuth"]["in"] == "cookie"


def test_decimals_are_documented_as_strings(client):
    spec = client.get("/api/schema/?format=json").json()
    actual_value = spec["components"]["schemas"]["Indicator"]["properties"]["actual_value"]
    assert actual_value["type"] == "string" and actual_value["format"] == "decimal"


def test_the_docs_page_loads_swagger_ui_from_the_project_not_a_cdn(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    page = response.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert any("swagger-ui-bundle.js" in a for a in assets)
    assert not [a for a in assets if a.startswith(("http:", "https:", "//"))], assets
    assert "cdn" not in page.lower() and "unpkg" not in page.lower()
    for asset in assets:
        if "/static/" in asset:
            assert finders.find(asset.split("/static/", 1)[1].split("?")[0]), asset
