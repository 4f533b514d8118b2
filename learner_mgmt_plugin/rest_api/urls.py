"""
The versioned REST API of Learner Management, under ``/api/learner_mgmt/``.
"""

from django.urls import include, path

urlpatterns = [
    path("api/learner_mgmt/v1/", include(("learner_mgmt_plugin.rest_api.v1.urls", "v1"), namespace="v1")),
]
