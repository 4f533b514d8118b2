"""
The per-learner actions (``POST courses/{course_id}/learners/{username}/<action>/``, and the
certificate's POST and DELETE): each answers with the updated row (204 once the learner is gone),
refuses what the learner's status does not offer with 409 and the allowed actions, refuses malformed
bodies with 400 naming the field, unknown learners and sessions with 404, and changes nothing when it
refuses.
"""

import datetime

import pytest
from django.utils import timezone

from devhost.lms import api as host
from devhost.lms.models import BlockCompletion, CourseAccessRole, CourseEnrollment
from learner_mgmt_plugin import api
from learner_mgmt_plugin.data import LearnerStatus
from learner_mgmt_plugin.models import Assignment, Attempt, HistoryEvent, RemovalAudit, Seat
from test_utils.rest import course_url, in_days
from test_utils.snapshots import learner_rows, snapshot

S = LearnerStatus


def post(client, course_key, username, action, body=None):
    return client.post(course_url(course_key, f"learners/{username}/{action}/"), body, format="json")


def assert_refused(response, status, error, field=None):
    assert response.status_code == status, response.json()
    body = response.json()
    assert body["error"] == error and body["message"]
    if field:
        assert body["field"] == field


class TestDueDate:
    def test_sets_the_date_and_makes_the_course_required(self, staff_client, course, learner_in):
        learner_in(course, S.STARTED, username="ann")
        due = in_days(10)
        response = post(staff_client, course, "ann", "due-date", {"due_date": due})
        assert response.status_code == 200
        row = response.json()
        assert (row["username"], row["due_date"], row["required"]) == ("ann", due, True)
        assert api.get_learner(course, "ann").due_date.isoformat() == due

    def test_null_removes_it_and_makes_the_course_optional(self, staff_client, course, staff, learner_in):
        learner_in(course, S.STARTED, username="ann")
        api.update_due_date(course, "ann", actor=staff, due_date=timezone.localdate())
        row = post(staff_client, course, "ann", "due-date", {"due_date": None}).json()
        assert (row["due_date"], row["required"]) == (None, False)

    @pytest.mark.parametrize(
        ("body", "error"),
        [
            ({"due_date": "next tuesday"}, "invalid_input"),
            ({"due_date": "2030-02-30"}, "invalid_input"),
            ({"due_date": "2030-01-01T10:00:00Z"}, "invalid_input"),
            ({"due_date": 20300101}, "invalid_input"),
            ({"due_date": in_days(-1)}, "invalid_input"),
            ({}, "invalid_input"),
        ],
    )
    def test_malformed_or_past_dates_are_400_and_change_nothing(self, staff_client, course, learner_in, body, error):
        learner_in(course, S.STARTED, username="ann")
        before = snapshot()
        assert_refused(post(staff_client, course, "ann", "due-date", body), 400, error, field="due_date")
        assert snapshot() == before

    def test_a_body_that_is_not_json_or_not_an_object_is_400(self, staff_client, course, learner_in):
        learner_in(course, S.STARTED, username="ann")
        url = course_url(course, "learners/ann/due-date/")
        before = snapshot()
        response = staff_client.post(url, "{not json", content_type="application/json")
        assert_refused(response, 400, "parse_error")
        assert_refused(staff_client.post(url, ["2030-01-01"], format="json"), 400, "invalid_input")
        assert staff_client.post(url, "due_date=2030-01-01", content_type="text/plain").status_code == 415
        assert snapshot() == before

    def test_an_unknown_learner_is_404(self, staff_client, course, staff):
        assert_refused(post(staff_client, course, "nobody", "due-date", {"due_date": None}), 404, "learner_not_found")


class TestResetProgress:
    def test_starts_a_new_attempt(self, staff_client, course, learner_in):
        learner_in(course, S.IN_PROGRESS, username="ann")
        row = post(staff_client, course, "ann", "reset-progress").json()
        assert (row["status"], row["progress"], row["attempt"]) == ("not_started", 0, 2)

    def test_not_offered_to_a_learner_who_has_not_started(self, staff_client, course, learner_in):
        learner_in(course, S.NOT_STARTED, username="ann")
        before = snapshot()
        response = post(staff_client, course, "ann", "reset-progress")
        assert_refused(response, 409, "action_not_allowed")
        body = response.json()
        assert (body["action"], body["status"]) == ("reset_progress", "not_started")
        assert body["allowed_actions"] == list(api.get_learner(course, "ann").actions)
        assert "reset_progress" not in body["allowed_actions"]
        assert snapshot() == before


