"""
URLs of the development LMS host; plugins' URLs are mounted as the LMS mounts them.
"""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, register_converter
from edx_django_utils.plugins import get_plugin_url_patterns
from opaque_keys import InvalidKeyError
from opaque_keys.edx.keys import CourseKey

from devhost.lms import mfe_auth, views


class CourseKeyConverter:
    """
    A course key in a path (``course-v1:Org+Course+Run``), given to the view as a ``CourseKey``.
    """

    regex = r"[^/+]+(?:/|\+)[^/+]+(?:/|\+)[^/?]+"

    def to_python(self, value):
        try:
            return CourseKey.from_string(value)
        except InvalidKeyError as error:
            raise ValueError(value) from error  # Django answers 404

    def to_url(self, value):
        return str(value)


register_converter(CourseKeyConverter, "course_key")

urlpatterns = [
    path("", views.home, name="home"),
    path("favicon.ico", views.favicon, name="favicon"),
    # The LMS's learner dashboard (which sends learners to the learner dashboard MFE where it runs).
    path("dashboard", views.home, name="dashboard"),
    path("login/", mfe_auth.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("courses/<course_key:course_key>/course/", views.course_home, name="course_home"),
    path("certificates/<str:verify_uuid>", views.certificate, name="certificate"),
    path("courses/<course_key:course_key>/instructor/", views.instructor_dashboard, name="instructor_dashboard"),
    path("", include("devhost.lms.mfe_urls")),
    path("admin/", admin.site.urls),
    *get_plugin_url_patterns("lms.djangoapp"),
]
