from django.urls import include, path

import rbb.api.converters  # noqa: F401  (registers <id:…>)

from . import editor, views

accomplishment_patterns = [
    path("", views.AccomplishmentListApi.as_view(), name="list"),
    path("<id:pk>/", views.AccomplishmentDetailApi.as_view(), name="detail"),
]
indicator_patterns = [
    path("", views.IndicatorListApi.as_view(), name="list"),
    path("<id:pk>/", views.IndicatorDetailApi.as_view(), name="detail"),
    path("<id:pk>/actual/", views.IndicatorActualUpdateApi.as_view(), name="actual"),
    path("<id:pk>/changes/", views.IndicatorChangeListApi.as_view(), name="changes"),
    path("<id:pk>/series/", views.IndicatorSeriesApi.as_view(), name="series"),
]
output_patterns = [
    path("", views.OutputListApi.as_view(), name="list"),
    path("<id:pk>/", views.OutputDetailApi.as_view(), name="detail"),
    path("<id:pk>/delivery/", views.OutputDeliveryUpdateApi.as_view(), name="delivery"),
    path("<id:pk>/changes/", views.OutputChangeListApi.as_view(), name="changes"),
    path("<id:pk>/series/", views.OutputSeriesApi.as_view(), name="series"),
]
framework_patterns = [
    path("<id:pk>/framework/", views.ReportFrameworkApi.as_view(), name="detail"),
]

editor_patterns = [
    path("reports/", editor.PlanningReportCreateApi.as_view(), name="report-create"),
]
for _kind, _plural in (("unit", "units"), ("accomplishment", "accomplishments"), ("indicator", "indicators"), ("output", "outputs")):
    editor_patterns += [
        path(f"{_plural}/", editor.CREATE_APIS[_kind].as_view(), name=f"{_kind}-create"),
        path(f"{_plural}/<id:pk>/", editor.DETAIL_APIS[_kind].as_view(), name=f"{_kind}-detail"),
        path(f"{_plural}/<id:pk>/move/", editor.MOVE_APIS[_kind].as_view(), name=f"{_kind}-move"),
    ]

urlpatterns = [
    path("framework/", include((editor_patterns, "editor"))),
    path("accomplishments/", include((accomplishment_patterns, "accomplishments"))),
    path("indicators/", include((indicator_patterns, "indicators"))),
    path("outputs/", include((output_patterns, "outputs"))),
    path("reports/", include((framework_patterns, "framework"))),
]
