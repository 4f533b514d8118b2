"""
Tests of the development host's Python API: what it stores and the Open edX events it sends.
"""

import datetime
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives, send_mail
from opaque_keys.edx.keys import CourseKey
from openedx_events.learning import signals

from devhost.lms import api
from devhost.lms.models import (
    BlockCompletion,
    CourseBlock,
    CourseEnrollment,
    GeneratedCertificate,
    PersistentCourseGrade,
    ProblemState,
    ScormStatement,
)
from devhost.lms.signals import progress_changed
from test_utils.filters import RefuseUnenrollingBlockedUsers, filters_config

User = get_user_model()

pytestmark = pytest.mark.django_db

ENROLLMENT_CHANGED = signals.COURSE_ENROLLMENT_CHANGED.event_type
ENROLLMENT_CREATED = signals.COURSE_ENROLLMENT_CREATED.event_type
UNENROLLMENT_COMPLETED = signals.COURSE_UNENROLLMENT_COMPLETED.event_type
CERTIFICATE_CREATED = signals.CERTIFICATE_CREATED.event_type
CERTIFICATE_REVOKED = signals.CERTIFICATE_REVOKED.event_type
ROLE_ADDED = signals.COURSE_ACCESS_ROLE_ADDED.event_type
PASSING_STATUS_UPDATED = signals.COURSE_PASSING_STATUS_UPDATED.event_type


@pytest.fixture
def progress_reports():
    """
    (user id, course key) of every ``progress_changed`` sent during the test.
    """
    reports = []

    def record(sender, user_id, course_key, **kwargs):  # pylint: disable=unused-argument
        reports.append((user_id, course_key))

    progress_changed.connect(record, weak=False, dispatch_uid="test.progress_reports")
    yield reports
    progress_changed.disconnect(dispatch_uid="test.progress_reports")


def completed_keys(user_id, course_key):
    completions = BlockCompletion.objects.filter(user_id=user_id, course_key=course_key)
    return set(completions.values_list("block_key", flat=True))


class TestUsers:
    def test_create_user_gives_a_profile_and_a_default_email(self):
        user = api.create_user("ada", name="Ada Lovelace", employee_id="E-1", password="secret")

        assert (user.email, user.profile.name, user.profile.employee_id) == ("ada@example.com", "Ada Lovelace", "E-1")
        assert user.check_password("secret")
        assert not user.is_staff and user.is_active

    def test_a_user_without_password_cannot_sign_in(self):
        assert not api.create_user("grace").has_usable_password()

    @pytest.mark.parametrize("count", [3, 150])
    def test_create_users_is_set_based_and_keeps_order(self, count, django_assert_max_num_queries):
        specs = [{"username": f"bulk{n}", "employee_id": f"E{n}", "is_active": n % 2 == 0} for n in range(count)]

        # savepoint pair, users, profiles; SQLite's 999-parameter cap splits 150 users in two inserts
        with django_assert_max_num_queries(5):
            user_ids = api.create_users(specs)

        users = User.objects.in_bulk(user_ids)
        assert [users[user_id].username for user_id in user_ids] == [spec["username"] for spec in specs]
        assert [users[user_id].profile.employee_id for user_id in user_ids] == [spec["employee_id"] for spec in specs]
        assert users[user_ids[1]].is_active is False


