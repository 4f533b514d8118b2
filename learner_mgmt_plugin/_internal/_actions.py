"""
What each action does to a set of learners (SPEC section 4).

Every function here takes learners already checked against the action matrix, changes them with a
fixed number of queries and host calls whatever their number, records history and signals in the
given ``ChangeLog`` and returns the learners it had to leave alone, with the reason. A per-learner
action is the same function applied to one learner, so single and mass actions cannot drift apart.
"""

from __future__ import annotations

import datetime
import json
from collections import defaultdict

import attr
from django.db import connection
from django.db.models import DateTimeField, Max, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from .. import rules
from ..conf import app_settings
from ..data import (
    REASON_MAX_LENGTH,
    AttemptCloseReason,
    CertificateOutcome,
    CertificateStatus,
    CompletionSource,
    HistoryKind,
    RemoveScope,
    SeatState,
)
from ..exceptions import Conflict, InvalidInput, SessionNotFound
from ..models import Assignment, Attempt, AttemptSnapshot, HistoryEvent, IltSession, RemovalAudit, Seat
from ..signals import signals
from . import _messages
from ._bulk import IdIn, db_datetime, insert_rows, update_rows
from ._course import CourseContext, LearnerState, refresh_statuses
from ._recording import ChangeLog


@attr.s(frozen=True, auto_attribs=True)
class Skip:
    """
    A learner an action left alone, and why.
    """

    state: LearnerState
    reason: str


def percent(fraction: float) -> int:
    """
    Whole percent of a completed fraction, rounded down (a learner is 100% only when done).
    """
    return max(0, min(100, int(fraction * 100 + 1e-9)))


def _jsonable(value):
    def serialize(_instance, _field, item):
        return item.isoformat() if isinstance(item, (datetime.date, datetime.datetime)) else item

    return attr.asdict(value, value_serializer=serialize)


def _user_ids(states):
    return [state.user_id for state in states]


def close_attempts(ctx: CourseContext, states, reason: AttemptCloseReason, now) -> None:
    """
    Close the learners' current attempts, keeping a snapshot of their progress, chapter progress and
    quiz results (two bulk host calls, an update and an insert).
    """
    if not states:
        return
    chapters = ctx.host.chapter_progress(ctx.course_key, _user_ids(states))
    quizzes = ctx.host.quiz_results(ctx.course_key, _user_ids(states))
    ids = [state.attempt.pk for state in states]
    Attempt.objects.filter(IdIn("pk", ids)).update(closed_at=now, closed_reason=reason.value)
    insert_rows(
        AttemptSnapshot,
        ("attempt", "data"),
        [
            (
                state.attempt.pk,
                json.dumps(
                    {
                        "progress": state.attempt.progress,
                        "chapters": [_jsonable(chapter) for chapter in chapters.get(state.user_id, ())],
                        "quizzes": [_jsonable(quiz) for quiz in quizzes.get(state.user_id, ())],
                    }
                ),
            )
            for state in states
        ],
    )


def active_in_current_attempt(ctx: CourseContext, attempts) -> set[int]:
    """
    Those of the learners who did something in the course during their current attempt, given as
    (user id, assignment id, attempt number): anything the host recorded (a visit, a part-done block,
    a problem attempted) after their previous attempt closed, or at all on a first attempt. One host
    call and at most one query.
    """
    attempts = list(attempts)
    if not attempts:
        return set()
    last_activity = ctx.host.last_activity(ctx.course_key, [user_id for user_id, _pk, _number in attempts])
    later = [pk for user_id, pk, number in attempts if number > 1 and user_id in last_activity]
    closed = dict(
        Attempt.objects.filter(IdIn("assignment_id", later), closed_at__isnull=False)
        .values("assignment_id")
        .annotate(last=Max("closed_at"))
        .values_list("assignment_id", "last")
        if later
        else ()
    )
    return {
        user_id
        for user_id, pk, _number in attempts
        if user_id in last_activity and (pk not in closed or last_activity[user_id] > closed[pk])
    }


