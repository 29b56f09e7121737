"""Report-level APIs that compose the apps: workflow actions, narrative tables, exports, IATI.

Workflow actions call rbb.workflow (the same functions as the screens); reads go through the
scoped selectors, so another mission's report is a 404 here too.
"""

from __future__ import annotations

import re

from django.http import (
    FileResponse,
    Http404,
    HttpResponse,
    HttpResponsePermanentRedirect,
    JsonResponse,
    StreamingHttpResponse,
)
from django.urls import Resolver404, resolve
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from lxml import etree
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.response import Response
from rest_framework.views import APIView

from indicators.models import TEXT_LIMIT
from missions.api.serializers import ReportSerializer
from indicators import quality
from indicators.baselines import baselines_follow, baselines_refresh
from missions.models import BudgetPeriod, Membership
from missions.periods import LABEL_NOT_UNDERSTOOD
from missions.selectors import access_for_user, access_may_enter_data, report_get_for_user, report_list_for_user
from rbb import workflow
from rbb.api_errors import error_body
from rbb.cycle.services import report_roll_forward, roll_forward_permitted
from rbb.exceptions import Conflict, DomainError, NotPermitted, TransitionNotAllowed
from rbb.iati import activities_build
from rbb.iati.rules import publication_problems
from rbb.iati.selectors import distribute_outputs, reports_with_framework
from rbb.ledger import export as ledger_export
from rbb.models import ExportJob
from rbb.narrative.selectors import export_job_get_for_user
from rbb.narrative.services import CONTENT_TYPES, export_job_create
from rbb.narrative.tables import document_build

from . import export
from .filters import ExportJobFilter
from .formats import label_slug
from .pagination import PagePagination
from .selectors import export_job_list_for_user
from .serializers import NoInput, NonBlankCharField, QueryBooleanField, StrictCharField, StrictInputSerializer


@csrf_exempt  # answers every method with a 404; a CSRF refusal would be an HTML page
def api_not_found(request, *args, **kwargs):
    """Any path under api/ that names nothing: the API's 404, or the slash the URL forgot."""
    if not request.path_info.endswith("/"):
        try:
            match = resolve(request.path_info + "/")
        except Resolver404:
            match = None
        if match is not None and match.func is not api_not_found:
            return HttpResponsePermanentRedirect(request.get_full_path(force_append_slash=True))
    return JsonResponse(error_body(_("Not found."), "not_found"), status=404)


class FirstRendererNegotiation(BaseContentNegotiation):
    """For views that answer with files: `?format=` is their own option, not DRF's renderer switch.

    Errors still leave as JSON (the first renderer).
    """

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


# --- the requesting user ---------------------------------------------------------------------


class MeApi(APIView):
    """Who you are and what your roles are: what every other endpoint's scoping is based on."""

    class OutputSerializer(serializers.Serializer):
        username = serializers.CharField()
        sees_all_missions = serializers.BooleanField()
        roles = serializers.ListField(child=serializers.CharField())
        missions = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))

    @extend_schema(responses=OutputSerializer)
    def get(self, request):
        access = access_for_user(request.user)
        data = {
            "username": request.user.get_username(),
            "sees_all_missions": access.sees_all_missions,
            "roles": sorted(access.roles_everywhere),
            "missions": {str(mission_id): sorted(roles) for mission_id, roles in access.mission_roles.items()},
        }
        return Response(self.OutputSerializer(data).data)


# --- workflow ----------------------------------------------------------------------------------


class _ReportActionApi(APIView):
    """POST one workflow transition; answer with the report as it is afterwards."""

    OutputSerializer = ReportSerializer
    action = ""  # the key of rbb.workflow.TRANSITIONS

    def act(self, report, data: dict, user):
        raise NotImplementedError

    def post(self, request, pk: int):
        report = report_get_for_user(user=request.user, pk=pk)
        # Refuse a role that may never take this action before reading its input, as the pages do;
        # the state and the input are rbb.workflow's to judge.
        if not access_for_user(request.user).has_role(report.mission_id, *workflow.TRANSITIONS[self.action].roles):
            raise NotPermitted()
        payload = self.InputSerializer(data=request.data if request.data is not None else {})
        payload.is_valid(raise_exception=True)
        report = self.act(report, payload.validated_data, request.user)
        return Response(self.OutputSerializer(report, context={"request": request}).data)


class ReportSubmitApi(_ReportActionApi):
    """Certify and submit (mission approver). 409 `incomplete` lists the items to finish in extra.items."""

    action = "submit"

    InputSerializer = NoInput

    @extend_schema(request=InputSerializer, responses=ReportSerializer)
    def post(self, request, pk: int):
        return super().post(request, pk)

    def act(self, report, data, user):
        return workflow.report_submit(report=report, by=user)


