"""Admin for resource class lists (editable: they are data per report type) and per-report figures
(read-only here: figures change through the pages, whose services keep the audit trail).

Import this module at the end of missions/admin.py: it extends the ReportType admin registered
there with inlines for the class lists.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .admin import ScopedAdminMixin  # defined before missions/admin.py imports this module
from .models import (
    FinancialClass,
    FinancialLine,
    Redeployment,
    ReportType,
    RevenueLine,
    StaffCategory,
    StaffIncumbency,
    VarianceExplanation,
)


class _ParentWithinReportType:
    """Offer only groups of the report type being edited as parents."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "parent":
            object_id = request.resolver_match.kwargs.get("object_id") if request.resolver_match else None
            kwargs["queryset"] = (
                self.model.objects.filter(report_type_id=object_id, kind="group", period__isnull=True)
                if object_id else self.model.objects.none()
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_queryset(self, request):
        # The inline edits the report type's base list; periods' own lists are edited on the
        # class-list page (/class-lists/), which keeps their reports' figures attached.
        return super().get_queryset(request).filter(period__isnull=True)


class FinancialClassInline(_ParentWithinReportType, admin.TabularInline):
    model = FinancialClass
    fields = ["order", "code", "name_en", "name_zh", "kind", "parent", "in_totals"]
    extra = 0
    ordering = ["order", "id"]


class StaffCategoryInline(_ParentWithinReportType, admin.TabularInline):
    model = StaffCategory
    fields = ["order", "code", "name_en", "name_zh", "kind", "parent"]
    extra = 0
    ordering = ["order", "id"]


_base = type(admin.site.get_model_admin(ReportType)) if admin.site.is_registered(ReportType) else admin.ModelAdmin
if admin.site.is_registered(ReportType):
    admin.site.unregister(ReportType)


@admin.register(ReportType)
class ReportTypeWithClassListsAdmin(_base):
    """The report type with its thresholds, financial classes and staff categories on one page."""

    inlines = [*getattr(_base, "inlines", []), FinancialClassInline, StaffCategoryInline]


@admin.register(FinancialClass)
class FinancialClassAdmin(admin.ModelAdmin):
    list_display = ["report_type", "period", "order", "code", "name_en", "name_zh", "kind", "parent", "in_totals"]
    list_filter = ["report_type", "period", "kind", "in_totals"]
    search_fields = ["code", "name_en", "name_zh"]
    list_select_related = ["report_type", "period", "parent"]
    ordering = ["report_type", "period", "order", "id"]


@admin.register(StaffCategory)
class StaffCategoryAdmin(admin.ModelAdmin):
    list_display = ["report_type", "period", "order", "code", "name_en", "name_zh", "kind", "parent"]
    list_filter = ["report_type", "period", "kind"]
    search_fields = ["code", "name_en", "name_zh"]
    list_select_related = ["report_type", "period", "parent"]
    ordering = ["report_type", "period", "order", "id"]


class _ReadOnlyReportDataAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Per-report figures: visible to whoever sees the mission, edited only through the pages."""

    mission_path = "report__mission"

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(FinancialLine)
class FinancialLineAdmin(_ReadOnlyReportDataAdmin):
    list_display = ["report", "financial_class", "apportionment", "expenditure", "version", "updated_at", "updated_by"]
    list_filter = ["report__period", "report__mission", "financial_class__report_type"]
    search_fields = ["financial_class__name_en", "financial_class__name_zh", "report__mission__code"]
    list_select_related = ["report__mission", "report__period", "financial_class", "updated_by"]


@admin.register(VarianceExplanation)
class VarianceExplanationAdmin(_ReadOnlyReportDataAdmin):
    mission_path = "line__report__mission"
    list_display = ["line", "short_main", "version", "updated_at", "updated_by"]
    list_filter = ["line__report__period", "line__report__mission"]
    search_fields = ["main", "offset"]
    list_select_related = ["line__financial_class", "updated_by"]

    @admin.display(description=_("explanation"))
    def short_main(self, obj):
        return obj.main[:80]


@admin.register(Redeployment)
class RedeploymentAdmin(_ReadOnlyReportDataAdmin):
    list_display = ["report", "category", "original", "redeployment", "version"]
    list_filter = ["report__period", "report__mission"]
    list_select_related = ["report__mission", "report__period", "category"]


@admin.register(RevenueLine)
class RevenueLineAdmin(_ReadOnlyReportDataAdmin):
    list_display = ["report", "table", "name_en", "name_zh", "amount", "version"]
    list_filter = ["table", "report__period", "report__mission"]
    list_select_related = ["report__mission", "report__period"]


@admin.register(StaffIncumbency)
class StaffIncumbencyAdmin(_ReadOnlyReportDataAdmin):
    list_display = ["report", "category", "authorized", "actual_average", "method", "vacancy_rate_entered", "version"]
    list_filter = ["method", "report__period", "report__mission"]
    list_select_related = ["report__mission", "report__period", "category"]
