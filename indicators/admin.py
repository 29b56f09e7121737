from django.contrib import admin

from missions.admin import LockedReportMixin, ScopedAdminMixin

from .baselines import baseline_override
from .models import ExpectedAccomplishment, Indicator, IndicatorFigure, Output

ACTUAL_READONLY = ["version", "updated_at", "updated_by"]


class LockedInlineMixin:
    """Inline rows under a locked report, or under an accepted proposal, are read-only."""

    def _locked(self, obj):
        return obj is not None and obj.unit.report.planned_side_frozen

    def has_change_permission(self, request, obj=None):
        return not self._locked(obj) and super().has_change_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        return not self._locked(obj) and super().has_add_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._locked(obj) and super().has_delete_permission(request, obj)


class IndicatorInline(LockedInlineMixin, admin.StackedInline):
    model = Indicator
    fields = ["order", "number", "statement", "statement_en", "measure", "direction"]
    extra = 0
    show_change_link = True


class OutputInline(LockedInlineMixin, admin.StackedInline):
    model = Output
    fields = ["order", "number", "heading", "heading_en", "planned_text", "planned_text_en", "planned_quantity", "quantity_carried_over"]
    extra = 0
    show_change_link = True


@admin.register(ExpectedAccomplishment)
class ExpectedAccomplishmentAdmin(ScopedAdminMixin, LockedReportMixin, admin.ModelAdmin):
    mission_path = "unit__report__mission"
    report_path = "unit__report"
    list_display = ["number", "text", "unit", "report"]
    list_filter = ["unit__report__period", "unit__report__mission"]
    search_fields = ["number", "text", "unit__title"]
    list_select_related = ["unit__report__mission", "unit__report__period"]
    inlines = [IndicatorInline, OutputInline]

    @admin.display(description="report")
    def report(self, obj):
        return obj.unit.report


class IndicatorFigureInline(admin.TabularInline):
    model = IndicatorFigure
    fields = ["order", "kind", "period_label", "printed", "value", "comparator", "tolerance", "not_applicable", "source", "overridden"]
    readonly_fields = ["value", "comparator", "tolerance", "not_applicable", "source", "overridden"]
    extra = 0

    def has_change_permission(self, request, obj=None):
        return not self._locked(obj) and super().has_change_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        return not self._locked(obj) and super().has_add_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._locked(obj) and super().has_delete_permission(request, obj)

    def _locked(self, obj):
        return obj is not None and obj.accomplishment.unit.report.planned_side_frozen


@admin.register(Indicator)
class IndicatorAdmin(ScopedAdminMixin, LockedReportMixin, admin.ModelAdmin):
    mission_path = "accomplishment__unit__report__mission"
    report_path = "accomplishment__unit__report"
    list_display = ["number", "statement", "direction", "measure", "actual", "version", "updated_at"]
    list_filter = ["direction", "measure", "accomplishment__unit__report__period", "accomplishment__unit__report__mission"]
    search_fields = ["number", "statement", "statement_en", "actual_narrative", "variance_explanation"]
    # The actual side (in both languages) changes only through indicators.services (version check, lock, audit).
    readonly_fields = ACTUAL_READONLY + [
        "actual", "actual_value", "actual_narrative", "variance_explanation", "actual_narrative_en", "variance_explanation_en",
    ]
    list_select_related = ["accomplishment"]
    inlines = [IndicatorFigureInline]


    def save_formset(self, request, form, formset, change):
        # A person's value for a machine-written baseline overrides it (indicators.baselines).
        retyped = {f.instance.pk for f in formset.forms if f.instance.pk and "printed" in f.changed_data}
        for figure in formset.save(commit=False):
            if figure.pk in retyped:
                baseline_override(figure=figure, printed=figure.printed)
            else:
                figure.set_printed(figure.printed)
            figure.save()
        for figure in formset.deleted_objects:
            figure.delete()


@admin.register(Output)
class OutputAdmin(ScopedAdminMixin, LockedReportMixin, admin.ModelAdmin):
    # Every output has a unit (a headquarters unit's own outputs have no accomplishment).
    mission_path = "unit__report__mission"
    report_path = "unit__report"
    list_display = ["number", "planned_text", "heading", "completed_kind", "completed", "version", "updated_at"]
    list_filter = ["completed_kind", "quantity_carried_over", "unit__report__period", "unit__report__mission"]
    raw_id_fields = ["unit", "accomplishment"]
    search_fields = ["planned_text", "planned_text_en", "remarks", "heading"]
    # The delivery side (in both languages) changes only through indicators.services (version check, lock, audit).
    readonly_fields = ACTUAL_READONLY + ["planned_value", "completed_kind", "completed", "completed_value", "remarks", "remarks_en"]
    list_select_related = ["unit", "accomplishment"]

    def save_model(self, request, obj, form, change):
        if "planned_quantity" in form.changed_data:
            obj.quantity_carried_over = False  # a person set it: confirmed
        obj.set_planned_quantity(obj.planned_quantity)
        super().save_model(request, obj, form, change)