class TestCourses:
    def test_content_is_in_course_order(self, devhost_course):
        blocks = list(CourseBlock.objects.filter(course_id=devhost_course).order_by("position"))

        assert [(block.block_type, block.display_name) for block in blocks] == [
            ("chapter", "Basics"),
            ("html", "Reading 1"),
            ("video", "Video 2"),
            ("chapter", "Practice"),
            ("html", "Reading 1"),
            ("video", "Video 2"),
            ("chapter", "SCORM package"),
            ("scorm", "SCORM package"),
            ("chapter", "Quiz"),
            ("problem", "Question 1"),
            ("problem", "Question 2"),
        ]
        assert [block.chapter.display_name for block in blocks if block.chapter] == (
            ["Basics"] * 2 + ["Practice"] * 2 + ["SCORM package"] + ["Quiz"] * 2
        )

    def test_quiz_problems_are_graded_with_their_answers(self, devhost_course):
        problems = CourseBlock.objects.filter(course_id=devhost_course, graded=True).order_by("position")

        assert [(p.question, p.correct_answer) for p in problems] == [
            ("2 + 2 = ?", "4"),
            ("Capital of France?", "Paris"),
        ]
        assert str(problems[0].usage_key) == "block-v1:TestX+Host101+2025+type@problem+block@problem_4_1"

    def test_leaf_keys_are_the_leaves_in_order(self, devhost_course):
        assert [key.block_type for key in api.leaf_keys(devhost_course)] == [
            "html",
            "video",
            "html",
            "video",
            "scorm",
            "problem",
            "problem",
        ]

    def test_course_key_may_be_a_string(self, db):
        key = api.create_course("course-v1:TestX+Plain+2025", chapters=("Only",), leaves_per_chapter=1)

        assert key == CourseKey.from_string("course-v1:TestX+Plain+2025")
        assert api.leaf_keys("course-v1:TestX+Plain+2025") == [key.make_usage_key("html", "html_1_1")]


class TestEnrollment:
    def test_enrolling_sends_enrollment_changed_then_created(self, devhost_course, make_users, captured_events):
        (user_id,) = make_users(1)

        api.enroll(user_id, devhost_course, mode="honor")

        enrollment = CourseEnrollment.objects.get(user_id=user_id, course_key=devhost_course)
        [(changed, changed_payload), (event_type, payload)] = captured_events
        assert (changed, changed_payload) == (ENROLLMENT_CHANGED, payload)
        data = payload["enrollment"]
        assert event_type == ENROLLMENT_CREATED
        assert (data.user.id, data.user.is_active) == (user_id, True)
        assert (data.user.pii.username, data.user.pii.email, data.user.pii.name) == (
            "learner1",
            "learner1@example.com",
            "Learner 1",
        )
        assert (data.course.course_key, data.course.display_name) == (devhost_course, "Host 101")
        assert (data.mode, data.is_active, data.creation_date) == ("honor", True, enrollment.created)

    def test_an_active_enrollment_is_left_alone(self, devhost_course, make_users, captured_events):
        (user_id,) = make_users(1)
        api.enroll(user_id, devhost_course)
        captured_events.clear()

        api.enroll(user_id, devhost_course)

        assert not captured_events

    def test_unenrolling_deactivates_and_reenrolling_reactivates(self, devhost_course, make_users, captured_events):
        (user_id,) = make_users(1)
        api.enroll(user_id, devhost_course)
        created = CourseEnrollment.objects.get(user_id=user_id).created

        api.unenroll(user_id, devhost_course)
        api.unenroll(user_id, devhost_course)
        assert CourseEnrollment.objects.get(user_id=user_id).is_active is False
        api.enroll(user_id, devhost_course)

        assert CourseEnrollment.objects.get(user_id=user_id).is_active is True
        assert [(event_type, payload["enrollment"].is_active) for event_type, payload in captured_events] == [
            (ENROLLMENT_CHANGED, True),
            (ENROLLMENT_CREATED, True),
            (ENROLLMENT_CHANGED, False),
            (UNENROLLMENT_COMPLETED, False),
            (ENROLLMENT_CHANGED, True),
            (ENROLLMENT_CREATED, True),
        ]
        assert {payload["enrollment"].creation_date for _, payload in captured_events} == {created}

    def test_the_unenrollment_filter_keeps_refused_learners_enrolled(self, devhost_course, captured_events, settings):
        settings.OPEN_EDX_FILTERS_CONFIG = filters_config(CourseUnenrollmentStarted=RefuseUnenrollingBlockedUsers)
        amy, blocked = (api.create_user(name).pk for name in ("amy", "blocked_bo"))
        api.bulk_enroll(devhost_course, [amy, blocked])
        captured_events.clear()

        refused = api.bulk_unenroll(devhost_course, [amy, blocked])

        assert refused == {blocked: "Mandatory training: this learner stays enrolled."}
        active = CourseEnrollment.objects.filter(course_key=devhost_course, is_active=True)
        assert list(active.values_list("user_id", flat=True)) == [blocked]
        assert [(kind, payload["enrollment"].user.id) for kind, payload in captured_events] == [
            (ENROLLMENT_CHANGED, amy),
            (UNENROLLMENT_COMPLETED, amy),
        ]

    def test_updating_an_enrollment_sends_enrollment_changed_alone(self, devhost_course, make_users, captured_events):
        (user_id,) = make_users(1)
        api.enroll(user_id, devhost_course)
        api.unenroll(user_id, devhost_course)
        captured_events.clear()

        api.update_enrollment(user_id, devhost_course, is_active=True)
        api.update_enrollment(user_id, devhost_course, is_active=True)  # nothing changes: nothing sent
        api.update_enrollment(user_id, devhost_course, mode="verified")

        assert [
            (kind, payload["enrollment"].is_active, payload["enrollment"].mode) for kind, payload in captured_events
        ] == [
            (ENROLLMENT_CHANGED, True, "audit"),
            (ENROLLMENT_CHANGED, True, "verified"),
        ]

    @pytest.mark.parametrize("count", [3, 60])
    def test_bulk_enroll_sends_the_events_of_each_learner_in_bounded_queries(
        self, devhost_course, make_users, captured_events, count, django_assert_max_num_queries
    ):
        user_ids = make_users(count)
        api.bulk_enroll(devhost_course, user_ids[:1])
        api.bulk_unenroll(devhost_course, user_ids[:1])
        captured_events.clear()

        # course, its modes, existing enrollments, insert, reactivation, users for the events, savepoint pair
        with django_assert_max_num_queries(8):
            api.bulk_enroll(devhost_course, user_ids)

        assert sorted(payload["enrollment"].user.id for _, payload in captured_events) == sorted(user_ids * 2)
        assert CourseEnrollment.objects.filter(course_key=devhost_course, is_active=True).count() == count

    def test_unknown_course_is_refused(self, make_users):
        with pytest.raises(Exception, match="does not exist"):
            api.enroll(make_users(1)[0], "course-v1:TestX+Nope+2025")


