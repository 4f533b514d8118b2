"""
Applying what the host reports: learner progress, self-enrollment and unenrollment, certificates
and passing grades. Each event concerns one learner and costs a handful of queries; none of this
runs when the learner list is read.
"""

from __future__ import annotations

import functools
from contextlib import contextmanager

from django.db import transaction
from django.utils import timezone

from ..conf import app_settings
from ..data import AttemptCloseReason, CertificateStatus, CompletionSource, HistoryKind, SeatState
from ..models import Assignment, Attempt, Seat
from ._actions import active_in_current_attempt, close_attempts, open_next_attempts, percent
from ._course import CourseContext, load_course, refresh_statuses, state_rows
from ._directory import ensure_learners
from ._echo import is_changing
from ._recording import ChangeLog


def _unless_own_echo(record):
    """
    Ignore what the host reports about a course the plugin is changing itself: the echo of its own
    enrollments, state resets and certificates, already applied.
    """

    @functools.wraps(record)
    def apply(course_key, *args, **kwargs):
        if not is_changing(course_key):
            record(course_key, *args, **kwargs)

    return apply


def _locked_assignment(ctx: CourseContext, user_id: int):
    return (
        Assignment.objects.select_for_update()
        .filter(course_key=ctx.course_key, learner_id=user_id)
        .select_related("current_attempt")
        .first()
    )


@contextmanager
def _listed_learner(course_key, user_id: int):
    """
    In one transaction: the course, the learner's locked assignment (None unless they are listed)
    and the change log of what the event changes, saved when the block ends without an error.
    """
    ctx = load_course(course_key, must_exist=False)
    with transaction.atomic():
        assignment = _locked_assignment(ctx, user_id)
        log = ChangeLog(ctx.course_key, None)
        yield ctx, (assignment if assignment is not None and assignment.active else None), log
        log.save()


def _complete_by_learner(ctx: CourseContext, assignment, log: ChangeLog, now) -> None:
    attempt = assignment.current_attempt
    attempt.completed_at = now
    attempt.completion_source = CompletionSource.LEARNER.value
    attempt.credits_awarded = ctx.credits
    attempt.started_at = attempt.started_at or now
    Seat.objects.filter(
        course_key=ctx.course_key, learner_id=assignment.learner_id, current=True, state=SeatState.ENROLLED.value
    ).update(state=SeatState.ATTENDED.value, state_changed_at=now)
    log.record(
        assignment.learner_id,
        HistoryKind.COMPLETED,
        attempt.number,
        {"source": CompletionSource.LEARNER.value, "credits": str(ctx.credits)},
    )


@_unless_own_echo
def record_progress(course_key, user_id: int) -> None:
    """
    Take the learner's current progress from the host into their current attempt: start it (on any
    progress or activity in it), and complete it when the completion rule is "all_content" and
    everything is done.
    """
    now = timezone.now()
    with _listed_learner(course_key, user_id) as (ctx, assignment, log):
        if assignment is None:
            return
        attempt = assignment.current_attempt
        fraction = ctx.host.progress(ctx.course_key, [user_id]).get(user_id, 0.0)
        # A completed attempt keeps the progress it was completed with (100 when an admin did it).
        attempt.progress = (
            percent(fraction) if attempt.completed_at is None else max(attempt.progress, percent(fraction))
        )
        if attempt.started_at is None and (
            fraction > 0 or active_in_current_attempt(ctx, [(user_id, assignment.pk, attempt.number)])
        ):
            attempt.started_at = now
            log.record(user_id, HistoryKind.STARTED, attempt.number)
        if attempt.completed_at is None and fraction >= 1 and app_settings.COMPLETION_RULE == "all_content":
            _complete_by_learner(ctx, assignment, log, now)
        attempt.save(update_fields=["progress", "started_at", "completed_at", "completion_source", "credits_awarded"])
        refresh_statuses(ctx, [assignment.pk])


