from django.urls import path

from . import class_list_views, resource_views, views

app_name = "missions"

urlpatterns = [
    path("", views.home, name="home"),
    path("class-lists/", class_list_views.class_list_page, name="class-lists"),
    # Resource performance (sections III–V of the performance report).
    path("reports/<int:report_id>/resources/", resource_views.report_resources, name="resources"),
    path("reports/<int:report_id>/resources/financial/", resource_views.financial_edit, name="resources-financial"),
    path("reports/<int:report_id>/resources/by-unit/", resource_views.unit_resources_edit, name="resources-by-unit"),
    path("reports/<int:report_id>/resources/import/", resource_views.expenditure_import, name="resources-import"),
    path("reports/<int:report_id>/resources/variances/<int:line_id>/", resource_views.explanation_edit, name="resources-explanation"),
    path("reports/<int:report_id>/resources/redeployment/", resource_views.redeployment_edit, name="resources-redeployment"),
    path("reports/<int:report_id>/resources/revenue/", resource_views.revenue_edit, name="resources-revenue"),
    path("reports/<int:report_id>/resources/monthly/", resource_views.monthly_edit, name="resources-monthly"),
    path("reports/<int:report_id>/resources/incumbency/", resource_views.incumbency_edit, name="resources-incumbency"),
    path("reports/<int:report_id>/resources/incumbency/<int:row_id>/months/", resource_views.incumbency_months_edit,
         name="resources-incumbency-months"),
    path("reports/<int:report_id>/resources/narratives/<slug:section>/", resource_views.narrative_edit, name="resources-narrative"),
]
