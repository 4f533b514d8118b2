"""
Reviewing and assigning a course (SPEC section 5, steps 1 and 2).
"""

import datetime

import pytest
from django.utils import timezone
from django.utils.formats import date_format

from devhost.lms import api as host
from devhost.lms.models import CourseEnrollment
from learner_mgmt_plugin import api
from learner_mgmt_plugin.data import AssignmentTerms, AttemptCloseReason, HistoryKind, LearnerStatus, ReviewState
from learner_mgmt_plugin.exceptions import CourseNotFound, InvalidInput
from learner_mgmt_plugin.models import Assignment, Attempt
from test_utils.filters import RefuseBlockedUsers, filters_config
from test_utils.snapshots import snapshot


def in_future(days=30):
    return timezone.localdate() + datetime.timedelta(days=days)


@pytest.fixture
def people(make_learner, learner_in, course):
    """
    One user of each kind the review tells apart.
    """
    make_learner("newbie", email="newbie@example.com")
    make_learner("gone", is_active=False)
    learner_in(course, LearnerStatus.IN_PROGRESS, username="busy")
    learner_in(course, LearnerStatus.COMPLETED, username="done")
    host.create_user("employee", name="Em Ployee")
    api.set_employee_ids({host_user("employee").pk: "E-7"})


def host_user(username):
    from django.contrib.auth import get_user_model  # pylint: disable=import-outside-toplevel

    return get_user_model().objects.get(username=username)


class TestReview:
    def test_tells_where_each_user_stands(self, course, staff, people):
        review = api.review_assignment(
            course,
            ["NEWBIE@example.com", "busy", "done", "E-7", "gone", "ghost@example.com", "  ", "busy"],
            viewer=staff,
        )
        states = {user.username: (user.identifier, user.state, user.status) for user in review.users}
        assert states == {
            "newbie": ("NEWBIE@example.com", ReviewState.NOT_ASSIGNED, None),
            "busy": ("busy", ReviewState.ASSIGNED, LearnerStatus.IN_PROGRESS),
            "done": ("done", ReviewState.COMPLETED, LearnerStatus.COMPLETED),
            "employee": ("E-7", ReviewState.NOT_ASSIGNED, None),
        }
        assert review.not_found == ("ghost@example.com",)
        assert review.deactivated == ("gone",)
        assert review.skip_completed_available is True
        assert {user.username: user.employee_id for user in review.users}["employee"] == "E-7"
        # Worded as the learner list words them, with their own progress.
        labels = {user.username: user.status_label for user in review.users}
        assert labels == {
            "newbie": None,
            "busy": api.get_learner(course, "busy").status_label,
            "done": "Completed",
            "employee": None,
        }
        assert labels["busy"].endswith("% Completed") and "XX" not in labels["busy"]

    def test_skip_completed_is_not_offered_when_reassignment_is_unconditional(self, course, staff, settings):
        settings.LEARNER_MGMT_ALLOW_REASSIGNMENT_REGARDLESS_OF_STATUS = True
        assert api.review_assignment(course, ["x"], viewer=staff).skip_completed_available is False

    def test_an_identifier_naming_two_users_is_ambiguous(self, course, staff, make_learner):
        make_learner("E-1")
        other = make_learner("other")
        api.set_employee_ids({other.pk: "E-1"})
        assert api.review_assignment(course, ["E-1"], viewer=staff).ambiguous == ("E-1",)

    def test_an_unknown_course_is_not_found(self, db, staff):
        with pytest.raises(CourseNotFound):
            api.review_assignment("course-v1:No+Such+Course", ["x"], viewer=staff)

    def test_a_malformed_course_id_is_invalid(self, db, staff):
        with pytest.raises(InvalidInput) as error:
            api.review_assignment("not a course", ["x"], viewer=staff)
        assert error.value.field == "course_id"


