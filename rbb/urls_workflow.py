"""The report home and its workflow actions; included from rbb.urls."""

from django.urls import path

from . import views

app_name = "workflow"

urlpatterns = [
    path("reports/<int:report_id>/", views.report_home, name="report-home"),
    path("reports/<int:report_id>/submit/", views.report_transition, {"action": "submit"}, name="report-submit"),
    path("reports/<int:report_id>/return/", views.report_transition, {"action": "return"}, name="report-return"),
    path("reports/<int:report_id>/accept/", views.report_transition, {"action": "accept"}, name="report-accept"),
    path("reports/<int:report_id>/reopen/", views.report_transition, {"action": "reopen"}, name="report-reopen"),
    path(
        "reports/<int:report_id>/open-performance/", views.report_transition, {"action": "open_performance"},
        name="report-open-performance",
    ),
    path("reports/<int:report_id>/roll-forward/", views.report_roll_forward_view, name="report-roll-forward"),
    path("reports/<int:report_id>/baselines/refresh/", views.report_baselines_refresh_view, name="report-baselines-refresh"),
]
