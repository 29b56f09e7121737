"""manage.py load_resources_demo ENTITY PERIOD: the real UNMIK 2020/21 resource figures (A/76/525)."""

from django.core.management.base import BaseCommand, CommandError

from missions.models import Report
from missions.selectors import report_get_by_entity_period
from missions.services import resources_load_demo
from rbb.exceptions import DomainError


class Command(BaseCommand):
    help = "Load the UNMIK 2020/21 resource performance figures into a report (safe to run again)."

    def add_arguments(self, parser):
        parser.add_argument("entity", help="Budget entity code, for example UNMIK.")
        parser.add_argument("period", help="Period label, for example 2020/21.")

    def handle(self, *args, entity, period, **options):
        try:
            report = report_get_by_entity_period(entity_code=entity, period_label=period)
        except Report.DoesNotExist as exc:
            raise CommandError(f"No report for {entity} {period}.") from exc
        try:
            resources_load_demo(report=report)
        except DomainError as exc:
            raise CommandError(str(exc.message)) from exc
        self.stdout.write(self.style.SUCCESS(f"Loaded the UNMIK 2020/21 resource figures into {report}."))
