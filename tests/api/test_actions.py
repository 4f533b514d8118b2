"""
What each per-learner action does (SPEC section 4): its effect in the plugin and in the host, the
history event it writes and the signal it sends after commit.
"""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from devhost.lms import api as host
from devhost.lms.models import BlockCompletion, CourseAccessRole, CourseEnrollment, GeneratedCertificate
from learner_mgmt_plugin import api
from learner_mgmt_plugin.data import (
    Action,
    AttemptCloseReason,
    CertificateStatus,
    CompletionSource,
    HistoryKind,
    LearnerStatus,
    SeatState,
)
from learner_mgmt_plugin.exceptions import (
    ConfirmationRequired,
    Conflict,
    InvalidInput,
    LearnerNotFound,
    SessionNotFound,
)
from learner_mgmt_plugin.models import Assignment, Attempt, HistoryEvent, RemovalAudit, Seat
from test_utils.courses import THREE_LEAVES
from test_utils.filters import RefuseUnenrollingBlockedUsers, filters_config
from test_utils.snapshots import snapshot


def kinds(history):
    return [event.kind for event in history.events]


def signal_names(sent):
    return [name for name, _kwargs in sent]


def in_future(days=30):
    return timezone.localdate() + datetime.timedelta(days=days)


class TestUpdateDueDate:
    def test_sets_the_date_makes_it_required_and_fills_assigned_by(
        self, course, staff, make_learner, sent_signals, django_capture_on_commit_callbacks
    ):
        learner = make_learner("selma")
        host.enroll(learner, course)  # enrolled on her own: optional, nobody assigned it
        assert api.get_learner(course, "selma").assigned_by is None

        due = in_future()
        with django_capture_on_commit_callbacks(execute=True):
            row = api.update_due_date(course, "selma", actor=staff, due_date=due)

        assert (row.due_date, row.required, row.assigned_by) == (due, True, "staff")
        event = api.get_history(course, "selma").events[0]
        assert event.kind == HistoryKind.DUE_DATE_CHANGED
        assert event.details == {"from": None, "to": due.isoformat(), "required": True}
        assert event.actor == "staff"
        assert signal_names(sent_signals) == ["DUE_DATE_CHANGED"]
        assert sent_signals[0][1]["user_id"] == learner.pk and sent_signals[0][1]["actor_id"] == staff.pk
        assert host.outbox(learner) == []

    def test_keeps_an_existing_assigned_by(self, course, staff, admin, make_learner):
        make_learner("ann")
        api.assign_course(course, ["ann"], actor=staff)
        assert api.update_due_date(course, "ann", actor=admin, due_date=in_future()).assigned_by == "staff"

    def test_removing_the_date_makes_it_optional(self, course, staff, make_learner):
        make_learner("ann")
        api.assign_course(course, ["ann"], actor=staff, due_date=in_future())
        row = api.update_due_date(course, "ann", actor=staff, due_date=None)
        assert (row.due_date, row.required) == (None, False)

    def test_a_past_date_is_refused_and_changes_nothing(self, course, staff, make_learner):
        make_learner("ann")
        api.assign_course(course, ["ann"], actor=staff)
        before = snapshot()
        with pytest.raises(InvalidInput) as error:
            api.update_due_date(course, "ann", actor=staff, due_date=timezone.localdate() - datetime.timedelta(days=1))
        assert error.value.field == "due_date"
        assert snapshot() == before


