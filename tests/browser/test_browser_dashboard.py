"""
The Learner Management tab on the instructor dashboard, and the same page on its own (where the
instructor dashboard MFE's tab leads): the learner table, status chips with counts, search, filters,
sorting and paging.
"""

import csv
import io
import re

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from learner_mgmt_plugin import api
from test_utils.browser import SELF_PACED, row

pytestmark = pytest.mark.browser


def test_the_dashboard_shows_learner_management_as_a_tab(self_paced, screenshot):
    page = self_paced

    expect(page.get_by_role("link", name="Learner Management")).to_have_class(re.compile("active"))
    expect(page.get_by_role("heading", name="Learner Management")).to_be_visible()
    chips = page.get_by_role("group", name="Filter by status").get_by_role("button")
    expect(chips).to_have_text(
        [
            re.compile(r"^All\s*12$"),
            re.compile(r"^Not Started\s*5$"),
            re.compile(r"^Started\s*2$"),
            re.compile(r"^In progress \(XX% Completed\)\s*3$"),
            re.compile(r"^Completed\s*2$"),
        ]
    )
    # A row shows who the learner is, their status, progress, tag, due date and who assigned them.
    elif_row = row(page, "elif.kaya")
    expect(elif_row).to_contain_text("Elif Kaya")
    expect(elif_row).to_contain_text("elif.kaya@example.com")
    expect(elif_row).to_contain_text("ID E-1005")
    expect(elif_row.locator(".lm-badge")).to_have_text(re.compile(r"\d+% Completed"))
    expect(elif_row).to_contain_text("Required")
    expect(elif_row).to_contain_text("staff")
    expect(row(page, "ana.costa").locator(".lm-due--overdue")).to_contain_text("Overdue")
    expect(row(page, "jon.eriksen")).to_contain_text("Optional")
    expect(row(page, "jon.eriksen")).to_contain_text("No due date")
    page.set_viewport_size({"width": 1280, "height": 1180})
    screenshot("learner-management-tab")


def test_chips_search_filters_sorting_and_paging(self_paced):
    page = self_paced
    names = page.locator("tbody .lm-learner__name")
    progress = page.locator("tbody .lm-progress__value")
    # Every learner's progress, as the server has it, smallest first: the order sorting must give.
    ascending = sorted(learner.progress for learner in api.list_learners(SELF_PACED, page_size=50).results)
    assert len(ascending) == 12 and len(set(ascending)) > 3

    page.get_by_role("button", name=re.compile("^Completed")).click()
    expect(names).to_have_text(["Femi Adams", "Grace Weber"])
    expect(page.locator("tbody .lm-badge")).to_have_text(["Completed"] * 2)
    expect(page.get_by_role("button", name=re.compile("^Completed"))).to_have_attribute("aria-pressed", "true")

    page.get_by_role("button", name=re.compile("^All")).click()
    page.get_by_label("Search").fill("E-1002")
    expect(names).to_have_text(["Ben Okafor"])
    page.get_by_label("Search").fill("")
    page.get_by_label("Assignment").select_option("false")
    expect(names).to_have_text(["Ines Rossi", "Jon Eriksen", "Kemal Haddad", "Lena Fischer"])
    page.get_by_label("Assignment").select_option("")

    page.get_by_role("button", name="Progress", exact=True).click()
    expect(page.get_by_role("columnheader", name="Progress")).to_have_attribute("aria-sort", "ascending")
    expect(progress).to_have_text([f"{value}%" for value in ascending])
    page.get_by_role("button", name="Progress", exact=True).click()
    expect(page.get_by_role("columnheader", name="Progress")).to_have_attribute("aria-sort", "descending")
    expect(progress).to_have_text([f"{value}%" for value in reversed(ascending)])
    expect(progress.first).to_have_text("100%")

    page.get_by_role("button", name="Learner", exact=True).click()
    page.get_by_label("Rows per page").select_option("10")
    expect(page.locator("[data-lm=range]")).to_have_text("Showing 1–10 of 12")
    page.get_by_role("button", name="Next").click()
    expect(page.locator("[data-lm=range]")).to_have_text("Showing 11–12 of 12")
    expect(names).to_have_text(["Kemal Haddad", "Lena Fischer"])
    expect(page.get_by_role("button", name="Next")).to_be_disabled()


def test_export_downloads_what_the_filters_show_in_the_lists_order(self_paced):
    page = self_paced
    page.get_by_label("Assignment").select_option("false")
    page.get_by_role("button", name="Progress", exact=True).click()
    # The sorted list has been rendered (not the filtered one before it) before its order is read.
    expect(page.get_by_role("columnheader", name="Progress")).to_have_attribute("aria-sort", "ascending")
    expect(page.get_by_role("table", name="Learners of this course")).to_have_attribute("aria-busy", "false")
    expect(page.locator("tbody .lm-learner__name")).to_have_count(4)
    shown = page.locator("tbody tr[data-username]").evaluate_all("rows => rows.map(row => row.dataset.username)")

    with page.expect_download() as exported:
        page.get_by_role("button", name="Export CSV").click()
    filename = exported.value.suggested_filename
    assert re.fullmatch(r"Learners_course-v1_DemoX_Safety101_2026_\d{4}-\d{2}-\d{2}\.csv", filename)
    with open(exported.value.path(), encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert [line[1] for line in rows[1:]] == shown
    assert {line[6] for line in rows[1:]} == {"No"}  # optional, as filtered

    with page.expect_download() as workbook:
        page.get_by_role("button", name="Export Excel").click()
    assert workbook.value.suggested_filename.endswith(".xlsx")
    with open(workbook.value.path(), "rb") as handle:
        sheet = load_workbook(io.BytesIO(handle.read())).active
    assert [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)] == shown


