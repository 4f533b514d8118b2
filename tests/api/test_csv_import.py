"""
The CSV import core (SPEC section 5, step 3): headings, limits, every failure reason, the result and
the file of rows not imported.
"""

import csv
import datetime
import io

import pytest
from django.utils import timezone

from learner_mgmt_plugin import api
from learner_mgmt_plugin.data import LearnerStatus, ReassignedRow
from learner_mgmt_plugin.exceptions import ImportRefused
from learner_mgmt_plugin.models import Assignment
from test_utils.clock import local_dates
from test_utils.snapshots import snapshot

HEADINGS = "email,username,employee_id,due_date"


def csv_bytes(*lines, headings=HEADINGS, encoding="utf-8"):
    return "\r\n".join((headings, *lines)).encode(encoding)


def future(days=30):
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


@pytest.fixture
def users(course, make_learner, learner_in, staff):
    make_learner("amy", email="amy@example.com")
    make_learner("bob", email="bob@example.com")
    make_learner("cat", email="cat@example.com")
    make_learner("dan", email="dan@example.com", is_active=False)
    emp = make_learner("emp", email="emp@example.com")
    api.set_employee_ids({emp.pk: "E-100"})
    learner_in(course, LearnerStatus.COMPLETED, username="done")


def run(course, data, actor, **terms):
    return api.import_assignments(course, data, actor=actor, **terms)


def assigned_terms(course):
    rows = Assignment.objects.filter(course_key=course, learner__user__username__in=["amy", "bob", "cat"])
    return {
        username: (required, due_date, message)
        for username, required, due_date, message in rows.values_list(
            "learner__user__username", "required", "due_date", "message"
        )
    }


def reasons(result):
    return {failure.row: failure.reason for failure in result.failures}


class TestWholeFileRefusals:
    @pytest.mark.parametrize(
        "headings",
        [
            "email,username,employee_id",
            "email,username,employee_id,due_date,extra",
            "email,user,employee_id,due_date",
            "email,email,employee_id,due_date",
            "",
        ],
    )
    def test_other_headings_are_refused_naming_the_expected_ones(self, course, staff, users, headings):
        before = snapshot()
        with pytest.raises(ImportRefused) as error:
            run(course, csv_bytes("amy@example.com,,,", headings=headings), staff)
        assert "email, username, employee_id, due_date" in error.value.message
        assert snapshot() == before

    def test_heading_order_case_and_space_are_ignored(self, course, staff, users):
        result = run(course, csv_bytes(",,,amy@example.com", headings=" Due_Date ,USERNAME,employee_id, Email"), staff)
        assert (result.imported, result.failed) == (1, 0)
        assert api.get_learner(course, "amy").status == LearnerStatus.NOT_STARTED

    def test_a_utf8_bom_is_tolerated(self, course, staff, users):
        result = run(course, "\ufeff".encode() + csv_bytes("amy@example.com,,,"), staff)
        assert result.imported == 1

    def test_other_encodings_are_refused(self, course, staff, users):
        with pytest.raises(ImportRefused) as error:
            run(course, csv_bytes("amy@example.com,Zoë,,", encoding="utf-16"), staff)
        assert "UTF-8" in error.value.message

    def test_latin1_bytes_are_refused(self, course, staff, users):
        with pytest.raises(ImportRefused):
            run(course, csv_bytes("amy@example.com,Zoë,,", encoding="latin-1"), staff)

    def test_an_empty_file_and_a_file_of_headings_only_are_refused(self, course, staff, users):
        with pytest.raises(ImportRefused) as empty:
            run(course, b"", staff)
        assert "empty" in empty.value.message
        with pytest.raises(ImportRefused) as headings_only:
            run(course, csv_bytes(), staff)
        assert "no rows" in headings_only.value.message

    def test_too_many_rows_are_refused_and_nothing_is_imported(self, course, staff, users, settings):
        settings.LEARNER_MGMT_IMPORT_MAX_ROWS = 2
        before = snapshot()
        with pytest.raises(ImportRefused) as error:
            run(course, csv_bytes("amy@example.com,,,", "bob@example.com,,,", "cat@example.com,,,"), staff)
        assert "more than 2 rows" in error.value.message
        assert snapshot() == before

    def test_a_file_too_large_is_refused(self, course, staff, users, settings):
        settings.LEARNER_MGMT_IMPORT_MAX_BYTES = 50
        with pytest.raises(ImportRefused) as error:
            run(course, csv_bytes("amy@example.com,,,", "bob@example.com,,,", "cat@example.com,,,"), staff)
        assert "larger than" in error.value.message

    def test_an_enormous_field_is_refused_as_broken_csv(self, course, staff, users):
        with pytest.raises(ImportRefused) as error:
            run(course, csv_bytes(f'"{"x" * 200_000}",,,'), staff)
        assert "not a valid CSV" in error.value.message