class ReportReturnApi(_ReportActionApi):
    """Send a submitted report back to the mission with a comment (HQ reviewer, budget administrator)."""

    action = "return"

    class InputSerializer(StrictInputSerializer):
        comment = NonBlankCharField(max_length=TEXT_LIMIT, allow_blank=True)

    @extend_schema(request=InputSerializer, responses=ReportSerializer)
    def post(self, request, pk: int):
        return super().post(request, pk)

    def act(self, report, data, user):
        return workflow.report_return(report=report, by=user, comment=data["comment"])


class ReportAcceptApi(_ReportActionApi):
    """Accept a submitted report; it is locked from then on (HQ reviewer, budget administrator)."""

    action = "accept"

    InputSerializer = NoInput

    @extend_schema(request=InputSerializer, responses=ReportSerializer)
    def post(self, request, pk: int):
        return super().post(request, pk)

    def act(self, report, data, user):
        return workflow.report_accept(report=report, by=user)


class ReportReopenApi(_ReportActionApi):
    """Open an accepted report again, with the reason (budget administrator)."""

    action = "reopen"

    class InputSerializer(StrictInputSerializer):
        reason = NonBlankCharField(max_length=TEXT_LIMIT, allow_blank=True)

    @extend_schema(request=InputSerializer, responses=ReportSerializer)
    def post(self, request, pk: int):
        return super().post(request, pk)

    def act(self, report, data, user):
        try:
            return workflow.report_reopen(report=report, by=user, reason=data["reason"])
        except DomainError as exc:
            if exc.code == "reason_required":
                exc.field = "reason"  # the service names the stored field; the API calls it reason
            raise


class ReportOpenPerformanceApi(_ReportActionApi):
    """Open the performance phase of a report whose budget proposal was accepted (budget administrator).

    The planned side stays frozen; the actual side opens for entry and the workflow starts from draft.
    """

    action = "open_performance"

    InputSerializer = NoInput

    @extend_schema(request=InputSerializer, responses=ReportSerializer)
    def post(self, request, pk: int):
        return super().post(request, pk)

    def act(self, report, data, user):
        return workflow.report_performance_open(report=report, by=user)


# --- the budget cycle --------------------------------------------------------------------------


# A period label the schema can state exactly: a calendar year (2025) or a 1 July – 30 June
# period whose second year follows the first (2021/22, 2099/00), years 1000–2999 (a date's
# range). A schema-valid label is then one roll-forward understands (missions.periods).
PERIOD_LABEL_PATTERN = "^(?:[12][0-9]{3}|[12][0-9](?:%s))$" % "|".join(f"{n:02d}/{(n + 1) % 100:02d}" for n in range(100))


@extend_schema_field({"type": "string", "pattern": PERIOD_LABEL_PATTERN, "maxLength": 7})
class PeriodLabelField(StrictCharField):
    def __init__(self, **kwargs):
        super().__init__(max_length=7, trim_whitespace=False, **kwargs)

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if not re.fullmatch(PERIOD_LABEL_PATTERN, value):
            raise serializers.ValidationError(LABEL_NOT_UNDERSTOOD % {"label": value}, code="period_label")
        return value


class ReportRollForwardApi(APIView):
    """Copy the report's framework into the entity's budget proposal for a later period (planning, draft).

    Budget administrators; a mission's approver for their mission. 409 `framework_exists` when
    the target report already has a framework. Answers with the new report.
    """

    class InputSerializer(StrictInputSerializer):
        period = PeriodLabelField(help_text="The new period's label, e.g. 2021/22 or 2025.")

    @extend_schema(request=InputSerializer, responses={201: ReportSerializer})
    def post(self, request, pk: int):
        report = report_get_for_user(user=request.user, pk=pk)
        if not roll_forward_permitted(report=report, user=request.user):
            raise NotPermitted()
        payload = self.InputSerializer(data=request.data if request.data is not None else {})
        payload.is_valid(raise_exception=True)
        target = report_roll_forward(source=report, to_label=payload.validated_data["period"], by=request.user)
        target = report_get_for_user(user=request.user, pk=target.pk)
        return Response(ReportSerializer(target, context={"request": request}).data, status=status.HTTP_201_CREATED)


