"""
Tests of the development host's pages: the course list, the instructor dashboard and the icon.
"""

import mimetypes
from pathlib import Path
from xml.etree import ElementTree

import pytest
from django.contrib.staticfiles import finders
from django.test import override_settings
from openedx_filters import PipelineStep
from web_fragments.fragment import Fragment

from devhost.lms import api

pytestmark = pytest.mark.django_db

DASHBOARD = "/courses/course-v1:TestX+Host101+2025/instructor/"


class AddPluginSection(PipelineStep):
    """
    A plugin's step of the dashboard filter: adds a section with its own head, body and foot.
    """

    # The course and the section keys the step was given.
    seen = None

    def run_filter(self, context, template_name):  # pylint: disable=arguments-differ
        AddPluginSection.seen = (context["course"], [section["section_key"] for section in context["sections"]])
        fragment = Fragment("<p>Plugin section body</p>")
        fragment.add_css(".plugin-section { color: teal; }")
        fragment.add_javascript("window.pluginSectionLoaded = true;")
        context["sections"].append(
            {"section_key": "plugin_section", "section_display_name": "Plugin Section", "fragment": fragment}
        )
        return {"context": context}


@pytest.fixture
def course_staff(devhost_course):
    user = api.create_user("staff", password="pw")
    api.grant_role(user, devhost_course, "staff")
    return user


def test_home_lists_courses_with_their_dashboards(client, devhost_course):
    response = client.get("/")

    assert response.status_code == 200
    assert b"Host 101" in response.content
    assert f'href="{DASHBOARD}"'.encode() in response.content
    assert b'href="/learner_mgmt/courses/course-v1:TestX+Host101+2025/"' in response.content


def test_sign_in_with_the_login_page(client, course_staff):
    response = client.post("/login/", {"username": "staff", "password": "pw"})

    assert response.status_code == 302
    assert client.get(DASHBOARD).status_code == 200


def test_the_dashboard_needs_a_signed_in_user(client, devhost_course):
    response = client.get(DASHBOARD)

    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")


def test_a_learner_is_refused(client, devhost_course):
    learner = api.create_user("learner")
    api.enroll(learner, devhost_course)
    client.force_login(learner)

    assert client.get(DASHBOARD).status_code == 403


@pytest.mark.parametrize(
    "path",
    [
        "/courses/course-v1:TestX+Nope+2025/instructor/",
        "/courses/course-v1:bad key+x+y/instructor/",
    ],
)
def test_unknown_or_malformed_courses_are_not_found(client, course_staff, path):
    client.force_login(course_staff)

    assert client.get(path).status_code == 404


def test_course_team_sees_the_course_info_section(client, devhost_course, course_staff):
    learner = api.create_user("learner")
    api.enroll(learner, devhost_course)
    client.force_login(course_staff)

    response = client.get(DASHBOARD)

    assert response.status_code == 200
    sections = response.context["sections"]
    assert (sections[0]["section_key"], sections[0]["section_display_name"]) == ("course_info", "Course Info")
    body = sections[0]["fragment"].body_html()
    assert "course-v1:TestX+Host101+2025" in body
    assert "Basics · Practice · SCORM package · Quiz" in body
    assert "<dt>Enrolled learners</dt><dd>1</dd>" in body


def test_the_plugin_adds_learner_management_through_its_own_filter_step(client, devhost_course, course_staff):
    client.force_login(course_staff)

    page = client.get(DASHBOARD).content.decode()

    # Registered by the plugin's settings alone: the dashboard shows it after the course info.
    head, body = page.split("</head>")
    assert "learner_mgmt_plugin/css/learner_mgmt.css" in head
    assert body.index('href="#course_info"') < body.index('href="#learner_mgmt"')
    assert 'id="learner_mgmt"' in body and "data-lm-app" in body
    assert body.index("data-lm-app") < body.index('src="/static/learner_mgmt_plugin/js/main.js"')


def test_global_staff_sees_the_dashboard(client, devhost_course):
    client.force_login(api.create_user("admin", is_staff=True))

    assert client.get(DASHBOARD).status_code == 200


@override_settings(
    OPEN_EDX_FILTERS_CONFIG={
        "org.openedx.learning.instructor.dashboard.render.started.v1": {
            "fail_silently": False,
            "pipeline": [f"{__name__}.AddPluginSection"],
        },
    }
)
def test_plugins_add_sections_through_the_dashboard_filter(client, devhost_course, course_staff):
    client.force_login(course_staff)

    page = client.get(DASHBOARD).content.decode()

    course, section_keys = AddPluginSection.seen
    assert (course.id, course.display_name, section_keys) == (devhost_course, "Host 101", ["course_info"])
    head, body = page.split("</head>")
    assert ".plugin-section { color: teal; }" in head
    assert 'href="#plugin_section"' in body and "Plugin Section" in body
    assert body.index("<p>Plugin section body</p>") < body.index("window.pluginSectionLoaded = true;")


def test_the_favicon_is_where_browsers_ask_for_it(client):
    response = client.get("/favicon.ico")

    assert (response.status_code, response["Location"]) == (301, "/static/devhost_lms/favicon.svg")
    icon = Path(finders.find("devhost_lms/favicon.svg"))
    assert mimetypes.guess_type(icon.name)[0] == "image/svg+xml"
    assert ElementTree.fromstring(icon.read_text()).tag == "{http://www.w3.org/2000/svg}svg"
