from django.contrib import admin

from missions.admin import LockedReportMixin, ScopedAdminMixin

from .models import Assignment, Evidence, Request, Response, SourceDocument


class RequestInline(admin.TabularInline):
    model = Request
    extra = 0
    fields = ("order", "paragraph", "kind", "addressed_to", "text", "text_en")


@admin.register(SourceDocument)
class SourceDocumentAdmin(admin.ModelAdmin):
    list_display = ("symbol", "body", "date", "title")
    list_filter = ("body",)
    search_fields = ("symbol", "title", "title_en")
    inlines = [RequestInline]


@admin.register(Assignment)
class AssignmentAdmin(LockedReportMixin, ScopedAdminMixin, admin.ModelAdmin):
    """A locked report's assignments are read-only here too, like on every other route."""

    mission_path = "report__mission"
    list_display = ("request", "report", "due_date", "carried_from")
    list_filter = ("request__source__body", "report__period")
    raw_id_fields = ("request", "report", "carried_from", "units", "accomplishments", "indicators", "outputs")
    list_select_related = ("request__source", "report__mission", "report__period")


@admin.register(Response)
class ResponseAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Read-only: responses are written on their page or through the API, with the version check,
    the rules and the audit trail (rbb.ledger.services.response_record)."""

    mission_path = "assignment__report__mission"
    list_display = ("assignment", "status", "version", "updated_at")
    list_filter = ("status",)
    list_select_related = ("assignment__request__source", "assignment__report__mission", "assignment__report__period")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Evidence)
class EvidenceAdmin(ScopedAdminMixin, admin.ModelAdmin):
    mission_path = "response__assignment__report__mission"
    list_display = ("response", "label", "link", "file", "created_at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
