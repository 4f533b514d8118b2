"""
Assign Course from the page: the user picker, the terms, the review screen with "skip users who have
already completed" (unchecked by default, absent when the site re-assigns regardless), a background
assignment, and the CSV import with its sample file, the Import Status pop-up and its Download List.
"""

import csv
import datetime
import json
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from devhost.lms import api as host
from learner_mgmt_plugin import api
from test_utils.browser import SELF_PACED, choose, live_message, row, server_today

pytestmark = pytest.mark.browser

SKIP_COMPLETED = "Skip users who have already completed the course"


@pytest.fixture(autouse=True)
def newcomers(world):
    """
    Users not assigned the course yet: Mia (active) and Olav (deactivated).
    """
    return {
        "mia": host.create_user("mia.novak", name="Mia Novak", email="mia.novak@example.com"),
        "olav": host.create_user("olav.berg", name="Olav Berg", email="olav.berg@example.com", is_active=False),
    }


def pick(dialog, search, option):
    """
    Search the user picker for ``search`` and pick ``option`` among the matches.
    """
    combobox = dialog.get_by_role("combobox", name="Users")
    combobox.fill(search)
    dialog.get_by_role("option", name=re.compile(option)).click()


def open_assign(page):
    page.get_by_role("button", name="Assign Course").click()
    dialog = page.get_by_role("dialog", name="Add Users")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("combobox", name="Users")).to_be_focused()
    return dialog


def test_assign_with_review_and_skip_completed(self_paced, world, newcomers, screenshot):
    page = self_paced
    due = timezone.localdate() + datetime.timedelta(days=30)
    # The browser's clock is two months ahead of the server's: the due date is still in the future.
    page.clock.set_fixed_time(timezone.now() + datetime.timedelta(days=60))
    dialog = open_assign(page)

    # One letter searches nothing, and the dialog says so.
    dialog.get_by_role("combobox", name="Users").fill("a")
    expect(dialog.get_by_role("status").first).to_have_text("Type at least 2 characters to search.")
    expect(dialog.get_by_role("listbox")).to_be_hidden()
    # Escape closes the list of matches, not the dialog.
    dialog.get_by_role("combobox", name="Users").fill("ana")
    expect(dialog.get_by_role("listbox")).to_be_visible()
    page.keyboard.press("Escape")
    expect(dialog.get_by_role("listbox")).to_be_hidden()
    expect(dialog).to_be_visible()
    pick(dialog, "mia", "Mia Novak")
    # The keyboard picks too: arrow down to the match, Enter.
    dialog.get_by_role("combobox", name="Users").fill("femi")
    expect(dialog.get_by_role("option")).to_have_count(1)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    # Typed identifiers are taken as they are; the review says who they are.
    dialog.get_by_role("combobox", name="Users").fill("nobody@example.com, olav.berg@example.com dev.patel")
    page.keyboard.press("Enter")
    expect(dialog.get_by_role("list", name="Selected users").get_by_role("listitem")).to_have_text(
        [
            re.compile("Mia Novak"),
            re.compile("Femi Adams"),
            re.compile("nobody@example.com"),
            re.compile("olav.berg"),
            re.compile("dev.patel"),
        ]
    )
    dialog.get_by_role("radio", name="Required").check()
    # The earliest due date is the server's today, whatever the browser's clock says.
    today = server_today(page)
    expect(dialog.get_by_label("Due date")).to_have_attribute("min", today.isoformat())
    dialog.get_by_label("Due date").fill((today - datetime.timedelta(days=1)).isoformat())
    dialog.get_by_role("button", name="Review").click()
    expect(dialog.get_by_role("alert")).to_have_text("The due date cannot be in the past.")
    dialog.get_by_label("Due date").fill(due.isoformat())
    dialog.get_by_label("Personal message").fill("Welcome aboard: finish it before the audit.")
    dialog.get_by_role("button", name="Review").click()

    review = page.get_by_role("dialog", name="Review Assignment")
    expect(review.locator("tbody tr")).to_have_count(3)
    expect(review.locator("tbody tr").nth(0)).to_contain_text("Mia Novak")
    expect(review.locator("tbody tr").nth(0).locator(".lm-badge")).to_have_text("Not assigned")
    expect(review.locator("tbody tr").nth(1)).to_contain_text("Femi Adams")
    expect(review.locator("tbody tr").nth(1).locator(".lm-badge")).to_have_text("Completed")
    # Where a learner stands is worded as their row in the list words it, with their own progress.
    dev = api.get_learner(SELF_PACED, "dev.patel")
    assert re.fullmatch(r"\d+% Completed", dev.status_label)
    expect(review.locator("tbody tr").nth(2)).to_contain_text("Dev Patel")
    expect(review.locator("tbody tr").nth(2).locator(".lm-badge")).to_have_text(f"Assigned · {dev.status_label}")
    expect(row(page, "dev.patel").locator(".lm-badge")).to_have_text(dev.status_label)
    # The terms each will have: Mia's as asked; of those assigned already, what changes is marked.
    expect(review.locator("tbody tr").nth(0).locator("td").last).to_have_text(re.compile(r"^Required · due .+"))
    expect(review.locator("tbody tr").nth(2).locator(".lm-change")).to_have_text(
        [
            re.compile(r"^Due date: .+ → .+$"),
            "Personal message: “Due before the audit.” → “Welcome aboard: finish it before the audit.”",
        ]
    )
    expect(review).to_contain_text("Learners assigned already whose terms change: 2.")
    expect(review).to_contain_text("Not found: nobody@example.com")
    expect(review).to_contain_text("Deactivated: olav.berg@example.com")
    skip = review.get_by_role("checkbox", name=SKIP_COMPLETED)
    expect(skip).not_to_be_checked()
    screenshot("assign-review", around=review)
    skip.check()
    review.get_by_role("button", name="Assign").click()

    result = page.get_by_role("dialog", name="Course assigned")
    # Newly assigned, re-assigned, updated, skipped, failed.
    expect(result.locator(".lm-summary dd")).to_have_text(["1", "0", "1", "1", "0"])
    expect(result).to_contain_text("femi.adams")
    expect(result).to_contain_text("Already completed the course (skipped).")
    result.get_by_role("button", name="Done").click()
    expect(row(page, "mia.novak")).to_contain_text("Required")
    mia = api.get_learner(SELF_PACED, "mia.novak")
    assert (mia.due_date, mia.required, mia.assigned_by) == (due, True, "staff")
    assert "Welcome aboard" in host.outbox(newcomers["mia"])[-1].body
    assert api.get_learner(SELF_PACED, "femi.adams").attempt == 1
    assert api.get_learner(SELF_PACED, "dev.patel").due_date == due

    # Left unchecked (the default), a learner who completed the course is assigned it again.
    dialog = open_assign(page)
    pick(dialog, "femi", "Femi Adams")
    dialog.get_by_role("button", name="Review").click()
    page.get_by_role("dialog", name="Review Assignment").get_by_role("button", name="Assign").click()
    expect(page.get_by_role("dialog", name="Course assigned")).to_contain_text(
        re.compile(r"Re-assigned \(new attempt\)\s*1")
    )
    page.get_by_role("button", name="Done").click()
    expect(row(page, "femi.adams").locator(".lm-badge")).to_have_text("Not Started")
    assert api.get_learner(SELF_PACED, "femi.adams").attempt == 2


