"""Narrative export jobs through the API: queue one, follow it, download the file."""

import pytest

from rbb.models import ExportJob

pytestmark = pytest.mark.django_db


def test_queue_follow_and_download_an_html_export(world, settings, tmp_path, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path
    client = world.client("focal")
    with django_capture_on_commit_callbacks(execute=True):  # the task is queued on commit, run eagerly
        response = client.post(
            f"/api/v1/reports/{world.unmik.pk}/exports/", {"format": "html", "language": "zh-hans"}, format="json"
        )
    assert response.status_code == 202, response.content
    job = response.json()
    assert job["report_id"] == world.unmik.pk and job["format"] == "html" and job["language"] == "zh-hans"
    detail = client.get(f"/api/v1/exports/{job['id']}/").json()
    assert detail["status"] == "done" and detail["has_file"] is True and detail["requester"] == "focal"
    download = client.get(f"/api/v1/exports/{job['id']}/download/")
    assert download.status_code == 200
    assert download["Content-Type"] == "text/html; charset=utf-8"
    assert "UNMIK-2020-21-narrative-zh-hans.html" in download["Content-Disposition"]
    assert "科索沃" in b"".join(download.streaming_content).decode("utf-8")
    listed = client.get(f"/api/v1/exports/?report={world.unmik.pk}&status=done").json()["results"]
    assert [j["id"] for j in listed] == [job["id"]]


def test_a_bad_format_is_a_field_error(world):
    response = world.client("focal").post(f"/api/v1/reports/{world.unmik.pk}/exports/", {"format": "odt"}, format="json")
    assert response.status_code == 400 and "format" in response.json()["extra"]["fields"]
    assert not ExportJob.objects.exists()


def test_exports_of_another_mission_are_not_found(world):
    job = ExportJob.objects.create(report=world.unmik, format=ExportJob.Format.HTML, language="en")
    client = world.client("other_focal")
    assert client.get(f"/api/v1/exports/{job.pk}/").status_code == 404
    assert client.get(f"/api/v1/exports/{job.pk}/download/").status_code == 404
    assert client.get("/api/v1/exports/").json()["results"] == []
    assert client.post(f"/api/v1/reports/{world.unmik.pk}/exports/", {"format": "html"}, format="json").status_code == 404


def test_a_queued_export_has_no_file_yet(world):
    job = ExportJob.objects.create(report=world.unmik, format=ExportJob.Format.DOCX, language="en")
    response = world.client("reviewer").get(f"/api/v1/exports/{job.pk}/download/")
    assert response.status_code == 404 and response.json()["code"] == "not_found"
