"""
Assigning a course over HTTP: ``assignments/review/``, ``assignments/`` (``assignments/jobs/{id}/``),
``assignments/sample-csv/`` and the CSV import (``assignments/import/``, ``imports/{id}/``,
``imports/{id}/non-imported/``), inline (200) or in the background (202, then followed to its result).
"""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http.multipartparser import MultiPartParser as DjangoMultiPartParser
from rest_framework.parsers import MultiPartParser
from rest_framework.test import APIClient

from learner_mgmt_plugin import api
from learner_mgmt_plugin.data import LearnerStatus
from test_utils.clock import local_dates
from test_utils.rest import course_url, in_days
from test_utils.snapshots import snapshot
from test_utils.world import rolled_back

HEADINGS = "email,username,employee_id,due_date"
OUTCOME = ("assigned", "updated", "reassigned", "skipped", "failed")


@pytest.fixture
def people(course, make_learner, learner_in):
    """
    ann and bob (not assigned), carl (completed the course), gone (deactivated).
    """
    make_learner("ann", email="ann@example.com")
    make_learner("bob")
    learner_in(course, LearnerStatus.COMPLETED, username="carl")
    make_learner("gone", is_active=False)


class TestReview:
    def test_where_each_user_stands(self, staff_client, course, people):
        response = staff_client.post(
            course_url(course, "assignments/review/"),
            {"users": ["ann@example.com", "carl", "ghost", "gone", " "]},
            format="json",
        )
        assert response.status_code == 200
        review = response.json()
        assert review["skip_completed_available"] is True
        assert [
            (user["identifier"], user["username"], user["state"], user["status"], user["status_label"])
            for user in review["users"]
        ] == [
            ("ann@example.com", "ann", "not_assigned", None, None),
            ("carl", "carl", "completed", "completed", "Completed"),
        ]
        assert (review["not_found"], review["deactivated"], review["ambiguous"]) == (["ghost"], ["gone"], [])

    def test_given_the_terms_it_shows_current_and_new_terms_and_what_changes(self, staff_client, course, people, staff):
        due, later = in_days(10), in_days(30)
        api.assign_course(course, ["ann"], actor=staff, due_date=datetime.date.fromisoformat(due), message="Soon")
        response = staff_client.post(
            course_url(course, "assignments/review/"),
            {"users": ["ann", "bob"], "required": True, "due_date": later},
            format="json",
        )
        assert response.status_code == 200
        ann, bob = response.json()["users"]
        assert ann["current_terms"] == {"required": True, "due_date": due, "message": "Soon"}
        assert ann["new_terms"] == {"required": True, "due_date": later, "message": "Soon"}
        assert ann["changes"] == ["due_date"]
        assert (bob["current_terms"], bob["changes"]) == (None, [])
        assert bob["new_terms"] == {"required": True, "due_date": later, "message": ""}

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ({}, "users"),
            ({"users": "ann"}, "users"),
            ({"users": [{}]}, "users.0"),
            ({"users": ["ann"], "due_date": "soon"}, "due_date"),
            ({"users": ["ann"], "required": False, "due_date": "2999-01-01"}, "required"),
        ],
    )
    def test_malformed_bodies_are_400(self, staff_client, course, people, body, field):
        response = staff_client.post(course_url(course, "assignments/review/"), body, format="json")
        assert (response.status_code, response.json()["field"]) == (400, field)

    def test_more_users_than_one_request_takes_are_400(self, staff_client, course, people):
        users = [f"user{number}" for number in range(api.MAX_USERS_AT_A_TIME + 1)]
        for path in ("assignments/review/", "assignments/"):
            before = snapshot()
            response = staff_client.post(course_url(course, path), {"users": users}, format="json")
            assert (response.status_code, response.json()["field"]) == (400, "users")
            assert "import a CSV file" in response.json()["message"]
            assert snapshot() == before


