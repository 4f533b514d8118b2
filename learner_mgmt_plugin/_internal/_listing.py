"""
The learner list, rows built from the plugin's own tables with a fixed number of queries per page, and
one learner's history.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.db.models import Case, Count, F, IntegerField, Q, Value, When
from django.utils import timezone

from .. import rules
from ..conf import app_settings
from ..data import (
    AttemptCloseReason,
    AttemptSummary,
    CertificateStatus,
    CertificateSummary,
    CompletionSource,
    CourseSummary,
    HistoryEntry,
    HistoryKind,
    LearnerHistory,
    LearnerPage,
    LearnerRow,
    LearnerStatus,
    SeatRecord,
    SeatState,
    SessionSummary,
    WeekCompletions,
)
from ..exceptions import InvalidInput, LearnerNotFound
from ..models import Assignment, Attempt, HistoryEvent, Learner, Seat
from ._course import CourseContext, action_contexts, state_rows

# Statuses in the order the rules rank them, for sorting by status.
_STATUS_RANK = Case(
    *(When(status=rule.status.value, then=Value(rank)) for rank, rule in enumerate(rules.STATUS_RULES)),
    output_field=IntegerField(),
)

_ORDERINGS = {
    "name": F("learner_name"),
    "username": F("learner__username"),
    "progress": F("progress"),
    "due_date": F("due_date"),
    "assigned_at": F("assigned_at"),
    "status": _STATUS_RANK,
}


_SEARCH_WORDS = 5


def _ordering(ordering: str | None):
    ordering = ordering or "name"
    descending = ordering.startswith("-")
    key = ordering.lstrip("-")
    if key not in _ORDERINGS:
        choices = ", ".join(sorted(_ORDERINGS))
        raise InvalidInput("ordering", f"Cannot order by '{key}'; use one of: {choices} (prefix '-' to reverse).")
    expression = _ORDERINGS[key]
    expression = expression.desc(nulls_last=True) if descending else expression.asc(nulls_last=True)
    return [expression, "pk"]


def _status(value) -> LearnerStatus:
    try:
        return LearnerStatus(value)
    except ValueError as error:
        choices = ", ".join(member.value for member in LearnerStatus)
        raise InvalidInput("status", f"Unknown status '{value}'; use one of: {choices}.") from error


# The list's filters besides the status.
SELECTION_FILTERS = ("search", "required", "session_id", "overdue")


def _filtered(ctx: CourseContext, *, search=None, required=None, session_id=None, overdue=None):
    queryset = Assignment.objects.filter(course_key=ctx.course_key, active=True)
    for word in (search or "").split()[:_SEARCH_WORDS]:
        # Every word starts a name, last name, username, email or employee ID: prefix matches on
        # indexed columns keep a search fast in a course of any size.
        named = Learner.objects.filter(
            Q(name__istartswith=word)
            | Q(last_name__istartswith=word)
            | Q(username__istartswith=word)
            | Q(email__istartswith=word)
            | Q(employee_id__istartswith=word)
        ).values("user_id")
        queryset = queryset.filter(learner_id__in=named)
    if required is not None:
        queryset = queryset.filter(required=required)
    if session_id is not None:
        queryset = queryset.filter(
            learner__seats__session_id=session_id,
            learner__seats__current=True,
            learner__seats__course_key=ctx.course_key,
        )
    if overdue is not None:
        # As rules.is_overdue has it: due before today and not completed.
        late = Q(due_date__lt=timezone.localdate(), current_attempt__completed_at__isnull=True)
        queryset = queryset.filter(late) if overdue else queryset.exclude(late)
    return queryset


def list_rows(ctx: CourseContext, *, status=None, ordering=None, page=1, page_size=50, **filters) -> LearnerPage:
    """
    One page of the course's listed learners, the count matching the filters (``status`` and those of
    ``_filtered``) and per-status counts (under every filter but the status one, for the filter chips).
    """
    if status is not None:
        status = _status(status)
    if page < 1:
        raise InvalidInput("page", "Pages are numbered from 1.")
    if not 1 <= page_size <= app_settings.MAX_PAGE_SIZE:
        raise InvalidInput("page_size", f"Page size must be between 1 and {app_settings.MAX_PAGE_SIZE}.")
    order_by = _ordering(ordering)

    queryset = _filtered(ctx, **filters)
    counts = dict(queryset.order_by().values_list("status").annotate(count=Count("pk")))
    status_counts = {member.value: counts.get(member.value, 0) for member in LearnerStatus}
    if status is not None:
        queryset = queryset.filter(status=status.value)
        count = status_counts[status.value]
    else:
        count = sum(status_counts.values())

    offset = (page - 1) * page_size
    page_ids = list(queryset.order_by(*order_by).values_list("pk", flat=True)[offset : offset + page_size])
    rows = rows_for(ctx, Q(pk__in=page_ids)) if page_ids else ()
    position = {pk: index for index, pk in enumerate(page_ids)}
    rows = tuple(sorted(rows, key=lambda row: position[row[0]]))
    return LearnerPage(
        count=count,
        page=page,
        page_size=page_size,
        results=tuple(row for _, row in rows),
        status_counts=status_counts,
    )


def ids_matching(ctx: CourseContext, *, status=None, ordering=None, **filters) -> list[int]:
    """
    The assignment ids of every learner the list's filters match, in the list's order, in one query.
    """
    if status is not None:
        status = _status(status)
    order_by = _ordering(ordering)
    queryset = _filtered(ctx, **filters)
    if status is not None:
        queryset = queryset.filter(status=status.value)
    return list(queryset.order_by(*order_by).values_list("pk", flat=True))


def rows_matching(
    ctx: CourseContext, *, status=None, ordering=None, batch_size=1000, **filters
) -> Iterator[LearnerRow]:
    """
    The rows of every learner the list's filters match, in the list's order, read ``batch_size`` at a
    time (two queries and one host call a batch) as they are consumed; the filters are checked at once.
    """
    ids = ids_matching(ctx, status=status, ordering=ordering, **filters)

    def batches():
        for start in range(0, len(ids), batch_size):
            batch = ids[start : start + batch_size]
            rows = dict(rows_for(ctx, Q(pk__in=batch)))
            yield from (rows[pk] for pk in batch if pk in rows)

    return batches()


SUMMARY_WEEKS = 12


def course_summary(ctx: CourseContext) -> CourseSummary:
    """
    The course's figures at a glance (``CourseSummary``) in three queries whatever the course's size.
    """
    listed = Assignment.objects.filter(course_key=ctx.course_key, active=True)
    counts = {
        (status, required): count
        for status, required, count in listed.order_by()
        .values_list("status", "required")
        .annotate(count=Count("pk"))
        .values_list("status", "required", "count")
    }
    status_counts = {member.value: 0 for member in LearnerStatus}
    for (status, _required), count in counts.items():
        status_counts[status] += count
    required = sum(count for (_status, is_required), count in counts.items() if is_required)
    required_completed = counts.get((LearnerStatus.COMPLETED.value, True), 0)
    overdue = _filtered(ctx, overdue=True).count()

    # Weeks start on Monday at local midnight; each is counted by a range of its own, so that the
    # boundaries are the site's time zone's whatever the database's.
    today = timezone.localdate()
    this_week = today - datetime.timedelta(days=today.weekday())
    starts = [this_week - datetime.timedelta(weeks=weeks) for weeks in range(SUMMARY_WEEKS - 1, -1, -1)]
    bounds = [_local_midnight(start) for start in [*starts, this_week + datetime.timedelta(weeks=1)]]
    completions = Attempt.objects.filter(
        assignment__course_key=ctx.course_key, completed_at__gte=bounds[0], completed_at__lt=bounds[-1]
    ).aggregate(
        **{
            f"week{index}": Count("pk", filter=Q(completed_at__gte=bounds[index], completed_at__lt=bounds[index + 1]))
            for index in range(SUMMARY_WEEKS)
        }
    )
    return CourseSummary(
        learners=sum(status_counts.values()),
        status_counts=status_counts,
        required=required,
        optional=sum(status_counts.values()) - required,
        overdue=overdue,
        required_completed=required_completed,
        required_completion_rate=round(100 * required_completed / required, 1) if required else None,
        completions_per_week=tuple(
            WeekCompletions(start, completions[f"week{index}"]) for index, start in enumerate(starts)
        ),
    )


def _local_midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def usernames_matching(ctx: CourseContext, *, status=None, **filters) -> list[str]:
    """
    The usernames of every learner the list's filters match, in username order: "select all" in the
    list means these, across all its pages.
    """
    unknown = sorted(set(filters) - set(SELECTION_FILTERS))
    if unknown:
        raise InvalidInput(
            "filter",
            f"Unknown filter '{unknown[0]}'; use any of: {', '.join(('status', *SELECTION_FILTERS))}.",
        )
    queryset = _filtered(ctx, **filters)
    if status is not None:
        queryset = queryset.filter(status=_status(status).value)
    return list(queryset.order_by("learner__user__username").values_list("learner__user__username", flat=True))


def get_row(ctx: CourseContext, username: str) -> LearnerRow:
    """
    The row of one listed learner; LearnerNotFound if the user is not listed in the course.
    """
    rows = rows_for(ctx, Q(learner__user__username=username))
    if not rows:
        raise LearnerNotFound(f"{username} is not a learner of this course.")
    return rows[0][1]


_DISPLAY_FIELDS = (
    "learner__name",
    "learner__user__email",
    "learner__employee_id",
    "required",
    "assigned_by__username",
    "assigned_at",
    "last_reminder_at",
    "current_attempt__completion_source",
    "current_attempt__certificate_changed_at",
    "current_attempt__certificate_mode",
    "current_attempt__certificate_url",
)


def rows_for(ctx: CourseContext, learners: Q) -> list[tuple[int, LearnerRow]]:
    """
    (assignment id, row) of the listed learners matching ``learners``: two queries and one host call.
    """
    pairs = state_rows(
        ctx, Assignment.objects.filter(learners, course_key=ctx.course_key, active=True), _DISPLAY_FIELDS
    )
    contexts = action_contexts(ctx, [state for state, _display in pairs])
    today = timezone.localdate()
    return [(state.assignment_id, _learner_row(state, row, contexts[state.user_id], today)) for state, row in pairs]


def _learner_row(state, row, context, today) -> LearnerRow:
    attempt, seat = state.attempt, state.seat
    source, certificate_changed_at = (
        row["current_attempt__completion_source"],
        row["current_attempt__certificate_changed_at"],
    )
    return LearnerRow(
        user_id=state.user_id,
        username=state.username,
        email=row["learner__user__email"],
        name=row["learner__name"],
        employee_id=row["learner__employee_id"],
        status=state.status,
        status_label=rules.status_label(state.status, attempt.progress),
        progress=attempt.progress,
        required=row["required"],
        due_date=state.due_date,
        overdue=rules.is_overdue(state.due_date, attempt.completed_at, today),
        assigned_by=row["assigned_by__username"],
        assigned_at=row["assigned_at"],
        attempt=attempt.number,
        completed_at=attempt.completed_at,
        completion_source=CompletionSource(source) if source else None,
        credits_awarded=attempt.credits_awarded,
        session=SessionSummary(
            id=seat.session_id,
            title=seat.session_title,
            start=seat.session_start,
            end=seat.session_end,
            retroactive=seat.retroactive,
        )
        if seat
        else None,
        certificate=_certificate(
            attempt.certificate_status,
            certificate_changed_at,
            row["current_attempt__certificate_mode"],
            row["current_attempt__certificate_url"],
        ),
        actions=rules.allowed_actions(state.status, context),
        last_reminder_at=row["last_reminder_at"],
    )


def _certificate(status, changed_at, mode, url) -> CertificateSummary | None:
    if not status:
        return None
    status = CertificateStatus(status)
    return CertificateSummary(
        status=status, changed_at=changed_at, mode=mode, note=rules.certificate_note(status, mode), url=url
    )


def learner_history(ctx: CourseContext, state) -> LearnerHistory:
    """
    The learner's history in the course: events newest first, their attempts and ILT seats.
    """
    events = (
        HistoryEvent.objects.filter(course_key=ctx.course_key, learner_id=state.user_id)
        .select_related("actor")
        .order_by("-created", "-pk")
    )
    attempts = Attempt.objects.filter(assignment_id=state.assignment_id).order_by("number")
    seats = (
        Seat.objects.filter(course_key=ctx.course_key, learner_id=state.user_id)
        .select_related("session", "attempt")
        .order_by("-session__start", "-pk")
    )
    return LearnerHistory(
        events=tuple(
            HistoryEntry(
                id=event.pk,
                kind=HistoryKind(event.kind),
                attempt=event.attempt_number,
                actor=event.actor.username if event.actor_id else None,
                created=event.created,
                details=event.details,
                reason=event.reason,
            )
            for event in events
        ),
        attempts=tuple(
            AttemptSummary(
                number=attempt.number,
                started_at=attempt.started_at,
                progress=attempt.progress,
                completed_at=attempt.completed_at,
                completion_source=CompletionSource(attempt.completion_source) if attempt.completion_source else None,
                certificate=CertificateStatus(attempt.certificate_status) if attempt.certificate_status else None,
                certificate_url=attempt.certificate_url,
                credits_awarded=attempt.credits_awarded,
                closed_at=attempt.closed_at,
                closed_reason=AttemptCloseReason(attempt.closed_reason) if attempt.closed_reason else None,
            )
            for attempt in attempts
        ),
        sessions=tuple(
            SeatRecord(
                session_id=seat.session_id,
                title=seat.session.title,
                start=seat.session.start,
                end=seat.session.end,
                state=SeatState(seat.state),
                retroactive=seat.retroactive,
                attempt=seat.attempt.number if seat.attempt_id else None,
            )
            for seat in seats
        ),
    )
