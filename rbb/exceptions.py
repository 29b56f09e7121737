"""One family of domain errors; services raise them, views and the API translate them once."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    http_status = 400
    default_code = "invalid"
    default_message = _("The request could not be completed.")

    def __init__(self, message=None, *, code: str | None = None, field: str | None = None, extra: dict | None = None):
        self.message = message if message is not None else self.default_message
        self.code = code or self.default_code
        self.field = field
        self.extra = extra or {}
        super().__init__(str(self.message))


class NotPermitted(DomainError):
    http_status = 403
    default_code = "not_permitted"
    default_message = _("You are not allowed to do this.")


class Conflict(DomainError):
    """The object's state does not allow this now (a thread already resolved …): 409."""

    http_status = 409
    default_code = "conflict"


class TransitionNotAllowed(DomainError):
    http_status = 409
    default_code = "transition_not_allowed"
    default_message = _("This action is not possible in the report's current state.")


class ReportLocked(DomainError):
    http_status = 409
    default_code = "report_locked"
    default_message = _("The report is submitted or accepted; its data cannot be changed.")


class StaleVersion(DomainError):
    """Someone else saved the item first; extra carries their current values."""

    http_status = 409
    default_code = "stale_version"
    default_message = _("Someone else changed this item after you opened it. Their version is shown; nothing was overwritten.")


class SubmissionIncomplete(DomainError):
    http_status = 409
    default_code = "incomplete"
    default_message = _("The report cannot be submitted yet: some items are incomplete or need an explanation.")
