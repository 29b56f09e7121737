"""manage.py carry_forward_requests ENTITY FROM_PERIOD TO_PERIOD: open requests into the next report."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from missions.models import Report
from rbb.exceptions import DomainError
from rbb.ledger.services import ledger_carry_forward


class Command(BaseCommand):
    help = _("Carry the requests a report left open into the same entity's report of a later period; safe to run again.")

    def add_arguments(self, parser):
        parser.add_argument("entity")
        parser.add_argument("from_period")
        parser.add_argument("to_period")

    def handle(self, *args, entity, from_period, to_period, **options):
        reports = {}
        for label in (from_period, to_period):
            try:
                reports[label] = Report.objects.get(mission__code=entity, period__label=label)
            except Report.DoesNotExist:
                raise CommandError(_("No report %(entity)s %(period)s.") % {"entity": entity, "period": label}) from None
        try:
            carried = ledger_carry_forward(from_report=reports[from_period], to_report=reports[to_period])
        except DomainError as exc:
            raise CommandError(str(exc.message)) from exc
        self.stdout.write(_("Carried %(count)s open requests into %(report)s.") % {"count": len(carried), "report": reports[to_period]})