class TestProgress:
    def test_set_progress_completes_the_first_leaves_to_reach_the_fraction(self, devhost_course, make_users):
        (user_id,) = make_users(1)
        leaves = api.leaf_keys(devhost_course)

        api.set_progress(user_id, devhost_course, 0.3)  # 2.1 of 7 leaves: 3
        assert completed_keys(user_id, devhost_course) == set(leaves[:3])

        api.set_progress(user_id, devhost_course, 1 / 7)
        assert completed_keys(user_id, devhost_course) == set(leaves[:1])

        api.set_progress(user_id, devhost_course, 0)
        assert completed_keys(user_id, devhost_course) == set()

    def test_set_progress_keeps_the_time_of_completions_it_keeps(self, devhost_course, make_users):
        (user_id,) = make_users(1)
        first = datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)
        with mock.patch("django.utils.timezone.now", return_value=first):
            api.set_progress(user_id, devhost_course, 0.2)

        api.set_progress(user_id, devhost_course, 0.5)

        modified = sorted(BlockCompletion.objects.filter(user_id=user_id).values_list("modified", flat=True))
        assert modified[:2] == [first, first] and modified[2] > first

    def test_progress_changed_once_per_changed_learner(self, devhost_course, make_users, progress_reports):
        user_ids = make_users(3)
        api.set_progress(user_ids[0], devhost_course, 0.5)
        progress_reports.clear()

        api.bulk_set_progress(devhost_course, {user_ids[0]: 0.5, user_ids[1]: 1.0, user_ids[2]: 0})

        assert progress_reports == [(user_ids[1], devhost_course)]

    def test_complete_blocks_reports_only_a_change(self, devhost_course, make_users, progress_reports):
        (user_id,) = make_users(1)
        leaves = api.leaf_keys(devhost_course)

        api.complete_blocks(user_id, devhost_course, [str(leaves[3]), leaves[0]])
        api.complete_blocks(user_id, devhost_course, [leaves[0]])

        assert completed_keys(user_id, devhost_course) == {leaves[0], leaves[3]}
        assert progress_reports == [(user_id, devhost_course)]

    def test_complete_blocks_refuses_what_is_not_a_leaf_of_the_course(self, devhost_course, make_users):
        chapter = devhost_course.make_usage_key("chapter", "chapter_1")

        with pytest.raises(ValueError, match="Not leaf blocks"):
            api.complete_blocks(make_users(1)[0], devhost_course, [chapter])


