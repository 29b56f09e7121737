"""The API: /api/v1/ (apps' APIs and report-level operations), /api/schema/, /api/docs/, /api/token/."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import converters  # noqa: F401  (registers <id:…>)
from rbb.workbook import api as workbook
from rbb.ledger import api as ledger_api
from rbb.programme import api as programme_api

from . import comments, tokens, views

app_name = "api"

workflow_patterns = [
    path("<id:pk>/submit/", views.ReportSubmitApi.as_view(), name="submit"),
    path("<id:pk>/return/", views.ReportReturnApi.as_view(), name="return"),
    path("<id:pk>/accept/", views.ReportAcceptApi.as_view(), name="accept"),
    path("<id:pk>/reopen/", views.ReportReopenApi.as_view(), name="reopen"),
    path("<id:pk>/open-performance/", views.ReportOpenPerformanceApi.as_view(), name="open-performance"),
    path("<id:pk>/roll-forward/", views.ReportRollForwardApi.as_view(), name="roll-forward"),
    path("<id:pk>/baselines/refresh/", views.ReportBaselinesRefreshApi.as_view(), name="baselines-refresh"),
]
report_patterns = [
    path("<id:pk>/narrative/", views.ReportNarrativeApi.as_view(), name="narrative"),
    path("<id:pk>/quality/", views.ReportQualityApi.as_view(), name="quality"),
    path("<id:pk>/iati.xml", views.ReportIatiApi.as_view(), name="iati"),
    path("<id:pk>/exports/", views.ExportJobCreateApi.as_view(), name="export-create"),
    path("<id:pk>/workbook.xlsx", workbook.WorkbookDownloadApi.as_view(), name="workbook"),
    path("<id:pk>/workbook/", workbook.WorkbookPreviewApi.as_view(), name="workbook-preview"),
    path("<id:pk>/workbook/<uuid:upload_id>/", workbook.WorkbookUploadApi.as_view(), name="workbook-upload"),
    path("<id:pk>/workbook/<uuid:upload_id>/confirm/", workbook.WorkbookConfirmApi.as_view(), name="workbook-confirm"),
]
export_job_patterns = [
    path("", views.ExportJobListApi.as_view(), name="list"),
    path("<id:pk>/", views.ExportJobDetailApi.as_view(), name="detail"),
    path("<id:pk>/download/", views.ExportJobDownloadApi.as_view(), name="download"),
]
comment_patterns = [
    path("comments/", comments.CommentListApi.as_view(), name="list"),
    path("comments/<id:pk>/", comments.CommentDetailApi.as_view(), name="detail"),
    path("comments/<id:pk>/replies/", comments.CommentReplyApi.as_view(), name="reply"),
    path("comments/<id:pk>/resolve/", comments.CommentResolveApi.as_view(), name="resolve"),
    path("indicators/<id:pk>/comments/", comments.IndicatorCommentsApi.as_view(), name="indicator"),
    path("outputs/<id:pk>/comments/", comments.OutputCommentsApi.as_view(), name="output"),
]

request_patterns = [
    path("", ledger_api.RequestListApi.as_view(), name="list"),
    path("<id:pk>/", ledger_api.RequestDetailApi.as_view(), name="detail"),
    path("<id:pk>/assignments/", ledger_api.RequestAssignApi.as_view(), name="assign"),
    path("assignments/<id:pk>/", ledger_api.AssignmentDetailApi.as_view(), name="assignment"),
]

# The regular budget's programme plans (rbb.programme.api).
programme_patterns = [
    path("reports/<id:pk>/", programme_api.ProgrammePlanApi.as_view(), name="plan"),
    path("reports/<id:pk>/deliverables/", programme_api.DeliverableListApi.as_view(), name="deliverables"),
    path("reports/<id:pk>/cells/", programme_api.MeasureCellListApi.as_view(), name="cells"),
    path("reports/<id:report_pk>/deliverables/<id:pk>/", programme_api.DeliverableUpdateApi.as_view(), name="deliverable"),
    path("reports/<id:report_pk>/cells/<id:pk>/", programme_api.MeasureCellUpdateApi.as_view(), name="cell"),
    path("reports/<id:report_pk>/paragraphs/<id:pk>/", programme_api.PerformanceParagraphUpdateApi.as_view(), name="paragraph"),
]

v1_patterns = [
    path("", include("missions.api.urls")),
    path("", include("indicators.api.urls")),
    path("me/", views.MeApi.as_view(), name="me"),
    path("reports/", include((workflow_patterns, "workflow"))),
    path("reports/", include((report_patterns, "report"))),
    path("exports/", include((export_job_patterns, "exports"))),
    path("", include((comment_patterns, "comments"))),
    path("requests/", include((request_patterns, "requests"))),
    path("programme/", include((programme_patterns, "programme"))),
    path("export/", views.BulkExportApi.as_view(), name="export"),
    path("iati.xml", views.PeriodIatiApi.as_view(), name="iati"),
]

urlpatterns = [
    path("api/v1/", include(v1_patterns)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves its start-up script as a file (?script): no inline script, as the CSP requires.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("api/token/", tokens.token_manage, name="token"),
    # Last: any other path under api/ answers in the API's error shape, not an HTML page.
    re_path(r"^api/", views.api_not_found, name="not-found"),
]
