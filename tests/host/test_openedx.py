"""
Unit tests of the Open edX host adapter, against stand-ins installed at the platform's module paths
(``test_utils.openedx_platform``).

The platform functions and classes the adapter calls are autospecced from stand-ins written with their
real signatures, so a call the platform would refuse fails here too. Where Ulmo and Verawood differ
(``RELEASES``), every test runs against each: Ulmo's signatures are those of the Ulmo-era platform
(openedx/edx-platform and forks cut from it before December 2025), Verawood's those of
openedx-platform from 2026. No database is used: Django users and the platform's querysets are small
in-memory stand-ins.

They also run without the development host (whose fixtures ``tests/conftest.py`` loads):
``pytest tests/host/test_openedx.py --noconftest --ds tests.host.openedx_test_settings``.
"""

# The fixtures come from test_utils.openedx_platform, imported by name: pytest finds them there, and the
# tests' parameters of the same names are those fixtures, not redefinitions.
# ruff: noqa: F811

import contextlib
import json
import subprocess
import sys
from types import SimpleNamespace
from unittest import mock

import pytest
from django.db.models.signals import post_save
from edx_django_utils.cache import TieredCache

from learner_mgmt_plugin.data import (
    CertificateOutcome,
    CertificateStatus,
    ChapterOutline,
    ChapterProgress,
    CourseMode,
    CourseOutline,
    MessageRecipient,
    MessageSite,
    QuestionResult,
    QuizResult,
    ScormRecord,
)
from learner_mgmt_plugin.exceptions import HostUnavailable
from learner_mgmt_plugin.host import openedx
from test_utils.openedx_platform import (  # noqa: F401  (fixtures)
    ADA,
    BOB,
    CHAPTER_IDS,
    COURSE,
    COURSE_KEY,
    DEE,
    ENROLLED_TO_UNENROLLED,
    FORUM,
    INTRO,
    OTHER_COURSE_KEY,
    PRACTICE,
    Q1,
    Q2,
    QUIZ,
    SCORM,
    STAFF,
    TRAINING,
    UNENROLLED_TO_ENROLLED,
    WELCOME,
    CertificateInvalidation,
    CourseEnrollmentException,
    GeneratedCertificate,
    Rows,
    StudentModuleDoesNotExist,
    at,
    completion,
    empty_cache,
    host,
    lms,
    no_platform,
    platform_modules,
    release,
    student_module,
    user,
    users,
)

# Importing and failing closed


def test_module_imports_without_the_platform():
    probe = (
        "import sys, learner_mgmt_plugin.host.openedx; "
        "loaded = [name for name in ('lms', 'common', 'openedx', 'xmodule', 'xblock', 'completion') "
        "if name in sys.modules]; "
        "assert not loaded, loaded"
    )
    subprocess.run([sys.executable, "-c", probe], check=True)


@pytest.mark.usefixtures("no_platform")
def test_permission_checks_deny_without_the_platform(host):
    assert host.can_manage_course(STAFF, COURSE_KEY) is False
    assert host.is_platform_admin(STAFF) is False


@pytest.mark.parametrize(
    "call",
    [
        lambda host: host.course_outline(COURSE_KEY),
        lambda host: host.full_names([1]),
        lambda host: host.enroll(COURSE_KEY, [1], None, actor_id=None),
        lambda host: host.course_modes(COURSE_KEY),
        lambda host: host.unenroll(COURSE_KEY, [1], actor_id=None),
        lambda host: host.progress(COURSE_KEY, [1]),
        lambda host: host.passing_user_ids(COURSE_KEY, [1]),
        lambda host: host.chapter_progress(COURSE_KEY, [1]),
        lambda host: host.quiz_results(COURSE_KEY, [1]),
        lambda host: host.scorm_activity(COURSE_KEY, 1),
        lambda host: host.clear_learner_state(COURSE_KEY, [1], actor_id=None),
        lambda host: host.generate_certificates(COURSE_KEY, [1]),
        lambda host: host.revoke_certificates(COURSE_KEY, [1], actor_id=None),
        lambda host: host.course_staff_ids(COURSE_KEY, [1]),
        lambda host: host.grant_course_role(COURSE_KEY, 1, "staff"),
    ],
)
@pytest.mark.usefixtures("users", "no_platform")
def test_everything_else_raises_without_the_platform(host, call):
    with pytest.raises(HostUnavailable):
        call(host)


def test_progress_receivers_without_edx_completion_warn_and_connect_nothing(host, caplog):
    with mock.patch.object(openedx, "apps") as registry:
        registry.is_installed.return_value = False
        host.connect_progress_receivers(mock.Mock(), mock.Mock())

    registry.is_installed.assert_called_once_with("completion")
    registry.get_model.assert_not_called()
    assert "edx-completion is not installed" in caplog.text


# Courses and learners