class TestQuiz:
    def test_an_answer_counts_an_attempt_and_completes_the_problem(self, devhost_course, make_users, progress_reports):
        (user_id,) = make_users(1)

        assert api.answer_question(user_id, devhost_course, 1, "5") is False
        assert api.answer_question(user_id, devhost_course, 1, " 4 ") is True

        state = ProblemState.objects.get(user_id=user_id)
        assert (state.answer, state.correct, state.attempts, state.earned) == (" 4 ", True, 2, 1.0)
        assert completed_keys(user_id, devhost_course) == {state.block_key}
        assert progress_reports == [(user_id, devhost_course)]

    def test_a_question_may_be_named_by_its_usage_key(self, devhost_course, make_users):
        key = "block-v1:TestX+Host101+2025+type@problem+block@problem_4_2"

        assert api.answer_question(make_users(1)[0], devhost_course, key, "paris") is True

    def test_an_unknown_question_is_refused(self, devhost_course, make_users):
        with pytest.raises(ValueError, match="no quiz question 3"):
            api.answer_question(make_users(1)[0], devhost_course, 3, "4")

    def test_passing_status_events_follow_the_passing_state(self, devhost_course, make_users, captured_events):
        (user_id,) = make_users(1)

        api.answer_question(user_id, devhost_course, 1, "3")  # 0%: still not passing
        api.answer_question(user_id, devhost_course, 1, "4")  # 50%: passing
        api.answer_question(user_id, devhost_course, 2, "Paris")  # 100%: still passing
        api.answer_question(user_id, devhost_course, 1, "3")  # 50%
        api.answer_question(user_id, devhost_course, 2, "Rome")  # 0%: not passing

        statuses = [payload["course_passing_status"] for _, payload in captured_events]
        assert [event_type for event_type, _ in captured_events] == [PASSING_STATUS_UPDATED] * 2
        assert [status.is_passing for status in statuses] == [True, False]
        assert {(status.user.id, status.course.course_key) for status in statuses} == {(user_id, devhost_course)}
        assert PersistentCourseGrade.objects.get(user_id=user_id).percent_grade == 0.0


