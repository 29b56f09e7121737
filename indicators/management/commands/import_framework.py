"""manage.py import_framework FILE: create or replace a report's framework from a JSON document."""

from decimal import Decimal
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from indicators.interchange import FrameworkInvalid, framework_counts_text, framework_import
from rbb.exceptions import ReportLocked
from rbb.lib import strict_json


class Command(BaseCommand):
    help = _("Import a report's framework from an interchange JSON file (docs/interchange.md).")

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("Path of the JSON file."))

    def handle(self, *args, **options):
        data = self._read(Path(options["file"]))
        try:
            report = framework_import(data=data)
        except FrameworkInvalid as invalid:
            for error in invalid.errors:
                self.stderr.write(f"{error.path}: {error.message}")
            raise CommandError(invalid.summary) from invalid
        except ReportLocked as locked:
            raise CommandError(str(locked.message)) from locked
        self.stdout.write(
            _("Imported %(report)s: %(counts)s.") % {"report": report, "counts": framework_counts_text(report=report)}
        )

    def _read(self, path: Path):
        try:
            content = path.read_bytes()
        except OSError as error:
            raise CommandError(_("Cannot read %(path)s: %(error)s") % {"path": path, "error": error.strerror}) from error
        try:
            # The API's strict reader: UTF-8 only, duplicate keys, long integers and deep nesting
            # refused with one clear line. Decimal keeps any stray JSON number exact; the schema
            # then rejects it (figures are strings).
            return strict_json.loads(content, parse_float=Decimal)
        except strict_json.JSONInputError as error:
            raise CommandError(_("%(path)s: %(error)s Nothing was imported.") % {"path": path, "error": error.message}) from error
