"""
What the host reports flows into the plugin's tables: progress, self-enrollment and unenrollment,
certificates and passing grades, through the real openedx-events and the host's progress signal.
"""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from devhost.lms import api as host
from devhost.lms.models import BlockVisit
from learner_mgmt_plugin import api
from learner_mgmt_plugin._internal import _echo
from learner_mgmt_plugin.data import CertificateStatus, CompletionSource, HistoryKind, LearnerStatus
from learner_mgmt_plugin.exceptions import LearnerNotFound
from test_utils.courses import ONE_LEAF, THREE_LEAVES

HOUR = datetime.timedelta(hours=1)


def test_progress_moves_the_status(course, staff, make_learner):
    learner = make_learner("pat")
    api.assign_course(course, ["pat"], actor=staff)

    host.set_progress(learner, course, ONE_LEAF)
    row = api.get_learner(course, "pat")
    assert (row.status, row.progress) == (LearnerStatus.STARTED, 14)

    host.set_progress(learner, course, THREE_LEAVES)
    assert api.get_learner(course, "pat").status_label == "42% Completed"

    api.update_course_settings(course, credits="2")
    host.set_progress(learner, course, 1.0)
    row = api.get_learner(course, "pat")
    assert (row.status, row.completion_source, row.credits_awarded) == (
        LearnerStatus.COMPLETED,
        CompletionSource.LEARNER,
        Decimal("2"),
    )
    assert [event.kind for event in api.get_history(course, "pat").events] == [
        HistoryKind.COMPLETED,
        HistoryKind.STARTED,
        HistoryKind.ASSIGNED,
    ]


class TestStartedMeansTheLearnerBegan:
    """
    "Started" is any activity the LMS records in the current attempt without meaningful progress: a
    visit, a part-watched video, an attempted problem.
    """

    @pytest.fixture
    def pat(self, course, staff, make_learner, settings):
        settings.LEARNER_MGMT_MEANINGFUL_PROGRESS_THRESHOLD = 0
        learner = make_learner("pat")
        api.assign_course(course, ["pat"], actor=staff)
        return learner

    def test_opening_the_course_starts_the_learner(self, course, pat):
        host.visit(pat, course)
        row = api.get_learner(course, "pat")
        assert (row.status, row.status_label, row.progress) == (LearnerStatus.STARTED, "Started", 0)
        assert api.get_history(course, "pat").events[0].kind == HistoryKind.STARTED

    def test_a_part_watched_video_starts_the_learner_without_progress(self, course, pat):
        host.complete_blocks(pat, course, host.leaf_keys(course)[:1], completion=0.3)
        row = api.get_learner(course, "pat")
        assert (row.status, row.progress) == (LearnerStatus.STARTED, 0)

        host.complete_blocks(pat, course, host.leaf_keys(course)[:1])
        assert api.get_learner(course, "pat").status_label == "14% Completed"

    def test_only_activity_in_the_current_attempt_counts(self, course, staff, pat):
        host.set_progress(pat, course, THREE_LEAVES)
        api.reset_progress(course, "pat", actor=staff)
        # The LMS keeps some state through a reset (a section's position): from before, it is not a start.
        BlockVisit.objects.create(
            user=pat, course_key=course, block_key=host.leaf_keys(course)[0], modified=timezone.now() - HOUR
        )
        api.record_progress(str(course), pat.pk)
        assert api.get_learner(course, "pat").status == LearnerStatus.NOT_STARTED

        host.visit(pat, course)
        assert api.get_learner(course, "pat").status == LearnerStatus.STARTED

    def test_activity_of_a_learner_already_started_costs_one_query(self, course, pat, django_assert_num_queries):
        host.visit(pat, course)
        with django_assert_num_queries(1):
            api.record_activity(str(course), pat.pk)

    def test_a_learner_who_began_stays_started_when_a_completion_is_withdrawn(self, course, staff, pat):
        host.visit(pat, course)
        api.mark_complete(course, "pat", actor=staff)
        api.run_mass_action(course, "mark_incomplete", ["pat"], actor=staff)
        assert api.get_learner(course, "pat").status == LearnerStatus.STARTED

    def test_a_learner_who_did_nothing_is_not_started_again_when_a_completion_is_withdrawn(self, course, staff, pat):
        api.mark_complete(course, "pat", actor=staff)
        api.run_mass_action(course, "mark_incomplete", ["pat"], actor=staff)
        assert api.get_learner(course, "pat").status == LearnerStatus.NOT_STARTED


def test_the_default_threshold_counts_any_progress_as_meaningful(course, staff, make_learner, settings):
    settings.LEARNER_MGMT_MEANINGFUL_PROGRESS_THRESHOLD = 0
    learner = make_learner("pat")
    api.assign_course(course, ["pat"], actor=staff)
    host.set_progress(learner, course, ONE_LEAF)
    assert api.get_learner(course, "pat").status == LearnerStatus.IN_PROGRESS


def test_progress_of_users_the_plugin_does_not_list_is_ignored(course, make_learner):
    learner = make_learner("visitor")
    host.set_progress(learner, course, ONE_LEAF)
    with pytest.raises(LearnerNotFound):
        api.get_learner(course, "visitor")


def test_a_passing_grade_completes_when_that_is_the_rule(course, staff, make_learner, settings):
    settings.LEARNER_MGMT_COMPLETION_RULE = "passing_grade"
    learner = make_learner("quinn")
    api.assign_course(course, ["quinn"], actor=staff)
    host.set_progress(learner, course, 1.0)
    assert api.get_learner(course, "quinn").status != LearnerStatus.COMPLETED

    host.answer_question(learner, course, 1, "4")
    assert api.get_learner(course, "quinn").status == LearnerStatus.COMPLETED


