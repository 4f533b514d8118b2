"""
Every action of the 3-dot menu works from the page, with the dialog it needs; the list, the chips
and the live region show the outcome, the server holds it, and focus comes back to the learner's
menu button.
"""

import csv
import datetime
import re

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import expect

from devhost.lms import api as host
from devhost.lms.models import CourseAccessRole, CourseEnrollment, GeneratedCertificate
from learner_mgmt_plugin import api
from learner_mgmt_plugin.conf import app_settings
from learner_mgmt_plugin.data import CertificateStatus, HistoryKind, LearnerStatus
from learner_mgmt_plugin.exceptions import LearnerNotFound
from learner_mgmt_plugin.models import HistoryEvent, RemovalAudit
from test_utils.browser import (
    ILT,
    QUIZ,
    SELF_PACED,
    choose,
    choose_twice_while_held,
    live_message,
    menu_labels,
    open_menu,
    row,
    selection_count,
    server_today,
)

pytestmark = pytest.mark.browser


def certificate_status(world, username):
    """
    The host's certificate of ``username`` in the self-paced course: its status, or None.
    """
    certificate = GeneratedCertificate.objects.filter(user_id=world.users[username], course_key=SELF_PACED).first()
    return certificate.status if certificate else None


def history_kinds(world, username, course_key=SELF_PACED):
    """
    The kinds of the history events the plugin keeps for ``username`` in the course.
    """
    return set(
        HistoryEvent.objects.filter(learner_id=world.users[username], course_key=course_key).values_list(
            "kind", flat=True
        )
    )


def test_set_and_remove_a_due_date(self_paced, world):
    page = self_paced
    due = timezone.localdate() + datetime.timedelta(days=45)
    # The browser's clock is two months ahead of the server's: the due date is still in the future.
    page.clock.set_fixed_time(timezone.now() + datetime.timedelta(days=60))

    dialog = choose(page, "jon.eriksen", "Update/Add Course Due Date")
    expect(dialog.get_by_role("heading")).to_have_text("Add a due date for Jon Eriksen")
    expect(dialog).to_contain_text("The learner is not notified.")
    # The earliest date offered is the server's today, not the browser's.
    expect(dialog.get_by_label("Due date")).to_have_attribute("min", server_today(page).isoformat())
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

    dialog = choose(page, "dev.patel", "Reset progress")
    expect(dialog).to_contain_text("returns to Not Started")
    dialog.get_by_role("button", name="Reset progress").click()

    expect(row(page, "dev.patel").locator(".lm-badge")).to_have_text("Not Started")
    expect(page.get_by_role("button", name=re.compile("^Not Started"))).to_have_text(re.compile(r"^Not Started\s*6$"))
    assert api.get_learner(SELF_PACED, "dev.patel").attempt == 2

    choose(page, "dev.patel", "Mark as Complete").get_by_role("button", name="Mark as complete").click()

    expect(row(page, "dev.patel").locator(".lm-badge")).to_have_text("Completed")
    expect(live_message(page)).to_have_text("Dev Patel marked as complete.")
    assert api.get_learner(SELF_PACED, "dev.patel").completion_source == "admin"


def test_a_learner_who_opens_the_course_again_after_a_reset_shows_as_started(self_paced, world):
    page = self_paced
    choose(page, "dev.patel", "Reset progress").get_by_role("button", name="Reset progress").click()
    expect(row(page, "dev.patel").locator(".lm-badge")).to_have_text("Not Started")

    # He opens the course and watches part of a video: no progress, but he has begun.
    host.visit(world.users["dev.patel"], SELF_PACED)
    host.complete_blocks(world.users["dev.patel"], SELF_PACED, host.leaf_keys(SELF_PACED)[:1], completion=0.5)
    page.get_by_role("button", name=re.compile("^Started")).click()

    expect(row(page, "dev.patel").locator(".lm-badge")).to_have_text("Started")
    expect(row(page, "dev.patel")).to_contain_text("0%")


