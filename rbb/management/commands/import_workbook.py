"""manage.py import_workbook ENTITY PERIOD FILE [--dry-run] [--user USERNAME]: apply a filled workbook.

Prints what would change, with every problem by sheet and cell. Without --dry-run it applies
when the workbook has no problem and no conflict; conflicts are listed and the command exits
with status 1 (choose on the page or through the API instead).
"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from missions.models import Report
from missions.selectors import report_get_by_entity_period
from rbb.exceptions import DomainError
from indicators.interchange import framework_counts_text
from rbb.workbook.services import WorkbookInvalid, workbook_confirm, workbook_preview
from rbb.workbook.template import template_import, template_meta


class Command(BaseCommand):
    help = _("Preview and apply a filled workbook (XLSX) to a report.")

    def add_arguments(self, parser):
        parser.add_argument("entity", help=_("Entity code, for example UNMIK."))
        parser.add_argument("period", help=_("Period label, for example 2020/21."))
        parser.add_argument("file", help=_("Path of the XLSX file."))
        parser.add_argument("--dry-run", action="store_true", help=_("Only show what would change."))
        parser.add_argument(
            "--user", help=_("Who makes the changes (their role is checked); default: who downloaded the workbook."),
        )

    def handle(self, *args, **options):
        try:
            content = Path(options["file"]).read_bytes()
        except OSError as error:
            raise CommandError(_("Cannot read %(path)s: %(error)s") % {"path": options["file"], "error": error.strerror})
        meta = template_meta(content)
        if meta is not None:
            return self._template(meta, content, options)
        try:
            report = report_get_by_entity_period(entity_code=options["entity"], period_label=options["period"])
        except Report.DoesNotExist:
            raise CommandError(_("No report for %(entity)s %(period)s.") % {"entity": options["entity"], "period": options["period"]})
        user = self._user(options["user"], content)
        try:
            with transaction.atomic():
                upload = workbook_preview(report=report, content=content, filename=Path(options["file"]).name, by=user)
                self._print(upload)
                if options["dry_run"]:
                    transaction.set_rollback(True)  # a dry run leaves no pending upload behind
                    return
                if upload.conflicts:
                    for change in upload.conflicts:
                        self.stderr.write(_("conflict: %(label)s ('%(sheet)s' row %(row)d) was changed in the report since the download")
                                          % {"label": change["label"], "sheet": change["sheet"], "row": change["row"]})
                    raise CommandError(_("%(count)d conflicts; nothing was applied. Resolve them on the workbook page or through the API.")
                                       % {"count": len(upload.conflicts)})
                applied = workbook_confirm(upload=upload, choices={}, by=user)
        except WorkbookInvalid as invalid:
            for problem in invalid.problems:
                self.stderr.write(str(problem))
            raise CommandError(str(invalid.message))
        except DomainError as error:
            raise CommandError(str(error.message))
        self.stdout.write(_("Applied: %(count)d items changed.") % {"count": applied})

    def _template(self, meta: dict, content: bytes, options) -> None:
        """A filled framework template: create the framework (a dry run validates only)."""
        if (meta["entity"], meta["period"]) != (options["entity"], options["period"]):
            raise CommandError(_("This template is for %(entity)s %(period)s.") % meta)
        try:
            with transaction.atomic():
                report = template_import(content=content)
                self.stdout.write(_("Created the framework of %(report)s: %(counts)s.")
                                  % {"report": report, "counts": framework_counts_text(report=report)})
                if options["dry_run"]:
                    transaction.set_rollback(True)
        except WorkbookInvalid as invalid:
            for problem in invalid.problems:
                self.stderr.write(str(problem))
            raise CommandError(str(invalid.message))
        except DomainError as error:
            raise CommandError(str(error.message))

    def _user(self, username: str | None, content: bytes):
        if not username:
            from rbb.workbook.read import workbook_read

            username = workbook_read(content).meta.get("downloaded_by", "")
        if not username:
            raise CommandError(_("Say who makes the changes: --user USERNAME."))
        try:
            return get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(_("No user %(name)s.") % {"name": username})

    def _print(self, upload) -> None:
        if not upload.changes:
            self.stdout.write(_("The workbook changes nothing."))
        for change in upload.changes:
            for field in change["fields"]:
                mark = _(" [conflict]") if change["conflict"] else ""
                self.stdout.write(f"{change['label']}{mark} '{change['sheet']}'!{field['cell']} {field['name']}: "
                                  f"{field['old'] or '—'!r} → {field['new'] or '—'!r}")
