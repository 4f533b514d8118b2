"""
``GET /api/learner_mgmt/v1/me/assignments/``: a learner sees their own assignments, and only them.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from devhost.lms import api as host
from learner_mgmt_plugin import api

URL = "/api/learner_mgmt/v1/me/assignments/"


@pytest.fixture
def client():
    return APIClient()


def test_the_url_is_the_documented_one():
    assert reverse("learner_mgmt_plugin:v1:my-assignments") == URL


def test_anonymous_gets_401_as_json(client, db):
    response = client.get(URL)
    assert response.status_code == 401
    assert response.json()["error"] == "not_authenticated"


def test_a_learner_sees_only_their_own(client, devhost_course, db):
    staff = host.create_user("staff")
    host.grant_role(staff, devhost_course, "staff")
    amy, bob = host.create_user("amy"), host.create_user("bob")
    due = timezone.localdate() + datetime.timedelta(days=9)
    api.assign_course(devhost_course, ["amy"], actor=staff, due_date=due, message="Please finish soon")
    api.assign_course(devhost_course, ["bob"], actor=staff)

    client.force_authenticate(amy)
    [mine] = client.get(URL).json()["results"]
    assert mine["course_id"] == str(devhost_course)
    assert (mine["required"], mine["due_date"], mine["status"], mine["message"]) == (
        True,
        due.isoformat(),
        "not_started",
        "Please finish soon",
    )
    client.force_authenticate(bob)
    assert client.get(URL).json()["results"][0]["required"] is False