def test_generate_and_remove_certificates(self_paced, world):
    page = self_paced
    assert certificate_status(world, "femi.adams") is None
    assert certificate_status(world, "grace.weber") == GeneratedCertificate.DOWNLOADABLE

    choose(page, "femi.adams", "Remove/Generate Certificate").get_by_role("button", name="Generate certificate").click()
    expect(live_message(page)).to_have_text("Certificate of Femi Adams generated.")
    assert certificate_status(world, "femi.adams") == GeneratedCertificate.DOWNLOADABLE
    assert api.get_learner(SELF_PACED, "femi.adams").certificate.status == CertificateStatus.GENERATED

    dialog = choose(page, "grace.weber", "Remove/Generate Certificate")
    expect(dialog).to_contain_text("Their progress is unchanged.")
    # Taking a certificate away is styled as destructive, as in the menu.
    expect(dialog.get_by_role("button", name="Remove certificate")).to_have_class(re.compile("lm-btn--danger"))
    dialog.get_by_role("button", name="Remove certificate").click()
    expect(live_message(page)).to_have_text("Certificate of Grace Weber removed.")
    assert certificate_status(world, "grace.weber") == GeneratedCertificate.UNAVAILABLE
    grace = api.get_learner(SELF_PACED, "grace.weber")
    assert (grace.certificate.status, grace.status, grace.progress) == (
        CertificateStatus.REMOVED,
        LearnerStatus.COMPLETED,
        100,
    )

    assert "Remove/Generate Certificate" in menu_labels(page, "femi.adams")
    assert "Remove/Generate Certificate" in menu_labels(page, "grace.weber")


def test_a_learner_whose_track_earns_no_certificate_is_told_so(self_paced, world):
    page = self_paced
    audit_note = "No certificate: the learner is enrolled in the audit track, which earns no certificate."

    choose(page, "kemal.haddad", "Mark as Complete").get_by_role("button", name="Mark as complete").click()

    expect(live_message(page)).to_have_text(f"Kemal Haddad marked as complete. {audit_note}")
    kemal = api.get_learner(SELF_PACED, "kemal.haddad")
    assert (kemal.status, kemal.certificate.status) == (LearnerStatus.COMPLETED, CertificateStatus.NOT_ELIGIBLE)
    assert certificate_status(world, "kemal.haddad") is None

    dialog = choose(page, "kemal.haddad", "Remove/Generate Certificate")
    dialog.get_by_role("button", name="Generate certificate").click()
    expect(dialog.get_by_role("alert")).to_have_text(audit_note)
    assert api.get_learner(SELF_PACED, "kemal.haddad").certificate.status == CertificateStatus.NOT_ELIGIBLE


def test_a_certificate_opens_on_its_lms_page_in_a_new_tab(self_paced, world):
    page = self_paced
    assert "View Certificate" not in menu_labels(page, "femi.adams")  # completed, with no certificate

    with page.context.expect_page() as opened:
        open_menu(page, "grace.weber").get_by_role("menuitem", name="View Certificate", exact=True).click()

    certificate = opened.value
    certificate.wait_for_load_state()
    assert certificate.url == api.get_learner(SELF_PACED, "grace.weber").certificate.url
    expect(certificate.get_by_role("heading", level=1)).to_have_text("Grace Weber")
    expect(certificate.get_by_role("heading", level=2)).to_have_text("Workplace Safety")
    certificate.close()


def test_make_instructor(self_paced, world):
    page = self_paced
    hiro = get_user_model().objects.get(username="hiro.tanaka")
    assert not host.can_manage_course(hiro, SELF_PACED)

    choose(page, "hiro.tanaka", "Make Instructor").get_by_role("button", name="Make instructor").click()

    expect(live_message(page)).to_have_text("Hiro Tanaka now holds the Instructor (Course Admin) role in this course.")
    assert CourseAccessRole.objects.filter(user=hiro, course_key=SELF_PACED, role=app_settings.INSTRUCTOR_ROLE).exists()
    assert host.can_manage_course(hiro, SELF_PACED)
    assert "Make Instructor" not in menu_labels(page, "hiro.tanaka")


