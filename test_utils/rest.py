"""
URLs and values of the REST API, for the tests that call it.
"""

import datetime

from django.utils import timezone

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
