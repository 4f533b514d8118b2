"""
Django admin for the plugin's data.

Employee IDs (the plugin's own mapping, the default source) and course settings are editable here.
History and removal audit records are read-only: the history is append-only and an audit record must
survive what it records.
"""

from django.contrib import admin

from .models import CourseConfig, HistoryEvent, IltSession, Learner, RemovalAudit


class ReadOnlyAdmin(admin.ModelAdmin):
    """
    An admin that shows records but never adds, changes or deletes them.
    """

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Learner)
class LearnerAdmin(admin.ModelAdmin):
    list_display = ("user", "name", "employee_id")
    search_fields = ("user__username", "user__email", "name", "employee_id")
    fields = ("user", "name", "employee_id")
    readonly_fields = ("user", "name")

    def has_add_permission(self, request):
        # Learners enter the directory when a course is assigned to them.
        return False


@admin.register(CourseConfig)
class CourseConfigAdmin(admin.ModelAdmin):
    list_display = ("course_key", "kind", "credits")
    search_fields = ("course_key",)


@admin.register(IltSession)
class IltSessionAdmin(admin.ModelAdmin):
    list_display = ("title", "course_key", "start", "end", "capacity", "location")
    list_filter = ("course_key",)
    search_fields = ("title", "course_key")
    raw_id_fields = ("instructor",)


@admin.register(HistoryEvent)
class HistoryEventAdmin(ReadOnlyAdmin):
    list_display = ("created", "course_key", "learner", "kind", "attempt_number", "actor")
    list_filter = ("kind",)
    search_fields = ("course_key", "learner__user__username")


@admin.register(RemovalAudit)
class RemovalAuditAdmin(ReadOnlyAdmin):
    list_display = ("created", "course_key", "learner_id", "actor_id", "scope")
    search_fields = ("course_key",)
