"""
Mass actions from the page: selecting learners (a page, then every learner the filters match, across
pages) shows the action bar with the mass actions of the course kind; a confirmation, progress while
the background job runs, and a report of done and skipped learners with the reasons.
"""

import datetime
import json
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from learner_mgmt_plugin import api
from learner_mgmt_plugin.data import LearnerStatus
from learner_mgmt_plugin.models import RemovalAudit
from test_utils.browser import (
    ILT,
    SELF_PACED,
    choose_twice_while_held,
    live_message,
    row,
    selection_count,
    server_today,
)

pytestmark = pytest.mark.browser

JOB_STATUS = re.compile(r".*/mass-actions/[0-9a-f-]+/$")


def job_reports(job):
    """
    A route handler that answers the job's polls with ``job["state"]`` (and ``job["error"]``) as long
    as ``job["fake"]`` holds, and lets them through to the server once it no longer does.
    """

    def handle(route):
        if not job["fake"]:
            route.continue_()
            return
        job_id = route.request.url.rstrip("/").rsplit("/", 1)[1]
        body = {"id": job_id, "completed_steps": 1, "total_steps": 3, "error": "", **job}
        del body["fake"]
        route.fulfill(status=200, content_type="application/json", body=json.dumps(body))

    return handle


@pytest.fixture
def in_the_background(settings):
    # Five learners a chunk, and any selection of more than three runs in the background.
    settings.LEARNER_MGMT_CHUNK_SIZE = 5
    settings.LEARNER_MGMT_MASS_ACTION_BACKGROUND_SIZE = 3


def select_every_learner(page):
    """
    Select the twelve learners of the self-paced course (all on the first page) and return the bar.
    """
    page.get_by_role("checkbox", name="Select every learner on this page").check()
    expect(selection_count(page)).to_have_text("Learners selected: 12")
    return page.get_by_role("region", name="Mass actions")


@pytest.mark.usefixtures("in_the_background")
def test_select_all_matching_then_a_background_mass_action(self_paced):
    page = self_paced
    page.get_by_label("Rows per page").select_option("10")
    expect(page.locator("tbody tr[data-username]")).to_have_count(10)
    bar = page.get_by_role("region", name="Mass actions")
    expect(bar).to_be_hidden()

    page.get_by_role("checkbox", name="Select every learner on this page").check()

    expect(selection_count(page)).to_have_text("Learners selected: 10")
    expect(bar.locator("[data-mass-action]")).to_have_text(
        ["Set Due Date", "Reset progress", "Mark as Complete", "Mark as Incomplete", "Remove"]
    )
    expect(bar).to_contain_text("All 10 learners on this page are selected.")
    bar.get_by_role("button", name="Select all 12 learners that match").click()
    expect(selection_count(page)).to_have_text("Learners selected: 12")
    expect(bar).to_contain_text("All 12 learners that match the filters are selected.")

    # The job's reports say it is under way (as a busy worker would) until the test has seen its
    # progress; the next ones are real.
    job = {"fake": True, "state": "running"}
    page.route(JOB_STATUS, job_reports(job))
    bar.get_by_role("button", name="Mark as Complete").click()
    dialog = page.get_by_role("dialog", name="Mark as Complete")
    expect(dialog).to_contain_text("This applies to the selected learners: 12.")
    dialog.get_by_role("button", name="Mark as Complete (12)").click()

    progress = dialog.get_by_role("progressbar")
    expect(progress).to_have_attribute("aria-valuenow", "33")
    expect(dialog).to_contain_text("Step 1 of 3 done")
    job["fake"] = False
    report = page.get_by_role("dialog", name="Mark as Complete: report")
    expect(report.locator(".lm-summary dd")).to_have_text(["10", "2", "0"])
    # Learners by name, with their usernames, those done as well as those skipped.
    expect(report.get_by_role("table", name="Done").locator("tbody tr")).to_have_count(10)
    expect(report.get_by_role("table", name="Done").locator("tbody tr").first).to_have_text(
        re.compile(r"Ana Costa\s*ana\.costa")
    )
    skipped = report.get_by_role("table", name="Skipped").locator("tbody tr")
    expect(skipped).to_have_count(2)
    expect(skipped.first.locator("td")).to_have_text(
        [re.compile(r"Femi Adams\s*femi\.adams"), "Already completed: Mark as Complete does not apply."]
    )
    expect(skipped.nth(1)).to_contain_text("Grace Weber")
    report.get_by_role("button", name="Done").click()

    expect(bar).to_be_hidden()
    expect(page.get_by_role("button", name=re.compile("^Completed"))).to_have_text(re.compile(r"^Completed\s*12$"))
    assert {learner.status for learner in api.list_learners(SELF_PACED, page_size=50).results} == {"completed"}


