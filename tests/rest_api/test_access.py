"""
How callers sign in: JWT or the LMS session with its CSRF token, as the LMS does; malformed and unknown
course ids. Who gets what from every endpoint (401, 403, the course team's answers, nothing changed on
a refusal) is the authorization matrix of ``tests/reliability/test_authorization_matrix.py``; CSRF on
every write is ``tests/reliability/test_csrf.py``.
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

from learner_mgmt_plugin import api
from test_utils.rest import BASE, course_url
from test_utils.snapshots import snapshot


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

    def test_a_post_with_the_csrf_token_goes_through(self, signed_in, course, ann):
        signed_in.cookies["csrftoken"] = self.CSRF_TOKEN
        response = signed_in.post(course_url(course, "learners/ann/mark-complete/"), HTTP_X_CSRFTOKEN=self.CSRF_TOKEN)
        assert response.status_code == 200
        assert response.json()["status"] == "completed"

    def test_reading_needs_no_csrf_token(self, signed_in, course, ann):
        assert signed_in.get(course_url(course, "learners/")).status_code == 200