def test_unassign_and_remove(self_paced, world):
    page = self_paced
    count = selection_count(page)
    for username in ("chloe.lopez", "kemal.haddad", "dev.patel"):
        row(page, username).get_by_role("checkbox").check()
    expect(count).to_have_text("Learners selected: 3")
    enrollment = CourseEnrollment.objects.get(user_id=world.users["chloe.lopez"], course_key=SELF_PACED)
    assert enrollment.is_active

    dialog = choose(page, "chloe.lopez", "Unassign User")
    expect(dialog).to_contain_text("Their history is kept.")
    dialog.get_by_role("button", name="Unassign").click()
    expect(row(page, "chloe.lopez")).to_have_count(0)
    expect(page.get_by_role("button", name=re.compile("^All"))).to_have_text(re.compile(r"^All\s*11$"))
    # Chloe left the list, and the selection.
    expect(count).to_have_text("Learners selected: 2")
    # Her history stays; her enrollment in the host ends.
    assert {HistoryKind.ASSIGNED.value, HistoryKind.UNASSIGNED.value} <= history_kinds(world, "chloe.lopez")
    enrollment.refresh_from_db()
    assert not enrollment.is_active

    dialog = choose(page, "kemal.haddad", "Remove User")
    # A self-paced course has no session to remove the learner from: no scope to choose.
    expect(dialog.get_by_role("radio")).to_have_count(0)
    expect(dialog.get_by_role("note")).to_contain_text("This cannot be undone.")
    expect(dialog.get_by_role("note")).to_contain_text("CANNOT be recovered")
    assert history_kinds(world, "kemal.haddad")
    dialog.get_by_role("button", name="Remove", exact=True).click()

    expect(row(page, "kemal.haddad")).to_have_count(0)
    expect(live_message(page)).to_have_text("Kemal Haddad removed.")
    expect(page.get_by_role("table", name="Learners of this course")).to_be_focused()
    expect(count).to_have_text("Learners selected: 1")
    for username in ("chloe.lopez", "kemal.haddad"):
        with pytest.raises(LearnerNotFound):
            api.get_learner(SELF_PACED, username)
    # Kemal's data is gone, but for the record of who removed it.
    audit = RemovalAudit.objects.get(learner_id=world.users["kemal.haddad"])
    assert (str(audit.course_key), audit.scope, audit.actor_id) == (SELF_PACED, "course", world.staff.pk)
    assert history_kinds(world, "kemal.haddad") == set()


def test_the_list_reloads_with_the_dialog_still_busy(self_paced):
    """
    A second click while the list reloads after a change submits nothing: the dialog stays busy
    until it closes.
    """
    page = self_paced
    reload = re.compile(r".*/learners/\?.*")
    posts, held = [], []
    page.on("request", lambda request: posts.append(request.url) if request.method == "POST" else None)
    dialog = choose(page, "ben.okafor", "Unassign User")
    confirm = dialog.get_by_role("button", name="Unassign")
    # The reload that follows the change waits until the test lets it go.
    page.route(reload, lambda route: held.append(route))

    with page.expect_request(lambda request: "/learners/?" in request.url):
        confirm.click()

    expect(confirm).to_be_disabled()
    expect(dialog.get_by_role("button", name="Cancel")).to_be_disabled()
    confirm.click(force=True)
    for route in held:
        route.continue_()
    page.unroute(reload)
    expect(dialog).to_have_count(0)
    expect(row(page, "ben.okafor")).to_have_count(0)
    expect(live_message(page)).to_have_text("Ben Okafor unassigned.")
    assert [url.endswith("/unassign/") for url in posts] == [True]
    assert len(held) == 1


