"""Admin of programme plans: scoped like every report, read-only once the report is submitted or accepted.

Actuals are entered on the entry page (versioned and audited); here a budget administrator
corrects the plan's structure. The deliverable categories A–D are fixed data (a migration).
"""

from django.contrib import admin

from missions.admin import LockedReportMixin, ScopedAdminMixin

from .models import Deliverable, DeliverableCategory, DeliverableSubcategory, Result, Subprogramme


@admin.register(DeliverableCategory)
class DeliverableCategoryAdmin(admin.ModelAdmin):
    list_display = ["code", "name_zh", "name_en", "order"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Subprogramme)
class SubprogrammeAdmin(ScopedAdminMixin, LockedReportMixin, admin.ModelAdmin):
    mission_path = "report__mission"
    report_path = "report"
    list_display = ["number", "title", "title_en", "report"]
    list_filter = ["report__period", "report__mission"]
    list_select_related = ["report__mission", "report__period"]
    readonly_fields = ["lineage"]


@admin.register(Result)
class ResultAdmin(ScopedAdminMixin, LockedReportMixin, admin.ModelAdmin):
    mission_path = "subprogramme__report__mission"
    report_path = "subprogramme__report"
    list_display = ["title", "kind", "number", "subprogramme"]
    list_select_related = ["subprogramme"]
    readonly_fields = ["lineage"]


@admin.register(DeliverableSubcategory)
class DeliverableSubcategoryAdmin(ScopedAdminMixin, LockedReportMixin, admin.ModelAdmin):
    mission_path = "subprogramme__report__mission"
    report_path = "subprogramme__report"
    list_display = ["name", "unit", "category", "subprogramme"]
    list_select_related = ["subprogramme", "category"]
    readonly_fields = ["lineage", "printed_totals"]


@admin.register(Deliverable)
class DeliverableAdmin(ScopedAdminMixin, LockedReportMixin, admin.ModelAdmin):
    mission_path = "subcategory__subprogramme__report__mission"
    report_path = "subcategory__subprogramme__report"
    list_display = ["number", "description", "prior_planned", "prior_actual", "previous_planned", "planned", "subcategory"]
    list_select_related = ["subcategory__subprogramme"]
    # The year−2 actual and its explanation are entered through the service (versioned, audited).
    readonly_fields = ["lineage", "prior_actual", "explanation", "explanation_en", "version", "updated_at", "updated_by"]
