"""OpenAPI generation: component names from the API classes, and the error shape everywhere."""

from __future__ import annotations

from drf_spectacular.openapi import AutoSchema

ERROR_COMPONENT = "Error"
ERROR_SCHEMA = {
    "type": "object",
    "description": "Every error: a translated message, a stable code and details.",
    "properties": {
        "message": {"type": "string"},
        "code": {"type": "string"},
        "extra": {"type": "object", "additionalProperties": True},
    },
    "required": ["message", "code", "extra"],
}

ERROR_DESCRIPTIONS = {
    "400": "Invalid input: extra.fields holds the messages per field.",
    "401": "Not authenticated (send `Authorization: Token <key>` or log in).",
    "403": "Authenticated, but your role does not allow this.",
    "404": "Not found, or it belongs to a mission you do not see.",
    "409": "Conflict: stale version (extra holds the current values), report locked, or a transition that is not possible now.",
    "413": "The request body is too large.",
    "415": "Only application/json is accepted.",
}
READ_ERRORS = ("400", "401", "403", "404")
WRITE_ERRORS = ("400", "401", "403", "404", "409", "413", "415")


class RbbAutoSchema(AutoSchema):
    def get_serializer_name(self, serializer, direction):
        """Name nested serializers after their API: ReportListApi.OutputSerializer → ReportListOutput.

        Every API class holds its own InputSerializer/OutputSerializer, so the bare class
        names would collide in the schema's components.
        """
        qualname = type(serializer).__qualname__
        if "." not in qualname:
            return super().get_serializer_name(serializer, direction)
        outer, _, inner = qualname.rpartition(".")
        outer = outer.replace(".", "")
        if outer.endswith("Api"):
            outer = outer[: -len("Api")]
        if inner.endswith("Serializer"):
            inner = inner[: -len("Serializer")]
        return outer + inner


def add_error_responses(result, generator, request, public):
    """Postprocessing hook: document the error shape on every operation."""
    result.setdefault("components", {}).setdefault("schemas", {})[ERROR_COMPONENT] = ERROR_SCHEMA
    ref = {"$ref": f"#/components/schemas/{ERROR_COMPONENT}"}
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            codes = READ_ERRORS if method == "get" else WRITE_ERRORS
            responses = operation.setdefault("responses", {})
            for code in codes:
                response = responses.setdefault(code, {"description": ERROR_DESCRIPTIONS[code]})
                response.setdefault("content", {"application/json": {"schema": ref}})
    return result


def only_versioned_api(endpoints):
    """Preprocessing hook: the schema documents /api/v1/ (not the schema view itself)."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/v1/")]
