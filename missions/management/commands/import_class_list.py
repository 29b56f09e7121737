"""manage.py import_class_list FILE: replace a period's class list from JSON, all or nothing."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from missions.class_lists import ClassListInvalid, class_list_import
from rbb.exceptions import DomainError


class Command(BaseCommand):
    help = "Replace the class list of the file's report type and period (docs/class-lists.md); all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("file", help="A JSON file as export_class_list writes it.")

    def handle(self, *args, file, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No file {file}.")
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError) as exc:
            raise CommandError(f"{file} is not JSON: {exc}") from exc
        try:
            report_type, period = class_list_import(data=data)
        except ClassListInvalid as exc:
            raise CommandError("\n".join([str(exc.message), *exc.errors])) from exc
        except DomainError as exc:
            raise CommandError(str(exc.message)) from exc
        self.stdout.write(self.style.SUCCESS(f"Class list of {report_type.code} {period.label} imported."))