def test_course_outline_lists_the_chapters_learners_see_with_quiz_and_scorm_flags(host, lms):
    assert host.course_outline(COURSE_KEY) == CourseOutline(
        course_key=str(COURSE_KEY),
        title="Learning to learn",
        chapters=(
            ChapterOutline(id=CHAPTER_IDS[WELCOME], title="Welcome", is_quiz=False),
            ChapterOutline(id=CHAPTER_IDS[QUIZ], title="Final quiz", is_quiz=True),
            ChapterOutline(id=CHAPTER_IDS[TRAINING], title="Training", is_quiz=False),
        ),
        has_scorm=True,
    )
    lms.store.get_course.assert_called_once_with(COURSE_KEY, depth=None)


def test_course_outline_is_cached_under_a_namespaced_key(host, lms):
    first = host.course_outline(COURSE_KEY)

    assert host.course_outline(COURSE_KEY) == first
    lms.store.get_course.assert_called_once()
    assert TieredCache.get_cached_response(f"learner_mgmt_plugin.outline.{COURSE_KEY}").is_found


def test_unknown_course_has_no_outline_and_is_not_cached(host, lms):
    assert host.course_outline(OTHER_COURSE_KEY) is None
    assert host.course_outline(OTHER_COURSE_KEY) is None
    assert lms.store.get_course.call_count == 2


def test_full_names_come_from_profiles_leaving_out_blank_names(host, lms):
    lms.UserProfile.objects = Rows(
        [
            SimpleNamespace(user_id=1, name="Ada Lovelace"),
            SimpleNamespace(user_id=2, name=""),
            SimpleNamespace(user_id=3, name="Cyd Charisse"),
        ]
    )

    assert host.full_names([1, 2, 4]) == {1: "Ada Lovelace"}


# Enrollment


def test_enroll_leaves_active_enrollments_alone(host, lms):
    lms.CourseEnrollment.objects = Rows(
        [
            SimpleNamespace(user_id=1, course_id=COURSE_KEY, is_active=True),
            SimpleNamespace(user_id=2, course_id=COURSE_KEY, is_active=False),
            SimpleNamespace(user_id=4, course_id=OTHER_COURSE_KEY, is_active=True),
        ]
    )

    assert host.enroll(COURSE_KEY, [1, 2, 4, 404], "verified", actor_id=STAFF.id) == {}

    assert sorted(lms.CourseEnrollment.enroll.call_args_list, key=lambda call: call.args[0].id) == [
        mock.call(BOB, COURSE_KEY, mode="verified"),
        mock.call(DEE, COURSE_KEY, mode="verified"),
    ]
    # Recorded as the instructor dashboard records its enrollments.
    audit = lms.ManualEnrollmentAudit.create_manual_enrollment_audit
    assert sorted(audit.call_args_list, key=lambda call: call.args[1]) == [
        mock.call(STAFF, "", UNENROLLED_TO_ENROLLED, "Learner Management", ("enrollment", DEE.id)),
        mock.call(STAFF, "bob@example.com", UNENROLLED_TO_ENROLLED, "Learner Management", ("enrollment", BOB.id)),
    ]


def test_enroll_reports_the_learners_the_platform_refuses(host, lms):
    def enroll_or_refuse(user, course_key, mode=None, check_access=False, can_upgrade=False, enterprise_uuid=None):
        # EnrollmentNotAllowed, which the platform raises when CourseEnrollmentStarted refuses: with
        # check_access off, its only refusal.
        if user is BOB:
            raise CourseEnrollmentException("Enrollment is closed for this learner.")

    lms.CourseEnrollment.enroll.side_effect = enroll_or_refuse

    assert host.enroll(COURSE_KEY, [1, 2], None, actor_id=STAFF.id) == {2: "Enrollment is closed for this learner."}
    assert lms.CourseEnrollment.enroll.call_count == 2
    # Only the enrollment made is recorded.
    [audit] = lms.ManualEnrollmentAudit.create_manual_enrollment_audit.call_args_list
    assert audit.args[1] == "ada@example.com"


def test_unenroll_deactivates_active_enrollments_only(host, lms):
    lms.CourseEnrollment.objects = Rows(
        [
            SimpleNamespace(user_id=1, course_id=COURSE_KEY, is_active=True),
            SimpleNamespace(user_id=2, course_id=COURSE_KEY, is_active=False),
            SimpleNamespace(user_id=4, course_id=OTHER_COURSE_KEY, is_active=True),
        ]
    )

    assert host.unenroll(COURSE_KEY, [1, 2, 4], actor_id=STAFF.id) == {}

    lms.CourseEnrollment.unenroll.assert_called_once_with(ADA, COURSE_KEY)
    lms.ManualEnrollmentAudit.create_manual_enrollment_audit.assert_called_once_with(
        STAFF, "ada@example.com", ENROLLED_TO_UNENROLLED, "Learner Management", ("enrollment", ADA.id)
    )