class TestResetProgress:
    def test_closes_the_attempt_with_a_snapshot_and_opens_the_next(
        self, course, staff, learner_in, sent_signals, django_capture_on_commit_callbacks
    ):
        learner = learner_in(course, LearnerStatus.IN_PROGRESS)
        host.answer_question(learner, course, 1, "4")

        with django_capture_on_commit_callbacks(execute=True):
            row = api.reset_progress(course, learner.username, actor=staff)

        assert (row.status, row.attempt, row.progress) == (LearnerStatus.NOT_STARTED, 2, 0)
        closed = Attempt.objects.get(assignment__learner_id=learner.pk, number=1)
        assert closed.closed_reason == AttemptCloseReason.RESET
        assert closed.snapshot.data["progress"] == 57  # three lessons and the first quiz question
        assert [chapter["title"] for chapter in closed.snapshot.data["chapters"]] == [
            "Basics",
            "Practice",
            "SCORM package",
            "Quiz",
        ]
        assert closed.snapshot.data["quizzes"][0]["questions"][0]["answer"] == "4"
        # The learner's state in the host is gone.
        assert not BlockCompletion.objects.filter(user=learner, course_key=course).exists()
        assert host_progress(course, learner) == 0
        assert kinds(api.get_history(course, learner.username))[0] == HistoryKind.PROGRESS_RESET
        assert signal_names(sent_signals) == ["PROGRESS_RESET"]
        assert sent_signals[0][1]["attempt_number"] == 2

    def test_certificates_of_closed_attempts_stay_in_history(self, course, staff, learner_in):
        learner = learner_in(course, LearnerStatus.COMPLETED)
        api.generate_certificate(course, learner.username, actor=staff)
        row = api.reset_progress(course, learner.username, actor=staff)

        assert row.certificate is None
        attempts = api.get_history(course, learner.username).attempts
        assert [(attempt.number, attempt.certificate) for attempt in attempts] == [
            (1, CertificateStatus.GENERATED),
            (2, None),
        ]
        assert attempts[0].closed_reason == AttemptCloseReason.RESET


def host_progress(course_key, user):
    return host_adapter().progress(course_key, [user.pk]).get(user.pk, 0.0)


def host_adapter():
    from learner_mgmt_plugin.host import get_host  # pylint: disable=import-outside-toplevel

    return get_host()


class TestMarkComplete:
    def test_completes_as_if_the_learner_had_with_certificate_and_credits(
        self, ilt_course, sessions, staff, learner_in, sent_signals, django_capture_on_commit_callbacks
    ):
        learner = learner_in(ilt_course, LearnerStatus.ENROLLED)
        with django_capture_on_commit_callbacks(execute=True):
            row = api.mark_complete(ilt_course, learner.username, actor=staff)

        assert (row.status, row.progress, row.completion_source) == (
            LearnerStatus.COMPLETED,
            100,
            CompletionSource.ADMIN,
        )
        assert row.credits_awarded == Decimal("1.5")
        assert row.certificate.status == CertificateStatus.GENERATED
        assert GeneratedCertificate.objects.get(user=learner, course_key=ilt_course).status == "downloadable"
        assert Seat.objects.get(learner_id=learner.pk).state == SeatState.ATTENDED
        assert kinds(api.get_history(ilt_course, learner.username))[:2] == [
            HistoryKind.CERTIFICATE_GENERATED,
            HistoryKind.COMPLETED,
        ]
        assert signal_names(sent_signals) == ["ATTEMPT_COMPLETED", "CERTIFICATE_GENERATED"]
        assert sent_signals[0][1]["details"]["source"] == "admin"


class TestUnassign:
    def test_the_learner_leaves_the_list_and_the_host_enrollment_ends(
        self, course, staff, learner_in, sent_signals, django_capture_on_commit_callbacks
    ):
        learner = learner_in(course, LearnerStatus.IN_PROGRESS)
        with django_capture_on_commit_callbacks(execute=True):
            assert api.unassign(course, learner.username, actor=staff) is None

        with pytest.raises(LearnerNotFound):
            api.get_learner(course, learner.username)
        assert api.list_learners(course).count == 0
        assert not CourseEnrollment.objects.get(user=learner, course_key=course).is_active
        assert host_progress(course, learner) == 0
        assignment = Assignment.objects.get(learner_id=learner.pk)
        assert not assignment.active
        assert assignment.current_attempt.closed_reason == AttemptCloseReason.UNASSIGNED
        assert HistoryEvent.objects.filter(learner_id=learner.pk, kind=HistoryKind.UNASSIGNED).exists()
        assert signal_names(sent_signals) == ["LEARNER_UNASSIGNED"]

    def test_assigning_again_opens_a_new_attempt_with_history_intact(self, course, staff, learner_in):
        learner = learner_in(course, LearnerStatus.IN_PROGRESS)
        api.unassign(course, learner.username, actor=staff)
        result = api.assign_course(course, [learner.username], actor=staff)

        assert result.assigned == (learner.username,)
        row = api.get_learner(course, learner.username)
        assert (row.status, row.attempt) == (LearnerStatus.NOT_STARTED, 2)
        assert CourseEnrollment.objects.get(user=learner, course_key=course).is_active
        assert kinds(api.get_history(course, learner.username))[:2] == [HistoryKind.ASSIGNED, HistoryKind.UNASSIGNED]