class TestRows:
    def test_all_good(self, course, staff, users):
        result = run(course, csv_bytes("amy@example.com,,,", ",bob,,", ",,E-100,"), staff)
        assert result.message == "Import process completed and 3 users imported successfully."
        assert (result.imported, result.failed, result.failures) == (3, 0, ())
        assert result.non_imported_filename is None
        assert {row.username for row in api.list_learners(course).results} >= {"amy", "bob", "emp"}

    def test_every_failure_reason(self, course, staff, users):
        data = csv_bytes(
            "amy@example.com,,,",  # 2 imported
            "ghost@example.com,,,",  # 3 unknown email
            ",,E-404,",  # 4 unknown employee ID
            ",ghost,,",  # 5 unknown username
            "dan@example.com,,,",  # 6 deactivated
            f",,,{future()}",  # 7 no identifier
            "bob@example.com,cat,,",  # 8 identifiers of different users
            ",amy,,",  # 9 duplicate of row 2
            "cat@example.com,,,31/12/2030",  # 10 not ISO
            "cat@example.com,,,2030-02-30",  # 11 no such date
            "cat@example.com,,,2001-01-01",  # 12 past
            ",done,,",  # 13 completed and skipped
            "emp@example.com,emp,E-100,",  # 14 three identifiers of one user: imported
            "bob@example.com,,",  # 15 too few values
            ",,,2001-01-01",  # 16 no identifier and a past date: both said
        )
        result = run(course, data, staff, skip_completed=True)
        assert reasons(result) == {
            3: "Employee ID or Email ID not found",
            4: "Employee ID or Email ID not found",
            5: "Username not found",
            6: "User with the given Email ID or Employee ID is deactivated.",
            7: "The row has no email, username or employee ID.",
            8: "The email, username and employee ID of this row belong to different users.",
            9: "Duplicate of row 2.",
            10: "The due date '31/12/2030' is not a date in the form YYYY-MM-DD.",
            11: "The due date '2030-02-30' does not exist.",
            12: "The due date 2001-01-01 is in the past.",
            13: "Already completed the course (skipped).",
            15: "The row has 3 values; the headings name 4.",
            16: "The row has no email, username or employee ID. The due date 2001-01-01 is in the past.",
        }
        assert result.imported == 2
        assert result.message == (
            "Import process completed and 2 users imported successfully. 13 users could not be imported."
        )
        # Every row is imported or listed: none vanishes.
        assert result.imported + result.failed == 15

    def test_a_row_due_date_overrides_the_dialog_and_makes_it_required(self, course, staff, users):
        due = future(60)
        run(course, csv_bytes(f"amy@example.com,,,{due}", "bob@example.com,,,"), staff, due_date=None)
        amy, bob = api.get_learner(course, "amy"), api.get_learner(course, "bob")
        assert (amy.required, amy.due_date.isoformat()) == (True, due)
        assert (bob.required, bob.due_date) == (False, None)

    def test_the_dialog_due_date_applies_to_rows_without_one(self, course, staff, users):
        due = timezone.localdate() + datetime.timedelta(days=10)
        run(course, csv_bytes("amy@example.com,,,"), staff, due_date=due)
        assert (api.get_learner(course, "amy").required, api.get_learner(course, "amy").due_date) == (True, due)

    def test_a_current_learners_due_date_stays_unless_the_row_or_the_dialog_gives_one(self, course, staff, users):
        due, later = (timezone.localdate() + datetime.timedelta(days=days) for days in (20, 40))
        api.assign_course(course, ["amy", "bob", "cat"], actor=staff, due_date=due, message="Before June")
        run(course, csv_bytes("amy@example.com,,,", f"bob@example.com,,,{later.isoformat()}"), staff, required=True)
        run(course, csv_bytes("cat@example.com,,,"), staff, due_date=later, message="Sooner")

        assert assigned_terms(course) == {
            "amy": (True, due, "Before June"),
            "bob": (True, later, "Before June"),
            "cat": (True, later, "Sooner"),
        }
        [amy_update] = [event for event in api.get_history(course, "amy").events if event.kind == "assignment_updated"]
        assert amy_update.reason == "Before June"
        assert amy_update.details == {
            "required": True,
            "due_date": due.isoformat(),
            "previous": {"required": True, "due_date": due.isoformat(), "message": "Before June"},
        }

    def test_completed_learners_are_reassigned_unless_skipped(self, course, staff, users):
        result = run(course, csv_bytes("amy@example.com,,,", "done@example.com,,,"), staff)
        assert (result.imported, result.assigned, result.reassigned) == (2, 1, 1)
        # Named, as the failures are: the row, what it gave, who it is.
        assert result.reassigned_rows == (ReassignedRow(row=3, identifier="done@example.com", username="done"),)
        assert api.get_learner(course, "done").attempt == 2

    def test_quoted_newlines_and_blank_rows_keep_spreadsheet_row_numbers(self, course, staff, users):
        result = run(course, csv_bytes("", '"ghost\n@example.com",,,', "amy@example.com,,,"), staff)
        assert reasons(result) == {3: "Employee ID or Email ID not found"}
        assert result.imported == 1


