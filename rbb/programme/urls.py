from django.urls import path

from . import views

app_name = "programme"

urlpatterns = [
    path("reports/<int:report_id>/programme/", views.programme_overview, name="overview"),
    path("reports/<int:report_id>/programme/<int:number>/", views.subprogramme_entry, name="subprogramme"),
    path("reports/<int:report_id>/programme/deliverables/<int:pk>/", views.item_save, {"kind": "deliverable"}, name="deliverable-save"),
    path("reports/<int:report_id>/programme/cells/<int:pk>/", views.item_save, {"kind": "cell"}, name="cell-save"),
    path("reports/<int:report_id>/programme/paragraphs/<int:pk>/", views.item_save, {"kind": "paragraph"}, name="paragraph-save"),
]
