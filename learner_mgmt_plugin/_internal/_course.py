"""
The course an API call works on, and the state of its learners as the rules see it.
"""

from __future__ import annotations

import datetime
import functools
from decimal import Decimal

import attr
from django.db.models import BooleanField, ExpressionWrapper, OuterRef, Q, Subquery
from opaque_keys import InvalidKeyError
from opaque_keys.edx.keys import CourseKey

from .. import rules
from ..conf import app_settings
from ..data import Action, CourseKind, CourseOutline, LearnerStatus, SeatState
from ..exceptions import ActionNotAllowed, CourseNotFound, InvalidInput
from ..host import get_host
from ..host.base import LmsHost
from ..models import Assignment, Attempt, CourseConfig, Seat
from ._bulk import IdIn


def parse_course_key(course_key) -> CourseKey:
    """
    The course key of a string in Open edX syntax (or a course key), or InvalidInput.
    """
    if isinstance(course_key, CourseKey):
        return course_key
    try:
        return CourseKey.from_string(str(course_key))
    except InvalidKeyError as error:
        raise InvalidInput("course_id", f"'{course_key}' is not a valid course id.") from error


class CourseContext:
    """
    A course with its plugin configuration, the host and who is looking at it. The outline is asked
    of the host the first time it is needed.
    """

    def __init__(self, course_key: CourseKey, config: CourseConfig, host: LmsHost, viewer=None):
        self.course_key = course_key
        self.kind = CourseKind(config.kind)
        self.credits = Decimal(config.credits)
        self.removal_reason_required = config.removal_reason_required
        self.reminder_days = tuple(config.reminder_days or ())
        self.overdue_notice = config.overdue_notice
        self.host = host
        self._viewer = viewer

    @property
    def is_ilt(self) -> bool:
        return self.kind == CourseKind.ILT

    @functools.cached_property
    def outline(self) -> CourseOutline:
        outline = self.host.course_outline(self.course_key)
        if outline is None:
            raise CourseNotFound(f"There is no course {self.course_key}.")
        return outline

    def reconfigured(self, config: CourseConfig) -> CourseContext:
        """
        The same course under a changed configuration, keeping the outline already asked for.
        """
        changed = CourseContext(self.course_key, config, self.host, self._viewer)
        if "outline" in self.__dict__:
            changed.outline = self.outline
        return changed

    def require_course(self) -> CourseOutline:
        """
        The outline, or CourseNotFound when the host has no such course.
        """
        return self.outline

    @functools.cached_property
    def enrollment_mode(self) -> str | None:
        """
        The mode the plugin enrolls learners in (``rules.enrollment_mode``); None leaves it to the LMS.
        """
        return rules.enrollment_mode(self.host.course_modes(self.course_key), app_settings.ENROLLMENT_MODE)

    @functools.cached_property
    def viewer_is_admin(self) -> bool:
        return self._viewer is not None and self.host.is_platform_admin(self._viewer)


def load_course(course_key, viewer=None, *, must_exist=True) -> CourseContext:
    """
    The course an API call is about. With ``must_exist`` (calls from course teams), CourseNotFound if
    the host has no such course; host events skip that check.
    """
    course_key = parse_course_key(course_key)
    config = CourseConfig.objects.filter(course_key=course_key).first() or CourseConfig(course_key=course_key)
    ctx = CourseContext(course_key, config, get_host(), viewer)
    if must_exist:
        ctx.require_course()
    return ctx


@attr.s(frozen=True, auto_attribs=True)
class CurrentAttempt:
    """
    What actions need of a learner's current attempt.
    """

    pk: int
    number: int
    started_at: datetime.datetime | None
    progress: int
    completed_at: datetime.datetime | None
    certificate_status: str | None
    certificate_url: str
    credits_awarded: Decimal


@attr.s(frozen=True, auto_attribs=True)
class CurrentSeat:
    """
    What actions need of a learner's current seat.
    """

    pk: int
    session_id: int
    session_title: str
    session_start: datetime.datetime
    session_end: datetime.datetime
    state: str
    retroactive: bool


