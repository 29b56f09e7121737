from django.urls import include, path

import rbb.api.converters  # noqa: F401  (registers <id:…>)

from . import resources, views

mission_patterns = [
    path("", views.MissionListApi.as_view(), name="list"),
    path("<id:pk>/", views.MissionDetailApi.as_view(), name="detail"),
]
period_patterns = [
    path("", views.BudgetPeriodListApi.as_view(), name="list"),
]
report_patterns = [
    path("", views.ReportListApi.as_view(), name="list"),
    path("<id:pk>/", views.ReportDetailApi.as_view(), name="detail"),
    path("<id:pk>/resources/", resources.ReportResourcesApi.as_view(), name="resources"),
    path("<id:pk>/resources/by-unit/<id:line_id>/", resources.UnitResourceLineUpdateApi.as_view(), name="resources-by-unit"),
]
unit_patterns = [
    path("", views.UnitListApi.as_view(), name="list"),
    path("<id:pk>/", views.UnitDetailApi.as_view(), name="detail"),
]
event_patterns = [
    path("", views.ReportEventListApi.as_view(), name="list"),
]

urlpatterns = [
    path("missions/", include((mission_patterns, "missions"))),
    path("periods/", include((period_patterns, "periods"))),
    path("reports/", include((report_patterns, "reports"))),
    path("units/", include((unit_patterns, "units"))),
    path("events/", include((event_patterns, "events"))),
]