class TestMarkComplete:
    def test_completes_the_attempt_with_certificate(self, staff_client, course, learner_in):
        learner_in(course, S.STARTED, username="ann")
        row = post(staff_client, course, "ann", "mark-complete").json()
        assert (row["status"], row["progress"], row["completion_source"]) == ("completed", 100, "admin")
        assert row["certificate"]["status"] == "generated"

    def test_not_offered_to_a_learner_who_completed(self, staff_client, course, learner_in):
        learner_in(course, S.COMPLETED, username="ann")
        before = snapshot()
        response = post(staff_client, course, "ann", "mark-complete")
        assert_refused(response, 409, "action_not_allowed")
        assert "reset_progress" in response.json()["allowed_actions"]
        assert snapshot() == before


class TestChangeSession:
    def test_seats_the_learner(self, staff_client, ilt_course, sessions, learner_in):
        learner_in(ilt_course, S.NOT_STARTED, username="ann")
        row = post(staff_client, ilt_course, "ann", "change-session", {"session_id": sessions["upcoming"].id}).json()
        assert (row["status"], row["session"]["id"], row["session"]["retroactive"]) == (
            "enrolled",
            sessions["upcoming"].id,
            False,
        )

    def test_moves_a_seated_learner_and_flags_a_recent_session_retroactive(
        self, staff_client, ilt_course, sessions, learner_in
    ):
        learner_in(ilt_course, S.ENROLLED, username="ann")
        row = post(staff_client, ilt_course, "ann", "change-session", {"session_id": sessions["recent"].id}).json()
        assert (row["session"]["title"], row["session"]["retroactive"]) == ("Recent", True)

    @pytest.mark.parametrize("session_id", ["first", None, 1.5, -1, 2**70, ""])
    def test_a_malformed_session_id_is_400(self, staff_client, ilt_course, sessions, learner_in, session_id):
        learner_in(ilt_course, S.NOT_STARTED, username="ann")
        before = snapshot()
        response = post(staff_client, ilt_course, "ann", "change-session", {"session_id": session_id})
        assert_refused(response, 400, "invalid_input", field="session_id")
        assert snapshot() == before

    def test_an_unknown_session_or_one_of_another_course_is_404(
        self, staff_client, course, ilt_course, sessions, learner_in
    ):
        learner_in(ilt_course, S.NOT_STARTED, username="ann")
        start = timezone.now() + datetime.timedelta(days=2)
        elsewhere = api.create_session(course, title="Elsewhere", start=start, end=start)
        before = snapshot()
        for session_id in (999_999, elsewhere.id):
            response = post(staff_client, ilt_course, "ann", "change-session", {"session_id": session_id})
            assert_refused(response, 404, "session_not_found")
        assert snapshot() == before

    def test_a_full_session_or_one_too_long_ago_is_409(self, staff_client, ilt_course, sessions, learner_in):
        learner_in(ilt_course, S.ENROLLED, username="ann")
        learner_in(ilt_course, S.NOT_STARTED, username="bob")
        post(staff_client, ilt_course, "ann", "change-session", {"session_id": sessions["tiny"].id})
        before = snapshot()
        for session in ("tiny", "old"):
            response = post(staff_client, ilt_course, "bob", "change-session", {"session_id": sessions[session].id})
            assert_refused(response, 409, "conflict")
        assert snapshot() == before

    def test_not_offered_in_a_self_paced_course(self, staff_client, course, sessions, learner_in):
        learner_in(course, S.NOT_STARTED, username="ann")
        response = post(staff_client, course, "ann", "change-session", {"session_id": sessions["upcoming"].id})
        assert_refused(response, 409, "action_not_allowed")


