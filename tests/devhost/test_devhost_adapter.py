"""
Tests of ``DevLmsHost``, the development host's implementation of the plugin's host port.
"""

import datetime
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from opaque_keys.edx.keys import CourseKey
from openedx_events.learning.signals import (
    CERTIFICATE_CREATED,
    CERTIFICATE_REVOKED,
    COURSE_ENROLLMENT_CHANGED,
    COURSE_ENROLLMENT_CREATED,
    COURSE_UNENROLLMENT_COMPLETED,
)

from devhost.lms import api
from devhost.lms.adapter import DevLmsHost
from devhost.lms.models import (
    BlockCompletion,
    CourseAccessRole,
    CourseEnrollment,
    GeneratedCertificate,
    ManualEnrollmentAudit,
    PersistentCourseGrade,
    ProblemState,
    ScormStatement,
)
from learner_mgmt_plugin.data import (
    CertificateOutcome,
    CertificateStatus,
    CourseMode,
    MessageRecipient,
    MessageSite,
    QuestionResult,
)
from learner_mgmt_plugin.host import get_host

pytestmark = pytest.mark.django_db

UNKNOWN_COURSE = CourseKey.from_string("course-v1:TestX+Unknown+2025")


def at(day):
    """
    Patch the clock to noon of that day of January 2025 and return that time.
    """
    moment = datetime.datetime(2025, 1, day, 12, tzinfo=datetime.UTC)
    return mock.patch("django.utils.timezone.now", return_value=moment), moment


@pytest.fixture
def host():
    return DevLmsHost()


def test_it_is_the_configured_host():
    assert isinstance(get_host(), DevLmsHost)


class TestCourseOutline:
    def test_chapters_quiz_and_scorm_flags(self, host, devhost_course):
        outline = host.course_outline(devhost_course)

        assert (outline.course_key, outline.title, outline.has_scorm, outline.has_quiz) == (
            "course-v1:TestX+Host101+2025",
            "Host 101",
            True,
            True,
        )
        assert [(chapter.title, chapter.is_quiz) for chapter in outline.chapters] == [
            ("Basics", False),
            ("Practice", False),
            ("SCORM package", False),
            ("Quiz", True),
        ]
        assert outline.chapters[0].id == "block-v1:TestX+Host101+2025+type@chapter+block@chapter_1"

    def test_a_course_without_quiz_or_scorm(self, host, db):
        course_key = api.create_course("course-v1:TestX+Plain+2025", chapters=("Only",))

        outline = host.course_outline(course_key)

        assert (outline.has_quiz, outline.has_scorm, len(outline.chapters)) == (False, False, 1)

    def test_unknown_course(self, host, db):
        assert host.course_outline(UNKNOWN_COURSE) is None


