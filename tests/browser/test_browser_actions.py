"""
Every action of the 3-dot menu works from the page, with the dialog it needs; the list, the chips
and the live region show the outcome, and focus comes back to the learner's menu button.
"""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from devhost.lms import api as host
from learner_mgmt_plugin import api
from learner_mgmt_plugin.exceptions import LearnerNotFound
from test_utils.browser import ILT, SELF_PACED, choose, live_message, menu_labels, row

pytestmark = pytest.mark.browser


@pytest.fixture
def self_paced(world, sign_in, open_tab):
    world.self_paced_learners()
    sign_in(world.staff)
    return open_tab(SELF_PACED)


def test_set_and_remove_a_due_date(self_paced, world):
    page = self_paced
    due = timezone.localdate() + datetime.timedelta(days=45)

    dialog = choose(page, "jon.eriksen", "Update/Add Course Due Date")
    expect(dialog.get_by_role("heading")).to_have_text("Add a due date for Jon Eriksen")
    expect(dialog).to_contain_text("The learner is not notified.")
    dialog.get_by_label("Due date").fill(due.isoformat())
    dialog.get_by_role("button", name="Save").click()

    expect(dialog).to_have_count(0)
    expect(live_message(page)).to_have_text("Due date of Jon Eriksen updated.")
    expect(row(page, "jon.eriksen")).to_contain_text("Required")
    expect(row(page, "jon.eriksen").get_by_role("button", name="Actions for Jon Eriksen")).to_be_focused()
    learner = api.get_learner(SELF_PACED, "jon.eriksen")
    assert (learner.due_date, learner.required, learner.assigned_by) == (due, True, "admin")

    dialog = choose(page, "jon.eriksen", "Update/Add Course Due Date")
    expect(dialog.get_by_label("Due date")).to_have_value(due.isoformat())
    dialog.get_by_role("button", name="Remove due date").click()

    expect(dialog).to_have_count(0)
    expect(row(page, "jon.eriksen")).to_contain_text("Optional")
    expect(row(page, "jon.eriksen")).to_contain_text("No due date")
    assert api.get_learner(SELF_PACED, "jon.eriksen").due_date is None


def test_reset_progress_then_mark_complete(self_paced):
    page = self_paced

    dialog = choose(page, "dev.patel", "Reset Progress")
    expect(dialog).to_contain_text("returns to Not Started")
    dialog.get_by_role("button", name="Reset progress").click()

    expect(row(page, "dev.patel").locator(".lm-badge")).to_have_text("Not Started")
    expect(page.get_by_role("button", name=re.compile("^Not Started"))).to_contain_text("6")
    assert api.get_learner(SELF_PACED, "dev.patel").attempt == 2

    choose(page, "dev.patel", "Mark as Complete").get_by_role("button", name="Mark as complete").click()

    expect(row(page, "dev.patel").locator(".lm-badge")).to_have_text("Completed")
    expect(live_message(page)).to_have_text("Dev Patel marked as complete.")
    assert api.get_learner(SELF_PACED, "dev.patel").completion_source == "admin"


def test_generate_and_remove_certificates(self_paced):
    page = self_paced

    choose(page, "femi.adams", "Generate Certificate").get_by_role("button", name="Generate certificate").click()
    expect(live_message(page)).to_have_text("Certificate of Femi Adams generated.")
    dialog = choose(page, "grace.weber", "Remove Certificate")
    expect(dialog).to_contain_text("Their progress is unchanged.")
    dialog.get_by_role("button", name="Remove certificate").click()
    expect(live_message(page)).to_have_text("Certificate of Grace Weber removed.")

    assert "Remove Certificate" in menu_labels(page, "femi.adams")
    assert "Generate Certificate" in menu_labels(page, "grace.weber")


def test_make_instructor(self_paced):
    page = self_paced

    choose(page, "hiro.tanaka", "Make Instructor").get_by_role("button", name="Make instructor").click()

    expect(live_message(page)).to_have_text("Hiro Tanaka is now an instructor of this course.")
    assert "Make Instructor" not in menu_labels(page, "hiro.tanaka")


def test_unassign_and_remove(self_paced):
    page = self_paced

    dialog = choose(page, "chloe.lopez", "Unassign User")
    expect(dialog).to_contain_text("Their history is kept.")
    dialog.get_by_role("button", name="Unassign").click()
    expect(row(page, "chloe.lopez")).to_have_count(0)
    expect(page.get_by_role("button", name=re.compile("^All"))).to_contain_text("11")

    dialog = choose(page, "kemal.haddad", "Remove User")
    # A self-paced course has no session to remove the learner from: no scope to choose.
    expect(dialog.get_by_role("radio")).to_have_count(0)
    expect(dialog.get_by_role("note")).to_contain_text("This cannot be undone.")
    expect(dialog.get_by_role("note")).to_contain_text("CANNOT be recovered")
    dialog.get_by_role("button", name="Remove", exact=True).click()

    expect(row(page, "kemal.haddad")).to_have_count(0)
    expect(live_message(page)).to_have_text("Kemal Haddad removed.")
    expect(page.get_by_role("table")).to_be_focused()
    for username in ("chloe.lopez", "kemal.haddad"):
        with pytest.raises(LearnerNotFound):
            api.get_learner(SELF_PACED, username)