@pytest.fixture
def unenrollment_filter(settings):
    """
    The LMS refuses to unenroll users whose username starts with "blocked" (an unenrollment filter).
    """
    settings.OPEN_EDX_FILTERS_CONFIG = filters_config(CourseUnenrollmentStarted=RefuseUnenrollingBlockedUsers)


class TestUnenrollmentRefused:
    """
    The LMS's unenrollment filter refuses a learner: the action says why and changes nothing.
    """

    @pytest.mark.parametrize(
        ("action", "params"),
        [(api.unassign, {}), (api.remove_learner, {"scope": "course", "confirm": True})],
    )
    def test_the_action_is_refused_with_the_lms_reason(
        self, course, staff, learner_in, unenrollment_filter, action, params
    ):
        learner = learner_in(course, LearnerStatus.IN_PROGRESS, username="blocked_bea")
        before = snapshot(with_host=True)
        with pytest.raises(Conflict) as error:
            action(course, "blocked_bea", actor=staff, **params)

        assert str(error.value) == (
            "The LMS refused to unenroll this learner: Mandatory training: this learner stays enrolled."
        )
        assert snapshot(with_host=True) == before
        assert CourseEnrollment.objects.get(user=learner, course_key=course).is_active

    def test_a_mass_removal_reports_the_refused_and_removes_the_others(
        self, course, staff, learner_in, unenrollment_filter
    ):
        learner_in(course, LearnerStatus.STARTED, username="blocked_bea")
        cleo = learner_in(course, LearnerStatus.IN_PROGRESS, username="cleo")
        result = api.run_mass_action(
            course, "remove", ["blocked_bea", "cleo"], actor=staff, scope="course", confirm=True
        )

        assert (result.done, [(skip.username, skip.reason) for skip in result.skipped]) == (
            ("cleo",),
            [
                (
                    "blocked_bea",
                    "The LMS refused to unenroll this learner: Mandatory training: this learner stays enrolled.",
                )
            ],
        )
        assert [row.username for row in api.list_learners(course).results] == ["blocked_bea"]
        assert RemovalAudit.objects.get().learner_id == cleo.pk
        enrolled = CourseEnrollment.objects.filter(course_key=course, is_active=True)
        assert list(enrolled.values_list("user__username", flat=True)) == ["blocked_bea"]


class TestRemove:
    def test_course_scope_deletes_everything_but_the_audit_record(
        self, ilt_course, sessions, staff, learner_in, sent_signals, django_capture_on_commit_callbacks
    ):
        learner = learner_in(ilt_course, LearnerStatus.ENROLLED)
        with django_capture_on_commit_callbacks(execute=True):
            assert api.remove_learner(ilt_course, learner.username, actor=staff, scope="both", confirm=True) is None

        for model in (Assignment, Attempt, Seat, HistoryEvent):
            assert not model.objects.filter(
                **{"learner_id" if model is not Attempt else "assignment__learner_id": learner.pk}
            ).exists(), model
        audit = RemovalAudit.objects.get()
        assert (audit.learner_id, audit.actor_id, audit.course_key, audit.scope) == (
            learner.pk,
            staff.pk,
            ilt_course,
            "both",
        )
        assert not CourseEnrollment.objects.get(user=learner, course_key=ilt_course).is_active
        assert signal_names(sent_signals) == ["LEARNER_REMOVED"]
        assert sent_signals[0][1]["details"] == {"scope": "both"}

    def test_course_scope_needs_confirmation(self, course, staff, learner_in):
        learner = learner_in(course, LearnerStatus.STARTED)
        before = snapshot()
        with pytest.raises(ConfirmationRequired):
            api.remove_learner(course, learner.username, actor=staff, scope="course")
        assert snapshot() == before

    def test_session_scope_only_gives_up_the_seat(self, ilt_course, sessions, staff, learner_in):
        learner = learner_in(ilt_course, LearnerStatus.ENROLLED)
        row = api.remove_learner(ilt_course, learner.username, actor=staff, scope="session")

        assert (row.status, row.session) == (LearnerStatus.NOT_STARTED, None)
        assert Seat.objects.get(learner_id=learner.pk).state == SeatState.REMOVED
        assert kinds(api.get_history(ilt_course, learner.username))[0] == HistoryKind.SESSION_REMOVED

    def test_session_scope_without_a_seat_is_a_conflict(self, ilt_course, staff, learner_in):
        learner = learner_in(ilt_course, LearnerStatus.NOT_STARTED)
        with pytest.raises(Conflict):
            api.remove_learner(ilt_course, learner.username, actor=staff, scope="session")

    def test_session_scope_in_a_self_paced_course_is_refused(self, course, staff, learner_in):
        learner = learner_in(course, LearnerStatus.NOT_STARTED)
        with pytest.raises(InvalidInput) as error:
            api.remove_learner(course, learner.username, actor=staff, scope="session")
        assert error.value.field == "scope"


