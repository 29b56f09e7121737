from django.urls import path

from . import views

app_name = "indicators"

urlpatterns = [
    path("reports/<int:report_id>/framework/", views.report_framework, name="framework"),
    path("reports/<int:report_id>/entry/<int:ea_id>/", views.accomplishment_entry, name="entry"),
    path("reports/<int:report_id>/units/<int:unit_id>/outputs/", views.unit_outputs_entry, name="unit-outputs"),
    path("reports/<int:report_id>/indicators/<int:pk>/", views.indicator_save, name="indicator-save"),
    path("reports/<int:report_id>/indicators/<int:pk>/preview/", views.item_preview, {"kind": "indicator"}, name="indicator-preview"),
    path("reports/<int:report_id>/indicators/<int:pk>/history/", views.item_history, {"kind": "indicator"}, name="indicator-history"),
    path("reports/<int:report_id>/outputs/<int:pk>/", views.output_save, name="output-save"),
    path("reports/<int:report_id>/outputs/<int:pk>/preview/", views.item_preview, {"kind": "output"}, name="output-preview"),
    path("reports/<int:report_id>/outputs/<int:pk>/history/", views.item_history, {"kind": "output"}, name="output-history"),
]
