"""
The learner's My Learning page in Chromium: their courses, Required first, with tags, and booking,
changing and cancelling their own seat in an ILT session, with the keyboard as with the mouse.
"""

import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from learner_mgmt_plugin import api
from test_utils.browser import ILT

pytestmark = pytest.mark.browser


@pytest.fixture
def jon(world, sign_in, page):
    """
    Jon's page: the ILT course required with a due date, not seated yet; the self-paced one optional.
    """
    world.self_paced_learners()
    world.ilt_learners()
    sign_in(get_user_model().objects.get(pk=world.users["jon.eriksen"]))
    page.goto("/learner_mgmt/my-learning/")
    return page


def test_a_learner_sees_their_courses_and_books_changes_and_cancels_a_seat(jon, screenshot):
    page = jon
    expect(page.get_by_role("heading", level=1)).to_have_text("Courses assigned to you")
    cards = page.locator(".lm-course")
    expect(cards.locator(".lm-course__title")).to_have_text(["Forklift Operation", "Workplace Safety"])
    forklift = page.get_by_role("article", name="Forklift Operation")
    expect(forklift.locator(".lm-tag")).to_have_text(re.compile(r"^Required · Due "))
    expect(page.get_by_role("article", name="Workplace Safety").locator(".lm-tag")).to_have_text("Optional")

    # The upcoming sessions with a free seat; the ones that have ended are not offered.
    booking = forklift.get_by_role("group", name="Book a session")
    expect(booking.get_by_role("radio")).to_have_count(2)
    expect(booking).to_contain_text("1 seat left")
    expect(booking).not_to_contain_text("Autumn")
    screenshot("my-learning")
    booking.get_by_role("radio", name=re.compile("^Next month")).check()
    forklift.get_by_role("button", name="Book this session").click()

    expect(page.get_by_role("status")).to_have_text("You are booked in 'Next month'.")
    forklift = page.get_by_role("article", name="Forklift Operation")
    expect(forklift.locator(".lm-badge")).to_have_text("Enrolled")
    expect(forklift).to_contain_text("Next month")
    assert api.get_learner(ILT, "jon.eriksen").session.title == "Next month"

    # Changing, with the keyboard: the only other session is next week's.
    change = forklift.get_by_role("group", name="Change to another session")
    change.get_by_role("radio").first.focus()
    page.keyboard.press("Space")
    forklift.get_by_role("button", name="Change session").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_have_text("You are booked in 'Next week's practical'.")

    page.get_by_role("article", name="Forklift Operation").get_by_role("button", name="Cancel my booking").click()
    expect(page.get_by_role("status")).to_have_text("Your booking in Forklift Operation is cancelled.")
    expect(page.get_by_role("article", name="Forklift Operation")).to_contain_text("You are not booked in a session.")
    assert api.get_learner(ILT, "jon.eriksen").session is None


def test_a_full_session_is_explained(jon, world):
    page = jon
    # Someone takes the last seat of next month's session while Jon's page is open.
    api.change_session(ILT, "kemal.haddad", actor=world.staff, session_id=world.sessions["next_month"])
    forklift = page.get_by_role("article", name="Forklift Operation")
    forklift.get_by_role("radio", name=re.compile("^Next month")).check()
    forklift.get_by_role("button", name="Book this session").click()

    expect(page.get_by_role("status")).to_have_text("'Next month' is full; choose another session.")
    expect(page.get_by_role("article", name="Forklift Operation").get_by_role("radio")).to_have_count(1)
