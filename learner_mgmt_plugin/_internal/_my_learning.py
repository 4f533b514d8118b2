"""
The learner's own side (SPEC section 9): the courses assigned to them, as their My Learning page and
the learner dashboard show them, and the seats they book, change or cancel themselves in ILT courses.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import rules
from ..data import CourseKind, HistoryKind, LearnerStatus, MyAssignment, SeatState, SessionOffer
from ..exceptions import Conflict, NotFound
from ..host import get_host
from ..models import Assignment, CourseConfig, IltSession, Seat
from . import _actions
from ._course import CourseContext, load_states, refresh_statuses
from ._recording import ChangeLog


def my_assignments(user_id: int, *, course_key=None) -> list[MyAssignment]:
    """
    The learner's active assignments (or the one of ``course_key``), leaving out the courses they only
    enrolled in on their own: Required first, then by due date (none last) and title. Five queries and
    one host call, however many courses.
    """
    host, now = get_host(), timezone.now()
    mine = {"learner_id": user_id, "active": True, "self_enrolled": False}
    assignments = list(
        Assignment.objects.filter(**mine, **({"course_key": course_key} if course_key else {}))
        .select_related("current_attempt")
        .order_by("pk")
    )
    keys = [assignment.course_key for assignment in assignments]
    kinds = dict(CourseConfig.objects.filter(course_key__in=keys).values_list("course_key", "kind"))
    titles = host.course_titles(keys)
    ilt_keys = [key for key in keys if kinds.get(key) == CourseKind.ILT]
    seats = {
        seat.course_key: seat
        for seat in Seat.objects.filter(learner_id=user_id, current=True, course_key__in=ilt_keys).select_related(
            "session"
        )
    }
    offers = _upcoming_with_free_seats(ilt_keys, now)
    today = timezone.localdate()
    results = []
    for assignment in assignments:
        key, attempt = assignment.course_key, assignment.current_attempt
        kind = CourseKind(kinds.get(key, CourseKind.SELF_PACED))
        status = LearnerStatus(assignment.status)
        overdue = rules.is_overdue(assignment.due_date, attempt.completed_at, today)
        seat = seats.get(key)
        can_book = rules.can_book_own_seat(kind, status)
        results.append(
            MyAssignment(
                course_key=str(key),
                course_title=titles.get(key) or str(key),
                course_url=host.course_url(key),
                kind=kind,
                required=assignment.required,
                due_date=assignment.due_date,
                overdue=overdue,
                tag=rules.assignment_tag(assignment.required, assignment.due_date, overdue),
                status=status,
                status_label=rules.status_label(status, attempt.progress),
                progress=attempt.progress,
                assigned_at=assignment.assigned_at,
                message=assignment.message,
                session=_offer(seat.session, None) if seat else None,
                can_book=can_book,
                bookable_sessions=tuple(
                    offer for offer in offers.get(key, ()) if can_book and not (seat and seat.session_id == offer.id)
                ),
            )
        )
    results.sort(key=lambda item: (not item.required, item.due_date is None, item.due_date, item.course_title))
    return results


def _offer(session: IltSession, seats_taken: int | None) -> SessionOffer:
    return SessionOffer(
        id=session.pk,
        title=session.title,
        start=session.start,
        end=session.end,
        location=session.location,
        seats_left=None if session.capacity is None or seats_taken is None else session.capacity - seats_taken,
    )


def _upcoming_with_free_seats(course_keys, now) -> dict:
    """
    The courses' sessions yet to start that have a seat left, in start order, by course key.
    """
    if not course_keys:
        return {}
    sessions = (
        IltSession.objects.filter(course_key__in=course_keys, start__gt=now)
        .annotate(taken=Count("seats", filter=Q(seats__current=True)))
        .filter(Q(capacity__isnull=True) | Q(capacity__gt=F("taken")))
        .order_by("start", "pk")
    )
    by_course = {}
    for session in sessions:
        by_course.setdefault(session.course_key, []).append(_offer(session, session.taken))
    return by_course


def _own_state(ctx: CourseContext, user_id: int):
    """
    The learner's locked state in the course, checked for booking: NotFound unless the course is assigned
    to them, Conflict unless they may book their own seat in it.
    """
    states = load_states(ctx, Q(learner_id=user_id), lock=True)
    if not states:
        raise NotFound(_("This course is not assigned to you."))
    state = states[0]
    if not ctx.is_ilt:
        raise Conflict(_("This course has no sessions to book."))
    if not rules.can_book_own_seat(ctx.kind, state.status):
        raise Conflict(_("You have completed this course: there is no session left to book."))
    return state


def book_session(ctx: CourseContext, user_id: int, session_id: int) -> None:
    """
    Book the learner a seat in an upcoming session of the course, in place of the one they hold: never
    one that has started, never beyond its capacity (the session is locked while its seats are counted,
    so that two learners cannot take its last seat). Recorded as the learner's own act.
    """
    now = timezone.now()
    with transaction.atomic():
        state = _own_state(ctx, user_id)
        session = _actions.seatable_session(ctx, session_id, now)
        if session.start <= now:
            raise Conflict(_("'{title}' has already started; choose an upcoming session.").format(title=session.title))
        if state.seat and state.seat.session_id == session.pk:
            raise Conflict(_("You are already booked in '{title}'.").format(title=session.title))
        log = ChangeLog(ctx.course_key, user_id)
        left_out = _actions.change_session(
            ctx, [state], log, now=now, session_id=session.pk, kind=HistoryKind.SESSION_BOOKED
        )
        if left_out:
            raise Conflict(_("'{title}' is full; choose another session.").format(title=session.title))
        log.save()


def cancel_booking(ctx: CourseContext, user_id: int) -> None:
    """
    Give up the learner's seat in a session of the course that has not started yet; recorded as the
    learner's own act.
    """
    now = timezone.now()
    with transaction.atomic():
        state = _own_state(ctx, user_id)
        if state.seat is None:
            raise Conflict(_("You have no session booked in this course."))
        if state.seat.session_start <= now:
            raise Conflict(
                _("'{title}' has already started; ask the course team to change it.").format(
                    title=state.seat.session_title
                )
            )
        log = ChangeLog(ctx.course_key, user_id)
        _actions.release_seats([state], SeatState.CANCELLED, now)
        log.record(
            user_id,
            HistoryKind.SESSION_CANCELLED,
            state.attempt.number,
            {"session_id": state.seat.session_id, "session_title": state.seat.session_title},
        )
        refresh_statuses(ctx, [state.assignment_id])
        log.save()
