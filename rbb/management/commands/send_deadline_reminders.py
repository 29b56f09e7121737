"""manage.py send_deadline_reminders: what Celery beat runs every morning, by hand or from cron."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from rbb.models import DeadlineReminder
from rbb.review.services import deadline_reminders_send


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(_("“%(value)s” is not a date: write it as YYYY-MM-DD.") % {"value": value})


class Command(BaseCommand):
    help = _("E-mail mission approvers the deadline reminders due today (7 days and 1 day before, overdue); each is sent once.")

    def add_arguments(self, parser):
        parser.add_argument("--date", help=_("Act as if today were this date (YYYY-MM-DD)."))

    def handle(self, *args, **options):
        today = _date(options["date"]) if options.get("date") else None
        run = deadline_reminders_send(today=today)
        for reminder in run.sent:
            self.stdout.write(
                _("Sent %(kind)s for %(report)s (due %(due)s) to %(recipients)s.") % {
                    "kind": reminder.get_kind_display(), "report": reminder.report, "due": reminder.due_date,
                    "recipients": reminder.recipients or _("nobody (no approver with an e-mail address)"),
                }
            )
        for report, kind, exc in run.failed:
            self.stderr.write(_("Failed %(kind)s for %(report)s: %(error)s") % {"kind": DeadlineReminder.Kind(kind).label, "report": report, "error": exc})
        if not run.sent and not run.failed:
            self.stdout.write(_("No reminder is due."))
        if run.failed:
            raise CommandError(_("Some reminders could not be sent; run the command again to retry them."))
