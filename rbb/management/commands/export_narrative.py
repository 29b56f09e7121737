"""Export a report's narrative tables to a file, through the same service as the web's task."""

import shutil

from django.core.management.base import BaseCommand, CommandError

from missions.models import Report
from missions.selectors import report_get_by_entity_period
from rbb.models import ExportJob
from rbb.narrative.services import export_job_create, export_job_run


class Command(BaseCommand):
    help = "Write the narrative tables of a report (MISSION PERIOD, e.g. UNMIK 2020/21) as DOCX, XLSX, PDF or HTML."

    def add_arguments(self, parser):
        parser.add_argument("mission", help="Budget entity code, e.g. UNMIK.")
        parser.add_argument("period", help="Period label, e.g. 2020/21.")
        parser.add_argument("--format", dest="file_format", choices=ExportJob.Format.values, default=ExportJob.Format.DOCX)
        parser.add_argument("--lang", choices=ExportJob.Language.values, default=ExportJob.Language.ZH_HANS)
        parser.add_argument("--output", required=True, help="File to write.")

    def handle(self, *args, mission, period, file_format, lang, output, **options):
        try:
            report = report_get_by_entity_period(entity_code=mission, period_label=period)
        except Report.DoesNotExist:
            raise CommandError(f"No report for {mission} {period}.") from None
        # Run here rather than through the broker, so the file exists when the command returns.
        job = export_job_create(report=report, requester=None, file_format=file_format, language=lang, enqueue=False)
        if job.status == ExportJob.Status.QUEUED:
            job = export_job_run(job=job)
        if job.status != ExportJob.Status.DONE:
            raise CommandError(f"Export failed: {job.error}")
        with job.file.open("rb") as source, open(output, "wb") as target:
            shutil.copyfileobj(source, target)
        self.stdout.write(self.style.SUCCESS(f"Wrote {output}"))