class TestLearnerData:
    def test_full_names_leave_out_users_without_one(self, host, make_users):
        named = make_users(2)
        unnamed = make_users(1, name="")

        assert host.full_names(named + unnamed) == {named[0]: "Learner 1", named[1]: "Learner 2"}

    def test_progress_is_completed_leaves_over_all_leaves(self, host, devhost_course, make_users):
        half, all_done, none, other = make_users(4)
        api.set_progress(half, devhost_course, 0.5)  # 4 of 7 leaves
        api.set_progress(all_done, devhost_course, 1)
        api.answer_question(all_done, devhost_course, 1, "4")  # already complete: no double count
        # A block counts once it is wholly complete.
        BlockCompletion.objects.filter(user_id=half, block_key=api.leaf_keys(devhost_course)[0]).update(completion=0.5)

        assert host.progress(devhost_course, [half, all_done, none]) == {half: 3 / 7, all_done: 1.0}
        assert host.progress(UNKNOWN_COURSE, [half, other]) == {}

    def test_chapter_progress_and_completion_time(self, host, devhost_course, make_users):
        learner, newcomer = make_users(2)
        basics_1, basics_2, practice_1 = api.leaf_keys(devhost_course)[:3]
        clock, day_2 = at(2)
        with clock:
            api.complete_blocks(learner, devhost_course, [basics_2, practice_1])
        clock, day_5 = at(5)
        with clock:
            api.complete_blocks(learner, devhost_course, [basics_1])

        chapters = host.chapter_progress(devhost_course, [learner, newcomer])

        assert [(c.title, c.progress, c.completed_at) for c in chapters[learner]] == [
            ("Basics", 100, day_5),
            ("Practice", 50, None),
            ("SCORM package", 0, None),
            ("Quiz", 0, None),
        ]
        assert {c.progress for c in chapters[newcomer]} == {0}
        assert chapters[learner][0].chapter_id == "block-v1:TestX+Host101+2025+type@chapter+block@chapter_1"
        assert day_2 < day_5

    def test_quiz_results(self, host, devhost_course, make_users):
        quizzer, one_try, newcomer = make_users(3)
        api.answer_question(quizzer, devhost_course, 1, "5")
        api.answer_question(quizzer, devhost_course, 1, "4")
        api.answer_question(quizzer, devhost_course, 1, "4")
        api.answer_question(quizzer, devhost_course, 2, "Rome")
        api.answer_question(one_try, devhost_course, 2, "Paris")

        results = host.quiz_results(devhost_course, [quizzer, one_try, newcomer])

        [quiz] = results[quizzer]
        assert (quiz.title, quiz.score, quiz.attempts) == ("Quiz", 50, 3)
        assert quiz.chapter_id == "block-v1:TestX+Host101+2025+type@chapter+block@chapter_4"
        assert quiz.questions == (
            QuestionResult(question="2 + 2 = ?", answer="4", correct=True),
            QuestionResult(question="Capital of France?", answer="Rome", correct=False),
        )
        assert (results[one_try][0].score, results[one_try][0].attempts) == (50, 1)
        assert results[one_try][0].questions[0] == QuestionResult(question="2 + 2 = ?", answer="", correct=None)
        assert (results[newcomer][0].score, results[newcomer][0].attempts) == (None, 0)

    def test_passing_user_ids(self, host, devhost_course, make_users):
        passing, failing, silent = make_users(3)
        api.answer_question(passing, devhost_course, 1, "4")
        api.answer_question(failing, devhost_course, 1, "3")

        assert host.passing_user_ids(devhost_course, [passing, failing, silent]) == {passing}

    def test_scorm_activity_is_the_learners_newest_first(self, host, devhost_course, make_users):
        learner, other = make_users(2)
        older = datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)
        api.record_scorm_statement(learner, devhost_course, "attempted", "Module 1", timestamp=older)
        api.record_scorm_statement(learner, devhost_course, "completed", "Module 1", "score 0.9")
        api.record_scorm_statement(other, devhost_course, "attempted", "Module 1")

        records = host.scorm_activity(devhost_course, learner)

        assert [(r.verb, r.object, r.result) for r in records] == [
            ("completed", "Module 1", "score 0.9"),
            ("attempted", "Module 1", ""),
        ]
        assert records[1].timestamp == older

    def test_clear_learner_state(self, host, devhost_course, make_users):
        (learner,) = make_users(1)
        api.set_progress(learner, devhost_course, 1)
        api.answer_question(learner, devhost_course, 1, "4")
        api.record_scorm_statement(learner, devhost_course, "completed", "Module 1")
        api.visit(learner, devhost_course)

        host.clear_learner_state(devhost_course, iter([learner]), actor_id=None)

        assert host.progress(devhost_course, [learner]) == {}
        assert host.last_activity(devhost_course, [learner]) == {}
        assert host.passing_user_ids(devhost_course, [learner]) == set()
        assert host.quiz_results(devhost_course, [learner])[learner][0].score is None
        assert not ScormStatement.objects.exists()


