from django.urls import path

from . import views

app_name = "workbook"

urlpatterns = [
    path("reports/<int:report_id>/workbook/", views.workbook_page, name="page"),
    path("reports/<int:report_id>/workbook.xlsx", views.workbook_download, name="download"),
    path("reports/<int:report_id>/workbook/<uuid:upload_id>/", views.workbook_preview_page, name="preview"),
    path("workbook/new-framework/", views.template_page, name="template"),
]