def test_unenroll_reports_the_learners_the_platform_refuses_and_goes_on(host, lms):
    lms.CourseEnrollment.objects = Rows(
        [SimpleNamespace(user_id=user_id, course_id=COURSE_KEY, is_active=True) for user_id in (1, 2, 4)]
    )

    def unenroll_or_refuse(user, course_id, skip_refund=False):
        # UnenrollmentNotAllowed, which the platform raises when CourseUnenrollmentStarted refuses.
        if user is BOB:
            raise CourseEnrollmentException("Mandatory training: this learner stays enrolled.")

    lms.CourseEnrollment.unenroll.side_effect = unenroll_or_refuse

    assert host.unenroll(COURSE_KEY, [1, 2, 4], actor_id=STAFF.id) == {
        2: "Mandatory training: this learner stays enrolled."
    }
    assert sorted(call.args[0].id for call in lms.CourseEnrollment.unenroll.call_args_list) == [1, 2, 4]
    recorded = lms.ManualEnrollmentAudit.create_manual_enrollment_audit.call_args_list
    assert sorted(call.args[1] for call in recorded) == ["", "ada@example.com"]


# Progress and course state


@pytest.fixture
def completions(lms):  # pylint: disable=redefined-outer-name
    """
    Completion records of Ada and Bob. Of the course's blocks, INTRO, PRACTICE, Q1, Q2 and SCORM count:
    FORUM is not completable and SECRET is for staff only.
    """
    lms.BlockCompletion.objects.rows = [
        completion(ADA, INTRO, 1.0, at(1)),
        completion(ADA, FORUM, 1.0, at(2)),
        completion(ADA, Q1, 1.0, at(3)),
        completion(ADA, SCORM, 0.5, at(4)),
        completion(ADA, PRACTICE, 1.0, at(7)),
        completion(BOB, INTRO, 1.0, at(5)),
        SimpleNamespace(user_id=1, context_key=OTHER_COURSE_KEY, block_key=Q2.location, completion=1.0, modified=at(6)),
    ]


@pytest.mark.usefixtures("completions")
def test_progress_is_the_share_of_completable_blocks_completed(host):
    # Ada's SCORM package, half done, is activity: as the platform's outline says, not complete.
    assert host.progress(COURSE_KEY, [1, 2, 4]) == {1: pytest.approx(0.6), 2: pytest.approx(0.2)}


@pytest.mark.usefixtures("completions")
def test_chapter_progress_reports_each_chapter_in_course_order(host):
    progress = host.chapter_progress(COURSE_KEY, [1, 2, 4])

    assert progress[1] == (
        ChapterProgress(chapter_id=CHAPTER_IDS[WELCOME], title="Welcome", progress=100, completed_at=at(7)),
        ChapterProgress(chapter_id=CHAPTER_IDS[QUIZ], title="Final quiz", progress=50, completed_at=None),
        ChapterProgress(chapter_id=CHAPTER_IDS[TRAINING], title="Training", progress=0, completed_at=None),
    )
    assert [chapter.progress for chapter in progress[2]] == [50, 0, 0]
    assert [chapter.progress for chapter in progress[4]] == [0, 0, 0]


@pytest.mark.usefixtures("completions")
def test_each_learner_counts_only_what_the_platform_shows_them(host, lms):
    # Bob was given Q1 of the exam's bank, not Q2, and his cohort does not reach the Training chapter.
    lms.hidden[BOB.id] = {Q2, TRAINING}

    assert host.progress(COURSE_KEY, [1, 2]) == {1: pytest.approx(0.6), 2: pytest.approx(1 / 3)}
    assert [(chapter.title, chapter.progress) for chapter in host.chapter_progress(COURSE_KEY, [2])[2]] == [
        ("Welcome", 50),
        ("Final quiz", 0),
    ]
    [quiz] = host.quiz_results(COURSE_KEY, [2])[2]
    assert [question.question for question in quiz.questions] == ["What is 2 + 2?"]


@pytest.mark.usefixtures("completions")
def test_learners_blocks_come_from_one_collected_structure_and_caches_filled_once(host, lms):
    calls = mock.Mock()
    for name in ("get_block_structure_manager", "bulk_cache_cohorts", "get_course_blocks"):
        calls.attach_mock(getattr(lms, name), name)
    calls.attach_mock(lms.CourseEnrollment.bulk_fetch_enrollment_states, "enrollments")
    calls.attach_mock(lms.BulkRoleCache.prefetch, "roles")
    calls.attach_mock(lms.BulkCourseTags.prefetch, "course_tags")
    collected = lms.get_block_structure_manager.return_value.get_collected.return_value

    host.chapter_progress(COURSE_KEY, [1, 2])

    transform = {"collected_block_structure": collected, "allow_start_dates_in_future": True}
    assert [call for call in calls.mock_calls if not call[0].startswith("get_block_structure_manager().")] == [
        mock.call.get_block_structure_manager(COURSE_KEY),
        mock.call.enrollments([ADA, BOB], COURSE_KEY),
        mock.call.bulk_cache_cohorts(COURSE_KEY, [ADA, BOB]),
        mock.call.roles([ADA, BOB]),
        mock.call.course_tags(COURSE_KEY, [ADA, BOB]),
        mock.call.get_course_blocks(ADA, COURSE.location, **transform),
        mock.call.get_course_blocks(BOB, COURSE.location, **transform),
    ]


