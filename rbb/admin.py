from django.contrib import admin

from missions.admin import ScopedAdminMixin
from missions.selectors import access_for_user

from .models import Comment, DeadlineReminder, ExportJob, Notification, Submission


class ReadOnlyAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Records the system writes; people look, nobody edits."""

    mission_path = "report__mission"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "report", "kind", "is_open", "recipients"]
    list_filter = ["kind", "is_open"]
    search_fields = ["report__mission__code", "recipients"]
    list_select_related = ["report__mission", "report__period"]


@admin.register(ExportJob)
class ExportJobAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "report", "format", "language", "status", "progress", "requester"]
    list_filter = ["status", "format", "language"]
    search_fields = ["report__mission__code", "requester__username", "error"]
    list_select_related = ["report__mission", "report__period", "requester"]


@admin.register(Comment)
class CommentAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "report", "item_label", "author", "parent", "resolved_at"]
    list_filter = ["item_kind", ("resolved_at", admin.EmptyFieldListFilter)]
    search_fields = ["report__mission__code", "item_label", "body", "author__username"]
    list_select_related = ["report__mission", "report__period", "author"]

    def get_queryset(self, request):
        # Comments are between headquarters and the mission: viewers of every mission do not read them.
        qs = admin.ModelAdmin.get_queryset(self, request)
        access = access_for_user(request.user)
        return qs if access.is_hq else qs.filter(report__mission__in=list(access.mission_roles))

    def has_delete_permission(self, request, obj=None):
        return False  # the review's record: never deleted on its own


@admin.register(Submission)
class SubmissionAdmin(ReadOnlyAdmin):
    list_display = ["submitted_at", "report", "number", "submitted_by"]
    search_fields = ["report__mission__code"]
    list_select_related = ["report__mission", "report__period", "submitted_by"]


@admin.register(DeadlineReminder)
class DeadlineReminderAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "report", "kind", "due_date", "recipients"]
    list_filter = ["kind"]
    search_fields = ["report__mission__code", "recipients"]
    list_select_related = ["report__mission", "report__period"]