def test_reassigning_keeps_the_terms_left_out_and_marks_what_changes(self_paced):
    page = self_paced
    dialog = open_assign(page)
    pick(dialog, "dev", "Dev Patel")
    # Required with no due date and no message: Dev keeps his.
    dialog.get_by_role("button", name="Review").click()
    review = page.get_by_role("dialog", name="Review Assignment")
    terms = review.locator("tbody tr").first.locator("td").last
    expect(terms).to_have_text(re.compile(r"^Unchanged: Required · due .+"))
    expect(review).not_to_contain_text("whose terms change")
    # Everyone could be assigned: no list of those who cannot, and no stray count in its place.
    loose_text = "body => [...body.childNodes].filter(node => node.nodeType === Node.TEXT_NODE).map(node => node.data)"
    assert review.locator(".lm-dialog__body").evaluate(loose_text) == []

    review.get_by_role("button", name="Back").click()
    dialog.get_by_role("radio", name="Optional").check()
    dialog.get_by_role("button", name="Review").click()
    expect(review.locator(".lm-change")).to_have_text(
        ["Assignment: Required → Optional", re.compile(r"^Due date: .+ → none$")]
    )
    expect(review).to_contain_text("Learners assigned already whose terms change: 1.")
    review.get_by_role("button", name="Assign").click()
    page.get_by_role("dialog", name="Course assigned").get_by_role("button", name="Done").click()

    dev = api.get_learner(SELF_PACED, "dev.patel")
    assert (dev.required, dev.due_date) == (False, None)
    # The history has the old terms next to the new, and the message he keeps.
    latest = choose(page, "dev.patel", "View History").locator(".lm-timeline__item").first
    expect(latest).to_contain_text(re.compile(r"Assignment: Required → Optional · Due date: .+ → none"))
    expect(latest.locator(".lm-quote")).to_have_text("Due before the audit.")