def test_passing_users_are_read_after_one_prefetch_which_is_cleared(host, lms):
    lms.grades = {1: SimpleNamespace(passed=True), 2: SimpleNamespace(passed=False)}
    calls = mock.Mock()
    calls.attach_mock(lms.prefetch_course_grades, "prefetch")
    calls.attach_mock(lms.CourseGradeFactory.return_value.iter, "iter")
    calls.attach_mock(lms.clear_prefetched_course_grades, "clear")

    assert host.passing_user_ids(COURSE_KEY, [1, 2, 4]) == {1}

    found = [ADA, BOB, DEE]
    assert calls.mock_calls == [
        mock.call.prefetch(COURSE_KEY, found),
        mock.call.iter(found, course_key=COURSE_KEY),
        mock.call.clear(COURSE_KEY),
    ]


def test_quiz_results_score_graded_subsections_and_read_answers_from_problem_state(host, lms):
    subsection = SimpleNamespace(graded=True, graded_total=SimpleNamespace(earned=1.0, possible=2.0))
    ungraded = SimpleNamespace(graded=False, graded_total=SimpleNamespace(earned=0.0, possible=5.0))
    lms.grades = {1: SimpleNamespace(chapter_grades={QUIZ.location: {"sections": [subsection, ungraded]}})}
    lms.StudentModule.objects = Rows(
        [
            student_module(
                ADA,
                Q1,
                {
                    "attempts": 2,
                    "student_answers": {"q1_2_1": "4"},
                    "correct_map": {"q1_2_1": {"correctness": "correct"}},
                },
            ),
            student_module(
                ADA,
                Q2,
                {
                    "attempts": 1,
                    "student_answers": {"q2_2_1": ["choice_2", "choice_4"]},
                    "correct_map": {"q2_2_1": {"correctness": "incorrect"}},
                },
            ),
            student_module(ADA, PRACTICE, {"attempts": 9, "student_answers": {"p_2_1": "x"}}),
        ]
    )

    results = host.quiz_results(COURSE_KEY, [1, 2])

    assert results == {
        1: (
            QuizResult(
                chapter_id=CHAPTER_IDS[QUIZ],
                title="Final quiz",
                score=50,
                attempts=2,
                questions=(
                    QuestionResult(question="What is 2 + 2?", answer="4", correct=True),
                    QuestionResult(question="Pick the primes", answer="choice_2, choice_4", correct=False),
                ),
            ),
        ),
        2: (
            QuizResult(
                chapter_id=CHAPTER_IDS[QUIZ],
                title="Final quiz",
                score=None,
                attempts=0,
                questions=(
                    QuestionResult(question="What is 2 + 2?", answer="", correct=None),
                    QuestionResult(question="Pick the primes", answer="", correct=None),
                ),
            ),
        ),
    }
    lms.prefetch_course_and_subsection_grades.assert_called_once_with(COURSE_KEY, [ADA, BOB])
    lms.clear_prefetched_course_grades.assert_called_once_with(COURSE_KEY)


def test_scorm_activity_reads_scorm_block_state_newest_first(host, lms):
    other_scorm = SimpleNamespace(
        student_id=1,
        course_id=COURSE_KEY,
        module_type="scormxblock",
        module_state_key=COURSE_KEY.make_usage_key("scormxblock", "old"),
        modified=at(1),
        state=json.dumps({"lesson_status": "incomplete"}),
    )
    lms.StudentModule.objects = Rows(
        [
            other_scorm,
            student_module(
                ADA,
                SCORM,
                {"lesson_status": "completed", "success_status": "passed", "lesson_score": 0.85},
                modified=at(5),
            ),
            student_module(ADA, Q1, {"attempts": 1}, modified=at(9)),
            student_module(BOB, SCORM, {"lesson_status": "failed"}, modified=at(7)),
        ]
    )

    assert host.scorm_activity(COURSE_KEY, 1) == (
        ScormRecord(verb="completed", object="Safety training", result="passed, score 85%", timestamp=at(5)),
        ScormRecord(verb="incomplete", object=str(other_scorm.module_state_key), result="", timestamp=at(1)),
    )