@attr.s(frozen=True, auto_attribs=True)
class LearnerState:
    """
    A learner of a course as the rules and the actions see them: their assignment, current attempt
    and current seat, read as plain rows (building model instances for thousands of learners would
    cost more than the queries).
    """

    assignment_id: int
    user_id: int
    username: str
    name: str
    status: LearnerStatus
    due_date: datetime.date | None
    active: bool
    attempt: CurrentAttempt
    seat: CurrentSeat | None

    @property
    def has_certificate(self) -> bool:
        return rules.holds_certificate(self.attempt.certificate_status)


_STATE_FIELDS = (
    "pk",
    "learner_id",
    "learner__user__username",
    "learner_name",
    "status",
    "due_date",
    "active",
    "current_attempt_id",
    "current_attempt__number",
    "current_attempt__started_at",
    "current_attempt__progress",
    "current_attempt__completed_at",
    "current_attempt__certificate_status",
    "current_attempt__certificate_url",
    "current_attempt__credits_awarded",
)


def state_rows(ctx: CourseContext, assignments, extra_fields=()) -> list[tuple[LearnerState, dict]]:
    """
    (state, row) of each assignment of the queryset, in username order, in two queries; the row
    holds ``extra_fields`` too.
    """
    rows = list(assignments.order_by("learner__user__username").values(*_STATE_FIELDS, *extra_fields))
    seats = {
        seat["learner_id"]: seat
        for seat in Seat.objects.filter(
            IdIn("learner_id", [row["learner_id"] for row in rows]), course_key=ctx.course_key, current=True
        ).values(
            "pk", "learner_id", "session_id", "session__title", "session__start", "session__end", "state", "retroactive"
        )
    }
    return [(_state(row, seats.get(row["learner_id"])), row) for row in rows]


def _state(row, seat) -> LearnerState:
    return LearnerState(
        assignment_id=row["pk"],
        user_id=row["learner_id"],
        username=row["learner__user__username"],
        name=row["learner_name"],
        status=LearnerStatus(row["status"]),
        due_date=row["due_date"],
        active=row["active"],
        attempt=CurrentAttempt(
            pk=row["current_attempt_id"],
            number=row["current_attempt__number"],
            started_at=row["current_attempt__started_at"],
            progress=row["current_attempt__progress"],
            completed_at=row["current_attempt__completed_at"],
            certificate_status=row["current_attempt__certificate_status"],
            certificate_url=row["current_attempt__certificate_url"],
            credits_awarded=row["current_attempt__credits_awarded"],
        ),
        seat=CurrentSeat(
            pk=seat["pk"],
            session_id=seat["session_id"],
            session_title=seat["session__title"],
            session_start=seat["session__start"],
            session_end=seat["session__end"],
            state=seat["state"],
            retroactive=seat["retroactive"],
        )
        if seat
        else None,
    )


