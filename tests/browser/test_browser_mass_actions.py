"""
Mass actions from the page: selecting learners (a page, then every learner the filters match, across
pages) shows the action bar with the mass actions of the course kind; a confirmation, progress while
the background job runs, and a report of done and skipped learners with the reasons.
"""

import json
import re

import pytest
from playwright.sync_api import expect

from learner_mgmt_plugin import api
from test_utils.browser import ILT, SELF_PACED, row

pytestmark = pytest.mark.browser


def test_select_all_matching_then_a_background_mass_action(world, sign_in, open_tab, settings):
    # Five learners a chunk, and any selection of more than three runs in the background.
    settings.LEARNER_MGMT_CHUNK_SIZE = 5
    settings.LEARNER_MGMT_MASS_ACTION_BACKGROUND_SIZE = 3
    world.self_paced_learners()
    sign_in(world.staff)
    page = open_tab(SELF_PACED)
    page.get_by_label("Rows per page").select_option("10")
    expect(page.locator("tbody tr")).to_have_count(10)
    bar = page.get_by_role("region", name="Mass actions")
    expect(bar).to_be_hidden()

    page.get_by_role("checkbox", name="Select every learner on this page").check()

    expect(bar).to_contain_text("Learners selected: 10")
    expect(bar.locator("[data-mass-action]")).to_have_text(
        ["Reset Progress", "Mark as Complete", "Mark as Incomplete", "Remove"]
    )
    expect(bar).to_contain_text("All 10 learners on this page are selected.")
    bar.get_by_role("button", name="Select all 12 learners that match").click()
    expect(bar).to_contain_text("Learners selected: 12")
    expect(bar).to_contain_text("All 12 learners that match the filters are selected.")

    # The job's first report says it is under way (as a busy worker would), the next ones are real.
    polls = []

    def first_poll_running(route):
        polls.append(route.request.url)
        if len(polls) > 1:
            route.continue_()
            return
        job_id = route.request.url.rstrip("/").rsplit("/", 1)[1]
        running = {"id": job_id, "state": "running", "completed_steps": 1, "total_steps": 3, "error": ""}
        route.fulfill(status=200, content_type="application/json", body=json.dumps(running))

    page.route(re.compile(r".*/mass-actions/[0-9a-f-]+/$"), first_poll_running)
    bar.get_by_role("button", name="Mark as Complete").click()
    dialog = page.get_by_role("dialog", name="Mark as Complete")
    expect(dialog).to_contain_text("This applies to the selected learners: 12.")
    dialog.get_by_role("button", name="Mark as Complete (12)").click()

    progress = dialog.get_by_role("progressbar")
    expect(progress).to_have_attribute("aria-valuenow", "33")
    expect(dialog).to_contain_text("Step 1 of 3 done")
    report = page.get_by_role("dialog", name="Mark as Complete: report")
    expect(report.locator(".lm-summary dd")).to_have_text(["10", "2", "0"])
    expect(report.locator("tbody tr")).to_have_count(2)
    expect(report.locator("tbody tr").first).to_contain_text("femi.adams")
    expect(report.locator("tbody tr").nth(1)).to_contain_text("grace.weber")
    report.get_by_role("button", name="Done").click()

    expect(bar).to_be_hidden()
    expect(page.get_by_role("button", name=re.compile("^Completed"))).to_contain_text("12")
    assert {learner.status for learner in api.list_learners(SELF_PACED, page_size=50).results} == {"completed"}


def test_a_mass_removal_asks_for_the_scope_and_warns(world, sign_in, open_tab):
    world.ilt_learners()
    sign_in(world.staff)
    page = open_tab(ILT)
    for username in ("hiro.tanaka", "jon.eriksen"):
        row(page, username).get_by_role("checkbox").check()
    bar = page.get_by_role("region", name="Mass actions")
    expect(bar.locator("[data-mass-action]")).to_have_text(
        ["Reset Progress", "Mark as Complete", "Mark as Incomplete", "Remove", "Add/Change Session"]
    )

    bar.get_by_role("button", name="Remove").click()
    dialog = page.get_by_role("dialog", name="Remove")
    expect(dialog.get_by_role("radio")).to_have_count(3)
    expect(dialog.get_by_role("note")).to_contain_text("This cannot be undone.")
    dialog.get_by_role("radio", name="Their session only").check()
    dialog.get_by_role("button", name="Remove (2)").click()

    report = page.get_by_role("dialog", name="Remove: report")
    expect(report.locator(".lm-summary dd")).to_have_text(["1", "1", "0"])
    expect(report.locator("tbody tr")).to_contain_text(["jon.eriksen"])
    report.get_by_role("button", name="Done").click()
    expect(row(page, "hiro.tanaka").locator(".lm-badge")).to_have_text("Not Started")