def test_clear_learner_state_follows_the_whole_course_reset_recipe(host, lms):
    lms.StudentModule.objects = Rows(
        [
            student_module(ADA, Q1, {"attempts": 1}),
            student_module(ADA, SCORM, {"lesson_status": "completed"}),
            student_module(ADA, QUIZ.children[0], {"position": 1}),
            student_module(BOB, INTRO, {}),
        ]
    )
    lms.reset_student_attempts.side_effect = [None, StudentModuleDoesNotExist(), None]
    # An open response Ada answered is scored in edx-submissions, with no block state to reset.
    essay = str(COURSE_KEY.make_usage_key("openassessment", "essay"))
    lms.submissions.get_scores.side_effect = lambda course_id, student_id: (
        {essay: {"points_earned": 3, "points_possible": 5}} if student_id == "anonymous-ada" else {}
    )
    calls = mock.Mock()
    calls.attach_mock(lms.reset_student_attempts, "reset")
    calls.attach_mock(lms.submissions.reset_score, "reset_score")
    calls.attach_mock(lms.BlockCompletion.objects.clear_learning_context_completion, "clear_completion")
    calls.attach_mock(lms.clear_user_course_grades, "clear_grades")

    host.clear_learner_state(COURSE_KEY, [1, 2], actor_id=STAFF.id)

    reset = {"delete_module": True, "emit_signals_and_events": False}
    assert calls.mock_calls == [
        mock.call.reset(COURSE_KEY, ADA, Q1.location, STAFF, **reset),
        mock.call.reset(COURSE_KEY, ADA, SCORM.location, STAFF, **reset),
        mock.call.reset_score("anonymous-ada", str(COURSE_KEY), essay, clear_state=True, emit_signal=False),
        mock.call.clear_completion(ADA, COURSE_KEY),
        mock.call.clear_grades(1, COURSE_KEY),
        mock.call.reset(COURSE_KEY, BOB, INTRO.location, STAFF, **reset),
        mock.call.clear_completion(BOB, COURSE_KEY),
        mock.call.clear_grades(2, COURSE_KEY),
    ]


def test_clear_learner_state_by_the_system_is_recorded_as_the_learner(host, lms):
    lms.StudentModule.objects = Rows([student_module(ADA, Q1, {"attempts": 1})])

    host.clear_learner_state(COURSE_KEY, [1], actor_id=None)

    lms.reset_student_attempts.assert_called_once_with(
        COURSE_KEY,
        ADA,
        Q1.location,
        ADA,
        delete_module=True,
        emit_signals_and_events=False,
    )


# Certificates


def certificate_of(status, verify_uuid="c0ffee"):
    return mock.create_autospec(GeneratedCertificate, instance=True, status=status, verify_uuid=verify_uuid)


@pytest.fixture
def modes(lms):  # pylint: disable=redefined-outer-name
    """
    Enrollments in the course: Ada and Bob in modes that earn a certificate, Dee in audit (Cyd none).
    """
    lms.CourseEnrollment.objects = Rows(
        [
            SimpleNamespace(user_id=1, course_id=COURSE_KEY, mode="verified", is_active=True),
            SimpleNamespace(user_id=2, course_id=COURSE_KEY, mode="honor", is_active=True),
            SimpleNamespace(user_id=4, course_id=COURSE_KEY, mode="audit", is_active=True),
            SimpleNamespace(user_id=3, course_id=OTHER_COURSE_KEY, mode="verified", is_active=True),
        ]
    )


@pytest.mark.usefixtures("modes")
def test_generate_certificates_allowlists_lifts_an_invalidation_then_generates(host, lms, release):
    # Ada has a certificate an earlier removal invalidated: the platform makes it downloadable at once
    # (Celery eager). Bob has none: the platform queues its generation.
    ada_certificate = certificate_of("unavailable")
    certificates = {"ada": ada_certificate}
    invalidation = mock.create_autospec(CertificateInvalidation, instance=True, active=True)
    lms.get_certificate_for_user.side_effect = lambda username, course_key, format_results=True: certificates.get(
        username
    )
    lms.get_certificate_invalidation_entry.return_value = invalidation

    def generate(learner, course_key, generation_mode=None):
        if learner is ADA:
            ada_certificate.status = "downloadable"
        return True

    lms.generate_certificate_task.side_effect = generate
    calls = mock.Mock()
    calls.attach_mock(lms.create_or_update_certificate_allowlist_entry, "allowlist")
    calls.attach_mock(lms.get_certificate_invalidation_entry, "invalidation")
    calls.attach_mock(invalidation.deactivate, "deactivate")
    calls.attach_mock(lms.generate_certificate_task, "generate")

    assert host.generate_certificates(COURSE_KEY, [1, 2, 3, 4]) == {
        # Its page: get_certificate_url's path under the LMS.
        1: CertificateOutcome(CertificateStatus.GENERATED, "verified", "http://127.0.0.1:8000/certificates/c0ffee"),
        2: CertificateOutcome(CertificateStatus.REQUESTED, "honor"),
        # Cyd is not enrolled; Dee's audit track earns no certificate: neither is put on the allowlist.
        3: CertificateOutcome(CertificateStatus.DECLINED, ""),
        4: CertificateOutcome(CertificateStatus.NOT_ELIGIBLE, "audit"),
    }

    note = openedx.CERTIFICATE_ISSUED_NOTE
    # Ulmo's lookup takes the certificate alone; Verawood's filters by keywords.
    lookup = (
        mock.call.invalidation(ada_certificate, active=True)
        if release == "verawood"
        else mock.call.invalidation(ada_certificate)
    )
    assert calls.mock_calls == [
        mock.call.allowlist(ADA, COURSE_KEY, note),
        lookup,
        mock.call.deactivate(),
        mock.call.generate(ADA, COURSE_KEY, generation_mode="batch"),
        mock.call.allowlist(BOB, COURSE_KEY, note),
        mock.call.generate(BOB, COURSE_KEY, generation_mode="batch"),
    ]