def test_history_and_chapter_insights(self_paced):
    page = self_paced

    dialog = choose(page, "grace.weber", "View History")
    expect(dialog.get_by_role("heading", name="History of Grace Weber")).to_be_visible()
    events = dialog.locator(".lm-timeline__what")
    expect(events).to_contain_text(["Certificate generated", "Completed the course", "Assigned the course"])
    expect(dialog.locator(".lm-timeline__item").first).to_contain_text("by staff")
    # Two ways out, two names: the × closes the dialog, the footer's button too.
    expect(dialog.get_by_role("button", name="Close dialog", exact=True)).to_have_count(1)
    expect(dialog.get_by_role("button", name="Close", exact=True)).to_have_count(1)
    dialog.get_by_role("button", name="Close", exact=True).click()
    expect(dialog).to_have_count(0)

    dialog = choose(page, "dev.patel", "View Chapter Insights")
    expect(dialog.locator("tbody tr")).to_have_count(5)
    expect(dialog.locator("tbody tr").first).to_contain_text("Introduction")
    expect(dialog.locator("tbody tr").first).to_contain_text("100%")


def test_quiz_insights_and_their_excel_export(self_paced):
    page = self_paced
    (first_question, right_answer), (second_question, _) = QUIZ

    dialog = choose(page, "dev.patel", "View Quiz Insights")

    expect(dialog).to_contain_text(first_question)
    expect(dialog.locator("tbody tr").first).to_contain_text(right_answer)
    expect(dialog.locator("tbody tr").first).to_contain_text("Correct")
    expect(dialog.locator("tbody tr").nth(1)).to_contain_text("Incorrect")
    with page.expect_download() as download:
        dialog.get_by_role("link", name="Export to Excel (.xlsx)").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    with open(download.value.path(), "rb") as workbook:
        rows = list(openpyxl.load_workbook(workbook, read_only=True).active.iter_rows(values_only=True))
    assert rows[0] == ("Chapter", "Score", "Attempts", "Question", "Answer", "Correct")
    answers = {question: (answer, correct) for _, _, _, question, answer, correct in rows[1:]}
    assert answers[first_question] == (right_answer, "Yes")
    assert answers[second_question] == ("not sure", "No")


def test_scorm_activity_for_a_platform_admin(world, open_as):
    world.self_paced_learners()
    page = open_as(world.admin, SELF_PACED)

    dialog = choose(page, "elif.kaya", "View SCORM/xAPI Activity")

    expect(dialog.get_by_role("heading")).to_have_text("SCORM/xAPI activity: Elif Kaya")
    expect(dialog.locator("tbody tr")).to_contain_text(["completed"])
    expect(dialog.locator("tbody tr").first).to_contain_text("Safety walk-through")


def test_a_view_opens_once_however_often_it_is_chosen(self_paced):
    page = self_paced

    def view_history():
        row(page, "grace.weber").get_by_role("button", name="Actions for Grace Weber").click()
        page.get_by_role("menuitem", name="View History").click()

    # The history comes back only once it has been asked for twice.
    asked = choose_twice_while_held(page, re.compile(r".*/learners/grace\.weber/history/$"), view_history)

    expect(page.get_by_role("dialog", name="History of Grace Weber")).to_be_visible()
    expect(page.get_by_role("dialog")).to_have_count(1)
    assert asked == 1