class TestMarkNoShow:
    def test_the_learner_leaves_the_session_and_gets_the_message(
        self, staff_client, ilt_course, sessions, learner_in, django_capture_on_commit_callbacks
    ):
        ann = learner_in(ilt_course, S.ENROLLED, username="ann")
        with django_capture_on_commit_callbacks(execute=True):
            row = post(staff_client, ilt_course, "ann", "mark-no-show", {"message": "We missed you."}).json()
        assert (row["status"], row["session"]) == ("not_started", None)
        [message] = host.outbox(ann)
        assert "\nWe missed you.\n" in message.body

    def test_the_message_is_optional(self, staff_client, ilt_course, sessions, learner_in):
        learner_in(ilt_course, S.ENROLLED, username="ann")
        assert post(staff_client, ilt_course, "ann", "mark-no-show").json()["status"] == "not_started"

    def test_a_message_that_is_not_text_is_400(self, staff_client, ilt_course, sessions, learner_in):
        learner_in(ilt_course, S.ENROLLED, username="ann")
        before = snapshot()
        response = post(staff_client, ilt_course, "ann", "mark-no-show", {"message": ["hi"]})
        assert_refused(response, 400, "invalid_input", field="message")
        assert snapshot() == before

    def test_not_offered_to_a_learner_without_a_seat(self, staff_client, ilt_course, sessions, learner_in):
        learner_in(ilt_course, S.NOT_STARTED, username="ann")
        response = post(staff_client, ilt_course, "ann", "mark-no-show")
        assert_refused(response, 409, "action_not_allowed")
        assert "change_session" in response.json()["allowed_actions"]


class TestMakeInstructor:
    def test_grants_the_instructor_role_once(self, staff_client, course, learner_in):
        ann = learner_in(course, S.STARTED, username="ann")
        row = post(staff_client, course, "ann", "make-instructor").json()
        assert "make_instructor" not in row["actions"]
        # By default Open edX's instructor (Course Admin) role, as the action's name says.
        assert list(CourseAccessRole.objects.filter(user=ann, course_key=course).values_list("role", flat=True)) == [
            "instructor"
        ]
        assert_refused(post(staff_client, course, "ann", "make-instructor"), 409, "action_not_allowed")


class TestUnassign:
    def test_the_learner_leaves_the_list(self, staff_client, course, learner_in):
        learner_in(course, S.STARTED, username="ann")
        response = post(staff_client, course, "ann", "unassign")
        assert (response.status_code, response.content) == (204, b"")
        assert staff_client.get(course_url(course, "learners/ann/")).status_code == 404
        assert_refused(post(staff_client, course, "ann", "unassign"), 404, "learner_not_found")

    def test_not_offered_to_a_learner_who_completed(self, staff_client, course, learner_in):
        learner_in(course, S.COMPLETED, username="ann")
        before = snapshot()
        assert_refused(post(staff_client, course, "ann", "unassign"), 409, "action_not_allowed")
        assert snapshot() == before


class TestRemove:
    def test_from_the_session_answers_the_row(self, staff_client, ilt_course, sessions, learner_in):
        learner_in(ilt_course, S.ENROLLED, username="ann")
        response = post(staff_client, ilt_course, "ann", "remove", {"scope": "session"})
        assert response.status_code == 200
        assert (response.json()["status"], response.json()["session"]) == ("not_started", None)

    @pytest.mark.parametrize("scope", ["course", "both"])
    def test_from_the_course_deletes_everything_once_confirmed(
        self, staff_client, ilt_course, sessions, learner_in, scope
    ):
        ann = learner_in(ilt_course, S.ENROLLED, username="ann")
        host.set_progress(ann, ilt_course, 0.5)
        before = snapshot()
        assert_refused(post(staff_client, ilt_course, "ann", "remove", {"scope": scope}), 400, "confirmation_required")
        response = post(staff_client, ilt_course, "ann", "remove", {"scope": scope, "confirm": False})
        assert_refused(response, 400, "confirmation_required")
        assert snapshot() == before

        response = post(staff_client, ilt_course, "ann", "remove", {"scope": scope, "confirm": True})
        assert response.status_code == 204
        assert staff_client.get(course_url(ilt_course, "learners/ann/")).status_code == 404
        audit = RemovalAudit.objects.get()
        assert (audit.learner_id, audit.course_key, audit.scope) == (ann.pk, ilt_course, scope)
        # Everything of ann's in the course is gone, here and in the host; the seat is free again.
        assert learner_rows(ann.pk, Assignment, Attempt, Seat, HistoryEvent) == {}
        assert api.get_session(ilt_course, sessions["upcoming"].id).seats_taken == 0
        assert not CourseEnrollment.objects.filter(user=ann, course_key=ilt_course, is_active=True).exists()
        assert not BlockCompletion.objects.filter(user=ann, course_key=ilt_course).exists()

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ({}, "scope"),
            ({"scope": "everything", "confirm": True}, "scope"),
            ({"scope": "course", "confirm": "definitely"}, "confirm"),
            ({"scope": "session"}, "scope"),  # a self-paced course has no sessions
        ],
    )
    def test_a_malformed_body_is_400(self, staff_client, course, learner_in, body, field):
        learner_in(course, S.STARTED, username="ann")
        before = snapshot()
        assert_refused(post(staff_client, course, "ann", "remove", body), 400, "invalid_input", field=field)
        assert snapshot() == before