def open_next_attempts(numbers_by_assignment: dict[int, int]) -> None:
    """
    Give each assignment a new current attempt with the given number (two queries).
    """
    if not numbers_by_assignment:
        return
    insert_rows(
        Attempt,
        ("assignment", "number", "progress", "credits_awarded"),
        [(pk, number, 0, 0) for pk, number in numbers_by_assignment.items()],
    )
    latest = Attempt.objects.filter(assignment=OuterRef("pk")).order_by("-number").values("pk")[:1]
    Assignment.objects.filter(IdIn("pk", numbers_by_assignment)).update(current_attempt=Subquery(latest))


def last_assignment_id() -> int:
    """
    The highest assignment id so far: the ones created next are above it.
    """
    return Assignment.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def open_first_attempts(course_key, after_id: int) -> None:
    """
    Give attempt 1 to the course's assignments created in this transaction: those above ``after_id``
    without a current attempt, which every committed assignment has. Two statements whatever their
    number, with no list of ids to send, on a range of the primary key.
    """
    quote = connection.ops.quote_name
    assignments, attempts = quote(Assignment._meta.db_table), quote(Attempt._meta.db_table)
    columns = {
        name: quote(field.column)
        for name, field in (
            ("id", Assignment._meta.pk),
            ("course_key", Assignment._meta.get_field("course_key")),
            ("current_attempt", Assignment._meta.get_field("current_attempt")),
            ("attempt_id", Attempt._meta.pk),
            ("assignment", Attempt._meta.get_field("assignment")),
            ("number", Attempt._meta.get_field("number")),
            ("progress", Attempt._meta.get_field("progress")),
            ("credits", Attempt._meta.get_field("credits_awarded")),
        )
    }
    without_attempt = f"{columns['id']} > %s AND {columns['course_key']} = %s AND {columns['current_attempt']} IS NULL"
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {attempts} ({columns['assignment']}, {columns['number']}, {columns['progress']}, "
            f"{columns['credits']}) SELECT {columns['id']}, 1, 0, 0 FROM {assignments} WHERE {without_attempt}",
            [after_id, str(course_key)],
        )
        cursor.execute(
            f"UPDATE {assignments} SET {columns['current_attempt']} = (SELECT {attempts}.{columns['attempt_id']} "
            f"FROM {attempts} WHERE {attempts}.{columns['assignment']} = {assignments}.{columns['id']} "
            f"AND {attempts}.{columns['number']} = 1) WHERE {without_attempt}",
            [after_id, str(course_key)],
        )


def release_seats(states, state: SeatState | None, now) -> None:
    """
    End the learners' current seats, in ``state`` (or as they were if None).
    """
    seat_ids = [learner.seat.pk for learner in states if learner.seat]
    if seat_ids:
        ended = {"current": None, "state_changed_at": now}
        if state is not None:
            ended["state"] = state.value
        Seat.objects.filter(IdIn("pk", seat_ids)).update(**ended)


def _start_again(ctx: CourseContext, states, log: ChangeLog, reason: AttemptCloseReason, seat_state, now) -> None:
    """
    Send the learners back to Not Started, keeping what they did: close their current attempts for
    ``reason`` (snapshot kept), open the next ones, end the seats the closed attempts held (in
    ``seat_state``, or as they were if None) and clear the learners' course state in the host, which
    would otherwise count towards the new attempt.
    """
    close_attempts(ctx, states, reason, now)
    open_next_attempts({state.assignment_id: state.attempt.number + 1 for state in states})
    release_seats(states, seat_state, now)
    ctx.host.clear_learner_state(ctx.course_key, _user_ids(states), actor_id=log.actor_id)


def reset_progress(ctx: CourseContext, states, log: ChangeLog, *, now) -> list[Skip]:
    """
    Close the current attempts (snapshot kept), open the next ones Not Started, release the seats the
    closed attempts held and clear the learners' course state in the host.
    """
    _start_again(ctx, states, log, AttemptCloseReason.RESET, None, now)
    for state in states:
        log.record(
            state.user_id,
            HistoryKind.PROGRESS_RESET,
            state.attempt.number + 1,
            {"closed_attempt": state.attempt.number, "progress": state.attempt.progress},
        )
    refresh_statuses(ctx, [state.assignment_id for state in states])
    return []