def test_no_show_with_a_message_and_removal_from_the_session(world, ilt):
    page = ilt
    # Hiro did some of the online part before the session he missed.
    host.set_progress(world.users["hiro.tanaka"], ILT, 3 / world.leaves(ILT))

    dialog = choose(page, "hiro.tanaka", "Mark as No Show")
    expect(dialog).to_contain_text("Next week's practical")
    expect(dialog).to_contain_text("their current attempt closes and stays in their history")
    expect(dialog).to_contain_text("Change/Add to Session is in their menu")
    dialog.get_by_label("Private message to the learner").fill("Please book the session next month.")
    dialog.get_by_role("button", name="Mark as no-show").click()

    # Not Started whatever he did, and free to be seated again.
    expect(row(page, "hiro.tanaka").locator(".lm-badge")).to_have_text("Not Started")
    assert "Please book the session next month." in host.outbox(world.users["hiro.tanaka"])[-1].body
    menu = open_menu(page, "hiro.tanaka")
    expect(menu.get_by_role("menuitem", name="Change/Add to Session")).to_be_visible()
    page.keyboard.press("Escape")
    history = choose(page, "hiro.tanaka", "View History")
    expect(history).to_contain_text("Closed: no-show")
    history.get_by_role("button", name="Close").first.click()

    dialog = choose(page, "ines.rossi", "Remove User")
    # Nothing is chosen for the learner: what goes must be chosen before Remove does anything.
    expect(dialog.get_by_role("radio")).to_have_count(3)
    for radio in dialog.get_by_role("radio").all():
        expect(radio).not_to_be_checked()
    remove = dialog.get_by_role("button", name="Remove", exact=True)
    expect(remove).to_be_disabled()
    dialog.get_by_role("radio", name="Their session only").check()
    expect(remove).to_be_enabled()
    remove.click()

    expect(row(page, "ines.rossi").locator(".lm-badge")).to_have_text("Not Started")
    ines = api.get_learner(ILT, "ines.rossi")
    assert (ines.session, ines.status) == (None, LearnerStatus.NOT_STARTED)
    assert not RemovalAudit.objects.exists()


def test_an_action_the_status_no_longer_allows_is_explained(self_paced, world):
    page = self_paced
    dialog = choose(page, "ben.okafor", "Unassign User")
    # Meanwhile, someone else completes Ben: unassigning is no longer offered for him.
    api.mark_complete(SELF_PACED, "ben.okafor", actor=world.admin)
    before = api.get_learner(SELF_PACED, "ben.okafor")

    dialog.get_by_role("button", name="Unassign").click()

    expect(dialog.get_by_role("alert")).to_have_text(
        "'unassign' is not available for ben.okafor, whose status is Completed."
    )
    expect(row(page, "ben.okafor").locator(".lm-badge")).to_have_text("Completed")
    dialog.get_by_role("button", name="Cancel").click()
    assert "Unassign User" not in menu_labels(page, "ben.okafor")
    assert api.get_learner(SELF_PACED, "ben.okafor") == before
    assert CourseEnrollment.objects.get(user_id=world.users["ben.okafor"], course_key=SELF_PACED).is_active
    assert HistoryKind.UNASSIGNED.value not in history_kinds(world, "ben.okafor")


def test_the_history_of_an_ilt_learner_lists_their_sessions(ilt):
    page = ilt

    dialog = choose(page, "lena.fischer", "View History")

    sessions = dialog.locator("table").first.locator("tbody tr")
    expect(sessions).to_have_count(1)
    expect(sessions.first).to_contain_text("Autumn intake")
    expect(sessions.first).to_contain_text("Attended")
    expect(sessions.first).to_contain_text("Retroactive")


