"""
What learners see of their assignments on the learner dashboard MFE (Ulmo and Verawood, built with the
Tutor plugin): a tag in each assigned course's card and an "Assigned to you" list in the sidebar, from one
request per load; and, for a learner with no assignments or when the request fails, the dashboard as it
was without the plugin.
"""

import datetime
import re
from unittest import mock

import pytest
from django.utils import timezone
from openedx_events.learning.signals import COURSE_ENROLLMENT_CHANGED, COURSE_ENROLLMENT_CREATED

from devhost.lms import api as host
from learner_mgmt_plugin import api
from learner_mgmt_plugin.models import Assignment

pytestmark = pytest.mark.mfe

ASSIGNMENTS_API = "/api/learner_mgmt/v1/me/assignments/"
SAFETY = ("course-v1:DemoX+Safety101+2026", "Workplace Safety")
FORKLIFT = ("course-v1:DemoX+Forklift201+2026", "Forklift Operation")
FIRST_AID = ("course-v1:DemoX+FirstAid110+2026", "First Aid Basics")
ETHICS = ("course-v1:DemoX+Ethics120+2026", "Business Ethics")
TEAMWORK = ("course-v1:DemoX+Teamwork130+2026", "Team Communication")
# Paragon's badge variant for each of the server's tag variants.
BADGE_CLASSES = {"required": "badge-warning", "overdue": "badge-danger", "optional": "badge-light"}


@pytest.fixture
def courses(transactional_db):  # pylint: disable=unused-argument
    """
    Five courses and their staff.
    """
    staff = host.create_user("staff", name="Sam Staff")
    for key, title in (SAFETY, FORKLIFT, FIRST_AID, ETHICS, TEAMWORK):
        host.create_course(key, title=title, chapters=("Introduction", "Practice"))
        host.grant_role(staff, key, "staff")
    return staff


def enroll_before_learner_management(user, course_keys):
    """
    Enroll ``user`` in the courses as before Learner Management was installed: it hears nothing of it (it
    lists a learner who enrolls on their own later as optional).
    """
    with (
        mock.patch.object(COURSE_ENROLLMENT_CHANGED, "receivers", []),
        mock.patch.object(COURSE_ENROLLMENT_CREATED, "receivers", []),
    ):
        for key in course_keys:
            host.enroll(user, key)


@pytest.fixture
def ana(courses):
    """
    A learner assigned four of the courses (Workplace Safety required and due in three weeks, half done;
    Forklift Operation required and overdue; First Aid Basics optional; Business Ethics required and
    completed), enrolled in Team Communication since before Learner Management.
    """
    staff = courses
    user = host.create_user("ana.costa", name="Ana Costa", email="ana.costa@example.com")
    enroll_before_learner_management(user, [TEAMWORK[0]])
    soon = timezone.localdate() + datetime.timedelta(days=21)
    for (key, _title), terms in (
        (SAFETY, {"due_date": soon, "message": "Due before the audit."}),
        (FORKLIFT, {"due_date": soon}),
        (FIRST_AID, {"required": False}),
        (ETHICS, {"required": True}),
    ):
        api.assign_course(key, ["ana.costa"], actor=staff, **terms)
    host.set_progress(user, SAFETY[0], 0.5)
    api.mark_complete(ETHICS[0], "ana.costa", actor=staff)
    # Overdue: a due date that has passed (assigning refuses one in the past).
    Assignment.objects.filter(course_key=FORKLIFT[0], learner__user=user).update(
        due_date=timezone.localdate() - datetime.timedelta(days=3)
    )
    return user


@pytest.fixture
def ben(courses):  # pylint: disable=unused-argument
    """
    A learner enrolled in two of the courses since before Learner Management, assigned none.
    """
    user = host.create_user("ben.okafor", name="Ben Okafor", email="ben.okafor@example.com")
    enroll_before_learner_management(user, [SAFETY[0], TEAMWORK[0]])
    return user


def card(page, title):
    """
    The course card whose title is ``title``.
    """
    return page.locator(".course-card").filter(has=page.get_by_role("heading", name=title, exact=True))


def assigned_to_you(page):
    """
    The sidebar's "Assigned to you" region.
    """
    return page.get_by_role("region", name="Assigned to you")