def mark_complete(ctx: CourseContext, states, log: ChangeLog, *, now) -> list[Skip]:
    """
    Complete the current attempts as if the learners had (progress 100, source admin), award the
    course credits, mark ILT seats attended and issue the certificates.
    """
    Attempt.objects.filter(IdIn("pk", [state.attempt.pk for state in states])).update(
        completed_at=now,
        progress=100,
        completion_source=CompletionSource.ADMIN.value,
        credits_awarded=ctx.credits,
        started_at=Coalesce("started_at", Value(now, output_field=DateTimeField())),
    )
    attending = [state.seat.pk for state in states if state.seat and state.seat.state == SeatState.ENROLLED.value]
    if attending:
        Seat.objects.filter(IdIn("pk", attending)).update(state=SeatState.ATTENDED.value, state_changed_at=now)
    for state in states:
        details = {"source": CompletionSource.ADMIN.value, "credits": str(ctx.credits)}
        if state.seat:
            details["session_id"] = state.seat.session_id
        log.record(state.user_id, HistoryKind.COMPLETED, state.attempt.number, details)
    # Whatever the LMS does about the certificate, the learner has completed: the row says what it did.
    uncertified = [state for state in states if not state.has_certificate]
    if uncertified:
        outcomes = ctx.host.generate_certificates(ctx.course_key, _user_ids(uncertified))
        _record_certificates(uncertified, outcomes, log, now)
    refresh_statuses(ctx, [state.assignment_id for state in states])
    return []


def mark_incomplete(ctx: CourseContext, states, log: ChangeLog, *, now) -> list[Skip]:
    """
    Withdraw the completions of the current attempts: revoke the certificates and credits they
    earned. In a self-paced course the status falls back to what the learner's real progress implies.
    In an ILT course the learners (Completed, or Enrolled in a session) are marked incomplete in their
    session: the attempt closes, kept in their history, and they are Not Started, free to be seated
    again.
    """
    completed = [state for state in states if state.attempt.completed_at is not None]
    fractions = ctx.host.progress(ctx.course_key, _user_ids(completed)) if completed else {}
    active = active_in_current_attempt(
        ctx, [(state.user_id, state.assignment_id, state.attempt.number) for state in completed]
    )
    certified = [state for state in completed if state.has_certificate]
    if certified:
        ctx.host.revoke_certificates(ctx.course_key, _user_ids(certified), actor_id=log.actor_id)
    attempts = []
    for state in completed:
        fraction = fractions.get(state.user_id, 0.0)
        attempts.append(
            Attempt(
                pk=state.attempt.pk,
                completed_at=None,
                completion_source=None,
                credits_awarded=0,
                progress=percent(fraction),
                # The completion may have been the only sign of a start: without progress or any
                # activity, not started.
                started_at=state.attempt.started_at if fraction > 0 or state.user_id in active else None,
            )
        )
    Attempt.objects.bulk_update(
        attempts, ["completed_at", "completion_source", "credits_awarded", "progress", "started_at"], batch_size=1000
    )
    _set_certificate(certified, CertificateStatus.REMOVED, now)
    for state in states:
        details = {"credits_revoked": str(state.attempt.credits_awarded)}
        if state.seat:
            details.update(session_id=state.seat.session_id, session_title=state.seat.session_title)
        log.record(state.user_id, HistoryKind.MARKED_INCOMPLETE, state.attempt.number, details)
    for state in certified:
        log.record(state.user_id, HistoryKind.CERTIFICATE_REMOVED, state.attempt.number)
    if ctx.is_ilt:
        # The closed attempt keeps the progress the learner really made, not the completion's 100%.
        withdrawn = {attempt.pk: attempt.progress for attempt in attempts}
        closing = [
            attr.evolve(state, attempt=attr.evolve(state.attempt, progress=withdrawn[state.attempt.pk]))
            if state.attempt.pk in withdrawn
            else state
            for state in states
        ]
        _start_again(ctx, closing, log, AttemptCloseReason.INCOMPLETE, SeatState.INCOMPLETE, now)
    refresh_statuses(ctx, [state.assignment_id for state in states])
    return []


