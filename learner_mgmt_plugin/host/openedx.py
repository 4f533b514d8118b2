"""
The host adapter for a real Open edX LMS (Ulmo and Verawood).

This is the only module of the plugin that imports edx-platform (``lms``, ``common``, ``openedx``,
``xmodule``), the XBlock runtime (``xblock``) or edx-completion (``completion``). Every such import is made
inside the function that needs it, so the module imports cleanly anywhere, and a missing platform fails
closed: the permission checks answer False, everything else raises ``HostUnavailable``.

Where the platform offers a set-based query (profiles, course roles, completions, learner state), one
query serves many learners; where it only has a per-learner API (enrollment, grades, certificates, state
resets), the adapter loops over the learners and does nothing else per learner.
"""

from __future__ import annotations

import contextlib
import datetime
import inspect
import json
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable

import attr
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Case, IntegerField, Max, Q, When
from django.db.models.signals import post_save
from django.urls import NoReverseMatch, reverse
from edx_django_utils.cache import TieredCache
from opaque_keys.edx.keys import CourseKey

from ..data import (
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
from ..exceptions import HostUnavailable
from .base import MANUAL_ENROLLMENT_REASON, LmsHost

log = logging.getLogger(__name__)

# XBlock types whose learner state is SCORM run-time data: ``scorm`` is Overhang's openedx-scorm-xblock
# (entry point ``scorm = openedxscorm:ScormXBlock``), ``scormxblock`` is Raccoon Gang's edx_xblock_scorm
# (``scormxblock = scormxblock:ScormXBlock``). Both keep ``lesson_status``, ``success_status`` and
# ``lesson_score`` as user state. H5P blocks are not SCORM and keep no such records.
SCORM_BLOCK_TYPES = frozenset({"scorm", "scormxblock"})

# The course outline changes only when the course is published again, and every learner list asks for it.
OUTLINE_CACHE_SECONDS = 5 * 60
OUTLINE_CACHE_NAMESPACE = "learner_mgmt_plugin.outline"

# The support tool's whole-course reset (``lms.djangoapps.support.tasks.reset_student_course``) resets the
# blocks inside units and walks past these: their state only remembers where the learner navigated.
NAVIGATION_BLOCK_TYPES = ("course", "chapter", "sequential", "vertical")

# The course team roles the plugin grants (``lms.djangoapps.instructor.access`` levels).
COURSE_TEAM_ROLES = ("staff", "instructor")

PROGRESS_RECEIVER_UID = "learner_mgmt_plugin.host.openedx.block_completion_saved"
ACTIVITY_RECEIVER_UID = "learner_mgmt_plugin.host.openedx.student_module_saved"
RETIREMENT_RECEIVER_UID = "learner_mgmt_plugin.host.openedx.user_retired"

CERTIFICATE_ISSUED_NOTE = "Issued by the course team in Learner Management."
# ``CertificateStatuses`` of lms.djangoapps.certificates.data that the adapter tells apart.
DOWNLOADABLE, UNVERIFIED, UNAVAILABLE = "downloadable", "unverified", "unavailable"
CERTIFICATE_REVOKED_NOTE = "Removed by the course team in Learner Management."
CERTIFICATE_SOURCE = "learner_mgmt_plugin"


@contextlib.contextmanager
def _platform_import():
    """
    Turn a failed import of a platform module into ``HostUnavailable``.
    """
    try:
        yield
    except ImportError as error:
        raise HostUnavailable(f"The Open edX platform is not available: {error}") from error


@attr.s(frozen=True, auto_attribs=True)
class _Block:
    """
    A block of the course that learners work on.
    """

    usage_id: str
    title: str


@attr.s(frozen=True, auto_attribs=True)
class _Chapter:
    """
    A chapter with the usage ids of the blocks that count towards completing it, and its questions (the
    problems of its graded subsections).
    """

    usage_id: str
    title: str
    completable_ids: tuple[str, ...]
    questions: tuple[_Block, ...]


@attr.s(frozen=True, auto_attribs=True)
class _CourseContent:
    """
    The course as its team sees it, read from the modulestore once per course and kept in the cache:
    every chapter but the staff-only ones, each with all it holds (whole item banks, content for any
    group), for the outline and the SCORM blocks' titles. What a learner is shown is
    ``_learner_chapters``.
    """

    title: str
    chapters: tuple[_Chapter, ...]
    scorm_blocks: tuple[_Block, ...]


def _read_course_content(course_key: CourseKey) -> _CourseContent | None:
    """
    Walk the published course in the modulestore (``_CourseContent``), or None if there is no such course.
    """
    with _platform_import():
        from xblock.completable import XBlockCompletionMode  # pylint: disable=import-outside-toplevel
        from xmodule.block_metadata_utils import display_name_with_default  # pylint: disable=import-outside-toplevel
        from xmodule.modulestore.django import modulestore  # pylint: disable=import-outside-toplevel

    course = modulestore().get_course(course_key, depth=None)
    if course is None:
        return None

    def visible_children(block):
        # Staff-only content is out of every learner's reach.
        return [child for child in block.get_children() if not getattr(child, "visible_to_staff_only", False)]

    def learner_blocks(block):
        """
        The blocks below ``block`` that a learner completes, in course order.
        """
        for child in visible_children(block):
            mode = XBlockCompletionMode.get_mode(child)
            if mode == XBlockCompletionMode.COMPLETABLE:
                yield child
            elif mode == XBlockCompletionMode.AGGREGATOR:
                yield from learner_blocks(child)

    chapters = []
    scorm_blocks = []
    for chapter in visible_children(course):
        completable_ids = []
        questions = []
        for subsection in visible_children(chapter):
            for block in learner_blocks(subsection):
                entry = _Block(str(block.location), display_name_with_default(block))
                completable_ids.append(entry.usage_id)
                if getattr(subsection, "graded", False) and block.location.block_type == "problem":
                    questions.append(entry)
                if block.location.block_type in SCORM_BLOCK_TYPES:
                    scorm_blocks.append(entry)
        chapters.append(
            _Chapter(
                usage_id=str(chapter.location),
                title=display_name_with_default(chapter),
                completable_ids=tuple(completable_ids),
                questions=tuple(questions),
            )
        )
    return _CourseContent(
        title=display_name_with_default(course),
        chapters=tuple(chapters),
        scorm_blocks=tuple(scorm_blocks),
    )


def _course_content(course_key: CourseKey) -> _CourseContent | None:
    """
    The course's content, from the cache when it was read in the last few minutes.
    """
    cache_key = f"{OUTLINE_CACHE_NAMESPACE}.{course_key}"
    cached = TieredCache.get_cached_response(cache_key)
    if cached.is_found:
        return cached.value
    content = _read_course_content(course_key)
    # An unknown course is not cached: it may be created (or published) any moment now.
    if content is not None:
        TieredCache.set_all_tiers(cache_key, content, OUTLINE_CACHE_SECONDS)
    return content


def _learner_chapters(course_key: CourseKey, users) -> dict[int, tuple[_Chapter, ...]]:
    """
    Each learner's chapters as the platform shows them to that learner, by user id: the course's block
    structure transformed for them (``get_course_blocks``, as the progress page and the grades do), so
    that an item bank counts only the problems selected for them and content their groups (cohorts,
    content groups, enrollment tracks, split tests) or its staff-only flag hide from them counts not at
    all. Unreleased content is kept: it is not complete. The collected structure is fetched once for all
    the learners, and the request caches the transforms read are filled for all of them at once, as
    the platform's grade reports do; what remains per learner is the transform itself.
    """
    with _platform_import():
        from common.djangoapps.student.models import CourseEnrollment  # pylint: disable=import-outside-toplevel
        from common.djangoapps.student.roles import BulkRoleCache  # pylint: disable=import-outside-toplevel
        from lms.djangoapps.course_blocks.api import get_course_blocks  # pylint: disable=import-outside-toplevel
        from openedx.core.djangoapps.content.block_structure.api import (  # pylint: disable=import-outside-toplevel
            get_block_structure_manager,
        )
        from openedx.core.djangoapps.course_groups.cohorts import (  # pylint: disable=import-outside-toplevel
            bulk_cache_cohorts,
        )
        from openedx.core.djangoapps.user_api.course_tag.api import (  # pylint: disable=import-outside-toplevel
            BulkCourseTags,
        )
        from xblock.completable import XBlockCompletionMode  # pylint: disable=import-outside-toplevel

    users = list(users)
    if not users:
        return {}
    collected = get_block_structure_manager(course_key).get_collected()
    CourseEnrollment.bulk_fetch_enrollment_states(users, course_key)
    # Filling the cohort cache also keeps the transform from assigning learners to cohorts.
    bulk_cache_cohorts(course_key, users)
    BulkRoleCache.prefetch(users)
    BulkCourseTags.prefetch(course_key, users)

    def completable(structure, key):
        for child in structure.get_children(key):
            mode = structure.get_xblock_field(child, "completion_mode") or XBlockCompletionMode.COMPLETABLE
            if mode == XBlockCompletionMode.COMPLETABLE:
                yield child
            elif mode == XBlockCompletionMode.AGGREGATOR:
                yield from completable(structure, child)

    def chapters(structure):
        for chapter in structure.get_children(structure.root_block_usage_key):
            completable_ids, questions = [], []
            for subsection in structure.get_children(chapter):
                graded = structure.get_xblock_field(subsection, "graded", False)
                for block in completable(structure, subsection):
                    completable_ids.append(str(block))
                    if graded and block.block_type == "problem":
                        questions.append(_Block(str(block), _title(structure, block)))
            yield _Chapter(str(chapter), _title(structure, chapter), tuple(completable_ids), tuple(questions))

    return {
        user.id: tuple(
            chapters(
                get_course_blocks(
                    user,
                    collected.root_block_usage_key,
                    collected_block_structure=collected,
                    allow_start_dates_in_future=True,
                )
            )
        )
        for user in users
    }


def _title(structure, key) -> str:
    """
    A block's display name in a block structure, or, as ``display_name_with_default`` has it, its id.
    """
    return structure.get_xblock_field(key, "display_name") or key.block_id.replace("_", " ")


def _users(user_ids: Iterable[int]) -> dict:
    """
    The Django users with the given ids, by id (ids of deleted users are left out).
    """
    return {user.id: user for user in get_user_model().objects.filter(id__in=set(user_ids))}


def _actively_enrolled_ids(enrollment_model, course_key: CourseKey, user_ids: Iterable[int]) -> set[int]:
    """
    Those of the users with an active enrollment in the course (``enrollment_model`` is the platform's
    ``CourseEnrollment``).
    """
    return set(
        enrollment_model.objects.filter(
            course_id=course_key,
            user_id__in=set(user_ids),
            is_active=True,
        ).values_list("user_id", flat=True)
    )


def _refusal_reason(error: Exception, what: str) -> str:
    """
    The platform's reason for refusing an enrollment change: the filter's message, or the kind of refusal.
    """
    return str(error) or f"The LMS refused the {what} ({type(error).__name__})."


def _active_invalidation(get_certificate_invalidation_entry, certificate):
    """
    The certificate's active invalidation, or None. Verawood's ``get_certificate_invalidation_entry``
    filters by keywords (``active=True``); Ulmo's takes the certificate alone and returns its one entry,
    active or not.
    """
    if "active" in inspect.signature(get_certificate_invalidation_entry).parameters:
        return get_certificate_invalidation_entry(certificate, active=True)
    entry = get_certificate_invalidation_entry(certificate)
    return entry if entry is not None and entry.active else None


def _certificate_url(user, course_key: CourseKey, certificate) -> str:
    """
    The absolute URL of a downloadable certificate's page (the platform gives a path under the LMS).
    """
    with _platform_import():
        from lms.djangoapps.certificates.api import get_certificate_url  # pylint: disable=import-outside-toplevel

    url = get_certificate_url(user_id=user.id, course_id=course_key, uuid=certificate.verify_uuid) or ""
    return f"{settings.LMS_ROOT_URL.rstrip('/')}{url}" if url.startswith("/") else url


def _certificate_outcome(status: str | None, requested: bool) -> CertificateStatus:
    """
    What the platform did when asked for a certificate, from the certificate's status afterwards and
    what ``generate_certificate_task`` returned (True when it queued the generation, or set a status
    other than downloadable instead).
    """
    if status == DOWNLOADABLE:
        return CertificateStatus.GENERATED
    if status == UNVERIFIED:
        return CertificateStatus.UNVERIFIED
    if requested:
        return CertificateStatus.REQUESTED
    if status == UNAVAILABLE:
        return CertificateStatus.UNAVAILABLE
    return CertificateStatus.DECLINED


def _acting_user(actor, learner):
    """
    The user the platform records as having made a change to the learner's course state: the course
    team member who asked or, when the system did, the learner, since the platform insists on a user.
    """
    return actor or learner


def _actor(actor_id: int | None):
    return get_user_model().objects.filter(id=actor_id).first() if actor_id is not None else None


def _completions_by_user(course_key: CourseKey, user_ids: set[int]) -> dict[int, dict]:
    """
    Each user's completion records in the course: ``{user_id: {usage_id: (completion, modified)}}``.
    """
    with _platform_import():
        from completion.models import BlockCompletion  # pylint: disable=import-outside-toplevel

    by_user = defaultdict(dict)
    rows = BlockCompletion.objects.filter(context_key=course_key, user_id__in=user_ids).values_list(
        "user_id",
        "block_key",
        "completion",
        "modified",
    )
    for user_id, block_key, completion, modified in rows:
        by_user[user_id][str(block_key)] = (completion, modified)
    return by_user


def _completed_fraction(completions: dict, usage_ids: tuple[str, ...]) -> float:
    """
    The share of the given blocks that are complete, from 0.0 to 1.0: as the platform's progress and
    outline count them, a block is complete at 1.0 and a part-done one (a video partly watched) is
    activity, not progress.
    """
    if not usage_ids:
        return 0.0
    done = sum(1 for usage_id in usage_ids if completions.get(usage_id, (0.0, None))[0] >= 1.0)
    return done / len(usage_ids)


def _follow_saves(model, on_saved: Callable, dispatch_uid: str) -> None:
    """
    Call ``on_saved(instance)`` after each save of a ``model`` instance. The receiver is held strongly,
    since nothing else holds it; ``dispatch_uid`` keeps a second call from connecting it twice.
    """

    def receiver(sender, instance, **kwargs):  # pylint: disable=unused-argument
        on_saved(instance)

    post_save.connect(receiver, sender=model, weak=False, dispatch_uid=dispatch_uid)


def _completed_at(completions: dict, usage_ids: tuple[str, ...]):
    """
    When the last of the given blocks was completed, or None while any of them is not complete.
    """
    if not usage_ids or any(completions.get(usage_id, (0.0, None))[0] < 1.0 for usage_id in usage_ids):
        return None
    return max(completions[usage_id][1] for usage_id in usage_ids)


def _block_state(state: str | None) -> dict:
    """
    The learner state a block saved (``StudentModule.state`` holds it as JSON).
    """
    return json.loads(state) if state else {}


def _answer_text(student_answers: dict) -> str:
    """
    A problem's answers as the learner gave them, one per response field.
    """
    return "; ".join(
        ", ".join(str(choice) for choice in answer) if isinstance(answer, list) else str(answer)
        for answer in student_answers.values()
    )


def _answer_correct(correct_map: dict) -> bool | None:
    """
    Whether the problem marked every response correct, or None if it has not checked an answer.
    """
    if not correct_map:
        return None
    return all(verdict.get("correctness") == "correct" for verdict in correct_map.values())


def _quiz_result(chapter: _Chapter, chapter_grade: dict | None, problem_states: dict) -> QuizResult:
    """
    A learner's result in a quiz chapter, from its grade (scores of its graded subsections) and the
    learner's state of its problems.
    """
    earned = possible = 0.0
    for subsection_grade in (chapter_grade or {}).get("sections", ()):
        if subsection_grade.graded:
            earned += subsection_grade.graded_total.earned
            possible += subsection_grade.graded_total.possible
    questions = []
    attempts = 0
    for question in chapter.questions:
        state = problem_states.get(question.usage_id, {})
        attempts = max(attempts, state.get("attempts") or 0)
        questions.append(
            QuestionResult(
                question=question.title,
                answer=_answer_text(state.get("student_answers") or {}),
                correct=_answer_correct(state.get("correct_map") or {}),
            )
        )
    return QuizResult(
        chapter_id=chapter.usage_id,
        title=chapter.title,
        score=round(100 * earned / possible) if possible else None,
        attempts=attempts,
        questions=tuple(questions),
    )


def _scorm_record(title: str, state: dict, modified) -> ScormRecord:
    """
    A SCORM block's learner state as an activity record: its lesson status, success and score.
    """
    outcome = []
    if state.get("success_status", "unknown") != "unknown":
        outcome.append(state["success_status"])
    if isinstance(state.get("lesson_score"), (int, float)):
        # Both SCORM blocks keep the score as a fraction (the package's raw score / 100): the learner saw
        # it as a percentage.
        outcome.append(f"score {round(100 * state['lesson_score'])}%")
    return ScormRecord(
        verb=state.get("lesson_status", "not attempted"),
        object=title,
        result=", ".join(outcome),
        timestamp=modified,
    )


class OpenEdxHost(LmsHost):
    """
    ``LmsHost`` on the Open edX LMS's own APIs.
    """

    # Courses and learners

    def course_outline(self, course_key: CourseKey) -> CourseOutline | None:
        """
        Chapters of the published course (a quiz chapter has problems in graded subsections) and whether
        it has SCORM blocks; read from the modulestore and cached for a few minutes.
        """
        content = _course_content(course_key)
        if content is None:
            return None
        return CourseOutline(
            course_key=str(course_key),
            title=content.title,
            chapters=tuple(
                ChapterOutline(id=chapter.usage_id, title=chapter.title, is_quiz=bool(chapter.questions))
                for chapter in content.chapters
            ),
            has_scorm=bool(content.scorm_blocks),
        )

    def course_titles(self, course_keys: Iterable[CourseKey]) -> dict[CourseKey, str]:
        """
        The courses' display names from their overviews, the platform's cache of course metadata (one
        query), as the learner dashboard shows them.
        """
        with _platform_import():
            from openedx.core.djangoapps.content.course_overviews.models import (  # pylint: disable=import-outside-toplevel
                CourseOverview,
            )

        return dict(CourseOverview.objects.filter(id__in=list(course_keys)).values_list("id", "display_name"))

    def search_users(self, text: str, limit: int) -> list[int]:
        """
        Active users by full name (their profile), username or email, those whose username or email
        starts with the text first.
        """
        with _platform_import():
            from common.djangoapps.student.models import UserProfile  # pylint: disable=import-outside-toplevel

        named = UserProfile.objects.filter(name__icontains=text).values_list("user_id", flat=True)
        matching = (
            get_user_model()
            .objects.filter(is_active=True)
            .filter(Q(username__icontains=text) | Q(email__icontains=text) | Q(id__in=named))
        )
        starts = Q(username__istartswith=text) | Q(email__istartswith=text)
        ranked = matching.annotate(rank=Case(When(starts, then=0), default=1, output_field=IntegerField()))
        return list(ranked.order_by("rank", "username").values_list("id", flat=True)[:limit])

    def full_names(self, user_ids: Iterable[int]) -> dict[int, str]:
        """
        Full names from the users' profiles, in one query.
        """
        with _platform_import():
            from common.djangoapps.student.models import UserProfile  # pylint: disable=import-outside-toplevel

        rows = UserProfile.objects.filter(user_id__in=set(user_ids)).values_list("user_id", "name")
        return {user_id: name for user_id, name in rows if name}

    # Enrollment

    def course_modes(self, course_key: CourseKey) -> tuple[CourseMode, ...]:
        """
        The course's unexpired modes (``CourseMode.modes_for_course_dict``, which gives the default mode
        to a course that set up none), each with ``CourseMode.is_eligible_for_certificate``.
        """
        with _platform_import():
            from common.djangoapps.course_modes.models import (  # pylint: disable=import-outside-toplevel
                CourseMode as PlatformCourseMode,
            )

        return tuple(
            CourseMode(slug=slug, certificate_eligible=PlatformCourseMode.is_eligible_for_certificate(slug))
            for slug in PlatformCourseMode.modes_for_course_dict(course_key)
        )

    def enroll(
        self, course_key: CourseKey, user_ids: Iterable[int], mode: str | None, *, actor_id: int | None
    ) -> dict[int, str]:
        """
        Enroll in ``mode`` (None: the course's default, which ``CourseEnrollment.enroll`` picks) each user
        who has no active enrollment, and record it as the instructor dashboard records its enrollments
        (``ManualEnrollmentAudit``). With ``check_access`` off, as the instructor dashboard enrolls, the
        platform checks neither enrollment dates nor capacity: only its enrollment filter
        (``CourseEnrollmentStarted``) can refuse a learner, whose reason is returned.
        """
        with _platform_import():
            from common.djangoapps.student.models import (  # pylint: disable=import-outside-toplevel
                UNENROLLED_TO_ENROLLED,
                CourseEnrollment,
                CourseEnrollmentException,
                ManualEnrollmentAudit,
            )

        users = _users(user_ids)
        actor = _actor(actor_id)
        # enroll() on an active enrollment would set it back to the default mode (a verified learner
        # would lose their track), so learners already enrolled are left alone.
        enrolled = _actively_enrolled_ids(CourseEnrollment, course_key, users.keys())
        refused = {}
        for user_id, user in users.items():
            if user_id in enrolled:
                continue
            try:
                enrollment = CourseEnrollment.enroll(user, course_key, mode=mode)
            except CourseEnrollmentException as error:
                refused[user_id] = _refusal_reason(error, "enrollment")
                continue
            ManualEnrollmentAudit.create_manual_enrollment_audit(
                actor, user.email, UNENROLLED_TO_ENROLLED, MANUAL_ENROLLMENT_REASON, enrollment
            )
        return refused

    def unenroll(self, course_key: CourseKey, user_ids: Iterable[int], *, actor_id: int | None) -> dict[int, str]:
        """
        Deactivate the active enrollments among the users', recorded as ``enroll`` records enrollments.
        The platform's unenrollment filter (``CourseUnenrollmentStarted``) may refuse some:
        ``UnenrollmentNotAllowed``, returned with its reason, before anything of theirs changed.
        """
        with _platform_import():
            from common.djangoapps.student.models import (  # pylint: disable=import-outside-toplevel
                ENROLLED_TO_UNENROLLED,
                CourseEnrollment,
                CourseEnrollmentException,
                ManualEnrollmentAudit,
            )

        users = _users(user_ids)
        actor = _actor(actor_id)
        refused = {}
        # unenroll() logs an error for a user with no enrollment, so only active ones are asked for.
        for user_id in _actively_enrolled_ids(CourseEnrollment, course_key, users.keys()):
            user = users[user_id]
            try:
                CourseEnrollment.unenroll(user, course_key)
            except CourseEnrollmentException as error:
                refused[user_id] = _refusal_reason(error, "unenrollment")
                continue
            ManualEnrollmentAudit.create_manual_enrollment_audit(
                actor,
                user.email,
                ENROLLED_TO_UNENROLLED,
                MANUAL_ENROLLMENT_REASON,
                CourseEnrollment.get_enrollment(user, course_key),
            )
        return refused

    # Learner progress and course state

    def progress(self, course_key: CourseKey, user_ids: Iterable[int]) -> dict[int, float]:
        """
        The share of the completable blocks each user is shown that they have completed (their chapters,
        ``_learner_chapters``; edx-completion records, one query for all the users).
        """
        users = _users(user_ids)
        completions = _completions_by_user(course_key, set(users))
        shown = _learner_chapters(course_key, [users[user_id] for user_id in completions])
        fractions = {
            user_id: _completed_fraction(completions[user_id], completable_ids)
            for user_id, chapters in shown.items()
            if (completable_ids := tuple(usage_id for chapter in chapters for usage_id in chapter.completable_ids))
        }
        # Those with nothing complete (only part-done blocks) have no progress.
        return {user_id: fraction for user_id, fraction in fractions.items() if fraction > 0}

    def last_activity(self, course_key: CourseKey, user_ids: Iterable[int]) -> dict[int, datetime.datetime]:
        """
        The latest change of each user's completion records (whole or partial) and block state
        (``StudentModule``: a sequence's position, a video's place, a problem's attempts) in the course:
        two grouped queries.
        """
        with _platform_import():
            from completion.models import BlockCompletion  # pylint: disable=import-outside-toplevel
            from lms.djangoapps.courseware.models import StudentModule  # pylint: disable=import-outside-toplevel

        user_ids = set(user_ids)
        latest = {}
        for rows in (
            BlockCompletion.objects.filter(context_key=course_key, user_id__in=user_ids)
            .values("user_id")
            .annotate(last=Max("modified"))
            .values_list("user_id", "last"),
            StudentModule.objects.filter(course_id=course_key, student_id__in=user_ids)
            .values("student_id")
            .annotate(last=Max("modified"))
            .values_list("student_id", "last"),
        ):
            for user_id, last in rows:
                if last is not None and (user_id not in latest or last > latest[user_id]):
                    latest[user_id] = last
        return latest

    def passing_user_ids(self, course_key: CourseKey, user_ids: Iterable[int]) -> set[int]:
        """
        Users whose course grade passes, read with the grades API after one prefetch of their grades.
        """
        with _platform_import():
            from lms.djangoapps.grades.api import (  # pylint: disable=import-outside-toplevel
                CourseGradeFactory,
                clear_prefetched_course_grades,
                prefetch_course_grades,
            )

        users = list(_users(user_ids).values())
        prefetch_course_grades(course_key, users)
        try:
            return {
                result.student.id
                for result in CourseGradeFactory().iter(users, course_key=course_key)
                if result.course_grade is not None and result.course_grade.passed
            }
        finally:
            # The prefetch lives in the request cache, which a background job never clears.
            clear_prefetched_course_grades(course_key)

    def chapter_progress(
        self,
        course_key: CourseKey,
        user_ids: Iterable[int],
    ) -> dict[int, tuple[ChapterProgress, ...]]:
        """
        Per chapter each user is shown, the share of the completable blocks they are shown in it that
        they have completed, and when the last of them was completed once all are.
        """
        users = _users(user_ids)
        completions = _completions_by_user(course_key, set(users))
        return {
            user_id: tuple(
                ChapterProgress(
                    chapter_id=chapter.usage_id,
                    title=chapter.title,
                    progress=int(100 * _completed_fraction(completions[user_id], chapter.completable_ids)),
                    completed_at=_completed_at(completions[user_id], chapter.completable_ids),
                )
                for chapter in chapters
            )
            for user_id, chapters in _learner_chapters(course_key, users.values()).items()
        }

    def quiz_results(self, course_key: CourseKey, user_ids: Iterable[int]) -> dict[int, tuple[QuizResult, ...]]:
        """
        Per quiz chapter each user is shown (one with graded problems they are shown): the score of its
        graded subsections (grades API), the learner's attempts and answers (problem state, one query
        for all the users).
        """
        with _platform_import():
            from lms.djangoapps.courseware.models import StudentModule  # pylint: disable=import-outside-toplevel
            from lms.djangoapps.grades.api import (  # pylint: disable=import-outside-toplevel
                CourseGradeFactory,
                clear_prefetched_course_grades,
                prefetch_course_and_subsection_grades,
            )

        users = _users(user_ids)
        quiz_chapters = {
            user_id: [chapter for chapter in chapters if chapter.questions]
            for user_id, chapters in _learner_chapters(course_key, users.values()).items()
        }
        if not any(quiz_chapters.values()):
            return {user_id: () for user_id in users}

        problem_states = defaultdict(dict)
        rows = StudentModule.objects.filter(
            course_id=course_key,
            student_id__in=set(users),
            module_type="problem",
        ).values_list("student_id", "module_state_key", "state")
        for student_id, usage_key, state in rows:
            problem_states[student_id][str(usage_key)] = _block_state(state)

        prefetch_course_and_subsection_grades(course_key, list(users.values()))
        try:
            results = {}
            for grade in CourseGradeFactory().iter(list(users.values()), course_key=course_key):
                chapter_grades = {}
                if grade.course_grade is not None:
                    chapter_grades = {str(key): value for key, value in grade.course_grade.chapter_grades.items()}
                results[grade.student.id] = tuple(
                    _quiz_result(chapter, chapter_grades.get(chapter.usage_id), problem_states[grade.student.id])
                    for chapter in quiz_chapters[grade.student.id]
                )
            return results
        finally:
            clear_prefetched_course_grades(course_key)

    def scorm_activity(self, course_key: CourseKey, user_id: int) -> tuple[ScormRecord, ...]:
        """
        The learner's state of each SCORM block of the course, most recently changed first.
        """
        content = _course_content(course_key)
        with _platform_import():
            from lms.djangoapps.courseware.models import StudentModule  # pylint: disable=import-outside-toplevel

        titles = {block.usage_id: block.title for block in content.scorm_blocks} if content else {}
        rows = (
            StudentModule.objects.filter(
                course_id=course_key,
                student_id=user_id,
                module_type__in=SCORM_BLOCK_TYPES,
            )
            .order_by("-modified")
            .values_list("module_state_key", "state", "modified")
        )
        return tuple(
            _scorm_record(titles.get(str(usage_key), str(usage_key)), _block_state(state), modified)
            for usage_key, state, modified in rows
        )

    def clear_learner_state(self, course_key: CourseKey, user_ids: Iterable[int], *, actor_id: int | None) -> None:
        """
        The platform's whole-course reset for each user: delete the state of every block they have state
        in (which also clears its submissions and scores), reset the scores kept without any block state
        (edx-submissions holds some, for open responses for instance), then clear their completions and
        persisted grades.
        """
        with _platform_import():
            from common.djangoapps.student.models import (  # pylint: disable=import-outside-toplevel
                anonymous_id_for_user,
            )
            from completion.models import BlockCompletion  # pylint: disable=import-outside-toplevel
            from lms.djangoapps.courseware.models import StudentModule  # pylint: disable=import-outside-toplevel
            from lms.djangoapps.grades.api import clear_user_course_grades  # pylint: disable=import-outside-toplevel
            from lms.djangoapps.instructor.enrollment import (  # pylint: disable=import-outside-toplevel
                reset_student_attempts,
            )
            from submissions import api as submissions_api  # pylint: disable=import-outside-toplevel

        users = _users(user_ids)
        actor = _actor(actor_id)
        # The support tool resets every block of the course for one learner; asking for the blocks the
        # learners have state in serves them all with one query and skips blocks they never touched.
        touched = defaultdict(list)
        rows = (
            StudentModule.objects.filter(course_id=course_key, student_id__in=set(users))
            .exclude(
                module_type__in=NAVIGATION_BLOCK_TYPES,
            )
            .values_list("student_id", "module_state_key")
        )
        for student_id, usage_key in rows:
            touched[student_id].append(usage_key)

        for user_id, user in users.items():
            requester = _acting_user(actor, user)
            for usage_key in touched[user_id]:
                try:
                    reset_student_attempts(
                        course_key,
                        user,
                        usage_key,
                        requester,
                        delete_module=True,
                        emit_signals_and_events=False,
                    )
                except StudentModule.DoesNotExist:
                    # Resetting a block that has children already deleted their state.
                    pass
            # "A score may exist with no student module" (reset_student_attempts): those left are reset too.
            student_id = anonymous_id_for_user(user, course_key)
            for item_id in submissions_api.get_scores(str(course_key), student_id):
                submissions_api.reset_score(student_id, str(course_key), item_id, clear_state=True, emit_signal=False)
            BlockCompletion.objects.clear_learning_context_completion(user, course_key)
            clear_user_course_grades(user_id, course_key)

    # Certificates

    def generate_certificates(self, course_key: CourseKey, user_ids: Iterable[int]) -> dict[int, CertificateOutcome]:
        """
        For each learner enrolled in a mode that earns a certificate: put them on the course's
        certificate allowlist (so no passing grade is needed), lift an invalidation left by an earlier
        removal, and ask the platform to generate the certificate; then read what it did. The platform
        generates in a task of its own, a couple of seconds later (at once when Celery runs eagerly): a
        certificate not yet downloadable is "requested", and its ``CERTIFICATE_CREATED`` event makes it
        "generated". Learners enrolled in audit, in which the platform issues no certificate, are left
        alone.
        """
        with _platform_import():
            from common.djangoapps.course_modes.models import (  # pylint: disable=import-outside-toplevel
                CourseMode as PlatformCourseMode,
            )
            from common.djangoapps.student.models import CourseEnrollment  # pylint: disable=import-outside-toplevel
            from lms.djangoapps.certificates.api import (  # pylint: disable=import-outside-toplevel
                create_or_update_certificate_allowlist_entry,
                generate_certificate_task,
                get_certificate_for_user,
                get_certificate_invalidation_entry,
            )

        users = _users(user_ids)
        # The platform judges certificates by the enrollment's mode, active or not.
        modes = dict(
            CourseEnrollment.objects.filter(course_id=course_key, user_id__in=set(users)).values_list("user_id", "mode")
        )
        outcomes = {}
        for user_id, user in users.items():
            mode = modes.get(user_id)
            if mode is None:
                outcomes[user_id] = CertificateOutcome(CertificateStatus.DECLINED, "")
                continue
            if not PlatformCourseMode.is_eligible_for_certificate(mode):
                outcomes[user_id] = CertificateOutcome(CertificateStatus.NOT_ELIGIBLE, mode)
                continue
            create_or_update_certificate_allowlist_entry(user, course_key, CERTIFICATE_ISSUED_NOTE)
            certificate = get_certificate_for_user(user.username, course_key, format_results=False)
            if certificate is not None:
                # An active invalidation (left by revoke_certificates) would block the new certificate.
                invalidation = _active_invalidation(get_certificate_invalidation_entry, certificate)
                if invalidation is not None:
                    invalidation.deactivate()
            requested = generate_certificate_task(user, course_key, generation_mode="batch")
            certificate = get_certificate_for_user(user.username, course_key, format_results=False)
            status = _certificate_outcome(certificate.status if certificate is not None else None, requested)
            url = _certificate_url(user, course_key, certificate) if status == CertificateStatus.GENERATED else ""
            outcomes[user_id] = CertificateOutcome(status, mode, url)
        return outcomes

    def certificate_urls(self, course_key: CourseKey, user_ids: Iterable[int]) -> dict[int, str]:
        """
        The page of each user's downloadable certificate (``get_certificate_url``: the web certificate's,
        or the PDF's where the course has no web certificates).
        """
        with _platform_import():
            from lms.djangoapps.certificates.api import (  # pylint: disable=import-outside-toplevel
                get_certificate_for_user,
            )

        urls = {}
        for user_id, user in _users(user_ids).items():
            certificate = get_certificate_for_user(user.username, course_key, format_results=False)
            if certificate is not None and certificate.status == DOWNLOADABLE:
                urls[user_id] = _certificate_url(user, course_key, certificate)
        return {user_id: url for user_id, url in urls.items() if url}

    def revoke_certificates(self, course_key: CourseKey, user_ids: Iterable[int], *, actor_id: int | None) -> None:
        """
        Undo what ``generate_certificates`` set up: take the learner off the allowlist if the plugin put
        them there (the platform invalidates their certificate then), invalidate the certificate, and
        record the invalidation in the course team member's name, which keeps the platform from issuing
        it again on its own.
        """
        with _platform_import():
            from lms.djangoapps.certificates.api import (  # pylint: disable=import-outside-toplevel
                create_certificate_invalidation_entry,
                get_allowlist_entry,
                get_certificate_for_user,
                remove_allowlist_entry,
            )

        actor = _actor(actor_id)
        for user in _users(user_ids).values():
            entry = get_allowlist_entry(user, course_key)
            # Learners the course team allowlisted in the instructor dashboard stay allowlisted.
            if entry is not None and entry.notes == CERTIFICATE_ISSUED_NOTE:
                remove_allowlist_entry(user, course_key)
            certificate = get_certificate_for_user(user.username, course_key, format_results=False)
            if certificate is None:
                continue
            if certificate.status != UNAVAILABLE:
                certificate.invalidate(source=CERTIFICATE_SOURCE)
            # The platform records who invalidated a certificate and insists on a user: without a course
            # team member to name, the certificate is invalidated and not recorded as such.
            if actor is not None:
                create_certificate_invalidation_entry(certificate, actor, CERTIFICATE_REVOKED_NOTE)

    # Course roles and permissions

    def course_staff_ids(self, course_key: CourseKey, user_ids: Iterable[int]) -> set[int]:
        """
        Users holding the course's staff or instructor role, one query per role.
        """
        with _platform_import():
            from common.djangoapps.student.roles import (  # pylint: disable=import-outside-toplevel
                CourseInstructorRole,
                CourseStaffRole,
            )

        ids = set(user_ids)
        staff = set()
        # The role classes read CourseAccessRole, or openedx-authz when the site has moved course roles
        # there; going through them keeps the answer right either way.
        for role in (CourseStaffRole, CourseInstructorRole):
            staff.update(role(course_key).users_with_role().filter(id__in=ids).values_list("id", flat=True))
        return staff

    def grant_course_role(self, course_key: CourseKey, user_id: int, role: str) -> None:
        """
        Add the user to the course's staff or instructor role.
        """
        with _platform_import():
            from lms.djangoapps.instructor.access import allow_access  # pylint: disable=import-outside-toplevel
            from openedx.core.djangoapps.content.course_overviews.models import (  # pylint: disable=import-outside-toplevel
                CourseOverview,
            )

        if role not in COURSE_TEAM_ROLES:
            raise ValueError(f"Unknown course role {role!r}: expected one of {sorted(COURSE_TEAM_ROLES)}")
        # The instructor dashboard's own way: it goes through the course role (and openedx-authz, where the
        # site has moved course roles there).
        allow_access(CourseOverview.get_from_id(course_key), get_user_model().objects.get(id=user_id), role)

    def instructor_dashboard_url(self, course_key: CourseKey) -> str:
        """
        Verawood's ``get_instructor_dashboard_url`` (the MFE's page) unless the site keeps the legacy
        dashboard (``instructor.legacy_instructor_dashboard``); on Ulmo, which has neither, the legacy
        dashboard's URL, which Verawood too serves and redirects to the MFE where the MFE is in use.
        """
        try:
            from lms.djangoapps.instructor.toggles import (  # pylint: disable=import-outside-toplevel
                legacy_instructor_dashboard,
            )
            from lms.djangoapps.instructor.views.instructor_dashboard import (  # pylint: disable=import-outside-toplevel
                get_instructor_dashboard_url,
            )
        except ImportError:
            legacy_instructor_dashboard = get_instructor_dashboard_url = None
        if get_instructor_dashboard_url is not None and not legacy_instructor_dashboard():
            return get_instructor_dashboard_url(course_key)
        try:
            return reverse("instructor_dashboard", kwargs={"course_id": str(course_key)})
        except NoReverseMatch as error:
            raise HostUnavailable("The LMS has no instructor dashboard to link to.") from error

    def can_manage_course(self, user, course_key: CourseKey) -> bool:
        """
        Global staff, or whoever may enroll learners in the course (its staff and instructors).

        Managing learners is enrolment work, so this is the instructor dashboard's ``CAN_ENROLL`` permission
        rather than ``VIEW_DASHBOARD``, which data researchers also hold.
        """
        try:
            with _platform_import():
                from common.djangoapps.student.roles import GlobalStaff  # pylint: disable=import-outside-toplevel
                from lms.djangoapps.instructor import permissions  # pylint: disable=import-outside-toplevel
        except HostUnavailable:
            log.warning(
                "No Open edX platform to check course access: %s may not manage %s", user, course_key, exc_info=True
            )
            return False
        return GlobalStaff().has_user(user) or user.has_perm(permissions.CAN_ENROLL, course_key)

    def is_platform_admin(self, user) -> bool:
        """
        Whether the user is global staff.
        """
        try:
            with _platform_import():
                from common.djangoapps.student.roles import GlobalStaff  # pylint: disable=import-outside-toplevel
        except HostUnavailable:
            log.warning("No Open edX platform to check global staff: %s is no platform admin", user, exc_info=True)
            return False
        return GlobalStaff().has_user(user)

    # Messages

    def message_recipients(self, user_ids: Iterable[int]) -> dict[int, MessageRecipient]:
        """
        Active users with an email address, their full names (profiles) and the language they chose
        for the site (their ``pref-lang`` preference, as the platform's own messages read it): three
        queries for all the users.
        """
        with _platform_import():
            from openedx.core.djangoapps.lang_pref import LANGUAGE_KEY  # pylint: disable=import-outside-toplevel
            from openedx.core.djangoapps.user_api.models import UserPreference  # pylint: disable=import-outside-toplevel

        ids = set(user_ids)
        emails = dict(
            get_user_model().objects.filter(id__in=ids, is_active=True).exclude(email="").values_list("id", "email")
        )
        languages = dict(
            UserPreference.objects.filter(user_id__in=emails, key=LANGUAGE_KEY).values_list("user_id", "value")
        )
        names = self.full_names(emails)
        return {
            user_id: MessageRecipient(email=email, name=names.get(user_id, ""), language=languages.get(user_id))
            for user_id, email in emails.items()
        }

    def message_site(self) -> MessageSite:
        """
        The site's ``email_from_address`` and ``PLATFORM_NAME`` (its configuration, else the LMS's
        settings), as the platform's message types take them.
        """
        with _platform_import():
            from openedx.core.djangoapps.site_configuration import (  # pylint: disable=import-outside-toplevel
                helpers as configuration_helpers,
            )

        return MessageSite(
            from_address=configuration_helpers.get_value("email_from_address", settings.DEFAULT_FROM_EMAIL),
            platform_name=configuration_helpers.get_value("PLATFORM_NAME", settings.PLATFORM_NAME),
        )

    def course_url(self, course_key: CourseKey) -> str:
        """
        The course's home in the learning MFE, where the LMS sends learners to take it.
        """
        with _platform_import():
            from openedx.features.course_experience.url_helpers import (  # pylint: disable=import-outside-toplevel
                get_learning_mfe_home_url,
            )

        return get_learning_mfe_home_url(course_key=course_key, url_fragment="home")

    # Inbound progress

    def connect_progress_receivers(
        self, on_progress: Callable[[int, str], None], on_activity: Callable[[int, str], None]
    ) -> None:
        """
        Call ``on_progress`` whenever edx-completion saves a learner's completion of a block (in whole
        or in part), and ``on_activity`` whenever the courseware saves a learner's state of a block
        (``StudentModule``: opening a sequence or a unit, playing a video, attempting a problem).

        Without edx-completion there is nothing to follow; this runs while the LMS starts, so it warns
        rather than keeping the LMS from starting.
        """
        if not apps.is_installed("completion"):
            log.warning("edx-completion is not installed: learners' progress will not reach Learner Management")
            return
        _follow_saves(
            apps.get_model("completion", "BlockCompletion"),
            lambda completion: on_progress(completion.user_id, str(completion.context_key)),
            PROGRESS_RECEIVER_UID,
        )
        if apps.is_installed("lms.djangoapps.courseware"):
            _follow_saves(
                apps.get_model("courseware", "StudentModule"),
                lambda state: on_activity(state.student_id, str(state.course_id)),
                ACTIVITY_RECEIVER_UID,
            )

    # Retirement

    def connect_retirement_receivers(self, on_retire: Callable[[int], None]) -> None:
        """
        Call ``on_retire`` with the user's id when the LMS's retirement pipeline sends
        ``USER_RETIRE_LMS_MISC`` (the signal for apps outside the platform's core).

        Without the platform there is no retirement to follow; this runs while the LMS starts, so it
        warns rather than keeping the LMS from starting.
        """
        try:
            with _platform_import():
                from openedx.core.djangoapps.user_api.accounts.signals import (  # pylint: disable=import-outside-toplevel
                    USER_RETIRE_LMS_MISC,
                )
        except HostUnavailable:
            log.warning("No Open edX platform: retired users' data will not be erased from Learner Management")
            return

        def on_user_retired(sender, user, **kwargs):  # pylint: disable=unused-argument
            on_retire(user.id)

        USER_RETIRE_LMS_MISC.connect(on_user_retired, weak=False, dispatch_uid=RETIREMENT_RECEIVER_UID)
