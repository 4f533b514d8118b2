"""
The host port (``learner_mgmt_plugin.host.base.LmsHost``) implemented over the development host.

Reads query the host's models directly; writes go through ``devhost.lms.api`` so that they send the
events the LMS would. Every method costs a fixed number of queries, however many ``user_ids`` it gets.
"""

from __future__ import annotations

from collections import defaultdict

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Max
from django.urls import reverse

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
from learner_mgmt_plugin.host.base import MANUAL_ENROLLMENT_REASON, LmsHost

from . import api
from .models import (
    COURSE_TEAM_ROLES,
    BlockCompletion,
    BlockVisit,
    CourseAccessRole,
    CourseBlock,
    CourseOverview,
    PersistentCourseGrade,
    ProblemState,
    ScormStatement,
    UserPreference,
    UserProfile,
    key_text,
)
from .signals import learner_activity, progress_changed, user_retired


class DevLmsHost(LmsHost):
    """
    What the plugin asks of the LMS, answered by the development host.
    """

    def course_titles(self, course_keys):
        return dict(CourseOverview.objects.filter(pk__in=list(course_keys)).values_list("pk", "display_name"))

    def course_outline(self, course_key):
        course = CourseOverview.objects.filter(pk=course_key).first()
        if course is None:
            return None
        # The course as its team sees it: every chapter but the staff-only ones.
        chapters = [
            (chapter, leaves)
            for chapter, leaves in _chapters(api.course_blocks(course_key))
            if not chapter.visible_to_staff_only
        ]
        return CourseOutline(
            course_key=str(course_key),
            title=course.display_name,
            chapters=tuple(
                ChapterOutline(id=chapter.key, title=chapter.display_name, is_quiz=any(leaf.graded for leaf in leaves))
                for chapter, leaves in chapters
            ),
            has_scorm=any(leaf.block_type == CourseBlock.SCORM for _, leaves in chapters for leaf in leaves),
        )

    def search_users(self, text, limit):
        return api.search_users(text, limit)

    def full_names(self, user_ids):
        return dict(
            UserProfile.objects.filter(user_id__in=list(user_ids)).exclude(name="").values_list("user_id", "name")
        )

    def course_modes(self, course_key):
        return tuple(
            CourseMode(slug=slug, certificate_eligible=api.is_eligible_for_certificate(slug))
            for slug in api.course_modes(course_key)
        )

    def enroll(self, course_key, user_ids, mode, *, actor_id):
        return api.bulk_enroll(course_key, user_ids, mode=mode, enrolled_by=actor_id, reason=MANUAL_ENROLLMENT_REASON)

    def unenroll(self, course_key, user_ids, *, actor_id):
        return api.bulk_unenroll(course_key, user_ids, unenrolled_by=actor_id, reason=MANUAL_ENROLLMENT_REASON)

    def progress(self, course_key, user_ids):
        shown = _shown_chapters(course_key, user_ids)
        completed = _completed(course_key, shown)
        return {
            user_id: len(completed[user_id]) / len(leaves)
            for user_id, chapters in shown.items()
            if (leaves := [leaf for _, chapter_leaves in chapters for leaf in chapter_leaves]) and completed[user_id]
        }

    def last_activity(self, course_key, user_ids):
        user_ids = list(user_ids)
        latest = {}
        for model, time_field in (
            (BlockCompletion, "modified"),
            (BlockVisit, "modified"),
            (ProblemState, "modified"),
            (ScormStatement, "timestamp"),
        ):
            rows = (
                model.objects.filter(course_key=course_key, user_id__in=user_ids)
                .values("user_id")
                .annotate(last=Max(time_field))
                .values_list("user_id", "last")
            )
            for user_id, last in rows:
                if user_id not in latest or last > latest[user_id]:
                    latest[user_id] = last
        return latest

    def passing_user_ids(self, course_key, user_ids):
        return set(
            PersistentCourseGrade.objects.filter(
                course_key=course_key, user_id__in=list(user_ids), passed=True
            ).values_list("user_id", flat=True)
        )

    def chapter_progress(self, course_key, user_ids):
        shown = _shown_chapters(course_key, user_ids)
        completed = _completed(course_key, shown)
        return {
            user_id: tuple(_chapter_progress(chapter, leaves, completed[user_id]) for chapter, leaves in chapters)
            for user_id, chapters in shown.items()
        }

    def quiz_results(self, course_key, user_ids):
        shown = _shown_chapters(course_key, user_ids)
        states = {
            (state.user_id, state.key): state
            for state in ProblemState.objects.filter(course_key=course_key, user_id__in=list(shown))
            .annotate(key=key_text("block_key"))
            .values_list("user_id", "key", "answer", "correct", "attempts", named=True)
        }
        return {
            user_id: tuple(
                _quiz_result(chapter, [(problem, states.get((user_id, problem.key))) for problem in problems])
                for chapter, leaves in chapters
                if (problems := [leaf for leaf in leaves if leaf.graded])
            )
            for user_id, chapters in shown.items()
        }

    def scorm_activity(self, course_key, user_id):
        statements = ScormStatement.objects.filter(course_key=course_key, user_id=user_id).order_by("-timestamp", "-pk")
        return tuple(
            ScormRecord(verb=verb, object=activity, result=result, timestamp=timestamp)
            for verb, activity, result, timestamp in statements.values_list("verb", "object", "result", "timestamp")
        )

    def clear_learner_state(self, course_key, user_ids, *, actor_id):
        api.clear_learner_state(course_key, user_ids)

    def generate_certificates(self, course_key, user_ids):
        user_ids = list(user_ids)
        modes = api.enrollment_modes(course_key, user_ids)
        issued = api.issue_certificates(course_key, user_ids)
        urls = self.certificate_urls(course_key, issued)

        def outcome(user_id):
            mode = modes.get(user_id, "")
            if user_id in issued:
                return CertificateOutcome(CertificateStatus.GENERATED, mode, urls[user_id])
            if mode and not api.is_eligible_for_certificate(mode):
                return CertificateOutcome(CertificateStatus.NOT_ELIGIBLE, mode)
            return CertificateOutcome(CertificateStatus.DECLINED, mode)

        return {user_id: outcome(user_id) for user_id in user_ids}

    def certificate_urls(self, course_key, user_ids):
        pages = api.certificate_pages(course_key, user_ids)
        return {user_id: settings.LMS_ROOT_URL + page for user_id, page in pages.items()}

    def revoke_certificates(self, course_key, user_ids, *, actor_id):
        api.revoke_certificates(course_key, user_ids)

    def course_staff_ids(self, course_key, user_ids):
        return set(
            CourseAccessRole.objects.filter(
                course_key=course_key, user_id__in=list(user_ids), role__in=COURSE_TEAM_ROLES
            ).values_list("user_id", flat=True)
        )

    def grant_course_role(self, course_key, user_id, role):
        api.grant_role(user_id, course_key, role)

    def instructor_dashboard_url(self, course_key):
        # As Verawood's get_instructor_dashboard_url where the site has the MFE, else the host's own
        # (legacy) dashboard page.
        mfe = getattr(settings, "INSTRUCTOR_MICROFRONTEND_URL", None)
        if mfe:
            return f"{mfe.rstrip('/')}/{course_key}"
        return reverse("instructor_dashboard", kwargs={"course_key": course_key})

    def can_manage_course(self, user, course_key):
        return api.can_manage_course(user, course_key)

    def is_platform_admin(self, user):
        return api.is_platform_admin(user)

    def message_recipients(self, user_ids):
        users = get_user_model().objects.filter(pk__in=list(user_ids), is_active=True).exclude(email="")
        languages = dict(
            UserPreference.objects.filter(user__in=users, key=api.LANGUAGE_KEY).values_list("user_id", "value")
        )
        return {
            user_id: MessageRecipient(email=email, name=name or "", language=languages.get(user_id))
            for user_id, email, name in users.values_list("pk", "email", "profile__name")
        }

    def message_site(self):
        return MessageSite(from_address=settings.DEFAULT_FROM_EMAIL, platform_name=settings.PLATFORM_NAME)

    def course_url(self, course_key):
        return settings.LMS_ROOT_URL + reverse("course_home", kwargs={"course_key": course_key})

    def connect_progress_receivers(self, on_progress, on_activity):
        def on_progress_changed(sender, user_id, course_key, **kwargs):  # pylint: disable=unused-argument
            on_progress(user_id, str(course_key))

        def on_learner_activity(sender, user_id, course_key, **kwargs):  # pylint: disable=unused-argument
            on_activity(user_id, str(course_key))

        # Held strongly (the closures have no other owner) and once per callback, however often asked.
        progress_changed.connect(
            on_progress_changed,
            weak=False,
            dispatch_uid=f"devhost_lms.progress:{on_progress.__module__}.{on_progress.__qualname__}",
        )
        learner_activity.connect(
            on_learner_activity,
            weak=False,
            dispatch_uid=f"devhost_lms.activity:{on_activity.__module__}.{on_activity.__qualname__}",
        )

    def connect_retirement_receivers(self, on_retire):
        def on_user_retired(sender, user, **kwargs):  # pylint: disable=unused-argument
            on_retire(user.pk)

        user_retired.connect(
            on_user_retired,
            weak=False,
            dispatch_uid=f"devhost_lms.retired:{on_retire.__module__}.{on_retire.__qualname__}",
        )


