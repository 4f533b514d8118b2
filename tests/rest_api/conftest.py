"""
Fixtures of the REST API tests: API clients signed in as each kind of user (the courses, sessions,
course team and learners come from ``tests/conftest.py``).
"""

import pytest
from rest_framework.test import APIClient

from devhost.lms import api as host


@pytest.fixture
def client():
    """
    An API client signed in as nobody.
    """
    return APIClient()


@pytest.fixture
def admin_client(admin):
    """
    An API client signed in as a platform admin.
    """
    client = APIClient()
    client.force_authenticate(admin)
    return client


@pytest.fixture
def outsider(db):
    """
    A signed-in user with no role in any course.
    """
    return host.create_user("outsider", name="Otto Outsider")


@pytest.fixture
def other_staff(db):
    """
    Course staff of another course only.
    """
    user = host.create_user("elsewhere", name="Elsa Elsewhere")
    host.grant_role(user, host.create_course("course-v1:TestX+Else+2026", title="Elsewhere"), "staff")
    return user