@pytest.mark.usefixtures("in_the_background")
def test_a_background_job_that_fails_after_its_dialog_closed_is_announced(self_paced):
    page = self_paced
    bar = select_every_learner(page)
    job = {"fake": True, "state": "running"}
    page.route(JOB_STATUS, job_reports(job))
    bar.get_by_role("button", name="Reset progress").click()
    dialog = page.get_by_role("dialog", name="Reset progress")
    dialog.get_by_role("button", name="Reset progress (12)").click()
    expect(dialog.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "33")

    with page.expect_request(lambda request: "/learners/?" in request.url):
        dialog.get_by_role("button", name="Close and keep running").click()
    expect(dialog).to_have_count(0)
    # The worker gives up: the page says so, though the dialog is gone, and shows the list as it is.
    with page.expect_request(lambda request: "/learners/?" in request.url):
        job.update(state="failed", error="The worker stopped.")
        expect(page.locator("[data-lm=alert]")).to_have_text("The worker stopped.")
    expect(page.get_by_role("dialog")).to_have_count(0)
    expect(live_message(page)).not_to_have_text(re.compile("Reset progress: done"))


def test_a_mass_removal_asks_for_the_scope_and_warns(ilt, world):
    page = ilt
    jon = api.get_learner(ILT, "jon.eriksen")
    for username in ("hiro.tanaka", "jon.eriksen"):
        row(page, username).get_by_role("checkbox").check()
    bar = page.get_by_role("region", name="Mass actions")
    expect(bar.locator("[data-mass-action]")).to_have_text(
        ["Set Due Date", "Reset progress", "Mark as Complete", "Mark as Incomplete", "Remove", "Add/Change Session"]
    )
    expect(bar.locator(".lm-btn--danger-outline")).to_have_text(["Remove"])

    bar.get_by_role("button", name="Remove").click()
    dialog = page.get_by_role("dialog", name="Remove")
    expect(dialog.get_by_role("radio")).to_have_count(3)
    expect(dialog.get_by_role("note")).to_contain_text("This cannot be undone.")
    # Nothing is removed until what goes is chosen.
    for radio in dialog.get_by_role("radio").all():
        expect(radio).not_to_be_checked()
    apply = dialog.get_by_role("button", name="Remove (2)")
    expect(apply).to_be_disabled()
    expect(apply).to_have_class(re.compile("lm-btn--danger"))
    dialog.get_by_role("radio", name="Their session only").check()
    expect(apply).to_be_enabled()
    apply.click()

    report = page.get_by_role("dialog", name="Remove: report")
    expect(report.locator(".lm-summary dd")).to_have_text(["1", "1", "0"])
    expect(report.get_by_role("table", name="Done").locator("tbody td")).to_have_text(
        [re.compile(r"Hiro Tanaka\s*hiro\.tanaka")]
    )
    expect(report.get_by_role("table", name="Skipped").locator("tbody td")).to_have_text(
        [re.compile(r"Jon Eriksen\s*jon\.eriksen"), "Not seated in a session."]
    )
    report.get_by_role("button", name="Done").click()
    expect(row(page, "hiro.tanaka").locator(".lm-badge")).to_have_text("Not Started")
    # Hiro left his session and is still assigned the course; Jon, who had none, is as he was.
    hiro = api.get_learner(ILT, "hiro.tanaka")
    assert (hiro.session, hiro.status) == (None, LearnerStatus.NOT_STARTED)
    assert api.get_session(ILT, world.sessions["next_week"]).seats_taken == 1
    assert api.get_learner(ILT, "jon.eriksen") == jon
    assert not RemovalAudit.objects.exists()