@pytest.mark.usefixtures("modes")
def test_an_inactive_invalidation_is_left_as_it_is(host, lms):
    certificates = {"ada": certificate_of("downloadable")}
    lms.get_certificate_for_user.side_effect = lambda username, course_key, format_results=True: certificates.get(
        username
    )
    # On Ulmo the lookup returns the entry whether it is active or not (Verawood is asked for an active one).
    inactive = mock.create_autospec(CertificateInvalidation, instance=True, active=False)
    lms.get_certificate_invalidation_entry.side_effect = lambda certificate, **keywords: (
        None if keywords.get("active") else inactive
    )
    lms.generate_certificate_task.return_value = False

    assert host.generate_certificates(COURSE_KEY, [1]) == {
        1: CertificateOutcome(CertificateStatus.GENERATED, "verified", "http://127.0.0.1:8000/certificates/c0ffee")
    }
    inactive.deactivate.assert_not_called()


@pytest.mark.usefixtures("modes")
@pytest.mark.parametrize(
    ("status_after", "requested", "outcome"),
    [
        ("unverified", True, CertificateStatus.UNVERIFIED),
        ("unavailable", False, CertificateStatus.UNAVAILABLE),
        (None, False, CertificateStatus.DECLINED),
        ("generating", True, CertificateStatus.REQUESTED),
    ],
)
def test_what_the_platform_did_instead_of_a_downloadable_certificate(host, lms, status_after, requested, outcome):
    certificate = certificate_of(status_after) if status_after else None
    lms.get_certificate_for_user.side_effect = lambda username, course_key, format_results=True: certificate
    lms.generate_certificate_task.return_value = requested

    assert host.generate_certificates(COURSE_KEY, [1]) == {1: CertificateOutcome(outcome, "verified")}


def test_certificate_urls_are_the_pages_of_downloadable_certificates(host, lms):
    certificates = {"ada": certificate_of("downloadable", "ada0"), "bob": certificate_of("unavailable", "bob0")}
    lms.get_certificate_for_user.side_effect = lambda username, course_key, format_results=True: certificates.get(
        username
    )

    assert host.certificate_urls(COURSE_KEY, [1, 2, 4]) == {1: "http://127.0.0.1:8000/certificates/ada0"}
    lms.get_certificate_url.assert_called_once_with(user_id=1, course_id=COURSE_KEY, uuid="ada0")


def test_course_modes_say_which_earn_a_certificate(host, lms):
    assert host.course_modes(COURSE_KEY) == (CourseMode("audit", False), CourseMode("verified", True))
    lms.CourseMode.modes_for_course_dict.assert_called_once_with(COURSE_KEY)


def test_revoke_certificates_undoes_the_allowlisting_and_records_who_did(host, lms):
    ada_certificate, bob_certificate = certificate_of("downloadable"), certificate_of("downloadable")
    certificates = {"ada": ada_certificate, "bob": bob_certificate}
    lms.get_certificate_for_user.side_effect = lambda username, course_key, format_results=True: certificates.get(
        username
    )
    # The plugin allowlisted Ada; the course team allowlisted Bob in the instructor dashboard.
    entries = {
        ADA.id: SimpleNamespace(notes=openedx.CERTIFICATE_ISSUED_NOTE),
        BOB.id: SimpleNamespace(notes="Allowlisted by the instructor"),
    }
    lms.get_allowlist_entry.side_effect = lambda user, course_key: entries.get(user.id)

    def remove_entry(user, course_key):
        # The platform invalidates the certificate of a learner it takes off the allowlist.
        certificates[user.username].status = "unavailable"
        return True

    lms.remove_allowlist_entry.side_effect = remove_entry
    calls = mock.Mock()
    calls.attach_mock(lms.remove_allowlist_entry, "unlist")
    calls.attach_mock(ada_certificate.invalidate, "invalidate_ada")
    calls.attach_mock(bob_certificate.invalidate, "invalidate_bob")
    calls.attach_mock(lms.create_certificate_invalidation_entry, "record")

    host.revoke_certificates(COURSE_KEY, [1, 2, 4], actor_id=STAFF.id)

    assert calls.mock_calls == [
        mock.call.unlist(ADA, COURSE_KEY),
        mock.call.record(ada_certificate, STAFF, openedx.CERTIFICATE_REVOKED_NOTE),
        mock.call.invalidate_bob(source="learner_mgmt_plugin"),
        mock.call.record(bob_certificate, STAFF, openedx.CERTIFICATE_REVOKED_NOTE),
    ]


