"""
The instructor dashboard filter steps, run through the real openedx-filters classes with the
configuration the plugin's own settings give the LMS.
"""

import pytest
from crum import set_current_request
from django.test import RequestFactory, override_settings
from openedx_filters.learning.filters import InstructorDashboardRenderStarted, InstructorDashboardTabsRequested

from devhost.lms import api as host
from devhost.lms.adapter import DevLmsHost
from devhost.lms.models import CourseOverview
from learner_mgmt_plugin.exceptions import HostUnavailable
from learner_mgmt_plugin.instructor_dashboard import filters
from learner_mgmt_plugin.settings.common import FILTER_STEPS, MAKO_TEMPLATES, register_filter_steps
from test_utils.page_config import page_config

TEMPLATE = "instructor/instructor_dashboard_2/instructor_dashboard_2.html"
BUILT_IN_TABS = [
    {"tab_id": "course_info", "title": "Course Info", "url": "/course_info", "sort_order": 10},
    {"tab_id": "special_exams", "title": "Special Exams", "url": "/special_exams", "sort_order": 110},
]


@pytest.fixture(autouse=True)
def steps_fail_loudly(settings):
    """
    The plugin's steps registered as its settings do, but in pipelines that raise what a step raises
    (the plugin's own registration swallows it, so that a failing step never breaks the dashboard).
    """
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "lms.example.com"]
    settings.OPEN_EDX_FILTERS_CONFIG = {filter_type: {"fail_silently": False} for filter_type in FILTER_STEPS}
    register_filter_steps(settings)


@pytest.fixture
def learner(course):
    user = host.create_user("lena", name="Lena Learner")
    host.enroll(user, course)
    return user


@pytest.fixture
def request_as():
    """
    ``request_as(user)``: make a request of ``user`` to lms.example.com the current one, as crum's
    middleware does in the LMS.
    """

    def make(user):
        request = RequestFactory(SERVER_NAME="lms.example.com").get("/courses/x/instructor")
        request.user = user
        set_current_request(request)
        return request

    yield make
    set_current_request(None)


def render_dashboard(course_key):
    context = {"course": CourseOverview.objects.get(pk=course_key), "sections": [{"section_key": "course_info"}]}
    return InstructorDashboardRenderStarted.run_filter(context=context, template_name=TEMPLATE)


# The legacy dashboard's section


def test_course_staff_get_the_learner_management_section(course, staff, request_as):
    request_as(staff)

    context, template_name = render_dashboard(course)

    assert template_name == TEMPLATE
    first, section = context["sections"]
    assert first == {"section_key": "course_info"}
    assert section["section_key"] == "learner_mgmt"
    assert section["section_display_name"] == "Learner Management"
    assert section["course_id"] == str(course)
    # The legacy template includes <template_path_prefix><section_key>.html, a Mako file of ours.
    mako = MAKO_TEMPLATES / section["template_path_prefix"].strip("/") / f"{section['section_key']}.html"
    assert "section_data['fragment'].body_html()" in mako.read_text()


def test_the_section_carries_the_page_as_a_fragment(course, staff, request_as):
    request_as(staff)

    fragment = render_dashboard(course)[0]["sections"][1]["fragment"]

    body, head, foot = fragment.body_html(), fragment.head_html(), fragment.foot_html()
    assert "data-lm-app" in body and "Assign Course" in body
    config = page_config(body)
    assert config["courseId"] == str(course)
    assert config["apiBase"] == f"/api/learner_mgmt/v1/courses/{course}/"
    assert "href='/static/learner_mgmt_plugin/css/learner_mgmt.css'" in head
    assert '<script type="module" src="/static/learner_mgmt_plugin/js/main.js"></script>' in foot


def test_users_who_may_not_manage_the_course_get_no_section(course, learner, request_as):
    request_as(learner)

    context, _ = render_dashboard(course)

    assert [section["section_key"] for section in context["sections"]] == ["course_info"]