def _unenroll(ctx: CourseContext, states, log: ChangeLog) -> tuple[list, list[Skip]]:
    """
    Unenroll the learners in the host first: those the LMS refuses are left out of everything else,
    with its reason.
    """
    refused = ctx.host.unenroll(ctx.course_key, _user_ids(states), actor_id=log.actor_id)
    skipped = [
        Skip(state, _("The LMS refused to unenroll this learner: {reason}").format(reason=refused[state.user_id]))
        for state in states
        if state.user_id in refused
    ]
    return [state for state in states if state.user_id not in refused], skipped


def unassign(ctx: CourseContext, states, log: ChangeLog, *, now) -> list[Skip]:
    """
    Deactivate the host enrollments, close the current attempts and drop their progress in the host,
    give up the seats and deactivate the assignments. History is kept.
    """
    states, skipped = _unenroll(ctx, states, log)
    close_attempts(ctx, states, AttemptCloseReason.UNASSIGNED, now)
    release_seats(states, SeatState.REMOVED, now)
    Assignment.objects.filter(IdIn("pk", [state.assignment_id for state in states])).update(active=False)
    ctx.host.clear_learner_state(ctx.course_key, _user_ids(states), actor_id=log.actor_id)
    for state in states:
        log.record(state.user_id, HistoryKind.UNASSIGNED, state.attempt.number)
    return skipped


def remove(ctx: CourseContext, states, log: ChangeLog, *, now, scope: RemoveScope) -> list[Skip]:
    """
    ``session``: give up the learners' seats, keeping them assigned. ``course``/``both``: delete all of
    their data in the course (assignment, attempts, seats, history), unenroll them and clear their
    course state in the host, leaving a removal audit record.
    """
    if scope == RemoveScope.SESSION:
        seated = [state for state in states if state.seat]
        release_seats(seated, SeatState.REMOVED, now)
        for state in seated:
            log.record(
                state.user_id,
                HistoryKind.SESSION_REMOVED,
                state.attempt.number,
                {"session_id": state.seat.session_id, "session_title": state.seat.session_title},
            )
        refresh_statuses(ctx, [state.assignment_id for state in seated])
        return [Skip(state, _("Not seated in a session.")) for state in states if not state.seat]

    states, skipped = _unenroll(ctx, states, log)
    user_ids = _user_ids(states)
    assignment_ids = [state.assignment_id for state in states]
    RemovalAudit.objects.bulk_create(
        [
            RemovalAudit(
                actor_id=log.actor_id,
                learner_id=user_id,
                course_key=ctx.course_key,
                scope=scope.value,
                created=now,
                reason=log.reason,
            )
            for user_id in user_ids
        ],
        batch_size=1000,
    )
    HistoryEvent.objects.filter(course_key=ctx.course_key, learner_id__in=user_ids).delete()
    Seat.objects.filter(course_key=ctx.course_key, learner_id__in=user_ids).delete()
    Assignment.objects.filter(pk__in=assignment_ids).update(current_attempt=None)
    Attempt.objects.filter(assignment_id__in=assignment_ids).delete()
    Assignment.objects.filter(pk__in=assignment_ids).delete()
    ctx.host.clear_learner_state(ctx.course_key, user_ids, actor_id=log.actor_id)
    for state in states:
        log.announce(signals.LEARNER_REMOVED, state.user_id, state.attempt.number, {"scope": scope.value})
    return skipped


def seatable_session(ctx: CourseContext, session_id, now, *, lock=True) -> IltSession:
    """
    The course's session (locked for a seat change unless ``lock`` is off); SessionNotFound, or
    Conflict if it ended beyond the retroactive window.
    """
    sessions = IltSession.objects.select_for_update() if lock else IltSession.objects
    session = sessions.filter(course_key=ctx.course_key, pk=session_id).first()
    if session is None:
        raise SessionNotFound(f"This course has no session {session_id}.")
    window = app_settings.RETROACTIVE_DAYS
    if session.end < now - datetime.timedelta(days=window):
        raise Conflict(
            _("'{title}' ended on {end:%Y-%m-%d}, more than {days} days ago; learners can no longer be added.").format(
                title=session.title, end=session.end, days=window
            )
        )
    return session