class TestFailureReport:
    def _failing_rows(self, count):
        return csv_bytes(*(f"ghost{number}@example.com,,," for number in range(count)), "amy@example.com,,,")

    def test_fewer_than_fifty_failures_are_shown_inline(self, course, staff, users):
        result = run(course, self._failing_rows(49), staff)
        assert (result.failed, result.show_failures_inline) == (49, True)

    def test_fifty_failures_are_only_downloadable(self, course, staff, users):
        with local_dates() as days:
            result = run(course, self._failing_rows(50), staff)
        assert (result.failed, result.show_failures_inline) == (50, False)
        assert result.non_imported_filename in {f"Non_Imported_List_{day:%Y-%m-%d}.csv" for day in days}

    def test_the_non_imported_file(self, course, staff, users):
        result = run(course, csv_bytes('=HYPERLINK("http://x"),,,', ",,@E1,", "amy@example.com,,,"), staff)
        rows = list(csv.reader(io.StringIO(api.non_imported_csv(result))))
        assert rows[0] == ["row", "email", "username", "employee_id", "reason"]
        assert rows[1] == ["2", '\'=HYPERLINK("http://x")', "", "", "Employee ID or Email ID not found"]
        assert rows[2] == ["3", "", "", "'@E1", "Employee ID or Email ID not found"]
        assert len(rows) == 3


def test_sample_csv_has_the_expected_headings():
    assert api.sample_csv().splitlines()[0] == HEADINGS


@pytest.mark.parametrize("count", [30, 300])
def test_an_import_costs_a_bounded_number_of_queries(course, staff, make_users, count, django_assert_max_num_queries):
    make_users(count)
    data = csv_bytes(*(f"learner{number}@example.com,,,{future()}" for number in range(1, count + 1)))
    # The job (created, run, finished, read back) costs about twenty queries of its own; enrolling
    # ahead of the chunk's transaction a few more.
    with django_assert_max_num_queries(70):
        result = api.import_assignments(course, data, actor=staff)
    assert result.imported == count


def test_the_host_receives_one_enrollment_per_learner(course, staff, users, captured_events):
    run(course, csv_bytes("amy@example.com,,,", "bob@example.com,,,"), staff)
    created = [
        payload["enrollment"].user.pii.username
        for kind, payload in captured_events
        if kind == "org.openedx.learning.course.enrollment.created.v1"
    ]
    assert sorted(created) == ["amy", "bob"]
