"""
ILT sessions from the page: adding a learner to a session or changing it, with recent past sessions
set apart (seating there is retroactive) and older ones not offered; the Sessions tab (create, edit,
delete, with capacity); and the course settings.
"""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from learner_mgmt_plugin import api
from learner_mgmt_plugin.exceptions import SessionNotFound
from test_utils.browser import ILT, SELF_PACED, choose, live_message, row

pytestmark = pytest.mark.browser

# The format of a datetime-local input's value.
LOCAL_INPUT = "%Y-%m-%dT%H:%M"


def as_sent(page, local_input):
    """
    The moment a datetime-local value stands for, as the page sends it (the browser's time zone).
    """
    return datetime.datetime.fromisoformat(page.evaluate("value => new Date(value).toISOString()", local_input))


def test_a_retroactive_session_change(ilt, screenshot):
    page = ilt

    dialog = choose(page, "jon.eriksen", "Change/Add to Session")

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

    dialog = choose(page, "hiro.tanaka", "Change/Add to Session")
    expect(dialog).to_contain_text("Current session: Next week's practical")
    expect(dialog.get_by_role("radio", name=re.compile("Next week's practical"))).to_be_disabled()
    dialog.get_by_role("radio", name=re.compile("Next month")).check()
    dialog.get_by_role("button", name="Change session").click()

    expect(live_message(page)).to_have_text("Session of Hiro Tanaka updated.")
    expect(row(page, "hiro.tanaka")).to_contain_text("Next month")
    assert api.get_learner(ILT, "hiro.tanaka").session.retroactive is False

    # Next month has a single seat, now taken.
    dialog = choose(page, "ines.rossi", "Change/Add to Session")
    expect(dialog.get_by_role("radio", name=re.compile("Next month"))).to_be_disabled()
    expect(dialog.locator(".lm-session-option", has_text="Next month")).to_contain_text("1 of 1 seats taken")
    expect(dialog.locator(".lm-session-option", has_text="Next month").locator(".lm-flag")).to_have_text("Full")


def shown(locator):
    """
    The text of ``locator`` with its spaces as plain spaces (Intl puts narrow and thin ones in times).
    """
    return re.sub(r"\s+", " ", locator.text_content()).strip()


@pytest.mark.parametrize("context_options", [{"timezone_id": "America/New_York"}])
def test_session_times_are_the_viewers_with_their_time_zone_and_the_current_session_is_marked(ilt, world):
    page = ilt
    # 14:00 to 17:00 UTC on the 5th of January: 9 AM to noon in New York, on standard time.
    year = timezone.now().year + 1
    start = datetime.datetime(year, 1, 5, 14, tzinfo=datetime.UTC)
    winter = api.create_session(
        ILT, title="Winter refresher", start=start, end=start + datetime.timedelta(hours=3), capacity=5
    )
    api.change_session(ILT, "jon.eriksen", actor=world.staff, session_id=winter.id)
    # Next month's single seat is taken: full.
    api.change_session(ILT, "kemal.haddad", actor=world.staff, session_id=world.sessions["next_month"])
    when = f"Jan 5, {year}, 9:00 AM – 12:00 PM EST"
    page.reload()

    dialog = choose(page, "jon.eriksen", "Change/Add to Session")
    expect(dialog.get_by_role("paragraph").first).to_have_text(re.compile("^Current session: Winter refresher"))
    assert shown(dialog.get_by_role("paragraph").first) == f"Current session: Winter refresher, {when}"
    current = dialog.locator(".lm-session-option", has_text="Winter refresher")
    assert shown(current.locator(".lm-session-option__when")).startswith(f"{when} · ")
    # Jon's own session is marked as his, not greyed as if it were unavailable; a full one is.
    expect(current.locator(".lm-flag")).to_have_text("Current session")
    expect(current.get_by_role("radio")).to_be_disabled()
    expect(current.locator("label")).to_have_css("opacity", "1")
    full = dialog.locator(".lm-session-option", has_text="Next month")
    expect(full.locator(".lm-flag")).to_have_text("Full")
    expect(full.locator("label")).to_have_css("opacity", "0.6")
    dialog.get_by_role("button", name="Cancel").click()

    page.get_by_role("tab", name="Sessions").click()
    listed = page.get_by_role("tabpanel", name="Sessions").locator("tbody tr", has_text="Winter refresher")
    assert shown(listed.locator("td").nth(1)) == when
    page.get_by_role("button", name="Edit Winter refresher").click()
    dialog = page.get_by_role("dialog", name="Edit Winter refresher")
    expect(dialog.get_by_label("Starts")).to_have_value(f"{year}-01-05T09:00")
    expect(dialog).to_contain_text("Times are in your time zone, America/New_York.")


