from django.urls import path

from . import views

app_name = "trends"

urlpatterns = [
    path("reports/<int:report_id>/trends/", views.report_trends, name="report"),
    path("reports/<int:report_id>/trends/indicators/<int:pk>/", views.item_trend, {"kind": "indicator"}, name="indicator"),
    path("reports/<int:report_id>/trends/outputs/<int:pk>/", views.item_trend, {"kind": "output"}, name="output"),
    path("reports/<int:report_id>/trends/indicators/<int:pk>.<str:file_format>", views.item_chart, {"kind": "indicator"}, name="indicator-chart"),
    path("reports/<int:report_id>/trends/outputs/<int:pk>.<str:file_format>", views.item_chart, {"kind": "output"}, name="output-chart"),
]
