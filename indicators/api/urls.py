from django.urls import include, path

import rbb.api.converters  # noqa: F401  (registers <id:…>)

from . import views

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

urlpatterns = [
    path("accomplishments/", include((accomplishment_patterns, "accomplishments"))),
    path("indicators/", include((indicator_patterns, "indicators"))),
    path("outputs/", include((output_patterns, "outputs"))),
    path("reports/", include((framework_patterns, "framework"))),
]