def test_a_mass_action_opens_one_dialog_however_often_it_is_clicked(ilt):
    page = ilt
    row(page, "jon.eriksen").get_by_role("checkbox").check()
    bar = page.get_by_role("region", name="Mass actions")

    # The sessions the dialog offers come back only once the button has been clicked twice.
    asked = choose_twice_while_held(
        page, re.compile(r".*/sessions/$"), bar.get_by_role("button", name="Add/Change Session").click
    )

    expect(page.get_by_role("dialog", name="Add/Change Session")).to_be_visible()
    expect(page.get_by_role("dialog")).to_have_count(1)
    assert asked == 1


def test_marking_incomplete_in_an_ilt_course_applies_to_seated_and_completed_learners(ilt):
    page = ilt
    for username in ("hiro.tanaka", "jon.eriksen", "lena.fischer"):
        row(page, username).get_by_role("checkbox").check()
    bar = page.get_by_role("region", name="Mass actions")
    bar.get_by_role("button", name="Mark as Incomplete").click()
    dialog = page.get_by_role("dialog", name="Mark as Incomplete")
    expect(dialog).to_contain_text("Learners seated in a session (Enrolled) or Completed are marked incomplete")
    dialog.get_by_role("button", name="Mark as Incomplete (3)").click()

    report = page.get_by_role("dialog", name="Mark as Incomplete: report")
    # Done, skipped, failed: Jon, not started, is told why it passes him by.
    expect(report.locator(".lm-summary dd")).to_have_text(["2", "1", "0"])
    expect(report.get_by_role("table", name="Skipped").locator("tbody td")).to_have_text(
        [re.compile(r"Jon Eriksen\s*jon\.eriksen"), "Not started yet: Mark as Incomplete does not apply."]
    )
    report.get_by_role("button", name="Done").click()
    for username in ("hiro.tanaka", "lena.fischer"):
        expect(row(page, username).locator(".lm-badge")).to_have_text("Not Started")
        assert api.get_learner(ILT, username).attempt == 2


def test_a_due_date_set_for_the_selected_learners_then_removed(self_paced):
    page = self_paced
    due = timezone.localdate() + datetime.timedelta(days=30)
    learners = ("jon.eriksen", "dev.patel")
    for username in learners:
        row(page, username).get_by_role("checkbox").check()
    page.get_by_role("region", name="Mass actions").get_by_role("button", name="Set Due Date").click()
    dialog = page.get_by_role("dialog", name="Set Due Date")
    expect(dialog).to_contain_text("A due date makes the course required for them")
    expect(dialog.get_by_label("New due date")).to_have_attribute("min", server_today(page).isoformat())
    dialog.get_by_role("button", name="Set Due Date (2)").click()
    expect(dialog.get_by_role("alert")).to_have_text("Choose a due date.")
    dialog.get_by_label("New due date").fill(due.isoformat())
    dialog.get_by_role("button", name="Set Due Date (2)").click()

    report = page.get_by_role("dialog", name="Set Due Date: report")
    expect(report.locator(".lm-summary dd")).to_have_text(["2", "0", "0"])
    report.get_by_role("button", name="Done").click()
    for username in learners:
        expect(row(page, username)).to_contain_text("Required")
        learner = api.get_learner(SELF_PACED, username)
        assert (learner.due_date, learner.required) == (due, True)

    for username in learners:
        row(page, username).get_by_role("checkbox").check()
    page.get_by_role("region", name="Mass actions").get_by_role("button", name="Set Due Date").click()
    dialog = page.get_by_role("dialog", name="Set Due Date")
    dialog.get_by_label("Remove it").check()
    expect(dialog.get_by_label("New due date")).to_be_disabled()
    dialog.get_by_role("button", name="Set Due Date (2)").click()
    page.get_by_role("dialog", name="Set Due Date: report").get_by_role("button", name="Done").click()
    for username in learners:
        expect(row(page, username)).to_contain_text("Optional")
        assert api.get_learner(SELF_PACED, username).due_date is None