class TestChangeSession:
    def test_adds_a_learner_to_a_session(
        self, ilt_course, sessions, staff, learner_in, sent_signals, django_capture_on_commit_callbacks
    ):
        learner = learner_in(ilt_course, LearnerStatus.NOT_STARTED)
        with django_capture_on_commit_callbacks(execute=True):
            row = api.change_session(ilt_course, learner.username, actor=staff, session_id=sessions["upcoming"].id)

        assert row.status == LearnerStatus.ENROLLED
        assert (row.session.id, row.session.retroactive) == (sessions["upcoming"].id, False)
        assert api.get_session(ilt_course, sessions["upcoming"].id).seats_taken == 1
        assert signal_names(sent_signals) == ["SESSION_CHANGED"]
        assert sent_signals[0][1]["details"]["from_session_id"] is None

    def test_moves_a_seated_learner(self, ilt_course, sessions, staff, learner_in):
        learner = learner_in(ilt_course, LearnerStatus.ENROLLED)
        row = api.change_session(ilt_course, learner.username, actor=staff, session_id=sessions["later"].id)

        assert row.session.id == sessions["later"].id
        states = dict(Seat.objects.filter(learner_id=learner.pk).values_list("session_id", "state"))
        assert states == {sessions["upcoming"].id: SeatState.REMOVED, sessions["later"].id: SeatState.ENROLLED}
        event = api.get_history(ilt_course, learner.username).events[0]
        assert event.details["from_session_id"] == sessions["upcoming"].id

    def test_a_recent_past_session_is_allowed_and_flagged_retroactive(self, ilt_course, sessions, staff, learner_in):
        learner = learner_in(ilt_course, LearnerStatus.NOT_STARTED)
        row = api.change_session(ilt_course, learner.username, actor=staff, session_id=sessions["recent"].id)
        assert row.session.retroactive is True
        assert sessions["recent"].is_past and sessions["recent"].within_retroactive_window

    def test_a_session_beyond_the_retroactive_window_is_refused(self, ilt_course, sessions, staff, learner_in):
        learner = learner_in(ilt_course, LearnerStatus.NOT_STARTED)
        before = snapshot()
        with pytest.raises(Conflict) as error:
            api.change_session(ilt_course, learner.username, actor=staff, session_id=sessions["old"].id)
        assert "more than 90 days ago" in error.value.message
        assert snapshot() == before

    def test_the_window_is_a_setting(self, ilt_course, sessions, staff, learner_in, settings):
        settings.LEARNER_MGMT_RETROACTIVE_DAYS = 150
        learner = learner_in(ilt_course, LearnerStatus.NOT_STARTED)
        assert api.change_session(ilt_course, learner.username, actor=staff, session_id=sessions["old"].id).session

    def test_a_full_session_is_refused(self, ilt_course, sessions, staff, learner_in):
        first = learner_in(ilt_course, LearnerStatus.NOT_STARTED, username="first")
        second = learner_in(ilt_course, LearnerStatus.NOT_STARTED, username="second")
        api.change_session(ilt_course, first.username, actor=staff, session_id=sessions["tiny"].id)
        with pytest.raises(Conflict) as error:
            api.change_session(ilt_course, second.username, actor=staff, session_id=sessions["tiny"].id)
        assert error.value.message == "The session is full."
        assert api.get_session(ilt_course, sessions["tiny"].id).seats_taken == 1

    def test_a_session_of_another_course_is_not_found(self, ilt_course, course, sessions, staff, learner_in):
        learner = learner_in(ilt_course, LearnerStatus.NOT_STARTED)
        other = api.update_course_settings(course, kind="ilt") and api.create_session(
            course, title="Elsewhere", start=timezone.now(), end=timezone.now()
        )
        with pytest.raises(SessionNotFound):
            api.change_session(ilt_course, learner.username, actor=staff, session_id=other.id)


