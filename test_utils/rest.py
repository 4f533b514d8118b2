"""
URLs of the REST API, for the tests that call it.
"""

BASE = "/api/learner_mgmt/v1"


def course_url(course_key, path=""):
    """
    The URL of a per-course endpoint, e.g. ``course_url(course, "learners/ann/history/")``.
    """
    return f"{BASE}/courses/{course_key}/{path}"
