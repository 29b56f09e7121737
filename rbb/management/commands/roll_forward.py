"""manage.py roll_forward ENTITY FROM TO: plan the next period from this one (rbb.cycle)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from indicators.interchange import framework_counts_text
from missions.models import Report
from missions.selectors import report_get_by_entity_period
from rbb.cycle.services import report_roll_forward
from rbb.exceptions import DomainError


class Command(BaseCommand):
    help = _(
        "Copy a report's framework into the entity's budget proposal for a later period "
        "(planning phase, draft), for example: UNMIK 2020/21 2021/22."
    )

    def add_arguments(self, parser):
        parser.add_argument("entity", help=_("Budget entity code, for example UNMIK."))
        parser.add_argument("from_period", help=_("Period label to copy from, for example 2020/21."))
        parser.add_argument("to_period", help=_("Period label to create, for example 2021/22 or 2025."))

    def handle(self, *args, **options):
        try:
            source = report_get_by_entity_period(entity_code=options["entity"], period_label=options["from_period"])
        except Report.DoesNotExist as missing:
            raise CommandError(
                _("There is no report for %(entity)s %(period)s.") % {"entity": options["entity"], "period": options["from_period"]}
            ) from missing
        try:
            target = report_roll_forward(source=source, to_label=options["to_period"])
        except DomainError as refused:
            raise CommandError(str(refused.message)) from refused
        self.stdout.write(
            _("Created %(report)s (budget proposal, draft) from %(source)s: %(counts)s.")
            % {"report": target, "source": source, "counts": framework_counts_text(report=target)}
        )
