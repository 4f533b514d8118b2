"""
URLs and values of the REST API, and its clients, for the tests that call it.
"""

import datetime

from django.utils import timezone
from rest_framework.test import APIClient

BASE = "/api/learner_mgmt/v1"


def course_url(course_key, path=""):
    """
    The URL of a per-course endpoint, e.g. ``course_url(course, "learners/ann/history/")``.
    """
    return f"{BASE}/courses/{course_key}/{path}"


def in_days(days: int) -> str:
    """
    The date ``days`` from today, as the API takes it.
    """
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


def client_as(user=None) -> APIClient:
    """
    An API client authenticated as ``user``; an anonymous one for ``None``.
    """
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client
