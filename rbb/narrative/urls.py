from django.urls import path

from . import views

app_name = "narrative"

urlpatterns = [
    path("reports/<int:report_id>/narrative/", views.report_narrative, name="report"),
    path("reports/<int:report_id>/narrative/exports/", views.export_create, name="export-create"),
    path("narrative/exports/<int:job_id>/", views.export_status, name="export-status"),
    path("narrative/exports/<int:job_id>/download/", views.export_download, name="export-download"),
    path("narrative/exports/<int:job_id>/retry/", views.export_retry, name="export-retry"),
]
