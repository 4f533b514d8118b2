"""
Background exports of the learner list (``POST exports/``, followed at ``exports/{id}/``, downloaded
from ``exports/{id}/file/``): the same rows as the download within a request, written chunk by chunk
by the job, kept as its django-user-tasks artifact, and rewritten without a learner who retires.
"""

import csv
import io

import pytest
from openpyxl import load_workbook

from devhost.lms import api as host
from learner_mgmt_plugin import api
from learner_mgmt_plugin.data import LearnerStatus
from test_utils.rest import course_url


@pytest.fixture
def learners(course, staff, learner_in, make_users, jobs_in_background):
    jobs_in_background(above=2, chunk_size=2)
    learner_in(course, LearnerStatus.IN_PROGRESS, username="ines")
    learner_in(course, LearnerStatus.COMPLETED, username="carl")
    make_users(3)
    api.assign_course(course, ["learner1", "learner2", "learner3"], actor=staff)


def exported_now(client, course, **query):
    response = client.get(course_url(course, "learners/export/"), query)
    return b"".join(response.streaming_content)


def export_in_background(client, course, django_capture_on_commit_callbacks, **body):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(course_url(course, "exports/"), body, format="json")
    assert response.status_code == 202, response.content
    status = client.get(response.json()["status_url"]).json()
    assert status["state"] == "succeeded" and status["completed_steps"] == status["total_steps"] > 1
    download = client.get(status["download_url"])
    assert download.status_code == 200
    return status, download


@pytest.mark.parametrize("ordering", ["username", "-progress"])
def test_the_same_file_as_a_download_within_the_request(
    staff_client, course, learners, django_capture_on_commit_callbacks, ordering
):
    status, download = export_in_background(staff_client, course, django_capture_on_commit_callbacks, ordering=ordering)
    assert status["filename"].startswith("Learners_course-v1_TestX_LM101_2026_")
    assert download["Content-Disposition"] == f'attachment; filename="{status["filename"]}"'
    assert b"".join(download.streaming_content) == exported_now(staff_client, course, ordering=ordering)


def test_filters_and_excel(staff_client, course, learners, django_capture_on_commit_callbacks):
    status, download = export_in_background(
        staff_client, course, django_capture_on_commit_callbacks, format="xlsx", status="not_started"
    )
    assert status["filename"].endswith(".xlsx")
    rows = list(load_workbook(io.BytesIO(b"".join(download.streaming_content))).active.iter_rows(values_only=True))
    assert [row[1] for row in rows[1:]] == ["learner1", "learner2", "learner3"]


def test_a_learner_who_retires_is_taken_out_of_the_file(
    staff_client, course, learners, django_capture_on_commit_callbacks
):
    status, _download = export_in_background(staff_client, course, django_capture_on_commit_callbacks)
    ines = api.get_learner(course, "ines")
    host.retire_user(ines.user_id)
    content = b"".join(staff_client.get(status["download_url"]).streaming_content).decode()
    assert "ines" not in content.lower() and "Ines" not in content
    rows = list(csv.reader(io.StringIO(content)))
    assert len(rows) == 6  # the heading and every learner's row, Ines's blanked
    assert [row[:3] for row in rows].count(["retired", "retired", "retired"]) == 1


def test_bad_input_and_other_courses(staff_client, course, other_course, learners, django_capture_on_commit_callbacks):
    for body, field in (
        ({"format": "pdf"}, "format"),
        ({"status": "asleep"}, "status"),
        ({"ordering": "x"}, "ordering"),
    ):
        response = staff_client.post(course_url(course, "exports/"), body, format="json")
        assert (response.status_code, response.json()["field"]) == (400, field)
    status, _download = export_in_background(staff_client, course, django_capture_on_commit_callbacks)
    for path in (f"exports/{status['id']}/", f"exports/{status['id']}/file/"):
        assert staff_client.get(course_url(other_course, path)).status_code == 404
    assert staff_client.get(course_url(course, "exports/not-a-job/file/")).status_code == 404
