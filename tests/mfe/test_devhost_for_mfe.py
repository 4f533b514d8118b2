"""
What the development LMS answers the learner dashboard MFE, as the platform does (these run in the
ordinary suite): its runtime configuration, JWT cookies from the learner's session, cross-origin calls
from the MFE's host, the learner dashboard's data, and the way back to the MFE after signing in.
"""

import base64
import json

import pytest
from django.test import Client
from openedx_filters import PipelineStep
from openedx_filters.learning.filters import CourseEnrollmentAPIRenderStarted, CourseRunAPIRenderStarted

from devhost.lms import api as host

pytestmark = pytest.mark.django_db

MFE = "http://localhost:1996"
PAYLOAD_COOKIE, SIGNATURE_COOKIE = "edx-jwt-cookie-header-payload", "edx-jwt-cookie-signature"
INIT = "/api/learner_home/init"


@pytest.fixture
def mfe_origin(settings):
    """
    The LMS set up for an MFE host at ``MFE``, as tutor-mfe sets it up for its own.
    """
    settings.CORS_ORIGIN_WHITELIST = [MFE]
    settings.LOGIN_REDIRECT_WHITELIST = ["localhost:1996"]
    return MFE


@pytest.fixture
def learner():
    user = host.create_user("ana", name="Ana Costa", email="ana@example.com", password="pw")
    for key, title in (("course-v1:DemoX+First+2026", "First"), ("course-v1:DemoX+Second+2026", "Second")):
        host.create_course(key, title=title, chapters=("Only",))
        host.enroll(user, key)
    return user


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def jwt_cookies_of(user) -> Client:
    """
    A client holding only the JWT cookies ``login_refresh`` gave ``user``'s session, as the MFE's browser does.
    """
    response = signed_in(user).post("/login_refresh")
    assert response.status_code == 200
    client = Client()
    for name in (PAYLOAD_COOKIE, SIGNATURE_COOKIE):
        client.cookies[name] = response.cookies[name].value
    return client


class TestJwtCookies:
    def test_the_signed_in_learner_gets_a_jwt_split_in_two_cookies_the_mfe_reads_one_of(self, learner):
        response = signed_in(learner).post("/login_refresh")

        payload_cookie, signature_cookie = response.cookies[PAYLOAD_COOKIE], response.cookies[SIGNATURE_COOKIE]
        assert not payload_cookie["httponly"] and signature_cookie["httponly"]
        encoded_payload = payload_cookie.value.split(".")[1]
        payload = json.loads(base64.urlsafe_b64decode(encoded_payload + "=" * (-len(encoded_payload) % 4)))
        assert (payload["preferred_username"], payload["user_id"], payload["administrator"]) == (
            "ana",
            learner.pk,
            False,
        )
        assert payload["exp"] - payload["iat"] == 3600
        assert response.json()["success"] is True

    def test_the_cookies_alone_authenticate_the_learner_to_the_apis(self, learner):
        client = jwt_cookies_of(learner)

        assert [course["course"]["courseName"] for course in client.get(INIT).json()["courses"]] == ["Second", "First"]
        assert client.get("/api/learner_mgmt/v1/me/assignments/").status_code == 200

    def test_a_tampered_cookie_authenticates_nobody(self, learner):
        client = jwt_cookies_of(learner)
        client.cookies[SIGNATURE_COOKIE] = "forged" + client.cookies[SIGNATURE_COOKIE].value[6:]

        assert client.get(INIT).status_code == 401

    def test_anonymous_is_401_so_that_the_mfe_sends_them_to_sign_in(self):
        response = Client().post("/login_refresh")

        assert response.status_code == 401
        assert PAYLOAD_COOKIE not in response.cookies


class TestCors:
    def test_the_mfe_host_may_call_with_the_learners_cookies(self, learner, mfe_origin):
        client = signed_in(learner)
        preflight = client.options(
            INIT,
            headers={
                "Origin": mfe_origin,
                "Access-Control-Request-Method": "GET",
                "Access-Control-Request-Headers": "use-jwt-cookie",
            },
        )
        response = client.get(INIT, headers={"Origin": mfe_origin})

        assert preflight.status_code == 200
        assert "use-jwt-cookie" in preflight["Access-Control-Allow-Headers"]
        for answer in (preflight, response):
            assert answer["Access-Control-Allow-Origin"] == mfe_origin
            assert answer["Access-Control-Allow-Credentials"] == "true"
        assert response.status_code == 200

    def test_other_origins_are_not_let_in(self, learner, mfe_origin):  # pylint: disable=unused-argument
        response = signed_in(learner).get(INIT, headers={"Origin": "http://elsewhere.example"})

        assert "Access-Control-Allow-Origin" not in response


class AddToCourseRun(PipelineStep):
    """
    A plugin's step adding to each card's course run.
    """

    def run_filter(self, serialized_courserun):  # pylint: disable=arguments-differ
        return {"serialized_courserun": {**serialized_courserun, "fromPlugin": "run"}}


