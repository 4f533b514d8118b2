"""
Permissions of REST API v1, decided by ``api`` so that the REST layer and other callers agree.
"""

from rest_framework.permissions import BasePermission

from ... import api


class CanManageCourse(BasePermission):
    """
    The user is course staff or instructor of the course in the URL, or a platform admin.

    A malformed course id is refused by ``api`` (400) before anyone's role is looked up.
    """

    message = "Only the course team and platform admins may manage the learners of this course."

    def has_permission(self, request, view):
        return api.can_manage_course(request.user, view.kwargs["course_id"])


class IsPlatformAdmin(BasePermission):
    """
    The user is a platform admin (global staff).
    """

    message = "Only platform admins may see this."

    def has_permission(self, request, view):
        return api.is_platform_admin(request.user)