class TestCertificate:
    def test_generate_then_remove(self, staff_client, course, learner_in):
        learner_in(course, S.COMPLETED, username="ann")
        url = course_url(course, "learners/ann/certificate/")
        row = staff_client.post(url).json()
        assert (row["certificate"]["status"], "remove_certificate" in row["actions"]) == ("generated", True)
        row = staff_client.delete(url).json()
        assert (row["certificate"]["status"], "generate_certificate" in row["actions"]) == ("removed", True)
        assert row["progress"] == 100

    def test_only_for_a_learner_who_completed(self, staff_client, course, learner_in):
        learner_in(course, S.IN_PROGRESS, username="ann")
        url = course_url(course, "learners/ann/certificate/")
        before = snapshot()
        assert_refused(staff_client.post(url), 409, "action_not_allowed")
        assert_refused(staff_client.delete(url), 409, "action_not_allowed")
        assert snapshot() == before

    def test_the_same_certificate_cannot_be_generated_twice(self, staff_client, course, learner_in):
        learner_in(course, S.COMPLETED, username="ann")
        url = course_url(course, "learners/ann/certificate/")
        staff_client.post(url)
        response = staff_client.post(url)
        assert_refused(response, 409, "action_not_allowed")
        assert "remove_certificate" in response.json()["allowed_actions"]


@pytest.mark.parametrize(
    "action",
    [
        "due-date",
        "reset-progress",
        "mark-complete",
        "change-session",
        "mark-no-show",
        "make-instructor",
        "unassign",
        "remove",
        "certificate",
    ],
)
def test_every_action_answers_404_for_a_learner_of_no_course(staff_client, course, make_learner, action):
    make_learner("stranger")
    body = {"due_date": None, "session_id": 1, "scope": "course", "confirm": True}
    assert_refused(post(staff_client, course, "stranger", action, body), 404, "learner_not_found")


class TestReasons:
    def test_every_action_keeps_the_reason_given(self, staff_client, course, learner_in):
        learner_in(course, S.COMPLETED, username="ann")
        url = course_url(course, "learners/ann/certificate/")
        assert staff_client.post(url, {"reason": "Exam passed on paper"}, format="json").status_code == 200
        assert staff_client.delete(url, {"reason": "Issued by mistake"}, format="json").status_code == 200
        response = post(staff_client, course, "ann", "due-date", {"due_date": None, "reason": "Optional now"})
        assert response.status_code == 200
        history = staff_client.get(course_url(course, "learners/ann/history/")).json()
        reasons = [event["reason"] for event in history["events"]]
        assert reasons[:3] == ["Optional now", "Issued by mistake", "Exam passed on paper"]

    def test_a_reason_too_long_is_400_and_changes_nothing(self, staff_client, course, learner_in):
        learner_in(course, S.STARTED, username="ann")
        before = snapshot()
        response = post(staff_client, course, "ann", "reset-progress", {"reason": "x" * 501})
        assert_refused(response, 400, "invalid_input", field="reason")
        assert snapshot() == before

    def test_a_course_that_requires_a_reason_refuses_a_removal_without_one(self, staff_client, course, learner_in):
        ann = learner_in(course, S.STARTED, username="ann")
        staff_client.patch(course_url(course, "settings/"), {"removal_reason_required": True}, format="json")
        before = snapshot()
        response = post(staff_client, course, "ann", "remove", {"scope": "course", "confirm": True})
        assert_refused(response, 400, "invalid_input", field="reason")
        assert snapshot() == before
        response = post(staff_client, course, "ann", "remove", {"scope": "course", "confirm": True, "reason": "Left"})
        assert response.status_code == 204
        assert RemovalAudit.objects.get(learner_id=ann.pk).reason == "Left"

    def test_a_mass_action_keeps_the_reason(self, staff_client, course, learner_in):
        ann = learner_in(course, S.STARTED, username="ann")
        body = {"action": "reset_progress", "users": ["ann"], "reason": "Course revised"}
        response = staff_client.post(course_url(course, "mass-actions/"), body, format="json")
        assert response.status_code == 200
        assert HistoryEvent.objects.filter(learner_id=ann.pk, kind="progress_reset").get().reason == "Course revised"
