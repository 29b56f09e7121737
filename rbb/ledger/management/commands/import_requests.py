"""manage.py import_requests FILE --source SYMBOL --body GA|ACABQ|C34|OIOS|BOA [--dry-run]."""

from __future__ import annotations

import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from missions.models import Report
from rbb.exceptions import DomainError
from rbb.ledger import services
from rbb.ledger.files import read_file
from rbb.ledger.models import SourceDocument


class Command(BaseCommand):
    help = _(
        "Import requests from a resolution's text (its numbered paragraphs asking the Secretary-General), "
        "JSON or CSV (docs/ledger.md), or the C-34 summary table as responses; all or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--source", required=True, help=_("Symbol of the source document, e.g. A/RES/76/274."))
        parser.add_argument("--body", required=True, choices=SourceDocument.Body.values)
        parser.add_argument("--title", default="")
        parser.add_argument("--all-paragraphs", action="store_true", help=_("From a text: every numbered paragraph, not only those asking the Secretary-General."))
        parser.add_argument("--assign", action="append", default=[], metavar="ENTITY:PERIOD", help=_("Assign every request to this report; repeat for more."))
        parser.add_argument("--due", default="", help=_("Due date of the assignments, YYYY-MM-DD."))
        parser.add_argument("--dry-run", action="store_true", help=_("Read and report, save nothing."))

    def handle(self, *args, **options):
        path = Path(options["file"])
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(str(exc)) from exc
        result = read_file(path.name, content, only_secretary_general=not options["all_paragraphs"])
        if result.errors:
            raise CommandError("\n".join(result.errors))
        found = len(result.requests) + len(result.responses)
        self.stdout.write(_("Found %(count)s requests: %(numbers)s") % {"count": found, "numbers": "; ".join(result.numbers)})
        if not found:
            raise CommandError(_("No requests were found."))
        reports = [self._report(spec) for spec in options["assign"]]
        due = self._date(options["due"])
        if result.responses and len(reports) != 1:
            raise CommandError(_("A summary table of responses needs exactly one --assign ENTITY:PERIOD."))
        if options["dry_run"]:
            self.stdout.write(_("Dry run: nothing was saved."))
            return
        try:
            with transaction.atomic():
                source = services.source_document_get_or_create(symbol=options["source"], body=options["body"], title=options["title"], by=None)
                if result.responses:
                    services.responses_import(source=source, report=reports[0], drafts=result.responses, by=None)
                else:
                    services.requests_import(source=source, drafts=result.requests, by=None, reports=reports, due_date=due)
        except DomainError as exc:
            raise CommandError(str(exc.message)) from exc
        self.stdout.write(_("Saved %(count)s requests of %(symbol)s.") % {"count": found, "symbol": source.symbol})

    def _report(self, spec: str) -> Report:
        entity, _sep, period = spec.partition(":")
        try:
            return Report.objects.select_related("mission", "period").get(mission__code=entity, period__label=period)
        except Report.DoesNotExist:
            raise CommandError(_("No report %(spec)s (write ENTITY:PERIOD, e.g. UNMIK:2020/21).") % {"spec": spec}) from None

    def _date(self, value: str):
        if not value:
            return None
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            raise CommandError(_("Enter the due date as YYYY-MM-DD.")) from None
