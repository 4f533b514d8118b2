"""
ILT sessions from the page: adding a learner to a session or changing it, with recent past sessions
set apart (seating there is retroactive) and older ones not offered; the Sessions tab (create, edit,
delete, with capacity); and the course settings.
"""

import re

import pytest
from playwright.sync_api import expect

from learner_mgmt_plugin import api
from test_utils.browser import ILT, SELF_PACED, choose, live_message, row

pytestmark = pytest.mark.browser


@pytest.fixture
def ilt(world, sign_in, open_tab):
    world.ilt_learners()
    sign_in(world.staff)
    return open_tab(ILT)


def test_a_retroactive_session_change(ilt, screenshot):
    page = ilt

    dialog = choose(page, "jon.eriksen", "Add to Session")

    upcoming = dialog.get_by_role("group", name="Upcoming and current sessions")
    recent = dialog.get_by_role("group", name="Recent past sessions (retroactive)")
    expect(upcoming.get_by_role("radio")).to_have_count(2)
    expect(upcoming).to_contain_text("Next week's practical")
    expect(upcoming).to_contain_text("2 of 20 seats taken")
    expect(recent.get_by_role("radio")).to_have_count(1)
    expect(recent).to_contain_text("seat is flagged retroactive")
    # Ended 120 days ago: beyond the retroactive window, not offered.
    expect(dialog).not_to_contain_text("Spring intake")
    expect(dialog).to_contain_text("past the retroactive window and not offered")
    screenshot("session-picker", around=dialog)
    recent.get_by_role("radio", name=re.compile("Autumn intake")).check()
    dialog.get_by_role("button", name="Add to session").click()

    expect(row(page, "jon.eriksen").locator(".lm-badge")).to_have_text("Enrolled")
    expect(row(page, "jon.eriksen")).to_contain_text("Autumn intake")
    expect(row(page, "jon.eriksen")).to_contain_text("Retroactive")
    session = api.get_learner(ILT, "jon.eriksen").session
    assert (session.title, session.retroactive) == ("Autumn intake", True)


def test_change_the_session_of_an_enrolled_learner(ilt):
    page = ilt

    dialog = choose(page, "hiro.tanaka", "Change Session")
    expect(dialog).to_contain_text("Current session: Next week's practical")
    expect(dialog.get_by_role("radio", name=re.compile("Next week's practical"))).to_be_disabled()
    dialog.get_by_role("radio", name=re.compile("Next month")).check()
    dialog.get_by_role("button", name="Change session").click()

    expect(live_message(page)).to_have_text("Session of Hiro Tanaka updated.")
    expect(row(page, "hiro.tanaka")).to_contain_text("Next month")
    assert api.get_learner(ILT, "hiro.tanaka").session.retroactive is False

    # Next month has a single seat, now taken.
    dialog = choose(page, "ines.rossi", "Change Session")
    expect(dialog.get_by_role("radio", name=re.compile("Next month"))).to_be_disabled()
    expect(dialog).to_contain_text("1 of 1 seats taken · full")


def test_filter_by_session_then_add_learners_to_one(ilt):
    page = ilt
    page.get_by_label("Session", exact=True).select_option(label="Next week's practical")
    expect(page.locator("tbody .lm-learner__name")).to_have_text(["Hiro Tanaka", "Ines Rossi"])
    page.get_by_label("Session", exact=True).select_option("")

    for username in ("jon.eriksen", "kemal.haddad"):
        row(page, username).get_by_role("checkbox").check()
    page.get_by_role("region", name="Mass actions").get_by_role("button", name="Add/Change Session").click()
    dialog = page.get_by_role("dialog", name="Add/Change Session")
    dialog.get_by_role("button", name="Add/Change Session (2)").click()
    expect(dialog.get_by_role("alert")).to_have_text("Choose a session.")
    dialog.get_by_role("radio", name=re.compile("Next week's practical")).check()
    dialog.get_by_role("button", name="Add/Change Session (2)").click()

    report = page.get_by_role("dialog", name="Add/Change Session: report")
    expect(report.locator(".lm-summary dd")).to_have_text(["2", "0", "0"])
    report.get_by_role("button", name="Done").click()
    expect(page.get_by_role("button", name=re.compile("^Enrolled"))).to_contain_text("4")


def test_manage_the_sessions(ilt):
    page = ilt
    page.get_by_role("tab", name="Sessions").click()
    panel = page.get_by_role("tabpanel", name="Sessions")
    sessions = panel.locator("tbody tr")
    expect(sessions).to_have_count(4)
    expect(sessions.nth(0)).to_contain_text("Closed")
    expect(sessions.nth(1)).to_contain_text("Recent past")
    expect(sessions.nth(2)).to_contain_text("Scheduled")

    panel.get_by_role("button", name="Add session").click()
    dialog = page.get_by_role("dialog", name="Add session")
    dialog.get_by_label("Title").fill("Refresher")
    dialog.get_by_label("Starts").fill("2030-03-04T09:00")
    dialog.get_by_label("Ends").fill("2030-03-04T12:00")
    dialog.get_by_label("Location").fill("Yard 3")
    dialog.get_by_label("Capacity").fill("12")
    dialog.get_by_role("button", name="Add session").click()
    expect(sessions).to_have_count(5)
    expect(sessions.nth(4)).to_contain_text("0 of 12 seats taken")
    expect(live_message(page)).to_have_text("Session Refresher added.")

    panel.get_by_role("button", name="Edit Refresher").click()
    dialog = page.get_by_role("dialog", name="Edit Refresher")
    dialog.get_by_label("Capacity").fill("")
    dialog.get_by_role("button", name="Save").click()
    expect(sessions.nth(4)).to_contain_text("0 seats taken, no limit")

    # A capacity below the seats taken is refused, with the server's reason, and nothing changes.
    panel.get_by_role("button", name="Edit Next week's practical").click()
    dialog = page.get_by_role("dialog", name="Edit Next week's practical")
    dialog.get_by_label("Capacity").fill("1")
    dialog.get_by_role("button", name="Save").click()
    expect(dialog.get_by_role("alert")).not_to_be_empty()
    dialog.get_by_role("button", name="Cancel").click()

    panel.get_by_role("button", name="Delete Refresher").click()
    page.get_by_role("dialog", name="Delete Refresher").get_by_role("button", name="Delete").click()
    expect(sessions).to_have_count(4)
    # One that ever had learners cannot go; the page says why.
    panel.get_by_role("button", name="Delete Autumn intake").click()
    page.get_by_role("dialog", name="Delete Autumn intake").get_by_role("button", name="Delete").click()
    expect(page.locator("[data-lm=alert]")).not_to_be_empty()
    expect(sessions).to_have_count(4)


def test_course_settings_make_a_course_instructor_led(world, sign_in, open_tab):
    sign_in(world.staff)
    page = open_tab(SELF_PACED)
    expect(page.get_by_role("tab", name="Sessions")).to_have_count(0)
    page.get_by_role("tab", name="Course settings").click()
    page.get_by_label("Credits awarded on completion").fill("2.5")
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_role("tabpanel", name="Course settings")).to_contain_text("Settings saved.")
    expect(page.locator("[data-lm=credits]")).to_have_text("2.5 credits on completion")

    page.get_by_label("Instructor-led (ILT)").check()
    page.get_by_label("Credits awarded on completion").fill("3.5")
    page.get_by_role("button", name="Save settings").click()

    expect(page.get_by_role("tab", name="Sessions")).to_be_visible()
    course = api.get_course_settings(SELF_PACED)
    assert (course.kind, str(course.credits)) == ("ilt", "3.50")
