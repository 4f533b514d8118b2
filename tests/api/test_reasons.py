"""
The reason a course team gives for a change: kept in the learner's history, in the removal audit
record and in the signals; required to remove learners where the course says so.
"""

import pytest

from devhost.lms import api as host
from learner_mgmt_plugin import api
from learner_mgmt_plugin.data import REASON_MAX_LENGTH, HistoryKind, JobState, LearnerStatus
from learner_mgmt_plugin.exceptions import InvalidInput
from learner_mgmt_plugin.models import HistoryEvent, RemovalAudit
from test_utils.snapshots import snapshot


def latest_event(course, username):
    return api.get_history(course, username).events[0]


@pytest.mark.parametrize(
    ("action", "status", "kind"),
    [
        (lambda course, name, **kw: api.reset_progress(course, name, **kw), "started", HistoryKind.PROGRESS_RESET),
        (lambda course, name, **kw: api.mark_complete(course, name, **kw), "started", HistoryKind.COMPLETED),
        (lambda course, name, **kw: api.make_instructor(course, name, **kw), "started", HistoryKind.INSTRUCTOR_GRANTED),
        (
            lambda course, name, **kw: api.update_due_date(course, name, due_date=None, **kw),
            "started",
            HistoryKind.DUE_DATE_CHANGED,
        ),
        (
            lambda course, name, **kw: api.generate_certificate(course, name, **kw),
            "completed",
            HistoryKind.CERTIFICATE_GENERATED,
        ),
    ],
)
def test_an_action_keeps_its_reason_in_the_history(course, staff, learner_in, action, status, kind):
    learner = learner_in(course, LearnerStatus(status))
    action(course, learner.username, actor=staff, reason="  Asked for by the learner's manager  ")
    [event] = [event for event in api.get_history(course, learner.username).events if event.kind == kind]
    assert event.reason == "Asked for by the learner's manager"


def test_without_a_reason_the_history_has_none(course, staff, learner_in):
    learner = learner_in(course, LearnerStatus.STARTED)
    api.reset_progress(course, learner.username, actor=staff)
    assert latest_event(course, learner.username).reason == ""


def test_the_signal_carries_the_reason(course, staff, learner_in, sent_signals, django_capture_on_commit_callbacks):
    learner = learner_in(course, LearnerStatus.STARTED)
    sent_signals.clear()
    with django_capture_on_commit_callbacks(execute=True):
        api.reset_progress(course, learner.username, actor=staff, reason="Failed the audit")
    assert [(name, kwargs["details"].get("reason")) for name, kwargs in sent_signals] == [
        ("PROGRESS_RESET", "Failed the audit")
    ]


@pytest.mark.parametrize(
    ("reason", "message"),
    [
        (42, "The reason must be text."),
        ("x" * (REASON_MAX_LENGTH + 1), f"Keep the reason under {REASON_MAX_LENGTH + 1} characters."),
    ],
)
def test_a_malformed_reason_changes_nothing(course, staff, learner_in, reason, message):
    learner = learner_in(course, LearnerStatus.STARTED)
    before = snapshot()
    with pytest.raises(InvalidInput) as refused:
        api.reset_progress(course, learner.username, actor=staff, reason=reason)
    assert (refused.value.field, str(refused.value)) == ("reason", message)
    assert snapshot() == before


def test_the_no_show_message_and_the_reason_are_kept_apart(
    ilt_course, sessions, staff, learner_in, django_capture_on_commit_callbacks
):
    learner = learner_in(ilt_course, LearnerStatus.ENROLLED)
    with django_capture_on_commit_callbacks(execute=True):
        api.mark_no_show(ilt_course, learner.username, actor=staff, message="Please book again.", reason="Absent")
    event = latest_event(ilt_course, learner.username)
    assert (event.kind, event.reason, event.details["message"]) == (HistoryKind.NO_SHOW, "Absent", "Please book again.")
    assert "Please book again." in host.outbox(learner)[-1].body


class TestRemovalReasons:
    def test_the_audit_record_keeps_the_reason(self, course, staff, learner_in):
        learner = learner_in(course, LearnerStatus.STARTED)
        api.remove_learner(course, learner.username, actor=staff, scope="course", confirm=True, reason="Left the firm")
        assert RemovalAudit.objects.get(learner_id=learner.pk).reason == "Left the firm"

    def test_a_course_may_require_a_reason_to_remove(self, course, staff, learner_in):
        api.update_course_settings(course, removal_reason_required=True)
        learner = learner_in(course, LearnerStatus.STARTED)
        before = snapshot()
        with pytest.raises(InvalidInput) as refused:
            api.remove_learner(course, learner.username, actor=staff, scope="course", confirm=True, reason="  ")
        assert (refused.value.field, str(refused.value)) == (
            "reason",
            "This course asks for a reason before a learner is removed from it.",
        )
        assert snapshot() == before
        # Other actions still need none.
        api.reset_progress(course, learner.username, actor=staff)
        api.remove_learner(course, learner.username, actor=staff, scope="course", confirm=True, reason="Duplicate")
        assert RemovalAudit.objects.get().reason == "Duplicate"

    def test_taking_a_learner_out_of_a_session_needs_no_reason(self, ilt_course, sessions, staff, learner_in):
        api.update_course_settings(ilt_course, removal_reason_required=True)
        learner = learner_in(ilt_course, LearnerStatus.ENROLLED)
        row = api.remove_learner(ilt_course, learner.username, actor=staff, scope="session")
        assert row.session is None

    def test_a_mass_removal_requires_it_too(self, course, staff, learner_in):
        api.update_course_settings(course, removal_reason_required=True)
        learner = learner_in(course, LearnerStatus.STARTED)
        before = snapshot()
        with pytest.raises(InvalidInput):
            api.run_mass_action(course, "remove", [learner.username], actor=staff, scope="course", confirm=True)
        assert snapshot() == before

    def test_retirement_blanks_the_reason_and_keeps_the_record(self, course, staff, learner_in):
        learner = learner_in(course, LearnerStatus.STARTED)
        api.remove_learner(course, learner.username, actor=staff, scope="course", confirm=True, reason="Said: ill")
        host.retire_user(learner)
        audit = RemovalAudit.objects.get(learner_id=learner.pk)
        assert (audit.reason, audit.actor_id, audit.scope) == ("", staff.pk, "course")


@pytest.mark.parametrize("background", [False, True])
def test_a_mass_action_gives_every_learner_its_reason(
    course, staff, learner_in, jobs_in_background, django_capture_on_commit_callbacks, background
):
    jobs_in_background(above=1 if background else 100, chunk_size=1)
    first = learner_in(course, LearnerStatus.STARTED, username="first")
    second = learner_in(course, LearnerStatus.IN_PROGRESS, username="second")
    with django_capture_on_commit_callbacks(execute=True):
        job = api.submit_mass_action(course, "reset_progress", ["first", "second"], actor=staff, reason="New version")
    job = api.get_mass_action(course, job.id)
    assert (job.state, job.mass_action_result.done) == (JobState.SUCCEEDED, ("first", "second"))
    reasons = HistoryEvent.objects.filter(kind=HistoryKind.PROGRESS_RESET, learner_id__in=[first.pk, second.pk])
    assert sorted(reasons.values_list("reason", flat=True)) == ["New version", "New version"]