class TestAssign:
    def test_assigns_updates_reassigns_skips_and_fails(self, staff_client, course, staff, people, learner_in):
        learner_in(course, LearnerStatus.STARTED, username="dora")
        due = in_days(30)
        response = staff_client.post(
            course_url(course, "assignments/"),
            {"users": ["ann", "bob", "dora", "carl", "ghost", "gone"], "due_date": due, "message": "Hi"},
            format="json",
        )
        assert response.status_code == 200
        result = response.json()
        assert (result["assigned"], result["updated"], result["reassigned"], result["skipped"]) == (
            ["ann", "bob"],
            ["dora"],
            ["carl"],
            [],
        )
        assert [failure["identifier"] for failure in result["failed"]] == ["ghost", "gone"]
        row = api.get_learner(course, "ann")
        assert (row.required, row.due_date.isoformat(), row.assigned_by) == (True, due, "staff")
        assert api.get_learner(course, "carl").attempt == 2

    def test_a_large_assignment_runs_in_the_background_with_the_same_result(
        self, staff_client, course, people, jobs_in_background, django_capture_on_commit_callbacks
    ):
        url = course_url(course, "assignments/")
        body = {"users": ["ann", "ghost", "bob", "carl", "gone", "ann@example.com"], "due_date": in_days(9)}
        with rolled_back():
            inline = staff_client.post(url, body, format="json").json()

        jobs_in_background(above=2, chunk_size=2)
        with django_capture_on_commit_callbacks(execute=True):
            response = staff_client.post(url, body, format="json")
            assert response.status_code == 202
            accepted = response.json()
            status_path = course_url(course, f"assignments/jobs/{accepted['id']}/")
            assert accepted["status_url"] == f"http://testserver{status_path}"
            assert staff_client.get(accepted["status_url"]).json()["state"] == "pending"

        report = staff_client.get(accepted["status_url"]).json()
        # ann, bob and carl, once each, in two chunks.
        assert (report["state"], report["completed_steps"], report["total_steps"]) == ("succeeded", 2, 2)
        assert {name: report[name] for name in OUTCOME} == {name: inline[name] for name in OUTCOME}
        assert (report["assigned"], report["reassigned"]) == (["ann", "bob"], ["carl"])
        assert [failure["identifier"] for failure in report["failed"]] == ["ghost", "gone"]
        assert api.get_learner(course, "carl").attempt == 2

    def test_completed_learners_can_be_skipped(self, staff_client, course, people):
        response = staff_client.post(
            course_url(course, "assignments/"), {"users": ["carl"], "skip_completed": True}, format="json"
        )
        assert [skipped["username"] for skipped in response.json()["skipped"]] == ["carl"]
        assert api.get_learner(course, "carl").attempt == 1

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ({"users": ["ann"], "required": False, "due_date": in_days(3)}, "required"),
            ({"users": ["ann"], "due_date": "soon"}, "due_date"),
            ({"users": ["ann"], "due_date": in_days(-3)}, "due_date"),
            ({"users": ["ann"], "required": "perhaps"}, "required"),
            ({"users": ["ann"], "message": {"text": "hi"}}, "message"),
            ({"users": ["ann"], "skip_completed": "sometimes"}, "skip_completed"),
            ({"due_date": in_days(3)}, "users"),
        ],
    )
    def test_malformed_terms_are_400_and_assign_nobody(self, staff_client, course, people, body, field):
        before = snapshot()
        response = staff_client.post(course_url(course, "assignments/"), body, format="json")
        assert (response.status_code, response.json()["field"]) == (400, field)
        assert snapshot() == before