def load_states(ctx: CourseContext, learners: Q, *, lock: bool = False) -> list[LearnerState]:
    """
    The states of the course's listed learners matching ``learners`` (a filter on Assignment), in two
    queries whatever their number. With ``lock`` their assignment and seat rows are first locked until
    the transaction ends, so concurrent changes to the same learners apply one after the other.
    """
    assignments = Assignment.objects.filter(learners, course_key=ctx.course_key, active=True)
    if lock:
        # Found first, then locked by primary key in order: a locking read joining the user tables
        # would lock their rows too, in whatever order its plan takes, and deadlock a concurrent one.
        found = list(assignments.values_list("pk", flat=True))
        locked = Assignment.objects.filter(IdIn("pk", found), active=True).order_by("pk").select_for_update()
        learner_ids = list(locked.values_list("learner_id", flat=True))
        list(
            Seat.objects.select_for_update()
            .filter(IdIn("learner_id", learner_ids), course_key=ctx.course_key, current=True)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        assignments = Assignment.objects.filter(IdIn("learner_id", learner_ids), course_key=ctx.course_key, active=True)
    return [state for state, _row in state_rows(ctx, assignments)]


def action_contexts(ctx: CourseContext, states: list[LearnerState]) -> dict[int, rules.ActionContext]:
    """
    The rules' view of each learner (by user id), with one host call for the course team roles.
    """
    staff_ids = ctx.host.course_staff_ids(ctx.course_key, [state.user_id for state in states]) if states else set()
    return {
        state.user_id: rules.ActionContext(
            course_kind=ctx.kind,
            has_quiz=ctx.outline.has_quiz,
            has_scorm=ctx.outline.has_scorm,
            viewer_is_admin=ctx.viewer_is_admin,
            learner_is_staff=state.user_id in staff_ids,
            has_certificate=state.has_certificate,
            certificate_url=state.attempt.certificate_url,
        )
        for state in states
    }


def split_by_rules(ctx: CourseContext, states: list[LearnerState], action: Action):
    """
    Split learners into those ``action`` applies to and those it does not (with their allowed actions).
    """
    contexts = action_contexts(ctx, states)
    allowed, refused = [], []
    for state in states:
        if rules.is_allowed(action, state.status, contexts[state.user_id]):
            allowed.append(state)
        else:
            refused.append((state, rules.allowed_actions(state.status, contexts[state.user_id])))
    return allowed, refused


def refusal(action: Action, state: LearnerState, allowed_actions) -> ActionNotAllowed:
    """
    The error for an action a learner's status does not offer.
    """
    label = rules.status_label(state.status, state.attempt.progress)
    return ActionNotAllowed(
        f"'{action}' is not available for {state.username}, whose status is {label}.",
        action=action,
        status=state.status,
        allowed_actions=allowed_actions,
    )


def refresh_statuses(ctx: CourseContext, assignment_ids) -> None:
    """
    Derive the status of the given assignments again from their current attempt and seat, and store
    it with the attempt's progress (the list sorts by both): one read (two in an ILT course), one
    update per distinct status and one for the progress.
    """
    if not assignment_ids:
        return
    rows = list(
        Assignment.objects.filter(IdIn("pk", assignment_ids))
        .annotate(
            completed=_is_set("current_attempt__completed_at"),
            started=_is_set("current_attempt__started_at"),
        )
        .values_list("pk", "learner_id", "status", "progress", "completed", "started", "current_attempt__progress")
    )
    seated = set()
    if ctx.is_ilt:
        seated = set(
            Seat.objects.filter(
                IdIn("learner_id", [row[1] for row in rows]),
                course_key=ctx.course_key,
                current=True,
                state=SeatState.ENROLLED.value,
            ).values_list("learner_id", flat=True)
        )
    threshold = app_settings.MEANINGFUL_PROGRESS_THRESHOLD
    changes: dict[LearnerStatus, list[int]] = {}
    moved = []
    for pk, learner_id, stored_status, stored_progress, completed, started, progress in rows:
        progress = progress or 0
        if stored_progress != progress:
            moved.append(pk)
        facts = rules.StatusFacts(
            completed=completed, started=started, progress=progress, ilt=ctx.is_ilt, seated=learner_id in seated
        )
        status = rules.derive_status(facts, threshold)
        if status.value != stored_status:
            changes.setdefault(status, []).append(pk)
    for status, ids in changes.items():
        Assignment.objects.filter(IdIn("pk", ids)).update(status=status.value)
    if moved:
        progress_now = Attempt.objects.filter(pk=OuterRef("current_attempt_id")).values("progress")[:1]
        Assignment.objects.filter(IdIn("pk", moved)).update(progress=Subquery(progress_now))


def _is_set(field):
    # A boolean computed by the database: cheaper than reading and converting the datetime itself.
    return ExpressionWrapper(Q(**{f"{field}__isnull": False}), output_field=BooleanField())