class TestAssign:
    def test_new_learners_get_an_assignment_attempt_enrollment_and_message(
        self, course, staff, make_learner, sent_signals, django_capture_on_commit_callbacks
    ):
        learner = make_learner("newbie")
        due = in_future()
        with django_capture_on_commit_callbacks(execute=True):
            result = api.assign_course(course, ["newbie"], actor=staff, due_date=due, message="Welcome!")

        assert result.assigned == ("newbie",)
        row = api.get_learner(course, "newbie")
        assert (row.status, row.attempt, row.required, row.due_date, row.assigned_by) == (
            LearnerStatus.NOT_STARTED,
            1,
            True,
            due,
            "staff",
        )
        assert CourseEnrollment.objects.get(user=learner, course_key=course).is_active
        [message] = host.outbox(learner)
        assert message.subject == "You have been assigned a course: Learner Management 101"
        assert "Welcome!" in message.body and date_format(due, "DATE_FORMAT") in message.body
        assert [name for name, _ in sent_signals] == ["LEARNER_ASSIGNED"]
        assert sent_signals[0][1]["details"]["outcome"] == "assigned"

    def test_current_learners_get_the_new_terms_on_the_same_attempt(
        self, course, staff, admin, learner_in, django_capture_on_commit_callbacks
    ):
        learner = learner_in(course, LearnerStatus.IN_PROGRESS, username="busy")
        with django_capture_on_commit_callbacks(execute=True):
            result = api.assign_course(course, ["busy"], actor=admin, required=True)

        assert result.updated == ("busy",)
        row = api.get_learner(course, "busy")
        assert (row.status, row.attempt, row.required, row.assigned_by) == (LearnerStatus.IN_PROGRESS, 1, True, "admin")
        assert host.outbox(learner) == []
        assert api.get_history(course, "busy").events[0].kind == HistoryKind.ASSIGNMENT_UPDATED

    def test_completed_learners_are_reassigned_on_a_new_attempt(self, course, staff, learner_in):
        learner_in(course, LearnerStatus.COMPLETED, username="done")
        result = api.assign_course(course, ["done"], actor=staff)

        assert result.reassigned == ("done",)
        row = api.get_learner(course, "done")
        assert (row.status, row.attempt, row.progress) == (LearnerStatus.NOT_STARTED, 2, 0)
        closed = Attempt.objects.get(assignment__learner__user__username="done", number=1)
        assert closed.closed_reason == AttemptCloseReason.REASSIGNED and closed.completed_at is not None

    def test_completed_learners_can_be_skipped(self, course, staff, learner_in):
        learner_in(course, LearnerStatus.COMPLETED, username="done")
        result = api.assign_course(course, ["done"], actor=staff, skip_completed=True)

        assert result.reassigned == () and [skip.username for skip in result.skipped] == ["done"]
        assert api.get_learner(course, "done").status == LearnerStatus.COMPLETED

    def test_skipping_is_refused_when_reassignment_is_unconditional(self, course, staff, people, settings):
        settings.LEARNER_MGMT_ALLOW_REASSIGNMENT_REGARDLESS_OF_STATUS = True
        with pytest.raises(InvalidInput) as error:
            api.assign_course(course, ["done"], actor=staff, skip_completed=True)
        assert error.value.field == "skip_completed"

    def test_failures_are_reported_per_identifier(self, course, staff, people):
        result = api.assign_course(course, ["ghost@example.com", "ghost", "gone", "newbie"], actor=staff)
        assert result.assigned == ("newbie",)
        assert {failure.identifier: failure.reason for failure in result.failed} == {
            "ghost@example.com": "Employee ID or Email ID not found",
            "ghost": "No user has this username or employee ID.",
            "gone": "User with the given Email ID or Employee ID is deactivated.",
        }

    def test_one_user_named_twice_is_assigned_once(self, course, staff, people):
        result = api.assign_course(course, ["newbie", "newbie@example.com"], actor=staff)
        assert result.assigned == ("newbie",)

    def test_optional_with_a_due_date_is_refused(self, course, staff, people):
        before = snapshot()
        with pytest.raises(InvalidInput) as error:
            api.assign_course(course, ["newbie"], actor=staff, required=False, due_date=in_future())
        assert error.value.field == "required"
        assert snapshot() == before

    def test_a_due_date_makes_it_required_and_none_optional(self, course, staff, people):
        api.assign_course(course, ["newbie"], actor=staff, due_date=in_future())
        assert api.get_learner(course, "newbie").required is True
        api.assign_course(course, ["busy"], actor=staff)
        assert api.get_learner(course, "busy").required is False

    def test_what_the_learner_sees(self, course, other_course, staff, people):
        due = in_future()
        api.assign_course(course, ["newbie"], actor=staff, due_date=due)
        api.assign_course(other_course, ["newbie"], actor=staff, message="Optional extra")
        mine = api.list_my_assignments(host_user("newbie"))
        assert [(item.course_key, item.required, item.due_date) for item in mine] == [
            (str(course), True, due),
            (str(other_course), False, None),
        ]
        assert mine[1].message == "Optional extra"

    @pytest.mark.parametrize("bad", ["newbie", 42, None, [1, 2]])
    def test_users_must_be_a_list_of_strings(self, course, staff, bad):
        with pytest.raises(InvalidInput) as error:
            api.assign_course(course, bad, actor=staff)
        assert error.value.field == "users"


