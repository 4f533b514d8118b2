"""
URLs the plugin adds to the LMS: its Learner Management page, the learner's My Learning page and the
REST API.
"""

from django.urls import include, path

from . import views
from .my_learning import views as my_learning

urlpatterns = [
    path("learner_mgmt/courses/<str:course_id>/", views.learner_management, name="learner_management"),
    path("learner_mgmt/my-learning/", my_learning.my_learning, name="my_learning"),
    path("learner_mgmt/my-learning/<str:course_id>/session/", my_learning.my_session, name="my_learning_session"),
    path("", include("learner_mgmt_plugin.rest_api.urls")),
]
