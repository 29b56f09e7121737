from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from .models import BudgetPeriod, ChangeRecord, Membership, Mission, Report, ReportEvent, ReportType, Unit
from .selectors import access_for_user


class ScopedAdminMixin:
    """Limit admin lists to the missions the staff user may see (budget admins see all)."""

    mission_path = "mission"

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        access = access_for_user(request.user)
        if access.sees_all_missions:
            return qs
        return qs.filter(**{f"{self.mission_path}__in": list(access.mission_roles)})


class LockedReportMixin:
    """Rows of a submitted or accepted report, or of an accepted proposal, are read-only here too."""

    report_path = "report"

    def _report_of(self, obj):
        for part in self.report_path.split("__"):
            obj = getattr(obj, part)
        return obj

    def has_change_permission(self, request, obj=None):
        if obj is not None and self._report_of(obj).planned_side_frozen:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and self._report_of(obj).planned_side_frozen:
            return False
        return super().has_delete_permission(request, obj)


@admin.register(Mission)
class MissionAdmin(ScopedAdminMixin, admin.ModelAdmin):
    mission_path = "pk"
    list_display = ["code", "name_en", "name_zh", "iati_recipient_country", "iati_recipient_region", "iati_sector_code"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    search_fields = ["code", "name_en", "name_zh", "short_name_en", "short_name_zh"]
    fieldsets = [
        (None, {"fields": ["code", "name_en", "name_zh", "short_name_en", "short_name_zh", "mandate_references",
                           "overall_objective", "overall_objective_en"]}),
        (_("IATI publication"), {
            "description": _("Where the entity works and in which sector, as IATI registries require of each activity."),
            "fields": ["iati_recipient_country", "iati_recipient_region", "iati_sector_vocabulary", "iati_sector_code",
                       "iati_sector_vocabulary_uri"],
        }),
    ]


@admin.register(BudgetPeriod)
class BudgetPeriodAdmin(admin.ModelAdmin):
    list_display = ["label", "start", "end", "kind"]
    list_filter = ["kind"]
    search_fields = ["label"]


@admin.register(ReportType)
class ReportTypeAdmin(admin.ModelAdmin):
    list_display = ["code", "name_en", "name_zh", "shape", "variance_threshold_percent", "variance_threshold_usd"]
    list_filter = ["shape"]
    search_fields = ["code", "name_en", "name_zh"]


class UnitInline(admin.TabularInline):
    model = Unit
    fields = ["order", "number", "kind", "title", "parent"]
    extra = 0
    show_change_link = True

    # The report's units are its framework: frozen with it.
    def has_add_permission(self, request, obj=None):
        return not (obj is not None and obj.planned_side_frozen) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not (obj is not None and obj.planned_side_frozen) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not (obj is not None and obj.planned_side_frozen) and super().has_delete_permission(request, obj)


class ReportEventInline(admin.TabularInline):
    model = ReportEvent
    fields = ["created_at", "actor", "action", "from_status", "to_status", "comment"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Report)
class ReportAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["mission", "period", "report_type", "phase", "status", "due_date", "updated_at"]
    list_filter = ["phase", "status", "report_type", "period"]
    search_fields = ["mission__code", "mission__name_en", "mission__name_zh", "symbol"]
    list_select_related = ["mission", "period", "report_type"]
    # The state moves only through the workflow services, which keep the event trail.
    readonly_fields = ["status", "proposal_accepted_at", "created_at", "updated_at"]

    def get_readonly_fields(self, request, obj=None):
        # A new report may start in either phase; afterwards the phase moves only through the
        # workflow (rbb.workflow.report_performance_open), which keeps the event trail.
        return [*self.readonly_fields, "phase"] if obj is not None else self.readonly_fields
    inlines = [UnitInline, ReportEventInline]


@admin.register(Unit)
class UnitAdmin(ScopedAdminMixin, LockedReportMixin, admin.ModelAdmin):
    mission_path = "report__mission"
    list_display = ["number", "title", "kind", "report"]
    list_filter = ["kind", "report__period", "report__mission"]
    search_fields = ["number", "title", "report__mission__code"]
    list_select_related = ["report__mission", "report__period"]


@admin.register(Membership)
class MembershipAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["user", "role", "mission", "unit_numbers"]
    list_filter = ["role", "mission"]
    search_fields = ["user__username", "user__email", "mission__code"]
    autocomplete_fields = ["user"]
    list_select_related = ["user", "mission"]


@admin.register(ReportEvent)
class ReportEventAdmin(ScopedAdminMixin, admin.ModelAdmin):
    mission_path = "report__mission"
    list_display = ["created_at", "report", "actor", "action", "from_status", "to_status"]
    list_filter = ["action", "to_status", "report__period"]
    search_fields = ["report__mission__code", "actor__username", "comment"]
    list_select_related = ["report__mission", "report__period", "actor"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ChangeRecord)
class ChangeRecordAdmin(ScopedAdminMixin, admin.ModelAdmin):
    mission_path = "report__mission"
    list_display = ["created_at", "report", "item_type", "item_label", "field", "short_old", "short_new", "actor"]
    list_filter = ["item_type", "field", "report__period"]
    search_fields = ["item_label", "old_value", "new_value", "actor__username", "report__mission__code"]
    list_select_related = ["report__mission", "report__period", "actor"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("old value"))
    def short_old(self, obj):
        return obj.old_value[:80]

    @admin.display(description=_("new value"))
    def short_new(self, obj):
        return obj.new_value[:80]


# Resource tables register their admin last: it extends ReportTypeAdmin above with inlines.
from . import admin_resources  # noqa: E402,F401