def test_history_and_chapter_insights(self_paced):
    page = self_paced

    dialog = choose(page, "grace.weber", "View History")
    expect(dialog.get_by_role("heading", name="History of Grace Weber")).to_be_visible()
    events = dialog.locator(".lm-timeline__what")
    expect(events).to_contain_text(["Certificate generated", "Completed the course", "Assigned the course"])
    expect(dialog.locator(".lm-timeline__item").first).to_contain_text("by staff")
    dialog.get_by_role("button", name="Close").first.click()
    expect(dialog).to_have_count(0)

    dialog = choose(page, "dev.patel", "View Chapter Insights")
    expect(dialog.locator("tbody tr")).to_have_count(5)
    expect(dialog.locator("tbody tr").first).to_contain_text("Introduction")
    expect(dialog.locator("tbody tr").first).to_contain_text("100%")


def test_quiz_insights_and_their_excel_export(self_paced):
    page = self_paced

    dialog = choose(page, "dev.patel", "View Quiz Insights")

    expect(dialog).to_contain_text("What colour is a fire exit sign?")
    expect(dialog.locator("tbody tr").first).to_contain_text("green")
    expect(dialog.locator("tbody tr").first).to_contain_text("Correct")
    expect(dialog.locator("tbody tr").nth(1)).to_contain_text("Incorrect")
    with page.expect_download() as download:
        dialog.get_by_role("link", name="Export to Excel (.xlsx)").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    with open(download.value.path(), "rb") as workbook:
        assert workbook.read(2) == b"PK"


def test_scorm_activity_for_a_platform_admin(world, sign_in, open_tab):
    world.self_paced_learners()
    sign_in(world.admin)
    page = open_tab(SELF_PACED)

    dialog = choose(page, "elif.kaya", "View SCORM/xAPI Activity")

    expect(dialog.get_by_role("heading")).to_have_text("SCORM/xAPI activity: Elif Kaya")
    expect(dialog.locator("tbody tr")).to_contain_text(["completed"])
    expect(dialog.locator("tbody tr").first).to_contain_text("Safety walk-through")


def test_no_show_with_a_message_and_removal_from_the_session(world, sign_in, open_tab):
    world.ilt_learners()
    sign_in(world.staff)
    page = open_tab(ILT)

    dialog = choose(page, "hiro.tanaka", "Mark as No Show")
    expect(dialog).to_contain_text("Next week's practical")
    dialog.get_by_label("Private message to the learner").fill("Please book the session next month.")
    dialog.get_by_role("button", name="Mark as no-show").click()

    expect(row(page, "hiro.tanaka").locator(".lm-badge")).to_have_text("Not Started")
    assert "Please book the session next month." in host.outbox(world.users["hiro.tanaka"])[-1].body

    dialog = choose(page, "ines.rossi", "Remove User")
    dialog.get_by_role("radio", name="Their session only").check()
    dialog.get_by_role("button", name="Remove", exact=True).click()

    expect(row(page, "ines.rossi").locator(".lm-badge")).to_have_text("Not Started")
    assert api.get_learner(ILT, "ines.rossi").session is None


def test_an_action_the_status_no_longer_allows_is_explained(self_paced, world):
    page = self_paced
    dialog = choose(page, "ben.okafor", "Unassign User")
    # Meanwhile, someone else completes Ben: unassigning is no longer offered for him.
    api.mark_complete(SELF_PACED, "ben.okafor", actor=world.admin)

    dialog.get_by_role("button", name="Unassign").click()

    expect(dialog.get_by_role("alert")).not_to_be_empty()
    expect(row(page, "ben.okafor").locator(".lm-badge")).to_have_text("Completed")
    dialog.get_by_role("button", name="Cancel").click()
    assert "Unassign User" not in menu_labels(page, "ben.okafor")


def test_the_history_of_an_ilt_learner_lists_their_sessions(world, sign_in, open_tab):
    world.ilt_learners()
    sign_in(world.staff)
    page = open_tab(ILT)

    dialog = choose(page, "lena.fischer", "View History")

    sessions = dialog.locator("table").first.locator("tbody tr")
    expect(sessions).to_have_count(1)
    expect(sessions.first).to_contain_text("Autumn intake")
    expect(sessions.first).to_contain_text("Attended")
    expect(sessions.first).to_contain_text("Retroactive")