def test_a_large_export_runs_in_the_background_and_downloads_when_written(self_paced, settings, tmp_path):
    # More than three learners are "large" here: a job writes the file, chunk by chunk.
    settings.LEARNER_MGMT_EXPORT_BACKGROUND_ROWS = 3
    settings.LEARNER_MGMT_CHUNK_SIZE = 5
    settings.MEDIA_ROOT = str(tmp_path)
    page = self_paced
    page.reload()
    expect(page.locator("tbody tr[data-username]")).to_have_count(12)
    shown = page.locator("tbody tr[data-username]").evaluate_all("rows => rows.map(row => row.dataset.username)")
    assert len(shown) == 12

    with page.expect_download() as exported:
        page.get_by_role("button", name="Export CSV").click()
    dialog = page.get_by_role("dialog", name="Export learners")
    expect(dialog).to_contain_text("is ready and downloading.")
    expect(dialog.get_by_role("link", name="Download it again")).to_be_visible()
    filename = exported.value.suggested_filename
    assert re.fullmatch(r"Learners_course-v1_DemoX_Safety101_2026_\d{4}-\d{2}-\d{2}\.csv", filename)
    with open(exported.value.path(), encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert [line[1] for line in rows[1:]] == shown


def test_the_summary_figures_filter_the_list_and_the_chart_has_its_table(self_paced, screenshot):
    page = self_paced
    summary = api.get_course_summary(SELF_PACED)
    overview = page.get_by_role("region", name="Summary")
    figures = overview.locator(".lm-figure")
    expect(figures).to_have_count(5)
    expect(figures.locator(".lm-figure__value")).to_have_text(
        ["12", str(summary.required), str(summary.optional), "1", f"{summary.required_completion_rate:g}%"]
    )
    # The chart's numbers, for those who cannot see it: one row per week.
    weeks = overview.locator("table tbody tr")
    expect(weeks).to_have_count(12)
    expect(weeks.last.locator("td").last).to_have_text(str(summary.completions_per_week[-1].completions))
    screenshot("summary", around=overview)

    # A figure counts the whole course: a search typed before does not narrow what it shows.
    page.get_by_label("Search").fill("ben")
    expect(page.locator("tbody .lm-learner__name")).to_have_text(["Ben Okafor"])
    overview.get_by_role("button", name=re.compile("Overdue")).click()
    expect(page.locator("tbody .lm-learner__name")).to_have_text(["Ana Costa"])
    expect(page.get_by_label("Search")).to_have_value("")
    expect(page.get_by_label("Assignment")).to_have_value("overdue")
    overview.get_by_role("button", name=re.compile("of required learners completed")).click()
    expect(page.get_by_role("button", name=re.compile("^Completed"))).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_label("Assignment")).to_have_value("true")
    expect(page.locator("tbody tr[data-username]")).to_have_count(summary.required_completed)

    # An action changes the figures: marking Ana complete leaves no one overdue.
    api.mark_complete(SELF_PACED, "ana.costa", actor=None)
    overview.get_by_role("button", name=re.compile("Learners")).click()
    row(page, "ben.okafor").get_by_role("checkbox").check()
    page.get_by_role("region", name="Mass actions").get_by_role("button", name="Set Due Date").click()
    dialog = page.get_by_role("dialog", name="Set Due Date")
    dialog.get_by_label("Remove it").check()
    dialog.get_by_role("button", name="Set Due Date (1)").click()
    page.get_by_role("dialog", name="Set Due Date: report").get_by_role("button", name="Done").click()
    expect(figures.nth(3).locator(".lm-figure__value")).to_have_text("0")


def test_the_tabs_own_page_shows_the_same_ui(world, sign_in, page):
    world.self_paced_learners()
    sign_in(world.staff)

    page.goto(f"/learner_mgmt/courses/{SELF_PACED}/")

    expect(page.get_by_role("heading", name="Learner Management")).to_be_visible()
    expect(page.locator("tbody tr[data-username]")).to_have_count(12)
    expect(page.get_by_role("button", name="Assign Course")).to_be_visible()
    # Keyboard: the page's tabs move with the arrow keys.
    page.get_by_role("tab", name="Learners").focus()
    page.keyboard.press("ArrowRight")
    expect(page.get_by_role("tab", name="Course settings")).to_be_focused()
    expect(page.get_by_role("tabpanel", name="Course settings")).to_be_visible()
    expect(page.get_by_label("Self-paced")).to_be_checked()
