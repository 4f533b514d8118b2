"""
Django admin of the development host's platform data, for looking around while demoing.
"""

from django.contrib import admin

from . import models


@admin.register(models.UserProfile)
class UserProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "name", "employee_id")
    search_fields = ("user__username", "user__email", "name", "employee_id")


@admin.register(models.CourseOverview)
class CourseOverviewAdmin(admin.ModelAdmin):
    list_display = ("id", "display_name", "lowest_passing_grade")


@admin.register(models.CourseBlock)
class CourseBlockAdmin(admin.ModelAdmin):
    list_display = ("usage_key", "block_type", "display_name", "graded")
    list_filter = ("course", "block_type")


@admin.register(models.CourseEnrollment)
class CourseEnrollmentAdmin(admin.ModelAdmin):
    list_display = ("user", "course_key", "is_active", "mode", "created")
    list_filter = ("is_active",)
    search_fields = ("user__username",)


@admin.register(models.GeneratedCertificate)
class GeneratedCertificateAdmin(admin.ModelAdmin):
    list_display = ("user", "course_key", "status", "modified_date")
    list_filter = ("status",)
    search_fields = ("user__username",)


@admin.register(models.CourseAccessRole)
class CourseAccessRoleAdmin(admin.ModelAdmin):
    list_display = ("user", "course_key", "role")
    search_fields = ("user__username",)


@admin.register(models.OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ("user", "subject", "created")
    search_fields = ("user__username", "subject")


admin.site.register(
    [
        models.BlockCompletion,
        models.ProblemState,
        models.PersistentCourseGrade,
        models.ScormStatement,
    ]
)
