"""manage.py export_framework ENTITY PERIOD: a report's framework as an interchange JSON document."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from indicators.interchange import framework_dumps, framework_export, shape_handler_for_report
from missions.models import Report
from missions.selectors import report_get_by_entity_period


class Command(BaseCommand):
    help = _("Export a report's framework as interchange JSON (docs/interchange.md), for example: UNMIK 2020/21.")

    def add_arguments(self, parser):
        parser.add_argument("entity", help=_("Budget entity code, for example UNMIK."))
        parser.add_argument("period", help=_("Period label, for example 2020/21."))
        parser.add_argument("--output", "-o", help=_("Write to this file instead of standard output."))

    def handle(self, *args, **options):
        try:
            report = report_get_by_entity_period(entity_code=options["entity"], period_label=options["period"])
        except Report.DoesNotExist as missing:
            raise CommandError(
                _("There is no report for %(entity)s %(period)s.") % {"entity": options["entity"], "period": options["period"]}
            ) from missing
        handler = shape_handler_for_report(report)
        if handler is not None:
            text = handler.dumps(handler.export(report=report))
        else:
            text = framework_dumps(framework_export(report=report))
        if options["output"]:
            Path(options["output"]).write_text(text, encoding="utf-8")
        else:
            self.stdout.write(text, ending="")