def test_assigned_courses_carry_their_tag_and_the_sidebar_lists_what_is_left(open_dashboard, ana, release, screenshot):
    visit = open_dashboard(ana)
    page = visit.load()
    mine = {item.course_key: item for item in api.list_my_assignments(ana)}

    for key, title in (SAFETY, FORKLIFT, FIRST_AID, ETHICS):
        tag = mine[key].tag
        badge = card(page, title).locator("[data-lm=assignment-tag]")
        assert badge.inner_text() == tag.label, title
        assert BADGE_CLASSES[tag.variant] in badge.get_attribute("class")
    assert re.fullmatch(r"Required · Due .+", card(page, SAFETY[1]).locator("[data-lm=assignment-tag]").inner_text())
    assert card(page, FORKLIFT[1]).locator("[data-lm=assignment-tag]").inner_text() == "Overdue"
    assert card(page, FIRST_AID[1]).locator("[data-lm=assignment-tag]").inner_text() == "Optional"
    assert card(page, TEAMWORK[1]).locator("[data-lm=assignment-tag]").count() == 0

    # The sidebar: what is still to do, in the server's order (required first, soonest due first), each
    # linking to where the course is taken, and My Learning; the dashboard's own widget stays below it.
    sidebar = assigned_to_you(page)
    links = sidebar.get_by_role("listitem").get_by_role("link")
    assert links.all_inner_texts() == [FORKLIFT[1], SAFETY[1], FIRST_AID[1]]
    assert [links.nth(i).get_attribute("href") for i in range(3)] == [
        mine[key].course_url for key, _title in (FORKLIFT, SAFETY, FIRST_AID)
    ]
    assert sidebar.get_by_role("listitem").nth(1).inner_text().endswith(mine[SAFETY[0]].status_label)
    see_all = sidebar.get_by_role("link", name="See all")
    assert see_all.get_attribute("href").endswith("/learner_mgmt/my-learning/")
    assert page.locator("#looking-for-challenge-widget").is_visible()

    assert visit.assignment_requests == ["GET"]
    assert visit.errors == []
    screenshot(page, f"learner-dashboard-{release.name}")


def test_a_learner_without_assignments_sees_the_dashboard_as_it_was(open_dashboard, ben):
    with_plugin = open_dashboard(ben)
    page = with_plugin.load()
    before = open_dashboard(ben, plugin="").load()

    assert page.locator(".course-card").count() == 2
    assert page.locator("[data-lm=assignment-tag]").count() == 0
    assert assigned_to_you(page).count() == 0
    assert page.locator("#root").inner_html() == before.locator("#root").inner_html()
    assert with_plugin.assignment_requests == ["GET"]
    assert with_plugin.errors == []


@pytest.mark.parametrize("status", [401, 500])
def test_when_the_assignments_cannot_be_had_the_dashboard_shows_nothing_of_them(open_dashboard, ana, status):
    visit = open_dashboard(ana)
    visit.page.route(f"**{ASSIGNMENTS_API}", lambda route: route.fulfill(status=status))
    page = visit.load()

    assert page.locator(".course-card").count() == 5
    assert page.locator("[data-lm=assignment-tag]").count() == 0
    assert assigned_to_you(page).count() == 0
    assert page.locator("#looking-for-challenge-widget").is_visible()
    assert visit.assignment_requests == ["GET"]


def test_a_signed_out_visitor_signs_in_on_the_lms_and_comes_back_to_their_dashboard(open_dashboard, ben):
    ben.set_password("secret-pass")
    ben.save()
    visit = open_dashboard(None)
    page = visit.page
    page.goto(visit.url)
    page.wait_for_url(f"{visit.lms_url}/login/**")
    page.get_by_label("Username").fill("ben.okafor")
    page.get_by_label("Password").fill("secret-pass")
    page.get_by_role("button", name="Sign in").click()

    page.wait_for_url(f"{visit.url}**")
    card(page, TEAMWORK[1]).wait_for()
    assert page.locator(".course-card").count() == 2


def test_a_course_the_learner_enrolled_in_on_their_own_is_not_shown_as_assigned(open_dashboard, ben):
    host.enroll(ben, FIRST_AID[0])
    page = open_dashboard(ben).load()

    assert card(page, FIRST_AID[1]).locator("[data-lm=assignment-tag]").count() == 0
    assert assigned_to_you(page).count() == 0