def change_session(
    ctx: CourseContext, states, log: ChangeLog, *, now, session_id, kind=HistoryKind.SESSION_CHANGED
) -> list[Skip]:
    """
    Seat the learners in the session, moving those seated elsewhere, while seats remain; a seat in a
    session that has already ended is flagged retroactive. The history records it as ``kind`` (a
    learner's own booking is ``SESSION_BOOKED``).
    """
    session = seatable_session(ctx, session_id, now)
    skipped = [
        Skip(state, _("Already in this session."))
        for state in states
        if state.seat and state.seat.session_id == session.pk
    ]
    movers = [state for state in states if not (state.seat and state.seat.session_id == session.pk)]
    if session.capacity is not None:
        free = max(0, session.capacity - Seat.objects.filter(session=session, current=True).count())
        skipped += [Skip(state, _("The session is full.")) for state in movers[free:]]
        movers = movers[:free]
    release_seats(movers, SeatState.REMOVED, now)
    retroactive = session.end < now
    Seat.objects.bulk_create(
        [
            Seat(
                session=session,
                learner_id=state.user_id,
                course_key=ctx.course_key,
                attempt_id=state.attempt.pk,
                state=SeatState.ENROLLED.value,
                current=True,
                enrolled_by_id=log.actor_id,
                enrolled_at=now,
                retroactive=retroactive,
                state_changed_at=now,
            )
            for state in movers
        ],
        batch_size=1000,
    )
    for state in movers:
        log.record(
            state.user_id,
            kind,
            state.attempt.number,
            {
                "from_session_id": state.seat.session_id if state.seat else None,
                "to_session_id": session.pk,
                "session_title": session.title,
                "retroactive": retroactive,
            },
        )
    refresh_statuses(ctx, [state.assignment_id for state in movers])
    return skipped


def mark_no_show(ctx: CourseContext, states, log: ChangeLog, *, now, message: str) -> list[Skip]:
    """
    Mark the seats no-show: the learners leave the session and are Not Started whatever their
    progress, on a new attempt (the one they missed the session in is kept in their history), free to
    be seated in another session. Send them the private message, if any, once the change has
    committed.
    """
    for state in states:
        log.record(
            state.user_id,
            HistoryKind.NO_SHOW,
            state.attempt.number,
            {
                "session_id": state.seat.session_id,
                "session_title": state.seat.session_title,
                "message_sent": bool(message),
                "message": message,
                "progress": state.attempt.progress,
            },
        )
    _start_again(ctx, states, log, AttemptCloseReason.NO_SHOW, SeatState.NO_SHOW, now)
    if message:
        by_session = defaultdict(list)
        for state in states:
            by_session[state.seat.session_title].append(state.user_id)
        for session_title, user_ids in by_session.items():
            context = {"course_title": ctx.outline.title, "session_title": session_title, "message": message}
            _messages.queue("session_no_show", ctx.course_key, user_ids, context)
    refresh_statuses(ctx, [state.assignment_id for state in states])
    return []


def make_instructor(ctx: CourseContext, states, log: ChangeLog, *, now) -> list[Skip]:
    """
    Give the learners the course role ``LEARNER_MGMT_INSTRUCTOR_ROLE`` names.
    """
    role = app_settings.INSTRUCTOR_ROLE
    for state in states:
        ctx.host.grant_course_role(ctx.course_key, state.user_id, role)
        log.record(state.user_id, HistoryKind.INSTRUCTOR_GRANTED, state.attempt.number, {"role": role})
    return []


def generate_certificate(ctx: CourseContext, states, log: ChangeLog, *, now) -> list[Skip]:
    """
    Ask the LMS for the certificate of the current attempts; progress is untouched. Learners it will
    not issue one to at all (their enrollment mode earns none, or it declines) are left as they were,
    with its reason; for the others the attempt records what it did.
    """
    outcomes = ctx.host.generate_certificates(ctx.course_key, _user_ids(states))
    refused = {
        state.user_id: Skip(state, rules.certificate_note(outcome.status, outcome.mode))
        for state in states
        if (outcome := outcomes[state.user_id]).status in (CertificateStatus.NOT_ELIGIBLE, CertificateStatus.DECLINED)
    }
    _record_certificates([state for state in states if state.user_id not in refused], outcomes, log, now)
    return list(refused.values())


