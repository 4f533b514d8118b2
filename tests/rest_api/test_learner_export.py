"""
``GET courses/{course_id}/learners/export/``: the learner list as CSV or an Excel workbook, with the
list's filters and ordering, readable columns, cells safe to open, and a bounded number of queries.
"""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from learner_mgmt_plugin import api
from learner_mgmt_plugin.data import LearnerStatus
from test_utils.clock import local_dates
from test_utils.rest import course_url

HEADINGS = [
    "Name",
    "Username",
    "Email",
    "Employee ID",
    "Status",
    "Progress (%)",
    "Required",
    "Due date",
    "Overdue",
    "Assigned by",
    "Assigned at",
    "Session",
    "Attempt",
    "Completed at",
    "Certificate",
    "Last reminder",
]


@pytest.fixture
def learners(course, staff, learner_in, make_learner):
    learner_in(course, LearnerStatus.IN_PROGRESS, username="ines")
    learner_in(course, LearnerStatus.COMPLETED, username="carl")
    # A name a spreadsheet would run as a formula.
    make_learner("mallory", name='=HYPERLINK("http://evil")')
    due = timezone.localdate() + datetime.timedelta(days=10)
    api.assign_course(course, ["mallory"], actor=staff, due_date=due)
    return due


def exported(client, course, **query):
    response = client.get(course_url(course, "learners/export/"), query)
    assert response.status_code == 200, response.content
    return response, b"".join(response.streaming_content)


def test_every_matching_learner_as_csv_in_the_list_order(staff_client, course, learners):
    with local_dates() as days:
        response, content = exported(staff_client, course, ordering="username")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    names = {f'attachment; filename="Learners_course-v1_TestX_LM101_2026_{day:%Y-%m-%d}.csv"' for day in days}
    assert response["Content-Disposition"] in names
    rows = list(csv.reader(io.StringIO(content.decode())))
    assert rows[0] == HEADINGS
    assert [row[1] for row in rows[1:]] == ["carl", "ines", "mallory"]
    carl, ines, mallory = (dict(zip(HEADINGS, row)) for row in rows[1:])
    in_progress = (ines["Status"], ines["Progress (%)"], ines["Required"], ines["Attempt"])
    assert in_progress == ("42% Completed", "42", "No", "1")
    assert (carl["Status"], carl["Completed at"] != "", carl["Assigned by"]) == ("Completed", True, "staff")
    assert (mallory["Name"], mallory["Due date"], mallory["Required"]) == (
        '\'=HYPERLINK("http://evil")',
        learners.isoformat(),
        "Yes",
    )
    assert mallory["Overdue"] == "No"


def test_the_filters_of_the_list_apply(staff_client, course, learners):
    _response, content = exported(staff_client, course, status="completed")
    assert [row[1] for row in csv.reader(io.StringIO(content.decode()))] == ["Username", "carl"]
    _response, content = exported(staff_client, course, required="true", search="mal")
    assert [row[1] for row in csv.reader(io.StringIO(content.decode()))] == ["Username", "mallory"]


def test_the_same_rows_as_an_excel_workbook(staff_client, course, learners):
    response, content = exported(staff_client, course, format="xlsx", ordering="-username")

    assert response["Content-Disposition"].endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(content)).active
    rows = [[cell if cell is not None else "" for cell in row] for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == HEADINGS
    assert [row[1] for row in rows[1:]] == ["mallory", "ines", "carl"]
    assert rows[1][0] == '\'=HYPERLINK("http://evil")'


@pytest.mark.parametrize(
    ("query", "field"),
    [({"format": "pdf"}, "format"), ({"status": "sleeping"}, "status"), ({"ordering": "shoe_size"}, "ordering")],
)
def test_bad_queries_are_refused_with_the_field(staff_client, course, learners, query, field):
    response = staff_client.get(course_url(course, "learners/export/"), query)
    assert (response.status_code, response.json()["field"]) == (400, field)


def test_reading_costs_the_same_queries_for_more_learners(course, staff, make_learner):
    def queries_of_an_export():
        with CaptureQueriesContext(connection) as captured:
            b"".join(api.export_learners(course, viewer=staff).content)
        return len(captured)

    make_learner("first")
    api.assign_course(course, ["first"], actor=staff)
    one = queries_of_an_export()
    for number in range(8):
        make_learner(f"more{number}")
    api.assign_course(course, [f"more{number}" for number in range(8)], actor=staff)
    assert queries_of_an_export() == one
