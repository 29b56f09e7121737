"""The narrative page, export creation, live progress, downloads and retries; scoped to the mission."""

import pytest
from django.urls import reverse

from rbb.models import ExportJob
from rbb.narrative import services
from rbb.narrative.services import export_job_create

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def _queued(report, file_format="docx"):
    return export_job_create(report=report, requester=None, file_format=file_format, language="zh-hans", enqueue=False)


def _post_export(client, report, capture, **data):
    with capture(execute=True):
        return client.post(reverse("narrative:export-create", args=[report.pk]), {"format": "docx", "lang": "zh-hans", **data}, **HTMX)


def test_the_page_shows_the_tables_in_the_chosen_language(client, focal_point, unmik_report):
    client.force_login(focal_point)
    url = reverse("narrative:report", args=[unmik_report.pk])
    english = client.get(url, {"lang": "en"}).content.decode()
    assert "Planned indicators of achievement" in english and "10 273.9" in english and "(911.0)" in english
    assert english.count('class="narrative-table"') == 15
    assert 'name="format" value="xlsx"' in english and 'value="zh-hans"' in english
    chinese = client.get(url, {"lang": "zh-hans"}).content.decode()
    assert "(2018/19：574；2019/20：754；2020/21：290)" in chinese
    assert "10 273.9" in chinese


def test_exporting_from_the_page_offers_the_download(client, focal_point, unmik_report, django_capture_on_commit_callbacks):
    client.force_login(focal_point)
    response = _post_export(client, unmik_report, django_capture_on_commit_callbacks)
    assert response.status_code == 200
    job = ExportJob.objects.get()
    # The task starts once the request's transaction commits: the answer shows the job polling.
    assert 'id="export-%d"' % job.pk in response.content.decode()
    job.refresh_from_db()
    assert job.requester == focal_point and job.status == ExportJob.Status.DONE
    page = client.get(reverse("narrative:export-status", args=[job.pk]), **HTMX).content.decode()
    assert reverse("narrative:export-download", args=[job.pk]) in page
    assert "every 1s" not in page  # finished: the partial stops polling

    download = client.get(reverse("narrative:export-download", args=[job.pk]))
    assert download.status_code == 200
    assert download["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    assert 'filename="UNMIK-2020-21-narrative-zh-hans.docx"' in download["Content-Disposition"]
    assert b"".join(download.streaming_content).startswith(b"PK")


def test_a_running_export_is_polled_every_second(client, focal_point, unmik_report):
    client.force_login(focal_point)
    job = _queued(unmik_report)
    ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.RUNNING, progress=40)
    partial = client.get(reverse("narrative:export-status", args=[job.pk]), **HTMX).content.decode()
    assert 'hx-trigger="every 1s"' in partial and 'value="40"' in partial
    assert reverse("narrative:export-download", args=[job.pk]) not in partial
    assert client.get(reverse("narrative:export-download", args=[job.pk])).status_code == 404


def test_a_failed_export_shows_why_and_can_be_retried(client, focal_point, unmik_report, django_capture_on_commit_callbacks, monkeypatch):
    def crash(document, stream, *, progress=None):
        stream.write(b"half")
        raise RuntimeError("the renderer crashed")

    client.force_login(focal_point)
    original = services.RENDERERS["docx"]
    monkeypatch.setitem(services.RENDERERS, "docx", crash)
    _post_export(client, unmik_report, django_capture_on_commit_callbacks)
    job = ExportJob.objects.get()
    assert job.status == ExportJob.Status.FAILED
    page = client.get(reverse("narrative:report", args=[unmik_report.pk])).content.decode()
    assert "the renderer crashed" in page and reverse("narrative:export-retry", args=[job.pk]) in page
    assert "every 1s" not in page
    assert client.get(reverse("narrative:export-download", args=[job.pk])).status_code == 404

    monkeypatch.setitem(services.RENDERERS, "docx", original)
    with django_capture_on_commit_callbacks(execute=True):
        retried = client.post(reverse("narrative:export-retry", args=[job.pk]), **HTMX)
    assert "every 1s" in retried.content.decode()  # queued again, polled until done
    done = client.get(reverse("narrative:export-status", args=[job.pk]), **HTMX).content.decode()
    assert reverse("narrative:export-download", args=[job.pk]) in done
    assert client.get(reverse("narrative:export-download", args=[job.pk])).status_code == 200


def test_a_bad_format_is_refused_with_a_message(client, focal_point, unmik_report, django_capture_on_commit_callbacks):
    client.force_login(focal_point)
    response = _post_export(client, unmik_report, django_capture_on_commit_callbacks, format="odt")
    assert 'data-code="format_invalid"' in response.content.decode() and "DOCX" in response.content.decode()
    assert ExportJob.objects.count() == 0
    page = client.post(reverse("narrative:export-create", args=[unmik_report.pk]), {"format": "odt"}, follow=True)
    assert "Choose a format" in page.content.decode() and ExportJob.objects.count() == 0


def test_staff_of_another_mission_get_404_everywhere(client, outsider, unmik_report, django_capture_on_commit_callbacks):
    job = _queued(unmik_report, file_format="html")
    services.export_job_run(job=job)
    client.force_login(outsider)
    assert client.get(reverse("narrative:report", args=[unmik_report.pk])).status_code == 404
    assert _post_export(client, unmik_report, django_capture_on_commit_callbacks).status_code == 404
    assert client.get(reverse("narrative:export-status", args=[job.pk])).status_code == 404
    assert client.get(reverse("narrative:export-download", args=[job.pk])).status_code == 404
    assert client.post(reverse("narrative:export-retry", args=[job.pk])).status_code == 404
    assert ExportJob.objects.count() == 1


def test_anonymous_users_are_sent_to_log_in(client, unmik_report):
    response = client.get(reverse("narrative:report", args=[unmik_report.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_missing_export_is_404(client, focal_point):
    client.force_login(focal_point)
    assert client.get(reverse("narrative:export-download", args=[999999])).status_code == 404
