"""OpenAPI generation: component names from the API classes, and the error shape everywhere."""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
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
                responses.setdefault(code, {"description": ERROR_DESCRIPTIONS[code]})
            for code, response in responses.items():  # also an error an operation declares itself (409 …)
                if code.startswith("4"):
                    response.setdefault("content", {"application/json": {"schema": ref}})
    return result


def only_versioned_api(endpoints):
    """Preprocessing hook: the schema documents /api/v1/ (not the schema view itself)."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/v1/")]


# --- the schema says what the server does --------------------------------------------------
# schemathesis runs every check against the schema (tests/api/test_schemathesis.py): a request
# the schema allows must be accepted and one it forbids refused. So the schema carries the
# rules the server applies to every text: no NUL character (Django refuses it), a query
# parameter given is not empty (rbb.api.filters), a required text is not blank, a request body
# has no other keys than its fields (StrictInputSerializer).

NO_NUL = "^[^\\u0000]*$"
# Python's str.isspace() characters, written out: a JSON Schema engine's \s is not the same set.
SPACE = "\\t\\n\\u000b\\u000c\\r\\u001c-\\u001f \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000"
NON_BLANK = f"^[^\\u0000]*[^\\u0000{SPACE}][^\\u0000]*$"


class NonBlankTextFieldExtension(OpenApiSerializerFieldExtension):
    """A text that must hold more than spaces (a comment, a reason): minLength 1 and NON_BLANK."""

    target_class = "rbb.api.serializers.NonBlankCharField"
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        schema = {"type": "string", "minLength": 1, "pattern": NON_BLANK}
        if self.target.max_length is not None:
            schema["maxLength"] = self.target.max_length
        return schema


def _free_text(schema: dict) -> bool:
    return schema.get("type") == "string" and not ({"enum", "format", "pattern", "$ref"} & set(schema))


def tighten(result, generator, request, public):
    """Postprocessing hook: NUL-free texts, non-empty query parameters, closed request bodies."""
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            for parameter in operation.get("parameters", []):
                schema = parameter.get("schema", {})
                if parameter.get("in") != "query":
                    continue
                schema.pop("nullable", None)  # `?thread=` without a value is refused, like any empty parameter
                if _free_text(schema):
                    schema.setdefault("minLength", 1)
                    schema["pattern"] = NO_NUL
                elif schema.get("type") == "integer":
                    schema.setdefault("minimum", 1)
    for name, component in result.get("components", {}).get("schemas", {}).items():
        if not name.endswith("Request") or component.get("type") != "object":
            continue
        component["additionalProperties"] = False
        for key, field in component.get("properties", {}).items():
            # A non-blank text keeps allow_blank for the service's own message; drf-spectacular
            # then offers "" as an alternative (oneOf), which the service refuses.
            non_blank = [option for option in field.get("oneOf", []) if option.get("pattern") == NON_BLANK]
            if non_blank:
                component["properties"][key] = field = non_blank[0]
            if _free_text(field):
                field["pattern"] = NO_NUL
    return result