def test_a_mass_removal_asks_for_a_reason_where_the_course_requires_one(ilt, world):
    page = ilt
    api.update_course_settings(ILT, removal_reason_required=True)
    page.reload()
    for username in ("hiro.tanaka", "jon.eriksen"):
        row(page, username).get_by_role("checkbox").check()
    page.get_by_role("region", name="Mass actions").get_by_role("button", name="Remove").click()
    dialog = page.get_by_role("dialog", name="Remove")
    reason = dialog.get_by_label("Reason")
    # Taking learners out of their session deletes nothing: no reason needed.
    dialog.get_by_role("radio", name="Their session only").check()
    expect(dialog).to_contain_text("(optional)")
    dialog.get_by_role("radio", name=re.compile("^The course")).check()
    expect(dialog).to_contain_text("(required in this course)")
    dialog.get_by_role("button", name="Remove (2)").click()
    expect(dialog.get_by_role("alert")).to_have_text(
        "This course asks for a reason before a learner is removed from it."
    )
    assert not RemovalAudit.objects.exists()
    reason.fill("Contract ended")
    dialog.get_by_role("button", name="Remove (2)").click()
    report = page.get_by_role("dialog", name="Remove: report")
    expect(report.locator(".lm-summary dd")).to_have_text(["2", "0", "0"])
    assert sorted(RemovalAudit.objects.values_list("learner_id", "reason")) == sorted(
        (world.users[username], "Contract ended") for username in ("hiro.tanaka", "jon.eriksen")
    )


def test_the_report_names_the_learners_done_and_its_toast_goes_when_the_next_dialog_opens(ilt):
    page = ilt
    for username in ("hiro.tanaka", "jon.eriksen", "lena.fischer"):
        row(page, username).get_by_role("checkbox").check()
    page.get_by_role("region", name="Mass actions").get_by_role("button", name="Mark as Complete").click()
    page.get_by_role("dialog", name="Mark as Complete").get_by_role("button", name="Mark as Complete (3)").click()

    report = page.get_by_role("dialog", name="Mark as Complete: report")
    expect(report.get_by_role("table", name="Done").locator("tbody td")).to_have_text(
        [re.compile(r"Hiro Tanaka\s*hiro\.tanaka"), re.compile(r"Jon Eriksen\s*jon\.eriksen")]
    )
    expect(report.get_by_role("table", name="Skipped").locator("tbody td")).to_have_text(
        [re.compile(r"Lena Fischer\s*lena\.fischer"), "Already completed: Mark as Complete does not apply."]
    )
    toast = page.locator("[data-lm=toast]")
    said = "Mark as Complete: done 2, skipped 1, failed 0. Done for Hiro Tanaka, Jon Eriksen."
    expect(toast).to_have_text(said)
    expect(live_message(page)).to_have_text(said)
    report.get_by_role("button", name="Done").click()
    expect(toast).to_be_visible()

    # The next dialog has the page to itself.
    row(page, "ines.rossi").get_by_role("button", name="Actions for").click()
    page.get_by_role("menuitem", name="View History").click()
    expect(page.get_by_role("dialog", name="History of Ines Rossi")).to_be_visible()
    expect(toast).to_be_hidden()
