"""
The host port: everything the plugin asks of the LMS it runs in.

Two adapters implement it: ``learner_mgmt_plugin.host.openedx.OpenEdxHost`` for a real Open edX LMS,
and the development LMS host's adapter used by the demo and the tests. The setting
``LEARNER_MGMT_HOST_ADAPTER`` names the one to use.

Methods that concern learners take many of them at once (``user_ids``) so that bulk work costs a
bounded number of calls per chunk of learners, never one call per learner. Course keys are
``opaque_keys.edx.keys.CourseKey`` objects; users are ids, except for permission checks, which take
the requesting Django user. An adapter that cannot reach the LMS raises
``learner_mgmt_plugin.exceptions.HostUnavailable``.
"""

from __future__ import annotations

import abc
import datetime
from collections.abc import Callable, Iterable

from opaque_keys.edx.keys import CourseKey

from ..data import (
    CertificateOutcome,
    ChapterProgress,
    CourseMode,
    CourseOutline,
    MessageRecipient,
    MessageSite,
    QuizResult,
    ScormRecord,
)

# The reason the LMS's manual enrollment records give for the plugin's enrollments and unenrollments.
MANUAL_ENROLLMENT_REASON = "Learner Management"


class LmsHost(abc.ABC):
    """
    What the plugin needs from the LMS.
    """

    # Courses and learners

    @abc.abstractmethod
    def course_outline(self, course_key: CourseKey) -> CourseOutline | None:
        """
        The course's chapters (with quiz flags) and whether it has SCORM/xAPI content, or None if the
        host has no such course.
        """

    @abc.abstractmethod
    def course_titles(self, course_keys: Iterable[CourseKey]) -> dict[CourseKey, str]:
        """
        The display name of each of the courses, by key, read at once; courses the host does not have
        are left out.
        """

    @abc.abstractmethod
    def search_users(self, text: str, limit: int) -> list[int]:
        """
        Up to ``limit`` active users whose full name, username or email contains ``text`` (ignoring
        case), best matches first: those whose username or email starts with it.
        """

    @abc.abstractmethod
    def full_names(self, user_ids: Iterable[int]) -> dict[int, str]:
        """
        Display names of the given users, by user id (users without a name may be left out).
        """

    # Enrollment

    @abc.abstractmethod
    def course_modes(self, course_key: CourseKey) -> tuple[CourseMode, ...]:
        """
        The enrollment modes (tracks) learners can be enrolled in, each with whether the LMS issues
        certificates in it. A course that sets up no mode offers the LMS's default mode.
        """

    @abc.abstractmethod
    def enroll(
        self, course_key: CourseKey, user_ids: Iterable[int], mode: str | None, *, actor_id: int | None
    ) -> dict[int, str]:
        """
        Make sure each user has an active enrollment in the course (a no-op for those who do, whose mode
        stays as it is): new and re-activated enrollments are in ``mode``, or the course's default mode
        for None, and are recorded as manual enrollments by ``actor_id`` (None for the system), with the
        reason ``MANUAL_ENROLLMENT_REASON``, as the instructor dashboard records its own. Return the users
        the LMS refused to enroll (its enrollment filter may), with its reason.
        """

    @abc.abstractmethod
    def unenroll(self, course_key: CourseKey, user_ids: Iterable[int], *, actor_id: int | None) -> dict[int, str]:
        """
        Deactivate each user's enrollment in the course (a no-op for those who have none), recorded as a
        manual unenrollment by ``actor_id`` as ``enroll`` records enrollments. Return the users the LMS
        refused to unenroll (for instance through an unenrollment filter), with its reason; their
        enrollments stay as they were.
        """

    # Learner progress and course state

    @abc.abstractmethod
    def progress(self, course_key: CourseKey, user_ids: Iterable[int]) -> dict[int, float]:
        """
        Fraction (0.0 to 1.0) of the course content each user is shown that they have completed (a block
        counts once the LMS records it complete, not in part), by user id. Users with no progress may
        be left out.
        """

    @abc.abstractmethod
    def last_activity(self, course_key: CourseKey, user_ids: Iterable[int]) -> dict[int, datetime.datetime]:
        """
        When each user last did anything in the course that the LMS records, complete or not: a block
        completed in whole or in part (a video partly watched), a unit or sequence visited, a problem
        attempted. Users with no recorded activity are left out.
        """

    @abc.abstractmethod
    def passing_user_ids(self, course_key: CourseKey, user_ids: Iterable[int]) -> set[int]:
        """
        Those of the users who have a passing grade in the course.
        """

    @abc.abstractmethod
    def chapter_progress(
        self, course_key: CourseKey, user_ids: Iterable[int]
    ) -> dict[int, tuple[ChapterProgress, ...]]:
        """
        Each user's progress per chapter, in course order.
        """

    @abc.abstractmethod
    def quiz_results(self, course_key: CourseKey, user_ids: Iterable[int]) -> dict[int, tuple[QuizResult, ...]]:
        """
        Each user's results in the course's quiz chapters: score, attempts and every question with
        their answer and its correctness.
        """

    @abc.abstractmethod
    def scorm_activity(self, course_key: CourseKey, user_id: int) -> tuple[ScormRecord, ...]:
        """
        The user's SCORM/xAPI activity records in the course, newest first.
        """

    @abc.abstractmethod
    def clear_learner_state(self, course_key: CourseKey, user_ids: Iterable[int], *, actor_id: int | None) -> None:
        """
        Delete each user's state in the course: completion, problem state and grades. ``actor_id`` is
        the course team member asking (None for the system), for the LMS's records.
        """

    # Certificates

    @abc.abstractmethod
    def generate_certificates(self, course_key: CourseKey, user_ids: Iterable[int]) -> dict[int, CertificateOutcome]:
        """
        Ask the LMS for each user's course certificate, whether or not they passed, and say what it did
        for each: generated a downloadable one (with its page's URL), started generating it, held it
        back (identity not verified), refused it for the learner's enrollment mode, or declined without
        a reason.
        """

    @abc.abstractmethod
    def certificate_urls(self, course_key: CourseKey, user_ids: Iterable[int]) -> dict[int, str]:
        """
        The absolute URL of the LMS's page of each user's downloadable certificate in the course, where
        it is seen and downloaded, by user id (users without one are left out).
        """

    @abc.abstractmethod
    def revoke_certificates(self, course_key: CourseKey, user_ids: Iterable[int], *, actor_id: int | None) -> None:
        """
        Revoke each user's certificate in the course and keep it from being issued again on its own:
        undo what ``generate_certificates`` set up for it. ``actor_id`` is the course team member asking
        (None for the system), for the LMS's records.
        """

    # Course roles and permissions

    @abc.abstractmethod
    def course_staff_ids(self, course_key: CourseKey, user_ids: Iterable[int]) -> set[int]:
        """
        Those of the users who already hold a course team role (staff or instructor) in the course.
        """

    @abc.abstractmethod
    def grant_course_role(self, course_key: CourseKey, user_id: int, role: str) -> None:
        """
        Give the user the course role (``staff`` or ``instructor``).
        """

    @abc.abstractmethod
    def instructor_dashboard_url(self, course_key: CourseKey) -> str:
        """
        Where the course's instructor dashboard is: the MFE's or the legacy one, as the LMS serves it.
        """

    @abc.abstractmethod
    def can_manage_course(self, user, course_key: CourseKey) -> bool:
        """
        Whether the requesting user is course staff or instructor of the course, or a platform admin.
        """

    @abc.abstractmethod
    def is_platform_admin(self, user) -> bool:
        """
        Whether the requesting user is a platform admin (global staff).
        """

    # Messages (sent by the plugin through edx-ace, the platform's messaging framework)

    @abc.abstractmethod
    def message_recipients(self, user_ids: Iterable[int]) -> dict[int, MessageRecipient]:
        """
        The active users who have an email address, by user id, as a message addresses them: address,
        full name and the language they chose for the site (their preference), if any.
        """

    @abc.abstractmethod
    def message_site(self) -> MessageSite:
        """
        The site's sender address and platform name, as the LMS's own messages have them.
        """

    @abc.abstractmethod
    def course_url(self, course_key: CourseKey) -> str:
        """
        The absolute URL where a learner goes to take the course.
        """

    # Inbound progress

    @abc.abstractmethod
    def connect_progress_receivers(
        self, on_progress: Callable[[int, str], None], on_activity: Callable[[int, str], None]
    ) -> None:
        """
        Arrange for ``on_progress(user_id, course_key_string)`` to be called whenever a learner's
        progress in a course may have changed (a block was completed, in whole or in part), and for
        ``on_activity(user_id, course_key_string)`` when they first do something the LMS records that
        does not count as progress (they open a unit or a sequence, attempt a problem). A host that
        cannot report progress logs a warning and connects nothing: it must not keep the LMS from
        starting.
        """

    @abc.abstractmethod
    def connect_retirement_receivers(self, on_retire: Callable[[int], None]) -> None:
        """
        Arrange for ``on_retire(user_id)`` to be called when the LMS retires a user (erases their
        account for good), so that the plugin erases what it holds about them. Like the progress
        receivers, a host that cannot tell logs a warning and connects nothing.
        """
