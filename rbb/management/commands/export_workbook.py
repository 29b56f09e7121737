"""manage.py export_workbook ENTITY PERIOD --output FILE [--lang en|zh-hans]: the report's workbook."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from missions.models import Report
from missions.selectors import report_get_by_entity_period
from rbb.workbook.build import workbook_build


class Command(BaseCommand):
    help = _("Write a report's workbook (XLSX) to fill offline and upload back.")

    def add_arguments(self, parser):
        parser.add_argument("entity", help=_("Entity code, for example UNMIK."))
        parser.add_argument("period", help=_("Period label, for example 2020/21."))
        parser.add_argument("--output", "-o", required=True, help=_("Path of the XLSX file to write."))
        parser.add_argument("--lang", choices=["en", "zh-hans"], default="en", help=_("Language of the labels."))

    def handle(self, *args, **options):
        try:
            report = report_get_by_entity_period(entity_code=options["entity"], period_label=options["period"])
        except Report.DoesNotExist:
            raise CommandError(_("No report for %(entity)s %(period)s.") % {"entity": options["entity"], "period": options["period"]})
        # A command acts as the system: the resource sheets are included.
        content = workbook_build(report=report, lang=options["lang"], user=None, include_resources=True)
        try:
            Path(options["output"]).write_bytes(content)
        except OSError as error:
            raise CommandError(_("Cannot write %(path)s: %(error)s") % {"path": options["output"], "error": error.strerror})
        self.stdout.write(_("Wrote %(path)s.") % {"path": options["output"]})