def test_a_revocation_without_a_course_team_member_names_nobody(host, lms):
    certificate = certificate_of("downloadable")
    lms.get_certificate_for_user.side_effect = lambda username, course_key, format_results=True: certificate

    host.revoke_certificates(COURSE_KEY, [1], actor_id=None)

    certificate.invalidate.assert_called_once_with(source="learner_mgmt_plugin")
    lms.create_certificate_invalidation_entry.assert_not_called()


# Roles and permissions


def test_course_staff_are_the_holders_of_the_staff_or_instructor_role(host, lms):
    lms.CourseStaffRole.return_value.users_with_role.return_value = Rows([ADA, STAFF])
    lms.CourseInstructorRole.return_value.users_with_role.return_value = Rows([BOB])

    assert host.course_staff_ids(COURSE_KEY, [1, 2, 4]) == {1, 2}
    lms.CourseStaffRole.assert_called_once_with(COURSE_KEY)
    lms.CourseInstructorRole.assert_called_once_with(COURSE_KEY)


@pytest.mark.parametrize("role", ["staff", "instructor"])
def test_grant_course_role_is_the_instructor_dashboards_allow_access(host, lms, role):
    host.grant_course_role(COURSE_KEY, 2, role)

    lms.allow_access.assert_called_once_with(SimpleNamespace(id=COURSE_KEY), BOB, role)


def test_grant_course_role_refuses_other_roles(host, lms):
    with pytest.raises(ValueError):
        host.grant_course_role(COURSE_KEY, 2, "beta_testers")
    lms.allow_access.assert_not_called()


@pytest.mark.urls("tests.host.lms_urls")
@pytest.mark.parametrize("legacy", [False, True])
def test_the_instructor_dashboard_is_where_the_release_serves_it(host, lms, release, legacy):
    legacy_url = f"/courses/{COURSE_KEY}/instructor"
    if release == "verawood":
        lms.get_instructor_dashboard_url.side_effect = lambda course_key: (
            f"https://apps.example.com/instructor/{course_key}"
        )
        lms.legacy_instructor_dashboard.return_value = legacy

    url = host.instructor_dashboard_url(COURSE_KEY)

    # Ulmo has only the legacy dashboard; Verawood the MFE, unless the site keeps the legacy one.
    mfe = release == "verawood" and not legacy
    assert url == (f"https://apps.example.com/instructor/{COURSE_KEY}" if mfe else legacy_url)


def test_course_managers_are_those_who_may_enroll(host, lms):
    course_staff = mock.Mock(spec=["has_perm"])
    course_staff.has_perm.return_value = True

    assert host.can_manage_course(course_staff, COURSE_KEY) is True
    course_staff.has_perm.assert_called_once_with("instructor.enroll", COURSE_KEY)

    course_staff.has_perm.return_value = False
    assert host.can_manage_course(course_staff, COURSE_KEY) is False


def test_global_staff_manage_every_course_and_are_platform_admins(host, lms):
    lms.GlobalStaff.return_value.has_user.side_effect = lambda person: person is STAFF
    learner = mock.Mock(spec=["has_perm"])
    learner.has_perm.return_value = False

    assert host.can_manage_course(STAFF, COURSE_KEY) is True
    assert host.is_platform_admin(STAFF) is True
    assert host.is_platform_admin(learner) is False


# Messages and inbound progress


def test_message_recipients_are_active_learners_with_an_address_in_their_language(host, lms):
    lms.UserProfile.objects = Rows([SimpleNamespace(user_id=1, name="Ada Lovelace")])
    lms.UserPreference.objects = Rows(
        [
            SimpleNamespace(user_id=2, key="pref-lang", value="fr"),
            SimpleNamespace(user_id=2, key="time_zone", value="Europe/Paris"),
        ]
    )

    # Cyd is inactive, Dee has no address.
    assert host.message_recipients([1, 2, 3, 4]) == {
        1: MessageRecipient(email="ada@example.com", name="Ada Lovelace", language=None),
        2: MessageRecipient(email="bob@example.com", name="", language="fr"),
    }


def test_the_message_site_is_the_sites_configuration_or_the_lms_settings(host, lms, settings):
    settings.DEFAULT_FROM_EMAIL, settings.PLATFORM_NAME = "lms@example.com", "Example LMS"
    lms.site_configuration = {"email_from_address": "learning@acme.example"}

    assert host.message_site() == MessageSite(from_address="learning@acme.example", platform_name="Example LMS")


def test_the_course_url_is_its_home_in_the_learning_mfe(host, lms):
    assert host.course_url(COURSE_KEY) == f"https://learning.example.com/course/{COURSE_KEY}/home"
    lms.get_learning_mfe_home_url.assert_called_once_with(course_key=COURSE_KEY, url_fragment="home")


