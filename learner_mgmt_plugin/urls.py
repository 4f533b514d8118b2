"""
URLs the plugin adds to the LMS.
"""

from django.urls import include, path

urlpatterns = [
    path("", include("learner_mgmt_plugin.rest_api.urls")),
]