class ReportBaselinesRefreshApi(APIView):
    """Rewrite a draft proposal's machine-written baselines from their sources (overrides stay).

    The mission's focal points and approvers, budget administrators; 409 once the proposal was submitted.
    """

    class OutputSerializer(serializers.Serializer):
        changed = serializers.IntegerField()

    @extend_schema(request=NoInput, responses=OutputSerializer)
    def post(self, request, pk: int):
        report = report_get_for_user(user=request.user, pk=pk)
        access = access_for_user(request.user)
        if not (access_may_enter_data(access, mission_id=report.mission_id)
                or access.has_role(report.mission_id, Membership.Role.BUDGET_ADMIN)):
            raise NotPermitted()
        NoInput(data=request.data if request.data is not None else {}).is_valid(raise_exception=True)
        if not baselines_follow(report):
            raise TransitionNotAllowed(extra={"status": report.status, "phase": report.phase, "action": "refresh_baselines"})
        return Response(self.OutputSerializer({"changed": baselines_refresh(report=report)}).data)


class QualityFlagSerializer(serializers.Serializer):
    code = serializers.CharField()
    severity = serializers.ChoiceField(choices=[quality.HARD, quality.SOFT])
    message = serializers.CharField()
    kind = serializers.ChoiceField(choices=["indicator", "accomplishment", "output"])
    item_id = serializers.IntegerField()
    label = serializers.CharField()


class ReportQualityApi(APIView):
    """The design-time quality flags of the report's framework (hard ones block a proposal's submission).

    Messages in the request's language (`Accept-Language: zh-hans` or `en`).
    """

    class OutputSerializer(serializers.Serializer):
        hard = serializers.IntegerField()
        soft = serializers.IntegerField()
        flags = QualityFlagSerializer(many=True)

    @extend_schema(responses=OutputSerializer)
    def get(self, request, pk: int):
        report = report_get_for_user(user=request.user, pk=pk)
        flags = quality.report_quality(report=report)
        hard = sum(1 for flag in flags if flag.is_hard)
        data = {"hard": hard, "soft": len(flags) - hard, "flags": flags}
        return Response(self.OutputSerializer(data).data)


# --- narrative tables --------------------------------------------------------------------------

LANGUAGES = [choice for choice, _label in ExportJob.Language.choices]


def _language(value: str | None) -> str:
    if value:
        return value
    return ExportJob.Language.ZH_HANS if (get_language() or "en").lower().startswith("zh") else ExportJob.Language.EN