def test_a_background_assignment_shows_the_same_result_when_done(self_paced, settings):
    settings.LEARNER_MGMT_ASSIGNMENT_BACKGROUND_SIZE = 1
    page = self_paced
    dialog = open_assign(page)
    pick(dialog, "mia", "Mia Novak")
    pick(dialog, "dev", "Dev Patel")
    dialog.get_by_role("button", name="Review").click()
    review = page.get_by_role("dialog", name="Review Assignment")
    with page.expect_response(lambda response: response.url.endswith("/assignments/")) as submitted:
        review.get_by_role("button", name="Assign").click()

    assert submitted.value.status == 202
    result = page.get_by_role("dialog", name="Course assigned")
    expect(result.locator(".lm-summary dd")).to_have_text(["1", "0", "1", "0", "0"])
    expect(row(page, "mia.novak")).to_be_visible()
    assert api.get_learner(SELF_PACED, "mia.novak").attempt == 1


def test_no_skip_choice_where_the_site_reassigns_regardless(self_paced, settings):
    settings.LEARNER_MGMT_ALLOW_REASSIGNMENT_REGARDLESS_OF_STATUS = True
    page = self_paced
    page.reload()
    dialog = open_assign(page)

    pick(dialog, "femi", "Femi Adams")
    dialog.get_by_role("button", name="Review").click()

    review = page.get_by_role("dialog", name="Review Assignment")
    expect(review.locator("tbody tr")).to_contain_text(["Completed"])
    expect(review.get_by_role("checkbox")).to_have_count(0)
    review.get_by_role("button", name="Back").click()
    dialog.get_by_role("button", name="Import users from a CSV file").click()
    imports = page.get_by_role("dialog", name="Import Users")
    expect(imports).to_be_visible()
    expect(imports.get_by_label("CSV file")).to_have_attribute("type", "file")
    expect(imports.get_by_role("checkbox")).to_have_count(0)


def csv_file(lines):
    return {"name": "learners.csv", "mimeType": "text/csv", "buffer": ("\n".join(lines) + "\n").encode()}


def open_import(page):
    open_assign(page).get_by_role("button", name="Import users from a CSV file").click()
    dialog = page.get_by_role("dialog", name="Import Users")
    expect(dialog).to_be_visible()
    return dialog


