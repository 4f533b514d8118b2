"""
URLs the plugin adds to the LMS: its Learner Management page and its REST API.
"""

from django.urls import include, path

from . import views

urlpatterns = [
    path("learner_mgmt/courses/<str:course_id>/", views.learner_management, name="learner_management"),
    path("", include("learner_mgmt_plugin.rest_api.urls")),
]