class TestWrites:
    def test_enroll_and_unenroll_go_through_the_platform(self, host, devhost_course, make_users, captured_events):
        user_ids = make_users(2)
        staff = api.create_user("staff").pk

        assert host.enroll(devhost_course, iter(user_ids), "verified", actor_id=staff) == {}
        assert host.unenroll(devhost_course, user_ids[:1], actor_id=None) == {}

        assert [event_type for event_type, _ in captured_events] == [
            COURSE_ENROLLMENT_CHANGED.event_type,
            COURSE_ENROLLMENT_CREATED.event_type,
            COURSE_ENROLLMENT_CHANGED.event_type,
            COURSE_ENROLLMENT_CREATED.event_type,
            COURSE_ENROLLMENT_CHANGED.event_type,
            COURSE_UNENROLLMENT_COMPLETED.event_type,
        ]
        # Recorded as the instructor dashboard records its enrollments.
        audits = ManualEnrollmentAudit.objects.order_by("pk").values_list(
            "enrolled_email", "enrolled_by_id", "state_transition", "reason"
        )
        assert list(audits) == [
            ("learner1@example.com", staff, "from unenrolled to enrolled", "Learner Management"),
            ("learner2@example.com", staff, "from unenrolled to enrolled", "Learner Management"),
            ("learner1@example.com", None, "from enrolled to unenrolled", "Learner Management"),
        ]

    def test_the_modes_a_course_offers_and_which_earn_a_certificate(self, host, devhost_course):
        plain = api.create_course("course-v1:TestX+Plain+2025")

        assert host.course_modes(devhost_course) == (CourseMode("audit", False), CourseMode("verified", True))
        # A course that sets up no mode offers the LMS's default one, audit.
        assert host.course_modes(plain) == (CourseMode("audit", False),)

    def test_enrolling_without_a_mode_leaves_it_to_the_lms(self, host, devhost_course, make_users):
        honor_course = api.create_course("course-v1:TestX+Honor+2025", modes=("verified", "honor"))
        (learner,) = make_users(1)

        host.enroll(devhost_course, [learner], None, actor_id=None)
        host.enroll(honor_course, [learner], None, actor_id=None)

        # The course's default: audit where offered, else honor.
        assert dict(CourseEnrollment.objects.values_list("course_key", "mode")) == {
            devhost_course: "audit",
            CourseKey.from_string(str(honor_course)): "honor",
        }

    def test_certificates(self, host, devhost_course, make_users, captured_events):
        verified, auditor, stranger = make_users(3)
        host.enroll(devhost_course, [verified], "verified", actor_id=None)
        host.enroll(devhost_course, [auditor], "audit", actor_id=None)
        user_ids = [verified, auditor, stranger]

        outcomes = host.generate_certificates(devhost_course, user_ids)

        page = GeneratedCertificate.objects.get(user_id=verified).verify_uuid
        assert outcomes == {
            verified: CertificateOutcome(
                CertificateStatus.GENERATED, "verified", f"http://127.0.0.1:8000/certificates/{page}"
            ),
            auditor: CertificateOutcome(CertificateStatus.NOT_ELIGIBLE, "audit"),
            stranger: CertificateOutcome(CertificateStatus.DECLINED, ""),
        }
        user_ids = make_users(2)
        host.enroll(devhost_course, user_ids, "verified", actor_id=None)
        host.generate_certificates(devhost_course, user_ids)
        host.revoke_certificates(devhost_course, user_ids[:1], actor_id=None)

        assert dict(GeneratedCertificate.objects.values_list("user_id", "status")) == {
            verified: "downloadable",
            user_ids[0]: "unavailable",
            user_ids[1]: "downloadable",
        }
        assert [event_type for event_type, _ in captured_events][-3:] == [
            CERTIFICATE_CREATED.event_type,
            CERTIFICATE_CREATED.event_type,
            CERTIFICATE_REVOKED.event_type,
        ]

    def test_course_roles(self, host, devhost_course, make_users):
        staff, instructor, learner = make_users(3)
        host.grant_course_role(devhost_course, staff, "staff")
        host.grant_course_role(devhost_course, instructor, "instructor")

        assert host.course_staff_ids(devhost_course, [staff, instructor, learner]) == {staff, instructor}
        assert host.course_staff_ids(UNKNOWN_COURSE, [staff]) == set()

    def test_message_recipients_site_and_course_url(self, host, devhost_course, make_users, settings):
        ada, grace, gone, mute = make_users(2) + make_users(1, is_active=False) + make_users(1)
        get_user_model().objects.filter(pk=mute).update(email="")
        api.set_preference(grace, api.LANGUAGE_KEY, "fr")
        settings.LMS_ROOT_URL = "https://lms.example.com"

        assert host.message_recipients([ada, grace, gone, mute]) == {
            ada: MessageRecipient(email="learner1@example.com", name="Learner 1", language=None),
            grace: MessageRecipient(email="learner2@example.com", name="Learner 2", language="fr"),
        }
        assert host.message_site() == MessageSite(
            from_address=settings.DEFAULT_FROM_EMAIL, platform_name=settings.PLATFORM_NAME
        )
        assert host.course_url(devhost_course) == f"https://lms.example.com/courses/{devhost_course}/course/"


