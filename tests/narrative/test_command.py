"""manage.py export_narrative writes the file through the same service as the Celery task."""

import pytest
from django.core.management import CommandError, call_command
from docx import Document as open_docx
from openpyxl import load_workbook

from rbb.models import ExportJob

pytestmark = pytest.mark.django_db


def test_it_writes_a_word_document(unmik_report, tmp_path):
    output = tmp_path / "unmik.docx"
    call_command("export_narrative", "UNMIK", "2020/21", "--format", "docx", "--lang", "zh-hans", "--output", str(output))
    document = open_docx(str(output))
    assert len(document.tables) == 15
    job = ExportJob.objects.get()
    assert job.requester is None and job.status == ExportJob.Status.DONE and job.format == "docx"


def test_it_writes_a_workbook_in_english(unmik_report, tmp_path):
    output = tmp_path / "unmik.xlsx"
    call_command("export_narrative", "UNMIK", "2020/21", "--format", "xlsx", "--lang", "en", "--output", str(output))
    workbook = load_workbook(str(output))
    assert "Financial resources" in workbook.sheetnames


def test_an_unknown_report_is_an_error(db, tmp_path):
    with pytest.raises(CommandError):
        call_command("export_narrative", "NOPE", "2020/21", "--output", str(tmp_path / "x.docx"))
    assert not (tmp_path / "x.docx").exists()