def test_enrolling_on_ones_own_lists_an_optional_assignment(course, make_learner):
    learner = make_learner("selma")
    host.enroll(learner, course)
    row = api.get_learner(course, "selma")
    assert (row.status, row.required, row.assigned_by, row.attempt) == (LearnerStatus.NOT_STARTED, False, None, 1)
    assert api.get_history(course, "selma").events[0].kind == HistoryKind.SELF_ENROLLED


def test_unenrolling_on_ones_own_unlists_and_reenrolling_opens_a_new_attempt(course, staff, learner_in):
    learner = learner_in(course, LearnerStatus.IN_PROGRESS)
    host.unenroll(learner, course)
    with pytest.raises(LearnerNotFound):
        api.get_learner(course, learner.username)

    host.enroll(learner, course)
    assert api.get_learner(course, learner.username).attempt == 2


def test_enrollments_changed_without_enroll_or_unenroll_are_followed(course, staff, learner_in):
    # The enrollment API and Django admin change enrollments with update_enrollment: the LMS sends
    # COURSE_ENROLLMENT_CHANGED alone.
    learner = learner_in(course, LearnerStatus.STARTED)
    host.update_enrollment(learner, course, is_active=False)
    with pytest.raises(LearnerNotFound):
        api.get_learner(course, learner.username)

    host.update_enrollment(learner, course, is_active=True)
    row = api.get_learner(course, learner.username)
    assert (row.attempt, row.required, row.assigned_by) == (2, False, None)
    kinds = [event.kind for event in api.get_history(course, learner.username).events]
    assert kinds[:2] == [HistoryKind.SELF_ENROLLED, HistoryKind.SELF_UNENROLLED]

    # A change of track is no new enrollment: the learner stays as they are.
    host.update_enrollment(learner, course, mode="audit")
    assert api.get_learner(course, learner.username).attempt == 2
    assert len(api.get_history(course, learner.username).events) == len(kinds)


def test_the_plugins_own_enrollments_are_not_applied_twice(course, staff, make_learner):
    make_learner("amy")
    api.assign_course(course, ["amy"], actor=staff)
    kinds = [event.kind for event in api.get_history(course, "amy").events]
    assert kinds == [HistoryKind.ASSIGNED]


def test_certificates_issued_and_revoked_by_the_host_are_reflected(course, learner_in):
    learner = learner_in(course, LearnerStatus.COMPLETED)
    host.issue_certificates(course, [learner.pk])
    assert api.get_learner(course, learner.username).certificate.status == CertificateStatus.GENERATED
    host.revoke_certificates(course, [learner.pk])
    assert api.get_learner(course, learner.username).certificate.status == CertificateStatus.REMOVED


def test_a_failing_handler_does_not_break_the_host(course, make_learner, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("database on fire")

    monkeypatch.setattr(api, "record_self_enrollment", broken)
    learner = make_learner("selma")
    host.enroll(learner, course)  # no exception reaches the host
    with pytest.raises(LearnerNotFound):
        api.get_learner(course, "selma")


def test_what_the_host_reports_while_the_plugin_changes_the_course_is_its_own_echo(course, staff, make_learner):
    # The plugin's own unenrollments and certificates come back from the host as events; whoever hands
    # them to api (the plugin's receivers, or a host without openedx-events), they change nothing twice.
    make_learner("pat")
    api.assign_course(course, ["pat"], actor=staff)
    user_id = api.get_learner(course, "pat").user_id
    history = api.get_history(course, "pat").events

    with _echo.changing(course):
        api.record_self_unenrollment(course, user_id)
        api.record_certificate(course, user_id, issued=True)

    row = api.get_learner(course, "pat")
    assert (row.status, row.certificate) == (LearnerStatus.NOT_STARTED, None)
    assert api.get_history(course, "pat").events == history

    api.record_self_unenrollment(course, user_id)  # the learner's own, outside any change of the plugin's
    with pytest.raises(LearnerNotFound):
        api.get_learner(course, "pat")


def test_a_learner_completes_what_they_are_shown_of_a_course_with_a_bank_and_group_content(staff, make_learner):
    course = host.create_course(
        "course-v1:TestX+Banked+2026",
        chapters=("Basics",),
        leaves_per_chapter=3,
        cohort_chapters=(("Leading a team", "managers"),),
        question_bank=(1, (("Red means?", "stop"), ("Green means?", "go"), ("Amber means?", "wait"))),
    )
    host.grant_role(staff, course, "staff")
    learner = make_learner("pat")
    api.assign_course(course, ["pat"], actor=staff)

    # Pat is no manager and is given one of the bank's three questions: four leaves in all.
    host.set_progress(learner, course, 0.5)
    assert api.get_learner(course, "pat").progress == 50
    host.set_progress(learner, course, 1.0)

    row = api.get_learner(course, "pat")
    assert (row.status, row.progress, row.completion_source) == (LearnerStatus.COMPLETED, 100, CompletionSource.LEARNER)
    chapters = api.get_chapter_insights(course, "pat", viewer=staff)
    assert [(chapter.title, chapter.progress) for chapter in chapters] == [("Basics", 100), ("Question bank", 100)]
    [quiz] = api.get_quiz_insights(course, "pat", viewer=staff)
    assert len(quiz.questions) == 1