class TestCertificates:
    def test_issuing_needs_an_enrollment_in_a_mode_that_earns_one_not_a_grade(
        self, devhost_course, make_users, captured_events
    ):
        enrolled, auditor, stranger = make_users(3)
        api.bulk_enroll(devhost_course, [enrolled], mode="verified")
        api.bulk_enroll(devhost_course, [auditor], mode="audit")
        captured_events.clear()

        assert api.issue_certificates(devhost_course, [enrolled, auditor, stranger]) == {enrolled}

        [(event_type, payload)] = captured_events
        certificate = payload["certificate"]
        assert event_type == CERTIFICATE_CREATED
        assert (certificate.user.id, certificate.course.course_key, certificate.mode, certificate.name) == (
            enrolled,
            devhost_course,
            "verified",
            "Learner 1",
        )
        assert (certificate.current_status, certificate.previous_status) == ("downloadable", "")

    def test_the_lms_judges_by_the_enrollment_mode_active_or_not(self, devhost_course, make_users):
        (learner,) = make_users(1)
        api.enroll(learner, devhost_course, mode="verified")
        api.unenroll(learner, devhost_course)

        assert api.enrollment_modes(devhost_course, [learner, 404]) == {learner: "verified"}
        assert api.issue_certificates(devhost_course, [learner]) == {learner}

    def test_revoking_and_issuing_again(self, devhost_course, make_users, captured_events):
        user_ids = make_users(2)
        api.bulk_enroll(devhost_course, user_ids, mode="verified")
        api.issue_certificates(devhost_course, user_ids[:1])
        captured_events.clear()

        api.revoke_certificates(devhost_course, user_ids)
        assert GeneratedCertificate.objects.get(user_id=user_ids[0]).status == "unavailable"
        assert api.issue_certificates(devhost_course, user_ids) == set(user_ids)
        api.issue_certificates(devhost_course, user_ids)

        events = [
            (event_type, payload["certificate"].user.id, payload["certificate"].previous_status)
            for event_type, payload in captured_events
        ]
        assert events[0] == (CERTIFICATE_REVOKED, user_ids[0], "downloadable")
        assert sorted(events[1:]) == [
            (CERTIFICATE_CREATED, user_ids[0], "unavailable"),
            (CERTIFICATE_CREATED, user_ids[1], ""),
        ]
        assert set(GeneratedCertificate.objects.values_list("status", flat=True)) == {"downloadable"}


class TestRolesAndPermissions:
    def test_granting_a_role_sends_role_added_once(self, devhost_course, make_users, captured_events):
        (user_id,) = make_users(1)

        api.grant_role(user_id, devhost_course, "staff")
        api.grant_role(user_id, devhost_course, "staff")

        [(event_type, payload)] = captured_events
        role = payload["course_access_role_data"]
        assert event_type == ROLE_ADDED
        assert (role.user.id, role.org_key, role.course_key, role.role) == (user_id, "TestX", devhost_course, "staff")

    def test_unknown_roles_are_refused(self, devhost_course, make_users):
        with pytest.raises(ValueError, match="Unknown course role"):
            api.grant_role(make_users(1)[0], devhost_course, "beta")


class TestLearnerState:
    def test_clear_learner_state_deletes_only_those_learners_state_in_that_course(self, devhost_course, make_users):
        other_course = api.create_course("course-v1:TestX+Other+2025", quiz_questions=(("1 + 1 = ?", "2"),))
        cleared, kept = make_users(2)
        for user_id in (cleared, kept):
            for course_key in (devhost_course, other_course):
                api.set_progress(user_id, course_key, 0.5)
                api.answer_question(user_id, course_key, 1, "4")
                api.record_scorm_statement(user_id, course_key, "completed", "Module 1", "passed")

        api.clear_learner_state(devhost_course, [cleared])

        for model in (BlockCompletion, ProblemState, ScormStatement, PersistentCourseGrade):
            left = set(model.objects.values_list("user_id", "course_key"))
            assert left == {(cleared, other_course), (kept, devhost_course), (kept, other_course)}, model


class TestMessages:
    def test_email_lands_in_the_outbox_with_the_user_it_is_for(self, make_users):
        ada, grace = make_users(2)
        message = EmailMultiAlternatives(
            "Assigned", "Please take Host 101.", "lms@example.com", ["learner1@example.com", "stranger@example.com"]
        )
        message.attach_alternative("<p>Please take Host 101.</p>", "text/html")

        message.send()
        send_mail("Reminder", "Due soon.", "lms@example.com", ["learner2@example.com"])

        [to_ada] = api.outbox(ada)
        assert (to_ada.to_email, to_ada.from_email, to_ada.subject, to_ada.body, to_ada.html) == (
            "learner1@example.com",
            "lms@example.com",
            "Assigned",
            "Please take Host 101.",
            "<p>Please take Host 101.</p>",
        )
        assert [m.subject for m in api.outbox(grace)] == ["Reminder"]
        assert [(m.user_id, m.to_email) for m in api.outbox() if m.user_id != grace] == [
            (ada, "learner1@example.com"),
            (None, "stranger@example.com"),
        ]