def test_reasons_are_asked_for_kept_and_shown(self_paced, world):
    page = self_paced
    # The course asks for a reason before anyone is removed from it.
    page.get_by_role("tab", name="Course settings").click()
    page.get_by_label("Require a reason to remove a learner from the course").check()
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_role("tabpanel", name="Course settings")).to_contain_text("Settings saved.")
    assert api.get_course_settings(SELF_PACED).removal_reason_required
    page.get_by_role("tab", name="Learners").click()

    dialog = choose(page, "kemal.haddad", "Remove User")
    expect(dialog.get_by_label("Reason")).to_be_visible()
    expect(dialog).to_contain_text("(required in this course)")
    dialog.get_by_role("button", name="Remove", exact=True).click()
    expect(dialog.get_by_role("alert")).to_have_text(
        "This course asks for a reason before a learner is removed from it."
    )
    expect(dialog.get_by_label("Reason")).to_be_focused()
    assert api.get_learner(SELF_PACED, "kemal.haddad")
    dialog.get_by_label("Reason").fill("Left the company")
    dialog.get_by_role("button", name="Remove", exact=True).click()
    expect(row(page, "kemal.haddad")).to_have_count(0)
    assert RemovalAudit.objects.get(learner_id=world.users["kemal.haddad"]).reason == "Left the company"

    # Elsewhere the reason is optional, and View History shows it.
    dialog = choose(page, "dev.patel", "Reset progress")
    expect(dialog).to_contain_text("(optional)")
    dialog.get_by_label("Reason").fill("Course content was revised")
    dialog.get_by_role("button", name="Reset progress").click()
    expect(dialog).to_have_count(0)
    dialog = choose(page, "dev.patel", "View History")
    expect(dialog.locator(".lm-timeline__item").first).to_contain_text("Reason: Course content was revised")


def test_the_audit_trail_is_exported_from_the_course_settings(self_paced, world):
    page = self_paced
    api.reset_progress(SELF_PACED, "dev.patel", actor=world.staff, reason="Course content was revised")
    page.get_by_role("tab", name="Course settings").click()
    form = page.get_by_role("form", name="Audit trail")
    today = server_today(page)
    form.get_by_label("From").fill((today + datetime.timedelta(days=1)).isoformat())
    form.get_by_label("To").fill(today.isoformat())
    form.get_by_role("button", name="Export audit trail (CSV)").click()
    expect(form.get_by_role("alert")).to_have_text("The end date is before the start date.")

    form.get_by_label("From").fill(today.isoformat())
    form.get_by_label("Action").select_option(label="Progress reset")
    with page.expect_download() as download:
        form.get_by_role("button", name="Export audit trail (CSV)").click()
    expect(form.get_by_role("alert")).to_be_hidden()
    assert re.fullmatch(r"Audit_trail_course-v1_.*_\d{4}-\d{2}-\d{2}\.csv", download.value.suggested_filename)
    with open(download.value.path(), encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    assert [(row["Action"], row["Username"], row["By"], row["Reason"]) for row in rows] == [
        ("Progress reset", "dev.patel", "staff", "Course content was revised")
    ]


def test_reminder_settings_and_the_reminders_they_send(self_paced, world):
    page = self_paced
    page.get_by_role("tab", name="Course settings").click()
    days = page.get_by_label("Days before the due date")
    days.fill("a week")
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_role("tabpanel", name="Course settings")).to_contain_text(
        "Give the reminder days as whole numbers from 1 to 365, separated by commas."
    )
    assert api.get_course_settings(SELF_PACED).reminder_days == ()
    days.fill("1 7, 7")
    page.get_by_label("Send an overdue notice the day after the due date").check()
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_role("tabpanel", name="Course settings")).to_contain_text("Settings saved.")
    expect(days).to_have_value("7, 1")
    settings = api.get_course_settings(SELF_PACED)
    assert (settings.reminder_days, settings.overdue_notice) == ((7, 1), True)

    # Dev is due in a week: the day's run reminds him, and the row and his history say so.
    api.update_due_date(
        SELF_PACED, "dev.patel", actor=world.staff, due_date=server_today(page) + datetime.timedelta(days=7)
    )
    assert api.send_reminders(today=server_today(page), course_key=SELF_PACED).reminders == 1
    page.get_by_role("tab", name="Learners").click()
    page.reload()
    expect(row(page, "dev.patel")).to_contain_text("Reminded")
    dialog = choose(page, "dev.patel", "View History")
    expect(dialog.locator(".lm-timeline__item").first).to_contain_text("Reminder sent")
    expect(dialog.locator(".lm-timeline__item").first).to_contain_text("7 days before the due date")