@_unless_own_echo
def record_activity(course_key, user_id: int) -> None:
    """
    The learner did something in the course that is not progress (opened a section, attempted a
    problem): start their current attempt if it has not started. One query when there is nothing to
    do, which is nearly always, since the courseware reports every save of a learner's block state.
    """
    waiting = Assignment.objects.filter(
        course_key=course_key,
        learner_id=user_id,
        active=True,
        current_attempt__started_at__isnull=True,
        current_attempt__completed_at__isnull=True,
    )
    if not waiting.exists():
        return
    with _listed_learner(course_key, user_id) as (ctx, assignment, log):
        if assignment is None or assignment.current_attempt.started_at is not None:
            return
        attempt = assignment.current_attempt
        attempt.started_at = timezone.now()
        attempt.save(update_fields=["started_at"])
        log.record(user_id, HistoryKind.STARTED, attempt.number)
        refresh_statuses(ctx, [assignment.pk])


@_unless_own_echo
def record_passing(course_key, user_id: int, is_passing: bool) -> None:
    """
    Complete the learner's current attempt when they pass and the completion rule is "passing_grade".
    """
    if not is_passing or app_settings.COMPLETION_RULE != "passing_grade":
        return
    with _listed_learner(course_key, user_id) as (ctx, assignment, log):
        if assignment is None or assignment.current_attempt.completed_at is not None:
            return
        _complete_by_learner(ctx, assignment, log, timezone.now())
        assignment.current_attempt.save(
            update_fields=["completed_at", "completion_source", "credits_awarded", "started_at"]
        )
        refresh_statuses(ctx, [assignment.pk])


@_unless_own_echo
def record_self_enrollment(course_key, user_id: int) -> None:
    """
    A learner enrolled on their own: list them with an optional assignment nobody made, on a new
    attempt if they had been unassigned before.
    """
    ctx = load_course(course_key, must_exist=False)
    with transaction.atomic():
        assignment = _locked_assignment(ctx, user_id)
        if assignment is not None and assignment.active:
            return
        names = ensure_learners(ctx.host, [user_id])
        terms = {
            "learner_name": names[user_id],
            "required": False,
            "due_date": None,
            "assigned_by": None,
            "assigned_at": timezone.now(),
            "message": "",
            "active": True,
            "self_enrolled": True,
        }
        if assignment is None:
            assignment = Assignment.objects.create(learner_id=user_id, course_key=ctx.course_key, **terms)
            number = 1
        else:
            Assignment.objects.filter(pk=assignment.pk).update(**terms)
            number = assignment.current_attempt.number + 1
        open_next_attempts({assignment.pk: number})
        log = ChangeLog(ctx.course_key, None)
        log.record(user_id, HistoryKind.SELF_ENROLLED, number, {"required": False, "due_date": None})
        log.save()
        refresh_statuses(ctx, [assignment.pk])


@_unless_own_echo
def record_self_unenrollment(course_key, user_id: int) -> None:
    """
    A learner left the course on their own: close their attempt and seat and stop listing them.
    """
    now = timezone.now()
    with _listed_learner(course_key, user_id) as (ctx, assignment, log):
        if assignment is None:
            return
        [(state, _row)] = state_rows(ctx, Assignment.objects.filter(pk=assignment.pk))
        close_attempts(ctx, [state], AttemptCloseReason.UNASSIGNED, now)
        if state.seat:
            Seat.objects.filter(pk=state.seat.pk).update(
                state=SeatState.REMOVED.value, current=None, state_changed_at=now
            )
        Assignment.objects.filter(pk=assignment.pk).update(active=False)
        log.record(user_id, HistoryKind.SELF_UNENROLLED, assignment.current_attempt.number)


@_unless_own_echo
def record_certificate(course_key, user_id: int, *, issued: bool) -> None:
    """
    The host issued or revoked the learner's certificate: reflect it on their current attempt.
    """
    status = CertificateStatus.GENERATED if issued else CertificateStatus.REMOVED
    with _listed_learner(course_key, user_id) as (ctx, assignment, log):
        if assignment is None:
            return
        attempt = assignment.current_attempt
        if attempt.certificate_status == status.value or (not issued and attempt.certificate_status is None):
            return
        url = ctx.host.certificate_urls(ctx.course_key, [user_id]).get(user_id, "") if issued else ""
        Attempt.objects.filter(pk=attempt.pk).update(
            certificate_status=status.value, certificate_changed_at=timezone.now(), certificate_url=url
        )
        kind = HistoryKind.CERTIFICATE_GENERATED if issued else HistoryKind.CERTIFICATE_REMOVED
        log.record(user_id, kind, attempt.number)
