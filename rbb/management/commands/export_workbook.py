"""manage.py export_workbook ENTITY PERIOD --output FILE [--lang en|zh-hans]: the report's workbook."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from missions.models import BudgetPeriod, Mission, Report, ReportType
from missions.selectors import report_get_by_entity_period
from rbb.workbook.build import workbook_build
from rbb.workbook.template import template_build


class Command(BaseCommand):
    help = _("Write a report's workbook (XLSX) to fill offline and upload back.")

    def add_arguments(self, parser):
        parser.add_argument("entity", help=_("Entity code, for example UNMIK."))
        parser.add_argument("period", help=_("Period label, for example 2020/21."))
        parser.add_argument("--output", "-o", required=True, help=_("Path of the XLSX file to write."))
        parser.add_argument("--lang", choices=["en", "zh-hans"], default="en", help=_("Language of the labels."))
        parser.add_argument("--template", action="store_true",
                            help=_("An empty framework template for an entity without a framework for the period."))
        parser.add_argument("--type", default="mission", help=_("Report type code of the template (mission, support-account)."))

    def handle(self, *args, **options):
        if options["template"]:
            return self._template(options)
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

    def _template(self, options):
        try:
            entity = Mission.objects.get(code=options["entity"])
            period = BudgetPeriod.objects.get(label=options["period"])
            report_type = ReportType.objects.get(code=options["type"])
        except (Mission.DoesNotExist, BudgetPeriod.DoesNotExist, ReportType.DoesNotExist):
            raise CommandError(_("The entity, period or report type does not exist."))
        content = template_build(entity=entity, period=period, report_type=report_type, lang=options["lang"])
        try:
            Path(options["output"]).write_bytes(content)
        except OSError as error:
            raise CommandError(_("Cannot write %(path)s: %(error)s") % {"path": options["output"], "error": error.strerror})
        self.stdout.write(_("Wrote %(path)s.") % {"path": options["output"]})