class TestPermissions:
    @pytest.mark.parametrize(
        "who, can_manage, is_admin",
        [
            ("anonymous", False, False),
            ("learner", False, False),
            ("course staff", True, False),
            ("course instructor", True, False),
            ("staff of another course", False, False),
            ("inactive course staff", False, False),
            ("global staff", True, True),
            ("inactive global staff", False, False),
            ("superuser", True, True),
        ],
    )
    def test_who_manages_the_course(self, host, devhost_course, who, can_manage, is_admin):
        other_course = api.create_course("course-v1:TestX+Other+2025")
        users = {
            "anonymous": AnonymousUser(),
            "learner": api.create_user("learner"),
            "course staff": api.create_user("staff"),
            "course instructor": api.create_user("instructor"),
            "staff of another course": api.create_user("elsewhere"),
            "inactive course staff": api.create_user("gone", is_active=False),
            "global staff": api.create_user("admin", is_staff=True),
            "inactive global staff": api.create_user("retired", is_staff=True, is_active=False),
        }
        users["superuser"] = api.create_user("root")
        users["superuser"].is_superuser = True
        api.grant_role(users["course staff"], devhost_course, "staff")
        api.grant_role(users["inactive course staff"], devhost_course, "staff")
        api.grant_role(users["course instructor"], devhost_course, "instructor")
        api.grant_role(users["staff of another course"], other_course, "staff")

        assert host.can_manage_course(users[who], devhost_course) is can_manage
        assert host.is_platform_admin(users[who]) is is_admin


class TestProgressReceivers:
    def test_on_progress_is_called_once_per_learner_and_batch(self, host, devhost_course, make_users):
        calls = []

        def on_progress(user_id, course_key):
            calls.append(("progress", user_id, course_key))

        def on_activity(user_id, course_key):
            calls.append(("activity", user_id, course_key))

        host.connect_progress_receivers(on_progress, on_activity)
        host.connect_progress_receivers(on_progress, on_activity)
        user_ids = make_users(2)

        api.bulk_set_progress(devhost_course, {user_ids[0]: 0.5, user_ids[1]: 1})
        api.complete_blocks(user_ids[0], devhost_course, api.leaf_keys(devhost_course)[-3:])
        # Already complete: the answer is activity, and progress does not change.
        api.answer_question(user_ids[1], devhost_course, 1, "4")
        api.visit(user_ids[0], devhost_course)
        api.complete_blocks(user_ids[1], devhost_course, api.leaf_keys(devhost_course)[:1], completion=0.4)

        key = "course-v1:TestX+Host101+2025"
        assert calls == [
            ("progress", user_ids[0], key),
            ("progress", user_ids[1], key),
            ("progress", user_ids[0], key),
            ("activity", user_ids[1], key),
            ("activity", user_ids[0], key),
            ("progress", user_ids[1], key),
        ]