def remove_certificate(ctx: CourseContext, states, log: ChangeLog, *, now) -> list[Skip]:
    """
    Revoke the certificate of the current attempts; progress is untouched.
    """
    ctx.host.revoke_certificates(ctx.course_key, _user_ids(states), actor_id=log.actor_id)
    _set_certificate(states, CertificateStatus.REMOVED, now)
    for state in states:
        log.record(state.user_id, HistoryKind.CERTIFICATE_REMOVED, state.attempt.number)
    return []


def _set_certificate(states, status: CertificateStatus, now) -> None:
    """
    Set the certificate state of the attempts; no certificate page is theirs (any more).
    """
    if states:
        Attempt.objects.filter(IdIn("pk", [state.attempt.pk for state in states])).update(
            certificate_status=status.value, certificate_changed_at=now, certificate_url=""
        )


def _record_certificates(states, outcomes: dict[int, CertificateOutcome], log: ChangeLog, now) -> None:
    """
    Record on each attempt what the LMS did about its certificate (one UPDATE a thousand attempts; each
    learner's certificate has a page of its own): a generated certificate is history's "certificate
    generated", anything else "certificate requested" with what the LMS did instead.
    """
    update_rows(
        Attempt,
        {
            state.attempt.pk: (
                outcomes[state.user_id].status.value,
                outcomes[state.user_id].mode,
                outcomes[state.user_id].url,
            )
            for state in states
        },
        ("certificate_status", "certificate_mode", "certificate_url"),
        certificate_changed_at=db_datetime(now),
    )
    for state in states:
        outcome = outcomes[state.user_id]
        if outcome.status == CertificateStatus.GENERATED:
            log.record(state.user_id, HistoryKind.CERTIFICATE_GENERATED, state.attempt.number)
        else:
            log.record(
                state.user_id,
                HistoryKind.CERTIFICATE_REQUESTED,
                state.attempt.number,
                {"status": outcome.status.value, "mode": outcome.mode},
            )


def check_due_date(due_date, today: datetime.date) -> None:
    """
    Refuse (InvalidInput) a due date that is not a date or has passed by ``today``; None (no due date)
    passes.
    """
    if due_date is None:
        return
    if not isinstance(due_date, datetime.date) or isinstance(due_date, datetime.datetime):
        raise InvalidInput("due_date", _("The due date must be a date."))
    if due_date < today:
        raise InvalidInput("due_date", _("The due date {value} is in the past.").format(value=due_date.isoformat()))


def check_reason(ctx: CourseContext, reason, *, scope: RemoveScope | None = None) -> str:
    """
    The reason given for a change, stripped; InvalidInput if it is not text, is too long, or is missing
    where the course requires one (removing learners from the course, which deletes their data).
    """
    if reason is None:
        reason = ""
    if not isinstance(reason, str):
        raise InvalidInput("reason", _("The reason must be text."))
    reason = reason.strip()
    if len(reason) > REASON_MAX_LENGTH:
        raise InvalidInput("reason", _("Keep the reason under {limit} characters.").format(limit=REASON_MAX_LENGTH + 1))
    if not reason and ctx.removal_reason_required and scope in (RemoveScope.COURSE, RemoveScope.BOTH):
        raise InvalidInput("reason", _("This course asks for a reason before a learner is removed from it."))
    return reason


def update_due_date(ctx: CourseContext, states, log: ChangeLog, *, now, due_date) -> list[Skip]:
    """
    Set the due date, which makes the assignments required and gives them an "assigned by" if they
    had none; a null date makes them optional. No notification is sent.
    """
    assignment_ids = [state.assignment_id for state in states]
    Assignment.objects.filter(IdIn("pk", assignment_ids)).update(due_date=due_date, required=due_date is not None)
    if due_date is not None and log.actor_id is not None:
        Assignment.objects.filter(IdIn("pk", assignment_ids), assigned_by__isnull=True).update(
            assigned_by_id=log.actor_id
        )
    for state in states:
        previous = state.due_date
        log.record(
            state.user_id,
            HistoryKind.DUE_DATE_CHANGED,
            state.attempt.number,
            {
                "from": previous.isoformat() if previous else None,
                "to": due_date.isoformat() if due_date else None,
                "required": due_date is not None,
            },
        )
    return []