def test_filter_by_session_then_add_learners_to_one(ilt, world):
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
    expect(page.get_by_role("button", name=re.compile("^Enrolled"))).to_have_text(re.compile(r"^Enrolled\s*4$"))
    for username in ("jon.eriksen", "kemal.haddad"):
        session = api.get_learner(ILT, username).session
        assert (session.id, session.title, session.retroactive) == (
            world.sessions["next_week"],
            "Next week's practical",
            False,
        )
    assert api.get_session(ILT, world.sessions["next_week"]).seats_taken == 4


def test_manage_the_sessions(ilt, world):
    page = ilt
    page.get_by_role("tab", name="Sessions").click()
    panel = page.get_by_role("tabpanel", name="Sessions")
    sessions = panel.locator("tbody tr")
    expect(sessions).to_have_count(4)
    expect(sessions.nth(0)).to_contain_text("Closed")
    expect(sessions.nth(1)).to_contain_text("Recent past")
    expect(sessions.nth(2)).to_contain_text("Scheduled")

    # Well after every other session: it comes last.
    day = timezone.localtime() + datetime.timedelta(days=400)
    starts = day.replace(hour=9, minute=0).strftime(LOCAL_INPUT)
    ends = day.replace(hour=12, minute=0).strftime(LOCAL_INPUT)
    panel.get_by_role("button", name="Add session").click()
    dialog = page.get_by_role("dialog", name="Add session")
    dialog.get_by_label("Title").fill("Refresher")
    dialog.get_by_label("Starts").fill(starts)
    dialog.get_by_label("Ends").fill(ends)
    dialog.get_by_label("Location").fill("Yard 3")
    dialog.get_by_label("Capacity").fill("12")
    dialog.get_by_role("button", name="Add session").click()
    expect(sessions).to_have_count(5)
    expect(sessions.nth(4)).to_contain_text("0 of 12 seats taken")
    expect(live_message(page)).to_have_text("Session Refresher added.")
    refresher = api.list_sessions(ILT)[-1]
    assert (refresher.title, refresher.location, refresher.capacity, refresher.instructor, refresher.seats_taken) == (
        "Refresher",
        "Yard 3",
        12,
        None,
        0,
    )
    assert (refresher.start, refresher.end) == (as_sent(page, starts), as_sent(page, ends))

    panel.get_by_role("button", name="Edit Refresher").click()
    dialog = page.get_by_role("dialog", name="Edit Refresher")
    expect(dialog.get_by_label("Starts")).to_have_value(starts)
    dialog.get_by_label("Capacity").fill("")
    dialog.get_by_role("button", name="Save").click()
    expect(sessions.nth(4)).to_contain_text("0 seats taken, no limit")
    edited = api.get_session(ILT, refresher.id)
    assert edited.capacity is None
    assert (edited.title, edited.start, edited.end, edited.location) == (
        refresher.title,
        refresher.start,
        refresher.end,
        refresher.location,
    )

    # A capacity below the seats taken is refused, with the server's reason, and nothing changes.
    next_week = sessions.nth(2)
    shown = next_week.text_content()
    before = api.get_session(ILT, world.sessions["next_week"])
    assert (before.capacity, before.seats_taken) == (20, 2)
    panel.get_by_role("button", name="Edit Next week's practical").click()
    dialog = page.get_by_role("dialog", name="Edit Next week's practical")
    dialog.get_by_label("Capacity").fill("1")
    dialog.get_by_role("button", name="Save").click()
    expect(dialog.get_by_role("alert")).to_have_text(
        "2 learners are seated in this session; the capacity cannot be lower."
    )
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_have_count(0)
    expect(next_week).to_have_text(shown)
    expect(next_week).to_contain_text("2 of 20 seats taken")
    assert api.get_session(ILT, world.sessions["next_week"]) == before

    panel.get_by_role("button", name="Delete Refresher").click()
    page.get_by_role("dialog", name="Delete Refresher").get_by_role("button", name="Delete").click()
    expect(sessions).to_have_count(4)
    expect(live_message(page)).to_have_text("Session Refresher deleted.")
    with pytest.raises(SessionNotFound):
        api.get_session(ILT, refresher.id)

    # One that ever had learners cannot go; the page says why, and nothing changes.
    autumn = sessions.nth(1)
    shown = autumn.text_content()
    listed = api.list_sessions(ILT)
    panel.get_by_role("button", name="Delete Autumn intake").click()
    page.get_by_role("dialog", name="Delete Autumn intake").get_by_role("button", name="Delete").click()
    expect(page.locator("[data-lm=alert]")).to_have_text(
        "This session has 1 seat records (attendance history); it cannot be deleted."
    )
    expect(sessions).to_have_count(4)
    expect(autumn).to_have_text(shown)
    assert api.list_sessions(ILT) == listed
    assert api.get_session(ILT, world.sessions["recent"]).title == "Autumn intake"


def test_course_settings_make_a_course_instructor_led(world, open_as):
    page = open_as(world.staff, SELF_PACED)
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