class TestActivity:
    def test_visits_part_done_blocks_answers_and_scorm_are_activity_not_progress(
        self, host, devhost_course, make_users
    ):
        visitor, watcher, idle = make_users(3)
        first_leaf = api.leaf_keys(devhost_course)[0]
        api.visit(visitor, devhost_course)
        api.complete_blocks(watcher, devhost_course, [first_leaf], completion=0.5)

        assert host.progress(devhost_course, [visitor, watcher, idle]) == {}
        activity = host.last_activity(devhost_course, [visitor, watcher, idle])
        assert set(activity) == {visitor, watcher}

        api.complete_blocks(watcher, devhost_course, [first_leaf])
        assert host.progress(devhost_course, [watcher])[watcher] > 0
        assert host.last_activity(devhost_course, [watcher])[watcher] >= activity[watcher]

    @pytest.mark.parametrize("completion", [0.0, 1.5])
    def test_a_completion_is_above_zero_and_at_most_one(self, devhost_course, make_users, completion):
        (learner,) = make_users(1)
        with pytest.raises(ValueError):
            api.complete_blocks(learner, devhost_course, api.leaf_keys(devhost_course)[:1], completion=completion)


class TestSetBasedQueries:
    """
    Bulk methods cost the same few queries for a handful of learners as for many.
    """

    # Most queries per call. Writes: the course, the learners' rows, an insert and/or an update, the
    # users for the events and a savepoint pair.
    MOST_QUERIES = {
        "full_names": 1,
        "enroll": 10,
        "unenroll": 8,
        "progress": 2,
        "passing_user_ids": 1,
        "chapter_progress": 2,
        "quiz_results": 2,
        "clear_learner_state": 8,
        "last_activity": 4,
        "generate_certificates": 10,
        "revoke_certificates": 6,
        "course_staff_ids": 1,
        "message_recipients": 2,
    }

    @pytest.mark.parametrize("count", [5, 120])
    @pytest.mark.parametrize("method", sorted(MOST_QUERIES))
    def test_bulk_methods(
        self, host, devhost_course, make_users, captured_events, django_assert_max_num_queries, method, count
    ):  # pylint: disable=unused-argument
        user_ids = make_users(count)
        # Learners in every state the writes meet (by index modulo 5: not enrolled, enrolled with a
        # certificate, with a revoked one, with none, unenrolled), all with progress, answers and a role.
        _, certified, revoked, uncertified, unenrolled = (user_ids[group::5] for group in range(5))
        api.bulk_enroll(devhost_course, certified + revoked + uncertified + unenrolled, mode="verified")
        api.issue_certificates(devhost_course, certified + revoked)
        api.revoke_certificates(devhost_course, revoked)
        api.bulk_unenroll(devhost_course, unenrolled)
        api.bulk_set_progress(devhost_course, dict.fromkeys(user_ids, 0.5))
        question = api.leaf_keys(devhost_course)[-1]
        ProblemState.objects.bulk_create(
            ProblemState(user_id=user_id, course_key=devhost_course, block_key=question, answer="Paris", correct=True)
            for user_id in user_ids
        )
        PersistentCourseGrade.objects.bulk_create(
            PersistentCourseGrade(user_id=user_id, course_key=devhost_course, passed=True) for user_id in user_ids
        )
        CourseAccessRole.objects.bulk_create(
            CourseAccessRole(user_id=user_id, course_key=devhost_course, role="staff") for user_id in user_ids
        )
        arguments = {
            "full_names": (user_ids,),
            "message_recipients": (user_ids,),
            "enroll": (devhost_course, user_ids, None),
        }.get(method, (devhost_course, user_ids))

        with_actor = ("clear_learner_state", "revoke_certificates", "enroll", "unenroll")
        keywords = {"actor_id": None} if method in with_actor else {}

        with django_assert_max_num_queries(self.MOST_QUERIES[method]):
            getattr(host, method)(*arguments, **keywords)