class TestMarkNoShow:
    def test_the_learner_leaves_the_session_and_gets_the_message(
        self, ilt_course, sessions, staff, learner_in, sent_signals, django_capture_on_commit_callbacks
    ):
        learner = learner_in(ilt_course, LearnerStatus.ENROLLED)
        with django_capture_on_commit_callbacks(execute=True):
            row = api.mark_no_show(ilt_course, learner.username, actor=staff, message="Please book another date.")

        assert (row.status, row.session) == (LearnerStatus.NOT_STARTED, None)
        assert Seat.objects.get(learner_id=learner.pk).state == SeatState.NO_SHOW
        [message] = host.outbox(learner)
        assert "Please book another date." in message.body and message.subject == "About your session: Upcoming"
        assert signal_names(sent_signals) == ["NO_SHOW_MARKED"]
        # They can book another session.
        assert Action.CHANGE_SESSION in row.actions

    def test_a_learner_with_progress_starts_again_and_keeps_what_they_did_in_the_history(
        self, ilt_course, sessions, staff, learner_in
    ):
        learner = learner_in(ilt_course, LearnerStatus.ENROLLED)
        host.set_progress(learner, ilt_course, THREE_LEAVES)
        before = api.get_learner(ilt_course, learner.username)
        assert before.status == LearnerStatus.ENROLLED and before.progress > 0

        row = api.mark_no_show(ilt_course, learner.username, actor=staff)

        assert (row.status, row.progress, row.attempt, row.session) == (LearnerStatus.NOT_STARTED, 0, 2, None)
        assert Action.CHANGE_SESSION in row.actions
        # What they did stays with the attempt they missed the session in; the LMS starts them afresh.
        history = api.get_history(ilt_course, learner.username)
        [missed] = [attempt for attempt in history.attempts if attempt.number == 1]
        assert (missed.progress, missed.closed_reason) == (before.progress, AttemptCloseReason.NO_SHOW)
        assert history.events[0].kind == HistoryKind.NO_SHOW
        assert history.events[0].details["progress"] == before.progress
        assert not BlockCompletion.objects.filter(user=learner, course_key=ilt_course).exists()
        # Nothing the LMS later reports of the old progress brings them back: they can be seated again.
        row = api.change_session(ilt_course, learner.username, actor=staff, session_id=sessions["tiny"].id)
        assert row.status == LearnerStatus.ENROLLED

    def test_without_a_message_nothing_is_sent(
        self, ilt_course, sessions, staff, learner_in, django_capture_on_commit_callbacks
    ):
        learner = learner_in(ilt_course, LearnerStatus.ENROLLED)
        with django_capture_on_commit_callbacks(execute=True):
            api.mark_no_show(ilt_course, learner.username, actor=staff)
        assert host.outbox(learner) == []


class TestMakeInstructor:
    def test_a_site_may_grant_the_staff_role_instead(self, course, staff, learner_in, settings):
        settings.LEARNER_MGMT_INSTRUCTOR_ROLE = "staff"
        learner = learner_in(course, LearnerStatus.NOT_STARTED)

        api.make_instructor(course, learner.username, actor=staff)

        roles = CourseAccessRole.objects.filter(user=learner, course_key=course).values_list("role", flat=True)
        assert list(roles) == ["staff"]

    def test_grants_the_instructor_role_and_hides_the_action(
        self, course, staff, learner_in, sent_signals, django_capture_on_commit_callbacks
    ):
        learner = learner_in(course, LearnerStatus.NOT_STARTED)
        with django_capture_on_commit_callbacks(execute=True):
            row = api.make_instructor(course, learner.username, actor=staff)

        assert CourseAccessRole.objects.filter(user=learner, course_key=course, role="instructor").exists()
        assert Action.MAKE_INSTRUCTOR not in row.actions
        assert kinds(api.get_history(course, learner.username))[0] == HistoryKind.INSTRUCTOR_GRANTED
        assert sent_signals == [
            (
                "INSTRUCTOR_GRANTED",
                {
                    "course_key": str(course),
                    "user_id": learner.pk,
                    "actor_id": staff.pk,
                    "attempt_number": 1,
                    "details": {"role": "instructor"},
                },
            )
        ]


