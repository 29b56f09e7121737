"""manage.py export_class_list REPORT_TYPE PERIOD: the class list in force, as JSON (docs/class-lists.md)."""

import json

from django.core.management.base import BaseCommand, CommandError

from missions.class_lists import class_list_export
from missions.models import BudgetPeriod, ReportType


class Command(BaseCommand):
    help = "Write the financial classes and staff categories of a report type and period as JSON."

    def add_arguments(self, parser):
        parser.add_argument("report_type", help="Report type code: mission or support-account.")
        parser.add_argument("period", help="Period label, for example 2021/22.")

    def handle(self, *args, report_type, period, **options):
        try:
            type_obj = ReportType.objects.get(code=report_type)
            period_obj = BudgetPeriod.objects.get(label=period)
        except (ReportType.DoesNotExist, BudgetPeriod.DoesNotExist) as exc:
            raise CommandError(f"No report type {report_type!r} or no period {period!r}.") from exc
        document = class_list_export(report_type=type_obj, period=period_obj)
        self.stdout.write(json.dumps(document, ensure_ascii=False, indent=2))
