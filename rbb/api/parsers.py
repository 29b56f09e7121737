"""Request parsing: JSON only, bounded in size, strict (rbb.lib.strict_json).

The size limit is enforced twice: by rbb.middleware.ApiRequestBodyMiddleware on the declared
length (and on chunked bodies) before anything reads the body, and here on what is read.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import status
from rest_framework.exceptions import APIException, ParseError
from rest_framework.parsers import JSONParser

from rbb.lib import strict_json

# The largest body the API reads: three narrative cells of TEXT_LIMIT Chinese characters
# (3 bytes each in UTF-8) fit with room to spare. Larger bodies are refused unread.
DEFAULT_MAX_BODY_BYTES = 256 * 1024


def api_max_body_bytes() -> int:
    return getattr(settings, "API_MAX_BODY_BYTES", DEFAULT_MAX_BODY_BYTES)


class PayloadTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _("The request body is too large.")
    default_code = "too_large"


class BoundedJSONParser(JSONParser):
    """JSON with a size limit, read by rbb.lib.strict_json: duplicate keys, NaN and Infinity,
    over-long integers and deep nesting are refused (400, the message says which)."""

    def parse(self, stream, media_type=None, parser_context=None):
        limit = api_max_body_bytes()
        request = (parser_context or {}).get("request")
        declared = request.META.get("CONTENT_LENGTH") if request is not None else None
        try:
            if declared and int(declared) > limit:
                raise PayloadTooLarge()
        except ValueError:
            raise ParseError(_("The Content-Length header is not a number."))
        raw = stream.read(limit + 1) if stream is not None else b""
        if len(raw) > limit:
            raise PayloadTooLarge()
        try:
            return strict_json.loads(raw)  # UTF-8, as JSON must be (RFC 8259 §8.1)
        except strict_json.JSONInputError as exc:
            code = "duplicate_key" if exc.code == "duplicate_key" else "parse_error"
            raise ParseError(_("The request body is not valid JSON: %(problem)s") % {"problem": exc.message}, code=code)
