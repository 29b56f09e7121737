"""Logging filters: a refused request is one line in the console, not a traceback."""

import logging


class ClientErrorsOnOneLine(logging.Filter):
    """Drop the traceback of a 4xx record (Django logs PermissionDenied, Http404 or a bad
    request with its exception); 5xx records keep theirs, which is what they are for."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if status is not None and 400 <= status < 500 or record.name.startswith("django.security"):
            record.exc_info = None
            record.exc_text = None
            record.stack_info = None
        return True
