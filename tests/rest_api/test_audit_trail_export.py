"""
``GET courses/{course_id}/history/export/``: the course's audit trail (every change in its learners'
histories, and every removal from it) as CSV or an Excel workbook, oldest first, filtered by date range
and action, with reasons; removed learners by id only, retired users as retired; bounded queries.
"""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from devhost.lms import api as host
from learner_mgmt_plugin import api
from learner_mgmt_plugin.data import LearnerStatus
from learner_mgmt_plugin.models import HistoryEvent, RemovalAudit
from test_utils.clock import local_dates
from test_utils.rest import course_url

HEADINGS = [
    "When",
    "Action",
    "User ID",
    "Name",
    "Username",
    "Email",
    "Employee ID",
    "Attempt",
    "By",
    "Details",
    "Reason",
]


@pytest.fixture
def trail(course, other_course, staff, learner_in, make_learner):
    """
    Ines assigned then reset with a reason; Rob assigned then removed with a reason; a change in
    another course.
    """
    ines = learner_in(course, LearnerStatus.STARTED, username="ines")
    api.reset_progress(course, "ines", actor=staff, reason="Course revised")
    rob = learner_in(course, LearnerStatus.STARTED, username="rob")
    api.remove_learner(course, "rob", actor=staff, scope="course", confirm=True, reason="Left the company")
    make_learner("olga")
    api.assign_course(other_course, ["olga"], actor=staff)
    return ines, rob


def exported(client, course, **query):
    response = client.get(course_url(course, "history/export/"), query)
    assert response.status_code == 200, response.content
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == HEADINGS
    return response, [dict(zip(HEADINGS, row)) for row in rows[1:]]


def test_every_change_oldest_first_with_reasons_and_removals_by_id(staff_client, course, trail):
    ines, rob = trail
    with local_dates() as days:
        response, rows = exported(staff_client, course)

    names = {f'attachment; filename="Audit_trail_course-v1_TestX_LM101_2026_{day:%Y-%m-%d}.csv"' for day in days}
    assert response["Content-Disposition"] in names
    # Rob's history went with him, but for the record of his removal.
    actions = [row["Action"] for row in rows]
    assert actions == ["Assigned the course", "Started the course", "Progress reset", "Removed from the course"]
    assigned, started, reset, removed = rows
    assert (started["By"], started["Attempt"]) == ("", "1")  # the learner did it
    assert (reset["Name"], reset["Email"], reset["Attempt"], reset["By"], reset["Reason"]) == (
        "Ines",
        "ines@example.com",
        "2",
        "staff",
        "Course revised",
    )
    assert reset["User ID"] == str(ines.pk) and assigned["By"] == "staff"
    assert (removed["User ID"], removed["Name"], removed["Username"], removed["Email"]) == (str(rob.pk), "", "", "")
    assert (removed["By"], removed["Details"], removed["Reason"]) == ("staff", "scope: course", "Left the company")
    assert [row["When"] for row in rows] == sorted(row["When"] for row in rows)


def test_filtered_by_action(staff_client, course, trail):
    _response, rows = exported(staff_client, course, action="removed,progress_reset")
    assert [row["Action"] for row in rows] == ["Progress reset", "Removed from the course"]
    _response, rows = exported(staff_client, course, action="removed")
    assert [row["Action"] for row in rows] == ["Removed from the course"]


def test_filtered_by_dates_both_included(staff_client, course, trail):
    today = timezone.localdate()
    week_ago = timezone.now() - datetime.timedelta(days=7)
    HistoryEvent.objects.exclude(kind="progress_reset").update(created=week_ago)
    RemovalAudit.objects.update(created=week_ago)
    _response, rows = exported(staff_client, course, since=today.isoformat())
    assert [row["Action"] for row in rows] == ["Progress reset"]
    day = timezone.localdate(week_ago).isoformat()
    _response, rows = exported(staff_client, course, since=day, until=day)
    assert [row["Action"] for row in rows] == ["Assigned the course", "Started the course", "Removed from the course"]


def test_a_retired_actor_is_shown_as_retired(staff_client, course, staff, learner_in, make_learner):
    coach = make_learner("coach")
    learner_in(course, LearnerStatus.STARTED, username="ines")
    api.reset_progress(course, "ines", actor=coach, reason="Asked")
    host.retire_user(coach)
    _response, rows = exported(staff_client, course, action="progress_reset")
    assert [(row["By"], row["Reason"]) for row in rows] == [("retired user", "Asked")]


def test_the_same_rows_as_an_excel_workbook_with_cells_safe_to_open(staff_client, course, staff, learner_in):
    learner_in(course, LearnerStatus.STARTED, username="ines")
    api.reset_progress(course, "ines", actor=staff, reason='=HYPERLINK("http://evil")')
    response = staff_client.get(course_url(course, "history/export/"), {"format": "xlsx"})
    assert response["Content-Disposition"].endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == HEADINGS
    assert [row[1] for row in rows[1:]] == ["Assigned the course", "Started the course", "Progress reset"]
    assert rows[3][-1] == '\'=HYPERLINK("http://evil")'


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"format": "pdf"}, "format"),
        ({"since": "yesterday"}, "since"),
        ({"since": "2026-05-02", "until": "2026-05-01"}, "until"),
        ({"action": "assigned,sneezed"}, "action"),
    ],
)
def test_bad_queries_are_refused_with_the_field(staff_client, course, trail, query, field):
    response = staff_client.get(course_url(course, "history/export/"), query)
    assert (response.status_code, response.json()["field"]) == (400, field)


def test_reading_costs_the_same_queries_for_more_changes(course, staff, make_learner):
    def queries_of_an_export():
        with CaptureQueriesContext(connection) as captured:
            b"".join(api.export_audit_trail(course, viewer=staff).content)
        return len(captured)

    make_learner("first")
    api.assign_course(course, ["first"], actor=staff)
    api.remove_learner(course, "first", actor=staff, scope="course", confirm=True)
    one = queries_of_an_export()
    names = [f"more{number}" for number in range(8)]
    for name in names:
        make_learner(name)
    api.assign_course(course, names, actor=staff)
    api.run_mass_action(course, "remove", names[:4], actor=staff, scope="course", confirm=True)
    assert queries_of_an_export() == one
