"""
Mass actions (SPEC section 6): each learner checked against the matrix, the rest done, set-based.
"""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from devhost.lms import api as host
from devhost.lms.models import CourseEnrollment
from learner_mgmt_plugin import api
from learner_mgmt_plugin.data import (
    Action,
    AttemptCloseReason,
    CertificateStatus,
    HistoryKind,
    JobState,
    LearnerStatus,
    MassAction,
    SeatState,
)
from learner_mgmt_plugin.exceptions import ConfirmationRequired, Conflict, InvalidInput
from learner_mgmt_plugin.models import BulkJob, BulkJobChunk, RemovalAudit, Seat
from test_utils.courses import THREE_LEAVES
from test_utils.snapshots import snapshot

User = get_user_model()


@pytest.fixture
def mixed(ilt_course, sessions, learner_in):
    for status in LearnerStatus:
        learner_in(ilt_course, status, username=status.value)
    return ilt_course


def test_skips_learners_the_action_does_not_apply_to(mixed, staff, sent_signals, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        result = api.run_mass_action(mixed, "reset_progress", [s.value for s in LearnerStatus] + ["ghost"], actor=staff)

    assert result.action == MassAction.RESET_PROGRESS
    assert sorted(zip(result.done, result.done_names)) == [
        ("completed", "Completed"),
        ("in_progress", "In_Progress"),
        ("started", "Started"),
    ]
    assert {(skip.username, skip.name): skip.reason for skip in result.skipped} == {
        ("enrolled", "Enrolled"): "Seated in a session: Reset progress does not apply.",
        ("not_started", "Not_Started"): "Not started yet: Reset progress does not apply.",
    }
    assert [(fail.username, fail.reason) for fail in result.failed] == [("ghost", "Not a learner of this course.")]
    names = [name for name, _ in sent_signals]
    assert names.count("PROGRESS_RESET") == 3 and names[-1] == "MASS_ACTION_FINISHED"
    details = sent_signals[-1][1]["details"]
    assert details == {"job_id": details["job_id"], "action": "reset_progress", "done": 3, "skipped": 2, "failed": 1}


def test_mark_complete_and_incomplete_in_an_ilt_course(mixed, staff):
    api.run_mass_action(mixed, "mark_complete", ["enrolled", "not_started"], actor=staff)
    assert Seat.objects.get(learner__user__username="enrolled").state == SeatState.ATTENDED

    result = api.run_mass_action(mixed, "mark_incomplete", ["enrolled", "not_started", "in_progress"], actor=staff)
    assert sorted(result.done) == ["enrolled", "not_started"]
    assert [skip.username for skip in result.skipped] == ["in_progress"]
    assert Seat.objects.get(learner__user__username="enrolled").state == SeatState.INCOMPLETE
    assert api.get_learner(mixed, "enrolled").status == LearnerStatus.NOT_STARTED


def test_marking_incomplete_in_an_ilt_course_sends_seated_and_completed_learners_back_to_not_started(
    mixed, staff, sessions
):
    # The seated learner did some of the online part too; the completed one holds a certificate.
    host.set_progress(User.objects.get(username="enrolled"), mixed, THREE_LEAVES)
    api.generate_certificate(mixed, "completed", actor=staff)
    seat = Seat.objects.get(learner__user__username="enrolled")
    before = {name: api.get_learner(mixed, name) for name in ("enrolled", "completed")}
    assert before["completed"].certificate.status == CertificateStatus.GENERATED

    result = api.run_mass_action(mixed, "mark_incomplete", [s.value for s in LearnerStatus], actor=staff)

    assert sorted(result.done) == ["completed", "enrolled"]
    assert {skip.username: skip.reason for skip in result.skipped} == {
        "not_started": "Not started yet: Mark as Incomplete does not apply.",
        "started": "Already started: Mark as Incomplete does not apply.",
        "in_progress": "In progress (42% completed): Mark as Incomplete does not apply.",
    }
    for name in ("enrolled", "completed"):
        row = api.get_learner(mixed, name)
        assert (row.status, row.progress, row.attempt, row.session) == (LearnerStatus.NOT_STARTED, 0, 2, None), name
        assert Action.CHANGE_SESSION in row.actions
        [closed] = [attempt for attempt in api.get_history(mixed, name).attempts if attempt.number == 1]
        assert (closed.closed_reason, closed.completed_at, closed.credits_awarded) == (
            AttemptCloseReason.INCOMPLETE,
            None,
            0,
        )
    seat.refresh_from_db()
    assert (seat.state, seat.current) == (SeatState.INCOMPLETE, None)
    # The completion is withdrawn with what it earned; the attempt keeps the progress really made.
    [closed] = [attempt for attempt in api.get_history(mixed, "completed").attempts if attempt.number == 1]
    assert closed.certificate == CertificateStatus.REMOVED
    assert closed.progress == 100  # completed on their own: all of the course
    [closed] = [attempt for attempt in api.get_history(mixed, "enrolled").attempts if attempt.number == 1]
    assert closed.progress == before["enrolled"].progress > 0


def test_change_session_stops_when_the_session_is_full(mixed, staff, sessions):
    result = api.run_mass_action(
        mixed, "change_session", ["not_started", "enrolled"], actor=staff, session_id=sessions["tiny"].id
    )
    assert result.done == ("enrolled",)
    assert [(skip.username, skip.reason) for skip in result.skipped] == [("not_started", "The session is full.")]


def test_change_session_beyond_the_window_is_refused_whole(mixed, staff, sessions):
    before = snapshot()
    with pytest.raises(Conflict):
        api.run_mass_action(mixed, "change_session", ["not_started"], actor=staff, session_id=sessions["old"].id)
    assert snapshot() == before


def test_remove_from_the_course_needs_confirmation(mixed, staff):
    before = snapshot()
    with pytest.raises(ConfirmationRequired):
        api.run_mass_action(mixed, "remove", ["started"], actor=staff, scope="course")
    assert snapshot() == before

    result = api.run_mass_action(mixed, "remove", ["started", "completed"], actor=staff, scope="course", confirm=True)
    assert sorted(result.done) == ["completed", "started"]
    assert RemovalAudit.objects.count() == 2
    assert not CourseEnrollment.objects.filter(course_key=mixed, user__username="started", is_active=True).exists()


def test_remove_from_the_session_skips_those_without_a_seat(mixed, staff):
    result = api.run_mass_action(mixed, "remove", ["enrolled", "started"], actor=staff, scope="session")
    assert result.done == ("enrolled",)
    assert [skip.reason for skip in result.skipped] == ["Not seated in a session."]


@pytest.mark.parametrize(
    "action, params",
    [
        ("change_session", {"session_id": 1}),
        ("remove", {"scope": "session"}),
        ("remove", {"scope": "both", "confirm": True}),
    ],
)
def test_ilt_only_mass_actions_are_refused_in_self_paced_courses(course, staff, action, params):
    with pytest.raises(InvalidInput):
        api.run_mass_action(course, action, ["x"], actor=staff, **params)


@pytest.mark.parametrize(
    "arguments, field",
    [
        ({"action": "delete_everything"}, "action"),
        ({"action": "remove", "scope": "planet", "confirm": True}, "scope"),
        ({"action": "change_session"}, "session_id"),
        ({"action": "mark_complete", "usernames": "amy"}, "users"),
    ],
)
def test_malformed_requests_name_the_field(ilt_course, staff, arguments, field):
    arguments.setdefault("usernames", ["amy"])
    with pytest.raises(InvalidInput) as error:
        api.run_mass_action(ilt_course, arguments.pop("action"), arguments.pop("usernames"), actor=staff, **arguments)
    assert error.value.field == field


@pytest.mark.parametrize("action", ["mark_complete", "reset_progress"])
@pytest.mark.parametrize("count", [20, 200])
def test_mass_actions_cost_a_bounded_number_of_queries(
    course, staff, make_users, action, count, django_assert_max_num_queries
):
    user_ids = make_users(count)
    usernames = [f"learner{n}" for n in range(1, count + 1)]
    api.assign_course(course, usernames, actor=staff)
    host.bulk_set_progress(course, {user_id: 0.5 for user_id in user_ids})
    # The job (created, run, finished, read back) costs about twenty queries of its own; marking complete
    # asks the LMS for the certificates and records what it did (about twenty more).
    with django_assert_max_num_queries(70):
        result = api.run_mass_action(course, action, usernames, actor=staff)
    assert len(result.done) == count


def test_select_all_applies_to_every_learner_the_filters_match(mixed, staff):
    result = api.run_mass_action(mixed, "reset_progress", actor=staff, selection={"status": "in_progress"})
    assert result.done == ("in_progress",)
    result = api.run_mass_action(mixed, "mark_complete", actor=staff, selection={"search": "not", "required": False})
    assert result.done == ("not_started",)


@pytest.mark.parametrize("arguments", [{}, {"usernames": ["started"], "selection": {"status": "started"}}])
def test_a_selection_is_either_usernames_or_filters(mixed, staff, arguments):
    with pytest.raises(InvalidInput) as error:
        api.run_mass_action(mixed, "mark_complete", actor=staff, **arguments)
    assert error.value.field == "users"


@pytest.mark.parametrize("selection", [{"colour": "red"}, ["status", "started"]])
def test_a_selection_by_unknown_filters_is_refused(mixed, staff, selection):
    before = snapshot()
    with pytest.raises(InvalidInput) as error:
        api.run_mass_action(mixed, "mark_complete", actor=staff, selection=selection)
    assert error.value.field == "filter"
    assert snapshot() == before


def test_a_due_date_applies_to_learners_of_every_status(mixed, staff):
    everyone = [status.value for status in LearnerStatus]
    due = timezone.localdate() + datetime.timedelta(days=14)
    result = api.run_mass_action(mixed, "update_due_date", everyone, actor=staff, due_date=due)

    assert (sorted(result.done), result.skipped, result.failed) == (sorted(everyone), (), ())
    assert {(api.get_learner(mixed, name).due_date, api.get_learner(mixed, name).required) for name in everyone} == {
        (due, True)
    }
    event = api.get_history(mixed, "completed").events[0]
    assert (event.kind, event.details["to"], event.actor) == (HistoryKind.DUE_DATE_CHANGED, due.isoformat(), "staff")

    api.run_mass_action(mixed, "update_due_date", ["completed"], actor=staff, due_date=None)
    row = api.get_learner(mixed, "completed")
    assert (row.due_date, row.required) == (None, False)


@pytest.mark.parametrize("due_date", [datetime.date(2020, 1, 31), "2030-01-31", datetime.datetime(2030, 1, 31, 9)])
def test_a_due_date_that_has_passed_or_is_no_date_is_refused(mixed, staff, due_date):
    before = snapshot()
    with pytest.raises(InvalidInput) as error:
        api.run_mass_action(mixed, "update_due_date", ["started"], actor=staff, due_date=due_date)
    assert error.value.field == "due_date"
    assert snapshot() == before


def test_a_queued_due_date_change_keeps_the_day_it_was_asked_for(
    course, staff, make_users, jobs_in_background, django_capture_on_commit_callbacks
):
    make_users(5)
    names = [f"learner{number}" for number in range(1, 6)]
    api.assign_course(course, names, actor=staff)
    jobs_in_background(above=2, chunk_size=2)
    with django_capture_on_commit_callbacks() as queueing:
        queued = api.submit_mass_action(course, "update_due_date", names, actor=staff, due_date=timezone.localdate())
    assert queued.state == JobState.PENDING
    # It waited in the queue past midnight: asked yesterday, due yesterday, run today.
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    job = BulkJob.objects.get(pk=queued.id)
    job.created -= datetime.timedelta(days=1)
    job.params = {**job.params, "due_date": yesterday.isoformat()}
    job.save()
    for queue_the_task in queueing:
        queue_the_task()

    done = api.get_mass_action(course, queued.id)
    assert (done.state, sorted(done.mass_action_result.done)) == (JobState.SUCCEEDED, names)
    assert {api.get_learner(course, name).due_date for name in names} == {yesterday}


def test_a_background_mass_action_names_its_learners_chunk_by_chunk(
    mixed, staff, jobs_in_background, django_capture_on_commit_callbacks
):
    jobs_in_background(above=2, chunk_size=2)
    with django_capture_on_commit_callbacks(execute=True):
        queued = api.submit_mass_action(
            mixed, "mark_complete", ["completed", "in_progress", "started", "not_started"], actor=staff
        )

    result = api.get_mass_action(mixed, queued.id).mass_action_result
    assert list(zip(result.done, result.done_names)) == [
        ("in_progress", "In_Progress"),
        ("not_started", "Not_Started"),
        ("started", "Started"),
    ]
    assert [(skip.username, skip.name, skip.reason) for skip in result.skipped] == [
        ("completed", "Completed", "Already completed: Mark as Complete does not apply.")
    ]


def test_the_results_of_a_job_an_earlier_release_wrote_read_back_without_names(
    mixed, staff, jobs_in_background, django_capture_on_commit_callbacks
):
    jobs_in_background(above=1, chunk_size=2)
    with django_capture_on_commit_callbacks(execute=True):
        queued = api.submit_mass_action(mixed, "reset_progress", ["completed", "not_started"], actor=staff)
    # As the release before names were kept wrote them: usernames, and [username, reason] pairs.
    for chunk in BulkJobChunk.objects.filter(job_id=queued.id):
        chunk.result = {
            "done": chunk.result["done"],
            "skipped": [skip[:2] for skip in chunk.result["skipped"]],
            "failed": chunk.result["failed"],
        }
        chunk.save()

    result = api.get_mass_action(mixed, queued.id).mass_action_result
    assert (result.done, result.done_names) == (("completed",), ("",))
    assert [(skip.username, skip.name) for skip in result.skipped] == [("not_started", "")]