@contextlib.contextmanager
def registered_learner_state_models():
    """
    An app registry holding edx-completion's BlockCompletion and the courseware's StudentModule
    (stand-in model classes).
    """
    models = {
        ("completion", "BlockCompletion"): type("BlockCompletion", (), {}),
        ("courseware", "StudentModule"): type("StudentModule", (), {}),
    }
    with mock.patch.object(openedx, "apps") as registry:
        registry.is_installed.return_value = True
        registry.get_model.side_effect = lambda app_label, model_name: models[(app_label, model_name)]
        try:
            yield registry, models[("completion", "BlockCompletion")], models[("courseware", "StudentModule")]
        finally:
            post_save.disconnect(
                sender=models[("completion", "BlockCompletion")], dispatch_uid=openedx.PROGRESS_RECEIVER_UID
            )
            post_save.disconnect(
                sender=models[("courseware", "StudentModule")], dispatch_uid=openedx.ACTIVITY_RECEIVER_UID
            )


def test_saved_completions_report_progress_and_saved_block_state_activity(host):
    on_progress, on_activity = mock.Mock(), mock.Mock()
    late_comers = mock.Mock(), mock.Mock()
    with registered_learner_state_models() as (registry, completion_model, student_module):
        host.connect_progress_receivers(on_progress, on_activity)
        host.connect_progress_receivers(*late_comers)

        post_save.send(
            sender=completion_model, instance=SimpleNamespace(user_id=7, context_key=COURSE_KEY), created=True
        )
        post_save.send(sender=object, instance=SimpleNamespace(user_id=8, context_key=COURSE_KEY), created=True)
        # A section opened again saves its position: activity, each time.
        post_save.send(
            sender=student_module, instance=SimpleNamespace(student_id=9, course_id=COURSE_KEY), created=False
        )

    registry.get_model.assert_any_call("completion", "BlockCompletion")
    registry.get_model.assert_any_call("courseware", "StudentModule")
    on_progress.assert_called_once_with(7, str(COURSE_KEY))
    on_activity.assert_called_once_with(9, str(COURSE_KEY))
    for late_comer in late_comers:
        late_comer.assert_not_called()


def test_last_activity_is_the_latest_completion_whole_or_part_or_block_state(host, lms):
    lms.BlockCompletion.objects.rows = [
        completion(ADA, INTRO, 1.0, at(1)),
        completion(ADA, SCORM, 0.5, at(4)),
        completion(BOB, INTRO, 0.2, at(2)),
        SimpleNamespace(user_id=1, context_key=OTHER_COURSE_KEY, block_key=Q2.location, completion=1.0, modified=at(9)),
    ]
    lms.StudentModule.objects.rows = [
        student_module(BOB, TRAINING, {"position": 1}, modified=at(6)),
        student_module(ADA, Q1, {"attempts": 1}, modified=at(3)),
    ]

    assert host.last_activity(COURSE_KEY, [1, 2, 4]) == {1: at(4), 2: at(6)}


# Retirement


def test_retirement_receivers_follow_the_lms_misc_retirement_signal(host):
    from django.dispatch import Signal  # pylint: disable=import-outside-toplevel

    retire_misc = Signal()
    modules = platform_modules(
        {
            "openedx.core.djangoapps.user_api.accounts.signals": {
                "USER_RETIRE_LMS_MISC": retire_misc,
            }
        }
    )
    on_retire = mock.Mock()
    with mock.patch.dict(sys.modules, modules):
        host.connect_retirement_receivers(on_retire)
        host.connect_retirement_receivers(on_retire)  # connected once however often asked

    retire_misc.send(sender=object, user=ADA)
    on_retire.assert_called_once_with(ADA.id)


@pytest.mark.usefixtures("no_platform")
def test_retirement_receivers_without_the_platform_warn_and_connect_nothing(host, caplog):
    host.connect_retirement_receivers(mock.Mock())
    assert "retired users' data will not be erased" in caplog.text


@pytest.mark.django_db
def test_search_users_by_profile_name_username_or_email(host):
    from django.contrib.auth import get_user_model  # pylint: disable=import-outside-toplevel

    model = get_user_model()
    amy = model.objects.create(username="amy", email="amy@tardis.example")
    rory = model.objects.create(username="rory", email="rory@pond.example")
    model.objects.create(username="pond_gone", email="gone@example.com", is_active=False)
    profiles = SimpleNamespace(objects=Rows([SimpleNamespace(user_id=amy.id, name="Amy Pond")]))
    with mock.patch.dict(
        sys.modules, platform_modules({"common.djangoapps.student.models": {"UserProfile": profiles}})
    ):
        # Nobody's username or email starts with "pond": then by username.
        assert host.search_users("pond", 10) == [amy.id, rory.id]
        assert host.search_users("ror", 10) == [rory.id]
        assert host.search_users("amy", 1) == [amy.id]
