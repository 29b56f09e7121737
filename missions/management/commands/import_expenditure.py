"""manage.py import_expenditure ENTITY PERIOD FILE [--by unit]: expenditure per class (or per department/office) from CSV or XLSX, all or nothing."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from missions.models import Report
from missions.selectors import report_get_by_entity_period
from missions.services import ImportFailed, expenditure_import
from missions.unit_resources import unit_expenditure_import
from rbb.exceptions import DomainError


class Command(BaseCommand):
    help = "Import expenditure (and optionally apportionment) per financial class into a report, all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("entity", help="Budget entity code, for example UNMIK.")
        parser.add_argument("period", help="Period label, for example 2020/21.")
        parser.add_argument("file", help="A .csv or .xlsx file: class code or name, expenditure[, apportionment].")
        parser.add_argument("--user", help="Username recorded as the author of the changes (default: the system).")
        parser.add_argument(
            "--by", choices=["class", "unit"], default="class",
            help="class (default): one row per financial class; unit: one row per department/office (or component): "
                 "unit number or name, apportionment, expenditure.",
        )

    def handle(self, *args, entity, period, file, user=None, by="class", **options):
        try:
            report = report_get_by_entity_period(entity_code=entity, period_label=period)
        except Report.DoesNotExist as exc:
            raise CommandError(f"No report for {entity} {period}.") from exc
        author = None
        if user:
            try:
                author = get_user_model().objects.get(username=user)
            except get_user_model().DoesNotExist as exc:
                raise CommandError(f"No user {user!r}.") from exc
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No file {file}.")
        try:
            service = unit_expenditure_import if by == "unit" else expenditure_import
            result = service(report=report, filename=path.name, content=path.read_bytes(), by=author)
        except ImportFailed as exc:
            raise CommandError("\n".join([str(exc.message), *map(str, exc.extra.get("errors", []))])) from exc
        except DomainError as exc:
            raise CommandError(str(exc.message)) from exc
        self.stdout.write(self.style.SUCCESS(f"Imported {result.rows} rows into {report}; {result.changed} lines changed."))
