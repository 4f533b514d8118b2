"""
The LMS's URL of the legacy instructor dashboard, for the adapter's tests that reverse it.
"""

from django.http import HttpResponse
from django.urls import path


def instructor_dashboard(request, course_id):
    return HttpResponse()


urlpatterns = [
    # lms/urls.py: ``courses/<course_id>/instructor`` (instructor_dashboard_2).
    path("courses/<str:course_id>/instructor", instructor_dashboard, name="instructor_dashboard"),
]