def test_the_sample_csv_downloads(staff_client, course):
    response = staff_client.get(course_url(course, "assignments/sample-csv/"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="sample_assignments.csv"'
    assert response.content.decode() == api.sample_csv()
    assert response.content.decode().splitlines()[0] == HEADINGS


def upload(client, course_key, rows, **fields):
    data = "\r\n".join((HEADINGS, *rows)).encode() if isinstance(rows, list) else rows
    return client.post(
        course_url(course_key, "assignments/import/"),
        {"file": SimpleUploadedFile("assignments.csv", data, content_type="text/csv"), **fields},
        format="multipart",
    )


@pytest.fixture
def background_jobs(jobs_in_background):
    jobs_in_background(above=2, chunk_size=2)


class TestImport:
    def test_all_rows_imported(self, staff_client, course, people):
        due = in_days(9)
        response = upload(staff_client, course, ["ann@example.com,,,", f",bob,,{due}"], message="Welcome")
        assert response.status_code == 200
        result = response.json()
        assert result["message"] == "Import process completed and 2 users imported successfully."
        assert (result["imported"], result["failed"], result["assigned"]) == (2, 0, 2)
        assert "download_url" not in result and "failures" not in result
        assert api.get_learner(course, "bob").due_date.isoformat() == due

    def test_failed_rows_inline_and_as_a_download(self, staff_client, course, people):
        with local_dates() as days:
            response = upload(staff_client, course, [",ann,,", ",ghost,,", ",gone,,", ",bob,,yesterday"])
        result = response.json()
        assert (result["imported"], result["failed"]) == (1, 3)
        assert [(failure["row"], failure["username"]) for failure in result["failures"]] == [
            (3, "ghost"),
            (4, "gone"),
            (5, "bob"),
        ]
        assert result["failures"][1]["reason"] == "User with the given Email ID or Employee ID is deactivated."
        assert result["download_url"] == (
            f"http://testserver{course_url(course, 'imports/' + result['id'] + '/non-imported/')}"
        )
        download = staff_client.get(result["download_url"])
        assert download.status_code == 200
        assert download["Content-Type"] == "text/csv; charset=utf-8"
        assert download["Content-Disposition"] in {
            f'attachment; filename="Non_Imported_List_{day:%Y-%m-%d}.csv"' for day in days
        }
        assert download.content.decode().splitlines()[0] == "row,email,username,employee_id,reason"
        assert len(download.content.decode().splitlines()) == 4

    def test_many_failed_rows_only_as_a_download(self, staff_client, course, people, settings):
        settings.LEARNER_MGMT_IMPORT_INLINE_FAILURES_BELOW = 2
        result = upload(staff_client, course, [",ghost,,", ",phantom,,"]).json()
        assert result["failed"] == 2 and "failures" not in result and result["download_url"]

    def test_a_large_file_is_imported_in_the_background(
        self, staff_client, course, people, background_jobs, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            response = upload(staff_client, course, [",ann,,", ",bob,,", ",ghost,,"])
            assert response.status_code == 202
            accepted = response.json()
            assert accepted["status_url"] == f"http://testserver{course_url(course, 'imports/' + accepted['id'] + '/')}"
            assert response["Location"] == accepted["status_url"]
            pending = staff_client.get(accepted["status_url"]).json()
            assert (pending["state"], pending["completed_steps"], pending["total_steps"]) == ("pending", 0, 2)
            assert "imported" not in pending

        done = staff_client.get(accepted["status_url"]).json()
        assert (done["id"], done["state"], done["completed_steps"], done["error"]) == (
            accepted["id"],
            "succeeded",
            2,
            "",
        )
        assert (done["imported"], done["failed"], done["assigned"]) == (2, 1, 2)
        assert done["failures"][0]["username"] == "ghost"
        assert staff_client.get(done["download_url"]).status_code == 200

    @pytest.mark.parametrize(
        "data",
        [
            b"name,email\r\nAnn,ann@example.com\r\n",
            "email,username,employee_id,due_date\r\n,zoë,,\r\n".encode("utf-16"),
            b"",
        ],
    )
    def test_a_file_refused_whole_imports_nothing(self, staff_client, course, people, data):
        before = snapshot()
        response = upload(staff_client, course, data)
        assert (response.status_code, response.json()["error"]) == (400, "import_refused")
        assert response.json()["message"]
        assert snapshot() == before

    @pytest.mark.parametrize(
        ("fields", "field"),
        [
            ({"due_date": "soon"}, "due_date"),
            ({"required": "false", "due_date": in_days(5)}, "required"),
            ({"skip_completed": "maybe"}, "skip_completed"),
        ],
    )
    def test_malformed_terms_are_400(self, staff_client, course, people, fields, field):
        before = snapshot()
        response = upload(staff_client, course, [",ann,,"], **fields)
        assert (response.status_code, response.json()["field"]) == (400, field)
        assert snapshot() == before

    @pytest.mark.parametrize("signed_in_by", ["token", "session"])
    def test_a_file_over_the_size_limit_is_refused_before_the_upload_is_parsed(
        self, staff_client, staff, course, people, settings, monkeypatch, signed_in_by
    ):
        settings.LEARNER_MGMT_IMPORT_MAX_BYTES = 1024
        client = staff_client
        if signed_in_by == "session":
            # As the page calls it: DRF then runs Django's CSRF check, which reads the form.
            client = APIClient(enforce_csrf_checks=True)
            client.force_login(staff)
            client.get(f"/learner_mgmt/courses/{course}/")
            client.credentials(HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value)
        parsed = []
        for parser in (MultiPartParser, DjangoMultiPartParser):
            monkeypatch.setattr(parser, "parse", lambda *args, **kwargs: parsed.append(1))
        before = snapshot()
        response = upload(client, course, [",ann,,"] * 20_000)
        assert (response.status_code, response.json()["error"]) == (400, "import_refused")
        assert "larger than" in response.json()["message"]
        assert (parsed, snapshot()) == ([], before)

    def test_the_file_is_required_and_must_be_a_multipart_upload(self, staff_client, course, people):
        url = course_url(course, "assignments/import/")
        response = staff_client.post(url, {"message": "hi"}, format="multipart")
        assert (response.status_code, response.json()["field"]) == (400, "file")
        assert staff_client.post(url, {"file": "email,username"}, format="json").status_code == 415

    def test_imports_of_other_courses_and_unknown_ids_are_404(self, staff_client, course, other_course, people):
        job_id = upload(staff_client, course, [",ghost,,"]).json()["id"]
        for course_key, path in (
            (other_course, f"imports/{job_id}/"),
            (other_course, f"imports/{job_id}/non-imported/"),
            (course, "imports/not-a-job/"),
            (course, f"mass-actions/{job_id}/"),
        ):
            response = staff_client.get(course_url(course_key, path))
            assert (response.status_code, response.json()["error"]) == (404, "not_found")

    def test_an_import_without_failures_has_no_file_of_them(self, staff_client, course, people):
        job_id = upload(staff_client, course, [",ann,,"]).json()["id"]
        assert staff_client.get(course_url(course, f"imports/{job_id}/non-imported/")).status_code == 404


def test_user_search(staff_client, course, make_learner):
    make_learner("amy", name="Amy Pond")
    response = staff_client.get(course_url(course, "users/"), {"search": "pond"})
    assert response.status_code == 200
    assert [user["username"] for user in response.json()["results"]] == ["amy"]
    assert staff_client.get(course_url(course, "users/"), {"search": "a"}).json()["field"] == "search"
    assert staff_client.get(course_url(course, "users/")).status_code == 400