def _chapters(blocks) -> list[tuple]:
    """
    The chapters among ``blocks`` (named rows of ``devhost.lms.api.course_blocks``, in course order),
    each with its leaves in course order (those of its item banks too).
    """
    chapters = {}
    for block in blocks:
        if block.block_type == CourseBlock.CHAPTER:
            chapters[block.pk] = (block, [])
        elif block.block_type in CourseBlock.LEAF_TYPES:
            chapters[block.chapter_id][1].append(block)
    return list(chapters.values())


def _shown_chapters(course_key, user_ids) -> dict[int, list[tuple]]:
    """
    The chapters each user is shown, with the leaves of each they are shown (``learner_blocks``).
    """
    shown = api.learner_blocks(course_key, user_ids)
    # Learners who see the same blocks (every one of them, in a course without restricted content)
    # share their chapters.
    chapters = {id(blocks): _chapters(blocks) for blocks in shown.values()}
    return {user_id: chapters[id(blocks)] for user_id, blocks in shown.items()}


def _completed(course_key, shown) -> dict[int, dict]:
    """
    When each user completed each of the leaves they are shown that they completed, by key text.
    """
    completed_at = defaultdict(dict)
    for user_id, block_key, modified in BlockCompletion.objects.filter(
        course_key=course_key, user_id__in=list(shown), completion__gte=1.0
    ).values_list("user_id", key_text("block_key"), "modified"):
        completed_at[user_id][block_key] = modified
    return {
        user_id: {
            leaf.key: completed_at[user_id][leaf.key]
            for _, leaves in chapters
            for leaf in leaves
            if leaf.key in completed_at[user_id]
        }
        for user_id, chapters in shown.items()
    }


def _chapter_progress(chapter, leaves, completed_at) -> ChapterProgress:
    """
    Progress in a chapter given when the learner completed each block (``completed_at`` by usage key).
    """
    times = [completed_at[leaf.key] for leaf in leaves if leaf.key in completed_at]
    return ChapterProgress(
        chapter_id=chapter.key,
        title=chapter.display_name,
        progress=_percent(len(times), len(leaves)),
        completed_at=max(times) if leaves and len(times) == len(leaves) else None,
    )


def _quiz_result(chapter, answered) -> QuizResult:
    """
    A quiz chapter's result given each of its problems with the learner's state in it (None if unanswered).
    """
    states = [state for _, state in answered if state is not None]
    return QuizResult(
        chapter_id=chapter.key,
        title=chapter.display_name,
        score=_percent(sum(state.correct for state in states), len(answered)) if states else None,
        attempts=max((state.attempts for state in states), default=0),
        questions=tuple(
            QuestionResult(
                question=problem.question,
                answer=state.answer if state else "",
                correct=state.correct if state else None,
            )
            for problem, state in answered
        ),
    )


def _percent(part, whole) -> int:
    # Floored, so that 100 means all of it.
    return 100 * part // whole if whole else 0
