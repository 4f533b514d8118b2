"""
The learner list: rows built from the plugin's own tables with a fixed number of queries per page.
"""

from __future__ import annotations

from django.db.models import Case, Count, F, IntegerField, Q, Value, When
from django.utils import timezone

from . import rules
from ._course import CourseContext, action_contexts, load_states
from .conf import app_settings
from .data import (
    CertificateStatus,
    CertificateSummary,
    CompletionSource,
    LearnerPage,
    LearnerRow,
    LearnerStatus,
    SessionSummary,
)
from .exceptions import InvalidInput, LearnerNotFound
from .models import Assignment

# Statuses in the order the rules rank them, for sorting by status.
_STATUS_RANK = Case(
    *(When(status=rule.status.value, then=Value(rank)) for rank, rule in enumerate(rules.STATUS_RULES)),
    output_field=IntegerField(),
)

_ORDERINGS = {
    "name": F("learner__name"),
    "username": F("learner__user__username"),
    "progress": F("current_attempt__progress"),
    "due_date": F("due_date"),
    "assigned_at": F("assigned_at"),
    "status": _STATUS_RANK,
}


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


def _filtered(ctx: CourseContext, *, search, required, session_id):
    queryset = Assignment.objects.filter(course_key=ctx.course_key, active=True)
    if search:
        search = search.strip()
        queryset = queryset.filter(
            Q(learner__name__icontains=search)
            | Q(learner__user__username__icontains=search)
            | Q(learner__user__email__icontains=search)
            | Q(learner__employee_id__icontains=search)
        )
    if required is not None:
        queryset = queryset.filter(required=required)
    if session_id is not None:
        queryset = queryset.filter(
            learner__seats__session_id=session_id,
            learner__seats__current=True,
            learner__seats__course_key=ctx.course_key,
        )
    return queryset


def list_rows(
    ctx: CourseContext,
    *,
    status=None,
    search=None,
    required=None,
    session_id=None,
    ordering=None,
    page=1,
    page_size=50,
) -> LearnerPage:
    """
    One page of the course's listed learners, the count matching the filters and per-status counts
    (under every filter but the status one, for the filter chips).
    """
    if status is not None:
        status = _status(status)
    if page < 1:
        raise InvalidInput("page", "Pages are numbered from 1.")
    if not 1 <= page_size <= app_settings.MAX_PAGE_SIZE:
        raise InvalidInput("page_size", f"Page size must be between 1 and {app_settings.MAX_PAGE_SIZE}.")
    order_by = _ordering(ordering)

    queryset = _filtered(ctx, search=search, required=required, session_id=session_id)
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


def usernames_matching(ctx: CourseContext, *, status=None, search=None, required=None, session_id=None) -> list[str]:
    """
    The usernames of every learner the list's filters match, in username order: "select all" in the
    list means these, across all its pages.
    """
    queryset = _filtered(ctx, search=search, required=required, session_id=session_id)
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


def rows_for(ctx: CourseContext, learners: Q) -> list[tuple[int, LearnerRow]]:
    """
    (assignment id, row) of the listed learners matching ``learners``: two queries and one host call.
    """
    states = load_states(ctx, learners)
    contexts = action_contexts(ctx, states)
    today = timezone.localdate()
    rows = []
    for state in states:
        assignment, attempt, seat = state.assignment, state.attempt, state.seat
        user = assignment.learner.user
        rows.append(
            (
                assignment.pk,
                LearnerRow(
                    user_id=user.pk,
                    username=user.username,
                    email=user.email,
                    name=assignment.learner.name,
                    employee_id=assignment.learner.employee_id,
                    status=state.status,
                    status_label=rules.status_label(state.status, attempt.progress),
                    progress=attempt.progress,
                    required=assignment.required,
                    due_date=assignment.due_date,
                    overdue=(
                        assignment.due_date is not None and assignment.due_date < today and attempt.completed_at is None
                    ),
                    assigned_by=assignment.assigned_by.username if assignment.assigned_by_id else None,
                    assigned_at=assignment.assigned_at,
                    attempt=attempt.number,
                    completed_at=attempt.completed_at,
                    completion_source=CompletionSource(attempt.completion_source)
                    if attempt.completion_source
                    else None,
                    credits_awarded=attempt.credits_awarded,
                    session=SessionSummary(
                        id=seat.session.pk,
                        title=seat.session.title,
                        start=seat.session.start,
                        end=seat.session.end,
                        retroactive=seat.retroactive,
                    )
                    if seat
                    else None,
                    certificate=CertificateSummary(
                        status=CertificateStatus(attempt.certificate_status),
                        changed_at=attempt.certificate_changed_at,
                    )
                    if attempt.certificate_status
                    else None,
                    actions=rules.allowed_actions(state.status, contexts[user.pk]),
                ),
            )
        )
    return rows
