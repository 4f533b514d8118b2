"""
URLs of REST API v1.
"""

from django.urls import path

from . import views

urlpatterns = [
    path("me/assignments/", views.MyAssignmentsView.as_view(), name="my-assignments"),
]