class TestTermsOfLearnersAssignedAlready:
    """
    Re-assigning never changes terms silently: what is left out is kept, the review shows what changes,
    and the history keeps the old terms next to the new.
    """

    @pytest.fixture
    def dated(self, course, staff, make_learner, learner_in):
        make_learner("newbie")
        done = make_learner("done")
        learner_in(course, LearnerStatus.IN_PROGRESS, username="busy")
        due = in_future(20)
        api.assign_course(course, ["busy", "done"], actor=staff, due_date=due, message="Before the audit")
        host.set_progress(done, course, 1.0)
        assert api.get_learner(course, "done").status == LearnerStatus.COMPLETED
        return due

    def test_the_review_shows_current_and_new_terms_and_what_changes(self, course, staff, dated):
        later = in_future(40)
        review = api.review_assignment(course, ["newbie", "busy", "done"], viewer=staff, due_date=later)
        users = {user.username: user for user in review.users}

        assert users["newbie"].current_terms is None and users["newbie"].changes == ()
        assert users["newbie"].new_terms == AssignmentTerms(True, later, "")
        assert users["busy"].current_terms == AssignmentTerms(True, dated, "Before the audit")
        assert users["busy"].new_terms == AssignmentTerms(True, later, "Before the audit")
        assert users["busy"].changes == ("due_date",)

        optional = api.review_assignment(course, ["busy"], viewer=staff, required=False, message="Whenever")
        assert optional.users[0].new_terms == AssignmentTerms(False, None, "Whenever")
        assert optional.users[0].changes == ("required", "due_date", "message")

    def test_the_review_checks_the_terms_as_assigning_does(self, course, staff, dated):
        with pytest.raises(InvalidInput) as error:
            api.review_assignment(course, ["busy"], viewer=staff, required=False, due_date=in_future())
        assert error.value.field == "required"

    def test_terms_left_out_are_kept_and_the_history_has_both(self, course, staff, dated):
        result = api.assign_course(course, ["busy"], actor=staff)

        assert result.updated == ("busy",)
        row = api.get_learner(course, "busy")
        assert (row.required, row.due_date) == (True, dated)
        event = api.get_history(course, "busy").events[0]
        assert (event.kind, event.reason) == (HistoryKind.ASSIGNMENT_UPDATED, "Before the audit")
        assert event.details == {
            "required": True,
            "due_date": dated.isoformat(),
            "previous": {"required": True, "due_date": dated.isoformat(), "message": "Before the audit"},
        }

    def test_optional_drops_the_due_date(self, course, staff, dated):
        api.assign_course(course, ["busy"], actor=staff, required=False)
        row = api.get_learner(course, "busy")
        assert (row.required, row.due_date) == (False, None)
        assert api.get_history(course, "busy").events[0].details["previous"]["due_date"] == dated.isoformat()

    def test_a_reassigned_learner_keeps_a_date_to_come_and_is_told_the_kept_terms(
        self, course, staff, dated, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            result = api.assign_course(course, ["done"], actor=staff)

        assert result.reassigned == ("done",)
        row = api.get_learner(course, "done")
        assert (row.attempt, row.required, row.due_date) == (2, True, dated)
        latest = host.outbox(host_user("done"))[-1]
        assert "Before the audit" in latest.body and date_format(dated, "DATE_FORMAT") in latest.body

    def test_a_reassigned_learner_does_not_keep_a_passed_due_date(self, course, staff, dated):
        Assignment.objects.filter(course_key=course, learner__user__username="done").update(
            due_date=timezone.localdate() - datetime.timedelta(days=1)
        )
        api.assign_course(course, ["done"], actor=staff)
        row = api.get_learner(course, "done")
        assert (row.attempt, row.required, row.due_date) == (2, True, None)


class TestSetBased:
    """
    Assigning costs a bounded number of queries per chunk of learners, whatever their number (its
    enrollments made ahead of its transaction among them), plus about fifteen of its job's own
    (storing, claiming and closing it). SQLite splits big inserts into
    batches of 999 parameters, hence some headroom.
    """

    @pytest.mark.parametrize("count", [20, 200])
    def test_assigning_new_learners(self, course, staff, make_users, count, django_assert_max_num_queries):
        make_users(count)
        usernames = [f"learner{number}" for number in range(1, count + 1)]
        with django_assert_max_num_queries(66):
            result = api.assign_course(course, usernames, actor=staff, due_date=in_future())
        assert len(result.assigned) == count

    @pytest.mark.parametrize("count", [20, 200])
    def test_reassigning_completed_learners(self, course, staff, make_users, count, django_assert_max_num_queries):
        user_ids = make_users(count)
        usernames = [f"learner{number}" for number in range(1, count + 1)]
        api.assign_course(course, usernames, actor=staff)
        host.bulk_set_progress(course, {user_id: 1.0 for user_id in user_ids})
        with django_assert_max_num_queries(68):
            result = api.assign_course(course, usernames, actor=staff)
        assert len(result.reassigned) == count

    def test_chunks_cost_the_same(self, course, staff, make_users, settings, django_assert_max_num_queries):
        settings.LEARNER_MGMT_CHUNK_SIZE = 50
        make_users(200)
        with django_assert_max_num_queries(4 * 47):
            result = api.assign_course(course, [f"learner{n}" for n in range(1, 201)], actor=staff)
        assert len(result.assigned) == 200


@pytest.fixture
def enrollment_filter(settings):
    settings.OPEN_EDX_FILTERS_CONFIG = filters_config(CourseEnrollmentStarted=RefuseBlockedUsers)


def test_learners_the_lms_refuses_to_enroll_fail_and_are_not_assigned(course, staff, make_learner, enrollment_filter):
    make_learner("amy")
    make_learner("blocked_bob")
    result = api.assign_course(course, ["amy", "blocked_bob"], actor=staff)

    assert result.assigned == ("amy",)
    assert [(failure.identifier, failure.reason) for failure in result.failed] == [
        ("blocked_bob", "Enrollment is closed for this learner.")
    ]
    assert [row.username for row in api.list_learners(course).results] == ["amy"]
    assert not CourseEnrollment.objects.filter(user__username="blocked_bob").exists()


def test_an_import_lists_the_rows_the_lms_refuses(course, staff, make_learner, enrollment_filter):
    make_learner("amy")
    make_learner("blocked_bob")
    result = api.import_assignments(
        course, b"email,username,employee_id,due_date\n,amy,,\n,blocked_bob,,\n", actor=staff
    )
    assert (result.imported, [(f.row, f.reason) for f in result.failures]) == (
        1,
        [(3, "Enrollment is closed for this learner.")],
    )


class TestUserSearch:
    def test_by_name_username_email_or_employee_id(self, course, staff, make_learner):
        amy = make_learner("amy", name="Amy Pond", email="amy@tardis.example")
        make_learner("rory", name="Rory Williams", email="rory@pond.example")
        make_learner("gone", name="Amy Gone", is_active=False)
        api.set_employee_ids({amy.pk: "E-11"})

        assert [match.username for match in api.search_users(course, "pond", viewer=staff)] == ["amy", "rory"]
        assert [match.username for match in api.search_users(course, "ror", viewer=staff)] == ["rory"]
        [match] = api.search_users(course, "E-11", viewer=staff)
        assert (match.username, match.name, match.email, match.employee_id) == (
            "amy",
            "Amy Pond",
            "amy@tardis.example",
            "E-11",
        )

    def test_usernames_and_emails_starting_with_the_text_come_first(self, course, staff, make_learner):
        make_learner("zed", name="Ann Smith")
        make_learner("ann")
        assert [match.username for match in api.search_users(course, "ann", viewer=staff)] == ["ann", "zed"]

    @pytest.mark.parametrize("text", ["", "a", " b ", None])
    def test_needs_two_characters(self, course, staff, text):
        with pytest.raises(InvalidInput) as error:
            api.search_users(course, text, viewer=staff)
        assert error.value.field == "search"

    def test_at_most_twenty(self, course, staff, make_users):
        make_users(30)
        assert len(api.search_users(course, "learner", viewer=staff)) == 20


@pytest.mark.parametrize("call", ["review_assignment", "assign_course"])
def test_more_users_than_are_taken_at_a_time_are_refused_before_any_change(course, staff, call):
    named = [f"user{number}@example.com" for number in range(api.MAX_USERS_AT_A_TIME + 1)]
    before = snapshot(with_host=True)
    with pytest.raises(InvalidInput) as refused:
        getattr(api, call)(course, named, **({"viewer": staff} if call == "review_assignment" else {"actor": staff}))
    assert refused.value.field == "users"
    assert "import a CSV file" in str(refused.value)
    assert snapshot(with_host=True) == before
    # Repeats count once.
    assert len(api.review_assignment(course, named[:-1] * 2, viewer=staff).not_found) == api.MAX_USERS_AT_A_TIME
