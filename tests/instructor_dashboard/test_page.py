"""
The plugin's Learner Management page (which the MFE's tab opens) and the context it is rendered with.
"""

import json
from unittest import mock

import pytest

from devhost.lms import api as host
from devhost.lms.adapter import DevLmsHost
from learner_mgmt_plugin.data import HistoryKind, SeatState
from learner_mgmt_plugin.exceptions import HostUnavailable
from learner_mgmt_plugin.instructor_dashboard import page, strings
from test_utils.clock import local_dates
from test_utils.page_config import page_config

pytestmark = pytest.mark.django_db


def page_url(course_key):
    return f"/learner_mgmt/courses/{course_key}/"


def config_of(response):
    return page_config(response.content.decode())


def test_anonymous_users_are_sent_to_sign_in(client, course):
    response = client.get(page_url(course))

    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")


def test_learners_are_refused(client, course):
    learner = host.create_user("lena")
    host.enroll(learner, course)
    client.force_login(learner)

    assert client.get(page_url(course)).status_code == 403


@pytest.mark.parametrize("course_id", ["course-v1:nope", "not a course", "course-v1:TestX+Nowhere+2026"])
def test_malformed_and_unknown_courses_are_not_found(client, admin, course_id):
    client.force_login(admin)

    assert client.get(page_url(course_id)).status_code == 404


def test_course_staff_get_the_page_of_a_self_paced_course(client, course, staff):
    client.force_login(staff)

    with local_dates() as days:
        response = client.get(page_url(course))

    assert response.status_code == 200
    body = response.content.decode()
    assert '<h2 class="lm-title">Learner Management</h2>' in body
    assert '<script type="module" src="/static/learner_mgmt_plugin/js/main.js"></script>' in body
    config = config_of(response)
    assert config["courseId"] == str(course)
    assert config["apiBase"] == f"/api/learner_mgmt/v1/courses/{course}/"
    assert config["csrfToken"]
    assert (config["kind"], config["isIlt"], config["viewerIsAdmin"]) == ("self_paced", False, False)
    assert [status["label"] for status in config["statuses"]] == [
        "Not Started",
        "Started",
        "In progress (XX% Completed)",
        "Completed",
    ]
    assert [mass["action"] for mass in config["massActions"]] == [
        "update_due_date",
        "reset_progress",
        "mark_complete",
        "mark_incomplete",
        "remove",
    ]
    assert config["strings"]["actionLabels"]["update_due_date"] == "Update/Add Course Due Date"
    assert (config["pageSizes"], config["pageSize"]) == ([10, 25, 50, 100], 25)
    assert config["today"] in {day.isoformat() for day in days}
    assert "Sessions</button>" not in body


@pytest.mark.parametrize("most, offered, default", [(50, [10, 25, 50], 25), (20, [10], 10), (5, [5], 5)])
def test_only_page_sizes_the_api_takes_are_offered(client, settings, course, staff, most, offered, default):
    settings.LEARNER_MGMT_MAX_PAGE_SIZE = most
    client.force_login(staff)

    config = config_of(client.get(page_url(course)))

    assert (config["pageSizes"], config["pageSize"]) == (offered, default)
    for size in offered:
        assert client.get(f"/api/learner_mgmt/v1/courses/{course}/learners/", {"page_size": size}).status_code == 200


def test_an_ilt_course_has_sessions_and_the_session_mass_action(client, ilt_course, admin):
    client.force_login(admin)

    response = client.get(page_url(ilt_course))

    config = config_of(response)
    assert (config["isIlt"], config["viewerIsAdmin"]) == (True, True)
    assert [status["value"] for status in config["statuses"]] == [
        "not_started",
        "started",
        "in_progress",
        "enrolled",
        "completed",
    ]
    assert config["massActions"][-1]["action"] == "change_session"
    assert config["massActions"][-1]["label"] == "Add/Change Session"
    assert 'id="lm-panel-sessions"' in response.content.decode()


@pytest.mark.parametrize("reassign_regardless, offered", [(False, True), (True, False)])
def test_the_skip_completed_choice_follows_the_site_setting(
    client, settings, course, staff, reassign_regardless, offered
):
    settings.LEARNER_MGMT_ALLOW_REASSIGNMENT_REGARDLESS_OF_STATUS = reassign_regardless
    client.force_login(staff)

    assert config_of(client.get(page_url(course)))["skipCompletedAvailable"] is offered


def test_the_page_links_back_to_the_instructor_dashboard_mfe(client, settings, course, staff):
    settings.INSTRUCTOR_MICROFRONTEND_URL = "https://apps.example.com/instructor-dashboard/"
    client.force_login(staff)

    body = client.get(page_url(course)).content.decode()

    assert f'href="https://apps.example.com/instructor-dashboard/{course}"' in body


def test_without_the_mfe_the_page_links_back_to_the_legacy_dashboard(client, settings, course, staff):
    settings.INSTRUCTOR_MICROFRONTEND_URL = None
    client.force_login(staff)

    body = client.get(page_url(course)).content.decode()

    assert f'href="/courses/{course}/instructor/"' in body


def test_no_import_map_where_static_files_keep_their_names():
    assets = page.assets()

    assert assets["importmap"] is None
    assert assets["js"] == "/static/learner_mgmt_plugin/js/main.js"


def test_hashed_static_files_get_an_import_map_for_every_module():
    def hashed(path):
        stem, _, extension = path.rpartition(".")
        return f"/static/{stem}.abc123.{extension}"

    with mock.patch.object(page, "static", side_effect=hashed):
        assets = page.assets()

    imports = json.loads(assets["importmap"])["imports"]
    modules = sorted(path.name for path in page.JS_DIR.glob("*.js"))
    assert "main.js" in modules and "api.js" in modules
    assert imports == {
        f"/static/learner_mgmt_plugin/js/{module}": f"/static/learner_mgmt_plugin/js/{module[:-3]}.abc123.js"
        for module in modules
    }
    assert assets["js"] == "/static/learner_mgmt_plugin/js/main.abc123.js"


def test_an_lms_that_cannot_be_reached_is_a_503_not_a_500(client, course, staff, monkeypatch):
    def unreachable(*args, **kwargs):
        raise HostUnavailable("modulestore down")

    monkeypatch.setattr(DevLmsHost, "course_outline", unreachable)
    client.force_login(staff)

    response = client.get(page_url(course))

    assert response.status_code == 503
    assert "could not be reached" in response.content.decode()
    assert "modulestore" not in response.content.decode()


@pytest.mark.parametrize(
    ("role", "named"), [("instructor", "the Instructor (Course Admin) role"), ("staff", "the Staff role")]
)
def test_the_make_instructor_dialog_names_the_role_it_grants(client, settings, course, staff, role, named):
    settings.LEARNER_MGMT_INSTRUCTOR_ROLE = role
    client.force_login(staff)

    strings = config_of(client.get(page_url(course)))["strings"]

    assert strings["instructorMessage"] == f"{{name}} gets {named} in this course, with its permissions."
    assert strings["instructorDone"] == f"{{name}} now holds {named} in this course."


def test_every_history_kind_and_seat_state_has_words():
    words = strings.js_strings()
    assert set(words["historyKinds"]) == {kind.value for kind in HistoryKind}
    assert set(words["seatStates"]) == {state.value for state in SeatState}
