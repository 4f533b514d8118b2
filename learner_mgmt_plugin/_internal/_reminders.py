"""
Reminders before a required learner's due date and a notice once it has passed, for the learners who
have not completed, as each course's settings ask: sent by the management command
``send_learner_mgmt_reminders`` (or the optional Celery beat entry) through edx-ace.

Each goes at most once per learner, attempt, reminder and due date. A batch locks its learners, leaves
out what ``ReminderSent`` already holds, records what it sends (with a history event) and queues the
messages in one transaction; the messages leave once it has committed. A run that crashes halfway
sends the rest the next time; two runs at once wait for each other's batches and skip what the other
sent. A changed due date is a new key, so its reminders go again. A run that missed days sends the one
reminder closest to the due date that is due, not every one it missed.
"""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ..data import HistoryKind, ReminderKind, ReminderRun
from ..exceptions import CourseNotFound
from ..models import Assignment, CourseConfig, ReminderSent
from . import _messages
from ._bulk import IdIn
from ._course import CourseContext, load_course, load_states
from ._recording import ChangeLog

log = logging.getLogger(__name__)

# The overdue notice goes the day after the due date; a run that missed that day still sends it up to
# this many days late, but not to learners overdue for months when a course turns the notice on.
OVERDUE_CATCH_UP_DAYS = 7

_MESSAGE_OF_KIND = {ReminderKind.BEFORE_DUE: "due_date_reminder", ReminderKind.OVERDUE: "overdue_notice"}
_HISTORY_OF_KIND = {
    ReminderKind.BEFORE_DUE: HistoryKind.REMINDER_SENT,
    ReminderKind.OVERDUE: HistoryKind.OVERDUE_NOTICE_SENT,
}


def reminder_due(due_date: datetime.date, today: datetime.date, days: tuple[int, ...], overdue_notice: bool):
    """
    The reminder a learner due on ``due_date`` is owed ``today`` (kind, days before the due date), or
    None: of the reminders whose day has come, the one closest to the due date.
    """
    if due_date >= today:
        come = [day for day in days if day >= (due_date - today).days]
        return (ReminderKind.BEFORE_DUE, min(come)) if come else None
    if overdue_notice and (today - due_date).days <= OVERDUE_CATCH_UP_DAYS:
        return (ReminderKind.OVERDUE, 0)
    return None


def run(today: datetime.date, *, course_key=None, batch_size=1000) -> ReminderRun:
    """
    Send the reminders and overdue notices owed ``today`` in every course that asks for them (or in
    ``course_key`` only).
    """
    configs = CourseConfig.objects.order_by("pk")
    if course_key is not None:
        configs = configs.filter(course_key=course_key)
    sent = {ReminderKind.BEFORE_DUE: 0, ReminderKind.OVERDUE: 0}
    courses = 0
    for config in configs.only("course_key", "reminder_days", "overdue_notice"):
        if not config.reminder_days and not config.overdue_notice:
            continue
        try:
            ctx = load_course(config.course_key)
            title = ctx.outline.title
        except CourseNotFound:
            log.warning("Learner management reminders: course %s no longer exists", config.course_key)
            continue
        counts = _run_course(ctx, title, today, batch_size)
        courses += bool(sum(counts.values()))
        for kind, count in counts.items():
            sent[kind] += count
    return ReminderRun(
        reminders=sent[ReminderKind.BEFORE_DUE], overdue_notices=sent[ReminderKind.OVERDUE], courses=courses
    )


def _owing(ctx: CourseContext, today: datetime.date) -> Q:
    """
    The course's assignments that may be owed a reminder today: required, with a due date in reach,
    their current attempt not completed.
    """
    latest = today + datetime.timedelta(days=max(ctx.reminder_days, default=0))
    earliest = today - datetime.timedelta(days=OVERDUE_CATCH_UP_DAYS) if ctx.overdue_notice else today
    return Q(
        required=True,
        due_date__gte=earliest,
        due_date__lte=latest,
        current_attempt__isnull=False,
        current_attempt__completed_at__isnull=True,
    )


def _run_course(ctx: CourseContext, title: str, today: datetime.date, batch_size: int) -> dict:
    counts = defaultdict(int)
    owing = _owing(ctx, today)
    ids = list(
        Assignment.objects.filter(owing, course_key=ctx.course_key, active=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for start in range(0, len(ids), batch_size):
        for kind, count in _send_batch(ctx, title, today, owing, ids[start : start + batch_size]).items():
            counts[kind] += count
    return counts


def _send_batch(ctx: CourseContext, title: str, today: datetime.date, owing: Q, ids: list[int]) -> dict:
    now = timezone.now()
    with transaction.atomic():
        # Locked, then read again: a learner who completed or got a new due date meanwhile is seen as now.
        states = load_states(ctx, owing & Q(pk__in=ids), lock=True)
        owed = {}
        for state in states:
            reminder = reminder_due(state.due_date, today, ctx.reminder_days, ctx.overdue_notice)
            if reminder:
                owed[state.attempt.pk] = (state, *reminder)
        already = set(
            ReminderSent.objects.filter(IdIn("attempt_id", list(owed))).values_list(
                "attempt_id", "kind", "days", "due_date"
            )
        )
        to_send = [
            (state, kind, days)
            for attempt_id, (state, kind, days) in owed.items()
            if (attempt_id, kind.value, days, state.due_date) not in already
        ]
        if not to_send:
            return {}
        ReminderSent.objects.bulk_create(
            [
                ReminderSent(attempt_id=state.attempt.pk, kind=kind.value, days=days, due_date=state.due_date, sent=now)
                for state, kind, days in to_send
            ],
            batch_size=1000,
        )
        Assignment.objects.filter(IdIn("pk", [state.assignment_id for state, _kind, _days in to_send])).update(
            last_reminder_at=now
        )
        changes = ChangeLog(ctx.course_key, None)
        recipients = defaultdict(list)
        for state, kind, days in to_send:
            details = {"due_date": state.due_date.isoformat()}
            if kind == ReminderKind.BEFORE_DUE:
                details["days_before"] = days
            changes.record(state.user_id, _HISTORY_OF_KIND[kind], state.attempt.number, details)
            recipients[(kind, state.due_date)].append(state.user_id)
        changes.save()
        for (kind, due_date), user_ids in recipients.items():
            context = {"course_title": title, "due_date": due_date.isoformat(), "days_left": (due_date - today).days}
            _messages.queue(_MESSAGE_OF_KIND[kind], ctx.course_key, user_ids, context)
    counts = defaultdict(int)
    for _state, kind, _days in to_send:
        counts[kind] += 1
    return counts
