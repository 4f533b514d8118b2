"""
Assign Course from the page: the user picker, the terms, the review screen with "skip users who have
already completed" (unchecked by default, absent when the site re-assigns regardless), and the CSV
import with its sample file, the Import Status pop-up and its Download List.
"""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from devhost.lms import api as host
from learner_mgmt_plugin import api
from test_utils.browser import SELF_PACED, row

pytestmark = pytest.mark.browser

SKIP_COMPLETED = "Skip users who have already completed the course"


@pytest.fixture
def newcomers(world):
    """
    Users not assigned the course yet: Mia (active) and Olav (deactivated).
    """
    return {
        "mia": host.create_user("mia.novak", name="Mia Novak", email="mia.novak@example.com"),
        "olav": host.create_user("olav.berg", name="Olav Berg", email="olav.berg@example.com", is_active=False),
    }


@pytest.fixture
def page_of_staff(world, newcomers, sign_in, open_tab):
    world.self_paced_learners()
    sign_in(world.staff)
    return open_tab(SELF_PACED)


def pick(dialog, search, option):
    """
    Search the user picker for ``search`` and pick ``option`` among the matches.
    """
    combobox = dialog.get_by_role("combobox", name="Users")
    combobox.fill(search)
    dialog.get_by_role("option", name=re.compile(option)).click()


def open_assign(page):
    page.get_by_role("button", name="Assign Course").click()
    dialog = page.get_by_role("dialog", name="Assign Course")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("combobox", name="Users")).to_be_focused()
    return dialog


def test_assign_with_review_and_skip_completed(page_of_staff, world, newcomers, screenshot):
    page = page_of_staff
    due = timezone.localdate() + datetime.timedelta(days=30)
    dialog = open_assign(page)

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
    dialog.get_by_role("combobox", name="Users").fill("nobody@example.com, olav.berg@example.com")
    page.keyboard.press("Enter")
    expect(dialog.get_by_role("list", name="Selected users").get_by_role("listitem")).to_have_text(
        [re.compile("Mia Novak"), re.compile("Femi Adams"), re.compile("nobody@example.com"), re.compile("olav.berg")]
    )
    dialog.get_by_role("radio", name="Required").check()
    dialog.get_by_label("Due date").fill(due.isoformat())
    dialog.get_by_label("Personal message").fill("Welcome aboard: finish it before the audit.")
    dialog.get_by_role("button", name="Review").click()

    review = page.get_by_role("dialog", name="Review Assignment")
    expect(review.locator("tbody tr")).to_have_count(2)
    expect(review.locator("tbody tr").nth(0)).to_contain_text("Mia Novak")
    expect(review.locator("tbody tr").nth(0)).to_contain_text("Not assigned")
    expect(review.locator("tbody tr").nth(1)).to_contain_text("Femi Adams")
    expect(review.locator("tbody tr").nth(1)).to_contain_text("Completed")
    expect(review).to_contain_text("Not found: nobody@example.com")
    expect(review).to_contain_text("Deactivated: olav.berg@example.com")
    skip = review.get_by_role("checkbox", name=SKIP_COMPLETED)
    expect(skip).not_to_be_checked()
    screenshot("assign-review", around=review)
    skip.check()
    review.get_by_role("button", name="Assign").click()

    result = page.get_by_role("dialog", name="Course assigned")
    expect(result.locator(".lm-summary dd").first).to_have_text("1")
    expect(result).to_contain_text("femi.adams")
    expect(result).to_contain_text("Already completed the course (skipped).")
    result.get_by_role("button", name="Done").click()
    expect(row(page, "mia.novak")).to_contain_text("Required")
    mia = api.get_learner(SELF_PACED, "mia.novak")
    assert (mia.due_date, mia.required, mia.assigned_by) == (due, True, "staff")
    assert "Welcome aboard" in host.outbox(newcomers["mia"])[-1].body
    assert api.get_learner(SELF_PACED, "femi.adams").attempt == 1

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


def test_no_skip_choice_where_the_site_reassigns_regardless(page_of_staff, settings):
    settings.LEARNER_MGMT_ALLOW_REASSIGNMENT_REGARDLESS_OF_STATUS = True
    page = page_of_staff
    page.reload()
    dialog = open_assign(page)

    pick(dialog, "femi", "Femi Adams")
    dialog.get_by_role("button", name="Review").click()

    review = page.get_by_role("dialog", name="Review Assignment")
    expect(review.locator("tbody tr")).to_contain_text(["Completed"])
    expect(review.get_by_role("checkbox")).to_have_count(0)
    review.get_by_role("button", name="Back").click()
    dialog.get_by_role("button", name="Import users from a CSV file").click()
    expect(page.get_by_role("dialog", name="Import Users").get_by_role("checkbox")).to_have_count(0)


def csv_file(lines):
    return {"name": "learners.csv", "mimeType": "text/csv", "buffer": ("\n".join(lines) + "\n").encode()}


def open_import(page):
    open_assign(page).get_by_role("button", name="Import users from a CSV file").click()
    dialog = page.get_by_role("dialog", name="Import Users")
    expect(dialog).to_be_visible()
    return dialog


def test_csv_import_with_failures_and_the_download_list(page_of_staff, screenshot):
    page = page_of_staff
    dialog = open_import(page)

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
            ]
        )
    )
    dialog.get_by_role("button", name="Import", exact=True).click()

    status = page.get_by_role("dialog", name="Import Status")
    expect(status.get_by_role("status")).to_have_text(
        "Import process completed: 2 users imported successfully, 3 users not imported."
    )
    failures = status.locator("tbody tr")
    expect(failures).to_have_count(3)
    expect(failures.nth(0)).to_contain_text("nobody@example.com")
    expect(failures.nth(0)).to_contain_text("Employee ID or Email ID not found")
    expect(failures.nth(1)).to_contain_text("User with the given Email ID or Employee ID is deactivated")
    expect(failures.nth(2)).to_contain_text("kemal.haddad")
    screenshot("import-status", around=status)
    with page.expect_download() as listed:
        status.get_by_role("link", name="Download List").click()
    assert listed.value.suggested_filename == f"Non_Imported_List_{timezone.localdate().isoformat()}.csv"
    with open(listed.value.path(), encoding="utf-8") as handle:
        downloaded = handle.read()
    assert "Employee ID or Email ID not found" in downloaded and "olav.berg@example.com" in downloaded
    status.get_by_role("button", name="Close").first.click()
    expect(row(page, "mia.novak")).to_have_count(1)


def test_a_background_import_reports_when_done(page_of_staff, settings):
    settings.LEARNER_MGMT_IMPORT_BACKGROUND_ROWS = 1
    page = page_of_staff
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


def test_fifty_failures_are_only_in_the_download_list(page_of_staff):
    page = page_of_staff
    dialog = open_import(page)

    dialog.get_by_label("CSV file").set_input_files(
        csv_file(["email,username,employee_id,due_date", *(f"ghost{number}@example.com,,," for number in range(50))])
    )
    dialog.get_by_role("button", name="Import", exact=True).click()

    status = page.get_by_role("dialog", name="Import Status")
    expect(status.get_by_role("status")).to_contain_text("50 users not imported")
    expect(status.locator("table")).to_have_count(0)
    expect(status.get_by_role("link", name="Download List")).to_be_visible()