class TestCertificates:
    def test_generate_then_remove_leaves_progress_alone(
        self, course, staff, learner_in, sent_signals, django_capture_on_commit_callbacks
    ):
        learner = learner_in(course, LearnerStatus.COMPLETED)
        with django_capture_on_commit_callbacks(execute=True):
            row = api.generate_certificate(course, learner.username, actor=staff)
        assert row.certificate.status == CertificateStatus.GENERATED
        assert Action.REMOVE_CERTIFICATE in row.actions and Action.GENERATE_CERTIFICATE not in row.actions

        with django_capture_on_commit_callbacks(execute=True):
            row = api.remove_certificate(course, learner.username, actor=staff)
        assert row.certificate.status == CertificateStatus.REMOVED
        assert GeneratedCertificate.objects.get(user=learner, course_key=course).status == "unavailable"
        assert (row.status, row.progress, row.attempt) == (LearnerStatus.COMPLETED, 100, 1)
        assert kinds(api.get_history(course, learner.username))[:2] == [
            HistoryKind.CERTIFICATE_REMOVED,
            HistoryKind.CERTIFICATE_GENERATED,
        ]
        assert signal_names(sent_signals) == ["CERTIFICATE_GENERATED", "CERTIFICATE_REMOVED"]


class TestViews:
    def test_history_is_newest_first_with_attempts_and_sessions(self, ilt_course, sessions, staff, learner_in):
        learner = learner_in(ilt_course, LearnerStatus.ENROLLED)
        api.mark_complete(ilt_course, learner.username, actor=staff)
        history = api.get_history(ilt_course, learner.username)

        assert kinds(history) == [
            HistoryKind.CERTIFICATE_GENERATED,
            HistoryKind.COMPLETED,
            HistoryKind.SESSION_CHANGED,
            HistoryKind.ASSIGNED,
        ]
        [seat] = history.sessions
        assert (seat.title, seat.state, seat.attempt) == ("Upcoming", SeatState.ATTENDED, 1)

    def test_chapter_insights(self, course, learner_in):
        learner = learner_in(course, LearnerStatus.IN_PROGRESS)
        chapters = api.get_chapter_insights(course, learner.username)
        assert [(chapter.title, chapter.progress) for chapter in chapters] == [
            ("Basics", 100),
            ("Practice", 50),
            ("SCORM package", 0),
            ("Quiz", 0),
        ]
        assert chapters[0].completed_at is not None and chapters[1].completed_at is None

    def test_quiz_insights(self, course, learner_in):
        learner = learner_in(course, LearnerStatus.STARTED)
        host.answer_question(learner, course, 1, "5")
        host.answer_question(learner, course, 1, "4")
        [quiz] = api.get_quiz_insights(course, learner.username)
        assert (quiz.title, quiz.score, quiz.attempts) == ("Quiz", 50, 2)
        assert [(q.question, q.answer, q.correct) for q in quiz.questions] == [
            ("2 + 2 = ?", "4", True),
            ("Capital of France?", "", None),
        ]

    def test_scorm_activity_for_platform_admins_only(self, course, staff, admin, learner_in):
        learner = learner_in(course, LearnerStatus.STARTED)
        host.record_scorm_statement(learner, course, "completed", "Module 1", "passed")
        [record] = api.get_scorm_activity(course, learner.username, viewer=admin)
        assert (record.verb, record.object, record.result) == ("completed", "Module 1", "passed")
        with pytest.raises(Exception) as refused:
            api.get_scorm_activity(course, learner.username, viewer=staff)
        assert Action.VIEW_SCORM_ACTIVITY not in refused.value.allowed_actions

    def test_an_unlisted_learner_is_not_found(self, course, make_learner):
        make_learner("nobody")
        with pytest.raises(LearnerNotFound):
            api.get_history(course, "nobody")


def test_mark_complete_keeps_real_progress_available_for_incomplete(course, staff, learner_in):
    learner = learner_in(course, LearnerStatus.NOT_STARTED)
    host.set_progress(learner, course, THREE_LEAVES)
    api.mark_complete(course, learner.username, actor=staff)
    result = api.run_mass_action(course, "mark_incomplete", [learner.username], actor=staff)
    assert result.done == (learner.username,)
    row = api.get_learner(course, learner.username)
    assert (row.status, row.progress, row.credits_awarded, row.certificate.status) == (
        LearnerStatus.IN_PROGRESS,
        42,
        Decimal("0"),
        CertificateStatus.REMOVED,
    )
    assert GeneratedCertificate.objects.get(user=learner, course_key=course).status == "unavailable"