def read_csv(download):
    with open(download.path(), encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def test_csv_import_with_failures_and_the_download_list(self_paced, screenshot):
    page = self_paced
    dialog = open_import(page)
    # Where the site does not re-assign regardless, the import offers to skip who completed.
    expect(dialog.get_by_role("checkbox", name=SKIP_COMPLETED)).not_to_be_checked()

    with page.expect_download() as sample:
        dialog.get_by_role("link", name="Download the sample CSV").click()
    with open(sample.value.path(), encoding="utf-8") as handle:
        assert handle.readline().strip() == "email,username,employee_id,due_date"

    dialog.get_by_label("CSV file").set_input_files(
        csv_file(
            [
                "email,username,employee_id,due_date",
                "mia.novak@example.com,,,",
                ",,E-1010,",
                "nobody@example.com,,,",
                "olav.berg@example.com,,,",
                ",kemal.haddad,,2001-01-01",
                "grace.weber@example.com,,,",
            ]
        )
    )
    # The list is named after the day of the import: today, or tomorrow if the day ends meanwhile.
    days = {timezone.localdate() + datetime.timedelta(days=offset) for offset in (0, 1)}
    dialog.get_by_role("button", name="Import", exact=True).click()

    status = page.get_by_role("dialog", name="Import Status")
    expect(status.get_by_role("status")).to_have_text(
        "Import process completed and 3 users imported successfully. 3 users could not be imported."
    )
    # How each was imported, as Assign Course says it; Grace had completed: she starts again.
    expect(status.locator(".lm-summary dd")).to_have_text(["1", "1", "1", "3"])
    reassigned = status.get_by_role("table").first
    expect(reassigned.locator("tbody td")).to_have_text(["7", "grace.weber@example.com", "grace.weber"])
    failures = status.get_by_role("table").last.locator("tbody tr")
    expect(failures).to_have_count(3)
    expect(failures.nth(0)).to_contain_text("nobody@example.com")
    expect(failures.nth(0)).to_contain_text("Employee ID or Email ID not found")
    expect(failures.nth(1)).to_contain_text("User with the given Email ID or Employee ID is deactivated.")
    expect(failures.nth(2)).to_contain_text("kemal.haddad")
    screenshot("import-status", around=status)
    with page.expect_download() as listed:
        status.get_by_role("link", name="Download List").click()
    assert listed.value.suggested_filename in {f"Non_Imported_List_{day.isoformat()}.csv" for day in days}
    rows = read_csv(listed.value)
    assert rows[0] == ["row", "email", "username", "employee_id", "reason"]
    assert [(line[1], line[2], line[4]) for line in rows[1:]] == [
        ("nobody@example.com", "", "Employee ID or Email ID not found"),
        ("olav.berg@example.com", "", "User with the given Email ID or Employee ID is deactivated."),
        ("", "kemal.haddad", "The due date 2001-01-01 is in the past."),
    ]
    status.get_by_role("button", name="Close").first.click()
    expect(row(page, "mia.novak")).to_have_count(1)


def test_a_background_import_reports_when_done(self_paced, settings):
    settings.LEARNER_MGMT_IMPORT_BACKGROUND_ROWS = 1
    page = self_paced
    dialog = open_import(page)

    dialog.get_by_label("CSV file").set_input_files(
        csv_file(["email,username,employee_id,due_date", "mia.novak@example.com,,,", ",,E-1011,"])
    )
    dialog.get_by_role("radio", name="Optional").check()
    with page.expect_response(lambda response: response.url.endswith("/assignments/import/")) as submitted:
        dialog.get_by_role("button", name="Import", exact=True).click()

    assert submitted.value.status == 202
    status = page.get_by_role("dialog", name="Import Status")
    expect(status.get_by_role("status")).to_have_text("Import process completed and 2 users imported successfully.")
    expect(status.get_by_role("link", name="Download List")).to_have_count(0)
    assert api.get_learner(SELF_PACED, "mia.novak").required is False


def test_fifty_failures_are_only_in_the_download_list(self_paced):
    page = self_paced
    dialog = open_import(page)

    dialog.get_by_label("CSV file").set_input_files(
        csv_file(["email,username,employee_id,due_date", *(f"ghost{number}@example.com,,," for number in range(50))])
    )
    dialog.get_by_role("button", name="Import", exact=True).click()

    status = page.get_by_role("dialog", name="Import Status")
    expect(status.get_by_role("status")).to_contain_text("50 users could not be imported")
    expect(status.locator("table")).to_have_count(0)
    with page.expect_download() as listed:
        status.get_by_role("link", name="Download List").click()
    rows = read_csv(listed.value)
    assert rows[0] == ["row", "email", "username", "employee_id", "reason"]
    assert len(rows) == 51
    assert [(line[1], line[4]) for line in rows[1:]] == [
        (f"ghost{number}@example.com", "Employee ID or Email ID not found") for number in range(50)
    ]
    assert [line[0] for line in rows[1:]] == [str(number) for number in range(2, 52)]


def test_an_import_closed_while_it_runs_reports_in_the_page(self_paced, settings):
    settings.LEARNER_MGMT_IMPORT_BACKGROUND_ROWS = 1
    page = self_paced
    # The import's status says it is under way until the test has closed its dialog.
    keep_running = [True]

    def running_until_closed(route):
        if not keep_running[0]:
            route.continue_()
            return
        job_id = route.request.url.rstrip("/").rsplit("/", 1)[1]
        running = {"id": job_id, "state": "running", "completed_steps": 1, "total_steps": 2, "error": ""}
        route.fulfill(status=200, content_type="application/json", body=json.dumps(running))

    page.route(re.compile(r".*/imports/[0-9a-f-]+/$"), running_until_closed)
    dialog = open_import(page)
    dialog.get_by_label("CSV file").set_input_files(
        csv_file(["email,username,employee_id,due_date", "mia.novak@example.com,,,", ",,E-1011,"])
    )
    dialog.get_by_role("button", name="Import", exact=True).click()
    status = page.get_by_role("dialog", name="Import Status")
    expect(status.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "50")
    expect(row(page, "mia.novak")).to_have_count(0)

    with page.expect_request(lambda request: "/learners/?" in request.url):
        status.get_by_role("button", name="Close and keep running").click()
    expect(status).to_have_count(0)
    # Once the import is done, the page says so and the list shows who it assigned.
    with page.expect_request(lambda request: "/learners/?" in request.url):
        keep_running[0] = False
        expect(live_message(page)).to_have_text("Import process completed and 2 users imported successfully.")
    expect(row(page, "mia.novak")).to_have_count(1)
    expect(page.get_by_role("dialog")).to_have_count(0)