class AddToEnrollment(PipelineStep):
    """
    A plugin's step adding to each card's enrollment.
    """

    def run_filter(self, course_key, serialized_enrollment):  # pylint: disable=arguments-differ
        return {
            "course_key": course_key,
            "serialized_enrollment": {**serialized_enrollment, "fromPlugin": str(course_key)},
        }


class TestLearnerHome:
    def test_each_active_enrollment_is_a_card_newest_first_in_the_platforms_shape(self, learner):
        host.unenroll(learner, "course-v1:DemoX+First+2026")
        host.set_progress(learner, "course-v1:DemoX+Second+2026", 1.0)

        data = signed_in(learner).get(INIT).json()

        assert set(data) == {
            "emailConfirmation",
            "enterpriseDashboard",
            "platformSettings",
            "courses",
            "socialShareSettings",
            "suggestedCourses",
        }
        (card,) = data["courses"]
        assert set(card) == {
            "course",
            "courseProvider",
            "courseRun",
            "enrollment",
            "certificate",
            "entitlement",
            "gradeData",
            "programs",
            "credit",
        }
        assert card["courseRun"]["courseId"] == "course-v1:DemoX+Second+2026"
        assert card["courseRun"]["homeUrl"] == "http://testserver/courses/course-v1:DemoX+Second+2026/course/"
        assert card["courseRun"]["resumeUrl"] == card["courseRun"]["homeUrl"]
        assert card["enrollment"]["hasStarted"] is True and card["enrollment"]["isAudit"] is True
        assert card["gradeData"] == {"isPassing": False}  # no graded problem in the course to pass with
        image = Client().get(card["course"]["bannerImgSrc"])
        assert image["Content-Type"] == "image/svg+xml" and b"Second" in image.content

    def test_a_certificate_the_learner_earned_is_on_the_card(self, learner):
        key = "course-v1:DemoX+First+2026"
        host.update_enrollment(learner, key, mode="verified")
        host.issue_certificates(key, [learner.pk])

        (card,) = [
            card for card in signed_in(learner).get(INIT).json()["courses"] if card["courseRun"]["courseId"] == key
        ]

        assert card["certificate"]["isEarned"] and card["certificate"]["isDownloadable"]
        assert card["certificate"]["certPreviewUrl"].startswith("http://testserver/certificates/")
        assert card["enrollment"]["isVerified"] is True

    def test_plugins_add_to_each_card_through_the_platforms_filters(self, learner, settings):
        settings.OPEN_EDX_FILTERS_CONFIG = {
            CourseRunAPIRenderStarted.filter_type: {"fail_silently": False, "pipeline": [f"{__name__}.AddToCourseRun"]},
            CourseEnrollmentAPIRenderStarted.filter_type: {
                "fail_silently": False,
                "pipeline": [f"{__name__}.AddToEnrollment"],
            },
        }

        courses = signed_in(learner).get(INIT).json()["courses"]

        assert [course["courseRun"]["fromPlugin"] for course in courses] == ["run", "run"]
        assert [course["enrollment"]["fromPlugin"] for course in courses] == [
            "course-v1:DemoX+Second+2026",
            "course-v1:DemoX+First+2026",
        ]

    def test_anonymous_is_401(self):
        assert Client().get(INIT).status_code == 401


class TestMfeConfig:
    def test_the_mfe_learns_the_lms_addresses_and_its_own_overrides(self, settings):
        settings.LMS_ROOT_URL = "http://lms.example"
        settings.MFE_CONFIG = {"BASE_URL": MFE}
        settings.MFE_CONFIG_OVERRIDES = {"learner-dashboard": {"SUPPORT_URL": "http://help.example"}}

        config = Client().get("/api/mfe_config/v1?mfe=learner-dashboard").json()
        shared = Client().get("/api/mfe_config/v1").json()

        assert config["LMS_BASE_URL"] == "http://lms.example"
        assert config["LOGIN_URL"] == "http://lms.example/login/"
        assert config["REFRESH_ACCESS_TOKEN_ENDPOINT"] == "http://lms.example/login_refresh"
        assert config["ACCESS_TOKEN_COOKIE_NAME"] == PAYLOAD_COOKIE
        assert (config["BASE_URL"], config["SUPPORT_URL"]) == (MFE, "http://help.example")
        assert "SUPPORT_URL" not in shared


class TestSignIn:
    def test_signing_in_leads_back_to_the_mfe_host(self, learner, mfe_origin):  # pylint: disable=unused-argument
        back = f"{MFE}/learner-dashboard/"

        response = Client().post("/login/", {"username": "ana", "password": "pw", "next": back})

        assert response.status_code == 302 and response["Location"] == back

    def test_but_to_no_other_host(self, learner, mfe_origin):  # pylint: disable=unused-argument
        response = Client().post("/login/", {"username": "ana", "password": "pw", "next": "http://evil.example/"})

        assert response["Location"] == "/"
