"""The workbook through the API: download it, upload it for a preview, confirm the preview.

The same services as the pages, so the same checks: a report of another mission is a 404, a
locked report a 409 with the reason, a workbook with problems a 400 listing each with its cell.
"""

from __future__ import annotations

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from missions.selectors import report_get_for_user
from rbb.api.serializers import StrictInputSerializer
from rbb.api.views import FirstRendererNegotiation

from .build import workbook_build
from .selectors import workbook_includes_resources, workbook_upload_get
from .services import workbook_confirm, workbook_preview
from .views import LANGUAGES, XLSX, workbook_filename


class FieldChangeSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    cell = serializers.CharField(help_text="The cell in its sheet, for example F7.")
    old = serializers.CharField(allow_blank=True, help_text="The value now in the report.")
    new = serializers.CharField(allow_blank=True, help_text="The value in the workbook.")


class ItemChangeSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="indicator:12, output:7, financial_line:3 …; the key of a choice.")
    type = serializers.CharField()
    id = serializers.IntegerField()
    label = serializers.CharField()
    sheet = serializers.CharField()
    row = serializers.IntegerField()
    version = serializers.IntegerField(help_text="The item's version when the workbook was downloaded.")
    current_version = serializers.IntegerField(help_text="Its version now.")
    conflict = serializers.BooleanField(help_text="Changed in the report since the download: choose mine or theirs.")
    fields = FieldChangeSerializer(many=True)


class WorkbookUploadSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    report_id = serializers.IntegerField()
    filename = serializers.CharField(allow_blank=True)
    status = serializers.CharField()
    expires_at = serializers.DateTimeField()
    changes = ItemChangeSerializer(many=True)


class WorkbookDownloadApi(APIView):
    """The report's workbook (XLSX) to fill offline; labels in `lang` (default: the request's language)."""

    content_negotiation_class = FirstRendererNegotiation

    class InputSerializer(StrictInputSerializer):
        lang = serializers.ChoiceField(choices=[code for code, _name in LANGUAGES], required=False)

    @extend_schema(
        parameters=[OpenApiParameter("lang", str, enum=[code for code, _name in LANGUAGES], description="Labels' language.")],
        responses={(200, XLSX): OpenApiResponse(OpenApiTypes.BINARY, description="The workbook.")},
    )
    def get(self, request, pk: int):
        query = self.InputSerializer(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        report = report_get_for_user(user=request.user, pk=pk)
        lang = query.validated_data.get("lang") or ("zh-hans" if request.LANGUAGE_CODE.startswith("zh") else "en")
        content = workbook_build(
            report=report, lang=lang, user=request.user,
            include_resources=workbook_includes_resources(user=request.user, report=report),
        )
        response = HttpResponse(content, content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="{workbook_filename(report, lang)}"'
        return response


class WorkbookPreviewApi(APIView):
    """Upload a filled workbook: answers with what it would change (nothing is written yet).

    A workbook with problems is refused with 400; `extra.problems` lists each with its sheet and
    cell. Confirm the preview with POST …/workbook/{upload_id}/confirm/.
    """

    parser_classes = [MultiPartParser]

    class InputSerializer(StrictInputSerializer):
        file = serializers.FileField()

    @extend_schema(request={"multipart/form-data": InputSerializer}, responses={201: WorkbookUploadSerializer})
    def post(self, request, pk: int):
        report = report_get_for_user(user=request.user, pk=pk)
        data = self.InputSerializer(data={"file": request.FILES.get("file")} if "file" in request.FILES else {})
        data.is_valid(raise_exception=True)
        upload = data.validated_data["file"]
        pending = workbook_preview(report=report, content=upload.read(), filename=upload.name or "", by=request.user)
        return Response(WorkbookUploadSerializer(pending).data, status=status.HTTP_201_CREATED)


class WorkbookUploadApi(APIView):
    """A pending upload's preview again (yours only, until it is confirmed or expires)."""

    @extend_schema(responses={200: WorkbookUploadSerializer})
    def get(self, request, pk: int, upload_id):
        report = report_get_for_user(user=request.user, pk=pk)
        return Response(WorkbookUploadSerializer(workbook_upload_get(report=report, pk=upload_id, owner=request.user)).data)


class WorkbookConfirmApi(APIView):
    """Apply a previewed upload, all or nothing; `choices` says "mine" or "theirs" for each conflict."""

    class InputSerializer(StrictInputSerializer):
        choices = serializers.DictField(child=serializers.ChoiceField(choices=["mine", "theirs"]), required=False)

    class OutputSerializer(serializers.Serializer):
        applied = serializers.IntegerField(help_text="How many items changed.")

    @extend_schema(request=InputSerializer, responses={200: OutputSerializer})
    def post(self, request, pk: int, upload_id):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        report = report_get_for_user(user=request.user, pk=pk)
        upload = workbook_upload_get(report=report, pk=upload_id, owner=request.user)
        applied = workbook_confirm(upload=upload, choices=data.validated_data.get("choices", {}), by=request.user)
        return Response({"applied": applied})