def test_no_section_outside_a_request(course, staff):
    context, _ = render_dashboard(course)

    assert [section["section_key"] for section in context["sections"]] == ["course_info"]


def test_the_section_is_added_once(course, staff, request_as):
    request_as(staff)
    context, _ = render_dashboard(course)

    context, _ = InstructorDashboardRenderStarted.run_filter(context=context, template_name=TEMPLATE)

    assert [section["section_key"] for section in context["sections"]] == ["course_info", "learner_mgmt"]


# The MFE's tab


def test_course_staff_get_a_tab_opening_the_page_in_the_lms(course, staff, request_as):
    request_as(staff)

    tabs = InstructorDashboardTabsRequested.run_filter(tabs=list(BUILT_IN_TABS), user=staff, course_key=course)[0]

    assert tabs[:2] == BUILT_IN_TABS
    assert tabs[2] == {
        "tab_id": "learner_mgmt",
        "title": "Learner Management",
        "url": f"http://lms.example.com/learner_mgmt/courses/{course}/",
        "sort_order": 130,
    }
    assert tabs[2]["sort_order"] > max(tab["sort_order"] for tab in BUILT_IN_TABS)


def test_the_tab_url_is_the_plugin_page(client, course, staff, request_as):
    request_as(staff)
    (*_, tab) = InstructorDashboardTabsRequested.run_filter(tabs=[], user=staff, course_key=course)[0]
    client.force_login(staff)

    response = client.get(tab["url"].removeprefix("http://lms.example.com"))

    assert response.status_code == 200
    assert page_config(response.content.decode())["courseId"] == str(course)


@override_settings(LMS_ROOT_URL="https://lms.example.org/")
def test_without_a_request_the_tab_points_at_the_lms_root_url(course, staff):
    (tab,) = InstructorDashboardTabsRequested.run_filter(tabs=[], user=staff, course_key=course)[0]

    assert tab["url"] == f"https://lms.example.org/learner_mgmt/courses/{course}/"


def test_users_who_may_not_manage_the_course_get_no_tab(course, learner):
    tabs = InstructorDashboardTabsRequested.run_filter(tabs=list(BUILT_IN_TABS), user=learner, course_key=course)[0]

    assert tabs == BUILT_IN_TABS


def test_the_tab_is_added_once(course, staff):
    tabs = InstructorDashboardTabsRequested.run_filter(tabs=[], user=staff, course_key=course)[0]

    tabs = InstructorDashboardTabsRequested.run_filter(tabs=tabs, user=staff, course_key=course)[0]

    assert [tab["tab_id"] for tab in tabs] == ["learner_mgmt"]


def test_a_missing_tab_list_gets_the_tab(course, staff):
    tabs = filters.AddLearnerManagementTab("filter", []).run_filter(tabs=None, user=staff, course_key=course)["tabs"]

    assert [tab["tab_id"] for tab in tabs] == ["learner_mgmt"]


# When the plugin cannot serve: the dashboard goes on without it, even in pipelines that fail loudly.


@pytest.mark.parametrize("failing", ["can_manage_course", "course_outline"])
def test_the_dashboard_renders_without_the_section_while_the_lms_cannot_answer(
    course, staff, request_as, monkeypatch, failing
):
    monkeypatch.setattr(DevLmsHost, failing, unavailable)
    request_as(staff)

    context, _template = render_dashboard(course)

    assert [section["section_key"] for section in context["sections"]] == ["course_info"]


def test_the_tab_list_comes_without_the_tab_while_the_lms_cannot_answer(course, staff, monkeypatch):
    monkeypatch.setattr(DevLmsHost, "can_manage_course", unavailable)

    tabs = InstructorDashboardTabsRequested.run_filter(tabs=list(BUILT_IN_TABS), user=staff, course_key=course)[0]

    assert tabs == BUILT_IN_TABS


def unavailable(*args, **kwargs):
    raise HostUnavailable("The LMS cannot be reached.")