class ReportNarrativeApi(APIView):
    """The report's narrative tables (II.E frameworks, resources, variances) as structured JSON.

    Sections hold paragraphs, tables and variance entries; every cell has its printed `text`
    ("30 745.2", "(8.9)", "—") and its raw `value` (a decimal string, a code, or null).
    """

    class InputSerializer(serializers.Serializer):
        language = serializers.ChoiceField(choices=LANGUAGES, required=False)

    @extend_schema(
        parameters=[OpenApiParameter("language", str, enum=LANGUAGES, description="Labels' language; default: the request's.")],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request, pk: int):
        query = self.InputSerializer(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        report = report_get_for_user(user=request.user, pk=pk)
        document = document_build(report=report, language=_language(query.validated_data.get("language")))
        return Response({"report": ReportSerializer(report, context={"request": request}).data, **document.as_dict()})


# --- narrative export jobs ---------------------------------------------------------------------


class ExportJobSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    report_id = serializers.IntegerField(read_only=True)
    format = serializers.ChoiceField(choices=ExportJob.Format.choices, read_only=True)
    language = serializers.ChoiceField(choices=ExportJob.Language.choices, read_only=True)
    status = serializers.ChoiceField(choices=ExportJob.Status.choices, read_only=True)
    progress = serializers.IntegerField(read_only=True)
    error = serializers.CharField(read_only=True)
    has_file = serializers.SerializerMethodField()
    requester = serializers.CharField(source="requester.username", read_only=True, allow_null=True)
    created_at = serializers.DateTimeField(read_only=True)
    started_at = serializers.DateTimeField(read_only=True, allow_null=True)
    finished_at = serializers.DateTimeField(read_only=True, allow_null=True)

    def get_has_file(self, job) -> bool:
        return job.status == ExportJob.Status.DONE and bool(job.file)


class ExportJobListApi(ListAPIView):
    """Narrative exports of the reports you see, newest first."""

    OutputSerializer = ExportJobSerializer
    serializer_class = OutputSerializer
    pagination_class = PagePagination
    ordering_fields = ["id", "created_at"]

    filterset_class = ExportJobFilter

    def get_queryset(self):
        return export_job_list_for_user(user=self.request.user)


class ExportJobCreateApi(APIView):
    """Queue an export of the report's narrative tables (DOCX, XLSX, PDF, HTML); poll its status."""

    class InputSerializer(StrictInputSerializer):
        format = serializers.ChoiceField(choices=ExportJob.Format.choices)
        language = serializers.ChoiceField(choices=ExportJob.Language.choices, required=False)

    OutputSerializer = ExportJobSerializer

    @extend_schema(request=InputSerializer, responses={202: OutputSerializer})
    def post(self, request, pk: int):
        report = report_get_for_user(user=request.user, pk=pk)
        payload = self.InputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        job = export_job_create(
            report=report, requester=request.user, file_format=payload.validated_data["format"],
            language=_language(payload.validated_data.get("language")),
        )
        job.refresh_from_db()  # an eager task may have finished it already
        return Response(self.OutputSerializer(job).data, status=status.HTTP_202_ACCEPTED)


class ExportJobDetailApi(APIView):
    OutputSerializer = ExportJobSerializer

    @extend_schema(responses=OutputSerializer)
    def get(self, request, pk: int):
        return Response(self.OutputSerializer(export_job_get_for_user(user=request.user, pk=pk)).data)


class ExportJobDownloadApi(APIView):
    """The finished file of an export; 404 while it is queued or running, or when it failed."""

    content_negotiation_class = FirstRendererNegotiation

    # The file's own media type, as served (DOCX, XLSX, PDF or HTML).
    @extend_schema(responses={(200, media_type.split(";")[0]): OpenApiTypes.BINARY for media_type in CONTENT_TYPES.values()})
    def get(self, request, pk: int):
        job = export_job_get_for_user(user=request.user, pk=pk)
        if job.status != ExportJob.Status.DONE or not job.file or not job.file.storage.exists(job.file.name):
            raise Http404
        report = job.report
        filename = f"{report.mission.code}-{label_slug(report.period.label)}-narrative-{job.language}.{job.format}"
        response = FileResponse(job.file.open("rb"), as_attachment=True, filename=filename)
        response["Content-Type"] = CONTENT_TYPES[job.format]
        return response


# --- bulk export -------------------------------------------------------------------------------

NDJSON = "application/x-ndjson"
CSV = "text/csv"


class BulkExportApi(APIView):
    """Every indicator and output of a period, streamed as NDJSON (one JSON object a line) or CSV.

    HQ reviewers, budget administrators and all-mission viewers get every mission; mission
    staff get their own. `bom=true` starts the CSV with a byte-order mark for Excel.
    """

    content_negotiation_class = FirstRendererNegotiation

    class InputSerializer(serializers.Serializer):
        period = StrictCharField(max_length=20, help_text="Period label, for example 2020/21.")
        mission = StrictCharField(max_length=40, required=False, help_text="Mission code, for example UNMIK.")
        report_type = StrictCharField(max_length=40, required=False, help_text="Report type code: mission, support-account.")
        format = serializers.ChoiceField(choices=["ndjson", "csv"], required=False, default="ndjson", help_text="Default ndjson.")
        bom = QueryBooleanField(required=False, default=False, help_text="CSV only: start with a UTF-8 byte-order mark.")
        table = serializers.ChoiceField(
            choices=["items", "unit_resources"], required=False, default="items",
            help_text="items (default): indicators and outputs; unit_resources: apportionment, expenditure and "
                      "variance by department/office (or component).",
        )

        content = serializers.ChoiceField(
            choices=["items", "requests"], required=False, default="items",
            help_text="items (default): indicators and outputs; requests: the follow-up ledger's assignments and responses (docs/ledger.md).",
        )

    @extend_schema(
        parameters=[InputSerializer],  # the query's rules (lengths, choices) as the serializer applies them
        responses={
            (200, NDJSON): OpenApiResponse(OpenApiTypes.STR, description="One JSON object per line."),
            (200, CSV): OpenApiResponse(OpenApiTypes.STR, description="A header row, then one row per item."),
        },
    )
    def get(self, request):
        query = self.InputSerializer(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        options = query.validated_data
        period = options["period"]
        if not BudgetPeriod.objects.filter(label=period).exists():
            raise Http404
        scope = {"user": request.user, "period": period, "mission": options.get("mission"), "report_type": options.get("report_type")}
        if scope["mission"] and not report_list_for_user(user=request.user).filter(mission__code__iexact=scope["mission"]).exists():
            raise Http404  # another mission's data does not exist for you
        name = "-".join(part for part in ("rbb", options.get("mission"), label_slug(period)) if part)
        if options["content"] == "requests":
            return self._requests(scope, options, name + "-requests")
        if options["table"] == "unit_resources":
            unit_rows = export.export_unit_resource_rows(**scope)
            name += "-by-unit"
            if options["format"] == "csv":
                response = StreamingHttpResponse(export.unit_resource_csv_lines(unit_rows, bom=options["bom"]), content_type=f"{CSV}; charset=utf-8")
                response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
            else:
                response = StreamingHttpResponse(export.unit_resource_ndjson_lines(unit_rows), content_type=f"{NDJSON}; charset=utf-8")
                response["Content-Disposition"] = f'attachment; filename="{name}.ndjson"'
            return response
        rows = export.export_rows(**scope)
        if options["format"] == "csv":
            response = StreamingHttpResponse(export.csv_lines(rows, bom=options["bom"]), content_type=f"{CSV}; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        else:
            response = StreamingHttpResponse(export.ndjson_lines(rows), content_type=f"{NDJSON}; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="{name}.ndjson"'
        return response


    def _requests(self, scope: dict, options: dict, name: str):
        rows = ledger_export.request_rows(**scope)
        if options["format"] == "csv":
            response = StreamingHttpResponse(ledger_export.csv_lines(rows, bom=options["bom"]), content_type=f"{CSV}; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        else:
            response = StreamingHttpResponse(ledger_export.ndjson_lines(rows), content_type=f"{NDJSON}; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="{name}.ndjson"'
        return response


# --- IATI --------------------------------------------------------------------------------------

XML = "application/xml"


class IatiNotPublishable(Conflict):
    default_code = "iati_not_publishable"
    default_message = _("The IATI file is not ready for publication; extra.problems says why (ask for ?preview=true to see it).")


class IatiQuery(serializers.Serializer):
    preview = QueryBooleanField(
        required=False, default=False,
        help_text="true: the file as it is, for a look (the problems an IATI registry would find are listed in an XML "
                  "comment). Default: for publication, refused (409 iati_not_publishable) while any rule of docs/api.md fails.",
    )


IATI_RESPONSES = {
    (200, XML): OpenApiResponse(OpenApiTypes.STR, description="IATI 2.03 activity XML."),
    409: OpenApiResponse(description="Not ready for publication (iati_not_publishable): extra.problems lists the broken rules."),
}


def _xml_response(reports, name: str, *, preview: bool) -> HttpResponse:
    """The document for publication only when it meets the registry's rules (rbb.iati.rules)."""
    xml = activities_build(reports)
    problems = publication_problems(xml)
    if problems and not preview:
        raise IatiNotPublishable(extra={"problems": problems})
    if preview:
        note = "Preview, not for publication." + "".join(f"\n- {problem}" for problem in problems)
        head, _sep, body = xml.partition(b"?>")
        comment = etree.tostring(etree.Comment(" " + note.replace("--", "- -") + " "), encoding="UTF-8")
        xml = head + b"?>\n" + comment + body
    response = HttpResponse(xml, content_type=f"{XML}; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{name}.xml"'
    return response


class ReportIatiApi(APIView):
    """The report's results as an IATI 2.03 activity (iati-activities with one iati-activity)."""

    content_negotiation_class = FirstRendererNegotiation

    @extend_schema(parameters=[IatiQuery], responses=IATI_RESPONSES)
    def get(self, request, pk: int):
        query = IatiQuery(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        reports = distribute_outputs(reports_with_framework(report_list_for_user(user=request.user).filter(pk=pk)))
        if not reports:
            raise Http404  # another mission's report does not exist for you
        report = reports[0]
        return _xml_response(reports, f"iati-{report.mission.code}-{label_slug(report.period.label)}",
                             preview=query.validated_data["preview"])


class PeriodIatiApi(APIView):
    """One IATI activity per report of the period that you may see."""

    content_negotiation_class = FirstRendererNegotiation

    class InputSerializer(IatiQuery):
        period = StrictCharField(max_length=20, help_text="Period label, for example 2020/21.")
        mission = StrictCharField(max_length=40, required=False, help_text="Mission code, for example UNMIK.")

    @extend_schema(parameters=[InputSerializer], responses=IATI_RESPONSES)
    def get(self, request):
        query = self.InputSerializer(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        reports = report_list_for_user(user=request.user).filter(period__label=query.validated_data["period"])
        if query.validated_data.get("mission"):
            reports = reports.filter(mission__code__iexact=query.validated_data["mission"])
        reports = distribute_outputs(reports_with_framework(reports))
        if not reports:
            raise Http404  # iati-activities needs at least one activity
        return _xml_response(reports, f"iati-{label_slug(query.validated_data['period'])}", preview=query.validated_data["preview"])

