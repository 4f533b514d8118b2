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
from test_utils.snapshots import snapshot

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


def test_each_assignment_carries_what_a_course_card_needs(client, devhost_course, db):
    staff = host.create_user("staff")
    host.grant_role(staff, devhost_course, "staff")
    amy = host.create_user("amy")
    api.assign_course(devhost_course, ["amy"], actor=staff, required=True)

    client.force_authenticate(amy)
    body = client.get(URL).json()

    assert body["my_learning_url"] == "http://testserver/learner_mgmt/my-learning/"
    assert body["labels"] == {"assigned_to_you": "Assigned to you", "see_all": "See all in My Learning"}
    [mine] = body["results"]
    assert mine["tag"] == {"label": "Required", "variant": "required"}
    assert mine["course_title"] and mine["course_url"].endswith(f"/courses/{devhost_course}/course/")
    assert (mine["kind"], mine["session"], mine["can_book"], mine["bookable_sessions"]) == (
        "self_paced",
        None,
        False,
        [],
    )


def test_the_learner_dashboard_mfe_authenticates_with_a_jwt(client, devhost_course, db, settings):
    from edx_rest_framework_extensions.auth.jwt.tests.utils import (  # pylint: disable=import-outside-toplevel
        generate_jwt_token,
        generate_unversioned_payload,
    )

    amy = host.create_user("amy")
    token = generate_jwt_token(generate_unversioned_payload(amy))
    response = client.get(URL, HTTP_AUTHORIZATION=f"JWT {token}")
    assert response.status_code == 200
    assert response.json()["results"] == []


SESSION_URL = "/api/learner_mgmt/v1/me/assignments/{course}/session/"


@pytest.fixture
def pat(ilt_course, staff, make_learner):
    learner = make_learner("pat")
    api.assign_course(ilt_course, ["pat"], actor=staff)
    return learner


def test_a_learner_books_changes_and_cancels_their_seat(client, ilt_course, sessions, pat):
    client.force_authenticate(pat)
    url = SESSION_URL.format(course=ilt_course)

    booked = client.post(url, {"session_id": sessions["upcoming"].id}, format="json")
    assert booked.status_code == 200
    assert (booked.json()["status"], booked.json()["session"]["title"]) == ("enrolled", "Upcoming")

    moved = client.post(url, {"session_id": sessions["later"].id}, format="json").json()
    assert moved["session"]["title"] == "Later"

    cancelled = client.delete(url)
    assert cancelled.status_code == 200
    assert (cancelled.json()["session"], cancelled.json()["status"]) == (None, "not_started")


@pytest.mark.parametrize(
    ("body", "status", "error"),
    [
        ({}, 400, "invalid_input"),
        ({"session_id": "soon"}, 400, "invalid_input"),
        ({"session_id": 987654}, 404, "session_not_found"),
    ],
)
def test_bad_bookings_are_4xx_and_change_nothing(client, ilt_course, sessions, pat, body, status, error):
    client.force_authenticate(pat)
    before = snapshot()
    response = client.post(SESSION_URL.format(course=ilt_course), body, format="json")
    assert (response.status_code, response.json()["error"]) == (status, error)
    assert snapshot() == before


def test_a_full_session_is_a_409_with_the_reason(client, ilt_course, sessions, staff, make_learner, pat):
    make_learner("sam")
    api.assign_course(ilt_course, ["sam"], actor=staff)
    api.change_session(ilt_course, "sam", actor=staff, session_id=sessions["tiny"].id)
    client.force_authenticate(pat)

    response = client.post(SESSION_URL.format(course=ilt_course), {"session_id": sessions["tiny"].id}, format="json")

    assert response.status_code == 409
    assert response.json()["message"] == "'Tiny' is full; choose another session."


def test_a_course_not_assigned_to_the_learner_is_404_and_anonymous_401(client, ilt_course, sessions, make_learner):
    url = SESSION_URL.format(course=ilt_course)
    assert client.post(url, {"session_id": sessions["upcoming"].id}, format="json").status_code == 401
    client.force_authenticate(make_learner("stranger"))
    assert client.post(url, {"session_id": sessions["upcoming"].id}, format="json").status_code == 404
    assert client.delete(url).status_code == 404
