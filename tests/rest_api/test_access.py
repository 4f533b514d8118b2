"""
Who may use the per-course endpoints, and how they sign in: JWT or the LMS session with its CSRF
token, as the LMS does. Anonymous callers get 401, everyone but the course team and platform admins
403, both as JSON and with nothing changed.
"""

import datetime

import pytest
from django.utils import timezone
from edx_rest_framework_extensions.auth.jwt.tests.utils import (
    generate_asymmetric_jwt_token,
    generate_jwt_token,
    generate_latest_version_payload,
)
from rest_framework.test import APIClient

from devhost.lms import api as host
from learner_mgmt_plugin import api
from test_utils.rest import BASE, course_url
from test_utils.snapshots import snapshot

# Every per-course endpoint (method, path under courses/<course_id>/).
# An id no job has, the same in every test process (pytest-xdist compares the collected ids).
UNKNOWN_JOB = "6d1c5c4e-0000-4000-8000-000000000000"

ENDPOINTS = [
    ("get", "learners/"),
    ("get", "learners/ann/"),
    ("post", "learners/ann/due-date/"),
    ("post", "learners/ann/reset-progress/"),
    ("post", "learners/ann/mark-complete/"),
    ("post", "learners/ann/change-session/"),
    ("post", "learners/ann/mark-no-show/"),
    ("post", "learners/ann/make-instructor/"),
    ("post", "learners/ann/unassign/"),
    ("post", "learners/ann/remove/"),
    ("post", "learners/ann/certificate/"),
    ("delete", "learners/ann/certificate/"),
    ("get", "learners/ann/history/"),
    ("get", "learners/ann/chapters/"),
    ("get", "learners/ann/quizzes/"),
    ("get", "learners/ann/quizzes/?format=xlsx"),
    ("get", "learners/ann/scorm-activity/"),
    ("get", "users/"),
    ("post", "assignments/review/"),
    ("post", "assignments/"),
    ("get", "assignments/sample-csv/"),
    ("post", "assignments/import/"),
    ("get", f"imports/{UNKNOWN_JOB}/"),
    ("get", f"imports/{UNKNOWN_JOB}/non-imported/"),
    ("post", "mass-actions/"),
    ("get", f"mass-actions/{UNKNOWN_JOB}/"),
    ("get", "sessions/"),
    ("post", "sessions/"),
    ("get", "sessions/1/"),
    ("patch", "sessions/1/"),
    ("delete", "sessions/1/"),
    ("get", "settings/"),
    ("patch", "settings/"),
]

# What a caller might send: enough to change something if the request were let through.
BODY = {
    "due_date": "2099-01-01",
    "session_id": 1,
    "scope": "course",
    "confirm": True,
    "users": ["ann"],
    "action": "mark_complete",
    "title": "Taken over",
    "kind": "ilt",
}


@pytest.fixture
def ann(course, staff, make_learner):
    """
    A learner of the course, with a session in it, so that every endpoint would have work to do.
    """
    user = make_learner("ann")
    api.assign_course(course, ["ann"], actor=staff)
    start = timezone.now() + datetime.timedelta(days=3)
    api.create_session(course, title="Kick-off", start=start, end=start + datetime.timedelta(hours=1))
    return user


def call(client, method, path, course_key):
    return getattr(client, method)(course_url(course_key, path), BODY, format="json")


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
def test_anonymous_callers_get_401_and_change_nothing(client, course, ann, method, path):
    before = snapshot()
    response = call(client, method, path, course)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"] == "not_authenticated"
    assert snapshot() == before


@pytest.mark.parametrize("who", ["outsider", "other_staff", "ann"])
@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
def test_users_outside_the_course_team_get_403_and_change_nothing(request, course, ann, method, path, who):
    client = APIClient()
    client.force_authenticate(request.getfixturevalue(who))
    before = snapshot()
    response = call(client, method, path, course)
    assert response.status_code == 403
    assert response.json()["error"] == "permission_denied"
    assert snapshot() == before


@pytest.mark.parametrize("role", ["staff", "instructor"])
def test_the_course_team_and_platform_admins_may(course, ann, admin_client, make_learner, role):
    member = make_learner(f"team_{role}")
    host.grant_role(member, course, role)
    client = APIClient()
    client.force_authenticate(member)
    assert client.get(course_url(course, "learners/")).status_code == 200
    assert admin_client.get(course_url(course, "learners/")).status_code == 200


def test_a_malformed_course_id_is_400_and_an_unknown_course_404(staff_client, admin_client, staff):
    response = staff_client.get(course_url("not-a-course", "learners/"))
    assert response.status_code == 400
    assert (response.json()["error"], response.json()["field"]) == ("invalid_input", "course_id")
    # Course staff hold no role in a course that does not exist; a platform admin learns it does not.
    assert staff_client.get(course_url("course-v1:TestX+Nope+2026", "learners/")).status_code == 403
    response = admin_client.get(course_url("course-v1:TestX+Nope+2026", "learners/"))
    assert (response.status_code, response.json()["error"]) == (404, "course_not_found")


def test_the_learners_own_list_needs_no_course_role(ann):
    client = APIClient()
    client.force_authenticate(ann)
    assert client.get(f"{BASE}/me/assignments/").status_code == 200


class TestJwt:
    def test_a_jwt_signed_by_the_lms_authenticates(self, course, staff, ann):
        token = generate_asymmetric_jwt_token(generate_latest_version_payload(staff))
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"JWT {token}")
        response = client.post(course_url(course, "learners/ann/mark-complete/"))
        assert response.status_code == 200
        assert api.get_learner(course, "ann").status == "completed"

    def test_a_forged_or_expired_jwt_is_refused(self, course, staff, ann):
        payload = generate_latest_version_payload(staff)
        forged = generate_jwt_token(payload, signing_key="not the key of the LMS, whatever its length")
        expired = generate_asymmetric_jwt_token({**payload, "iat": payload["iat"] - 7200, "exp": payload["iat"] - 3600})
        before = snapshot()
        for token in (forged, expired):
            client = APIClient()
            client.credentials(HTTP_AUTHORIZATION=f"JWT {token}")
            response = client.post(course_url(course, "learners/ann/mark-complete/"))
            assert response.status_code == 401
            assert response.json()["error"] == "authentication_failed"
        assert snapshot() == before


class TestSession:
    CSRF_TOKEN = "a" * 32

    @pytest.fixture
    def signed_in(self, staff):
        staff.set_password("secret")
        staff.save()
        client = APIClient(enforce_csrf_checks=True)
        assert client.login(username="staff", password="secret")
        return client

    def test_a_post_without_the_csrf_token_is_refused(self, signed_in, course, ann):
        before = snapshot()
        response = signed_in.post(course_url(course, "learners/ann/mark-complete/"))
        assert response.status_code == 403
        assert "CSRF" in response.json()["message"]
        assert snapshot() == before

    def test_a_post_with_the_csrf_token_goes_through(self, signed_in, course, ann):
        signed_in.cookies["csrftoken"] = self.CSRF_TOKEN
        response = signed_in.post(course_url(course, "learners/ann/mark-complete/"), HTTP_X_CSRFTOKEN=self.CSRF_TOKEN)
        assert response.status_code == 200
        assert response.json()["status"] == "completed"

    def test_reading_needs_no_csrf_token(self, signed_in, course, ann):
        assert signed_in.get(course_url(course, "learners/")).status_code == 200
