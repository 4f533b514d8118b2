"""
The status rules and the action matrix (SPEC section 3), as data, and the certificate rules beside
them: which certificate states count as holding one, and which enrollment mode earns one.

This module is the only place that knows which status a learner is in and which actions a status
offers. The API enforces it, the learner list shows it, mass actions check every learner against it
and the UI renders the menu it returns.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import NamedTuple

from django.utils.formats import date_format
from django.utils.translation import gettext, gettext_lazy

from .data import (
    REMOVED_FROM_COURSE,
    Action,
    AssignmentTag,
    AssignmentTerms,
    CertificateStatus,
    CourseKind,
    CourseMode,
    HistoryKind,
    LearnerStatus,
    MassAction,
    TagVariant,
)

S = LearnerStatus


class StatusFacts(NamedTuple):
    """
    What a learner's status is derived from: the current attempt, their seat and the course kind.
    """

    completed: bool
    started: bool
    progress: int
    ilt: bool
    seated: bool


class StatusRule(NamedTuple):
    """
    A status and the condition under which it applies; the first matching rule wins. An ``ilt_only``
    status does not exist in self-paced courses.
    """

    status: LearnerStatus
    applies: Callable[[StatusFacts, int], bool]
    ilt_only: bool = False


STATUS_RULES = (
    StatusRule(S.COMPLETED, lambda facts, threshold: facts.completed),
    # Only an ILT course has sessions to be enrolled in.
    StatusRule(S.ENROLLED, lambda facts, threshold: facts.seated, ilt_only=True),
    StatusRule(S.IN_PROGRESS, lambda facts, threshold: facts.progress > threshold),
    StatusRule(S.STARTED, lambda facts, threshold: facts.started),
    StatusRule(S.NOT_STARTED, lambda facts, threshold: True),
)


def derive_status(facts: StatusFacts, threshold: int) -> LearnerStatus:
    """
    Return the status the rules give for these facts; ``threshold`` is the meaningful-progress threshold.
    """
    return next(
        rule.status for rule in STATUS_RULES if (facts.ilt or not rule.ilt_only) and rule.applies(facts, threshold)
    )


_LABELS = {
    S.COMPLETED: gettext_lazy("Completed"),
    S.ENROLLED: gettext_lazy("Enrolled"),
    S.IN_PROGRESS: gettext_lazy("{progress}% Completed"),
    S.STARTED: gettext_lazy("Started"),
    S.NOT_STARTED: gettext_lazy("Not Started"),
}


def status_label(status: LearnerStatus, progress: int) -> str:
    """
    The label a course team sees for a learner's status ("42% Completed", "Not Started", ...).
    """
    return str(_LABELS[status]).format(progress=progress)


def status_filter_label(status: LearnerStatus) -> str:
    """
    The label of a status as a filter, and wherever learners of a status are spoken of: the one whose
    label holds a percentage says what it stands for ("In progress (XX% Completed)").
    """
    if status == S.IN_PROGRESS:
        return gettext("In progress (XX% Completed)")
    return status_label(status, 0)


H = HistoryKind
_HISTORY_LABELS = {
    H.ASSIGNED: gettext_lazy("Assigned the course"),
    H.ASSIGNMENT_UPDATED: gettext_lazy("Assignment updated"),
    H.REASSIGNED: gettext_lazy("Re-assigned (new attempt)"),
    H.SELF_ENROLLED: gettext_lazy("Enrolled on their own"),
    H.SELF_UNENROLLED: gettext_lazy("Unenrolled on their own"),
    H.DUE_DATE_CHANGED: gettext_lazy("Due date changed"),
    H.STARTED: gettext_lazy("Started the course"),
    H.PROGRESS_RESET: gettext_lazy("Progress reset"),
    H.COMPLETED: gettext_lazy("Completed the course"),
    H.MARKED_INCOMPLETE: gettext_lazy("Marked incomplete"),
    H.UNASSIGNED: gettext_lazy("Unassigned"),
    H.SESSION_CHANGED: gettext_lazy("Seated in a session"),
    H.SESSION_REMOVED: gettext_lazy("Removed from the session"),
    H.SESSION_BOOKED: gettext_lazy("Booked a session"),
    H.SESSION_CANCELLED: gettext_lazy("Cancelled their booking"),
    H.NO_SHOW: gettext_lazy("Marked as no-show"),
    H.INSTRUCTOR_GRANTED: gettext_lazy("Made instructor"),
    H.CERTIFICATE_GENERATED: gettext_lazy("Certificate generated"),
    H.CERTIFICATE_REQUESTED: gettext_lazy("Certificate requested"),
    H.CERTIFICATE_REMOVED: gettext_lazy("Certificate removed"),
    H.REMINDER_SENT: gettext_lazy("Reminder sent"),
    H.OVERDUE_NOTICE_SENT: gettext_lazy("Overdue notice sent"),
}


def history_label(kind: HistoryKind | str) -> str:
    """
    What an event of the history (or the audit trail's ``removed``) is called: "Progress reset", ...
    """
    if kind == REMOVED_FROM_COURSE:
        return gettext("Removed from the course")
    return str(_HISTORY_LABELS[HistoryKind(kind)])


def is_overdue(due_date, completed_at, today) -> bool:
    """
    Whether an assignment is overdue: due before today and not completed.
    """
    return due_date is not None and due_date < today and completed_at is None


# The statuses a learner can be in, by course kind, in the order a learner goes through them: the
# rules' order, last to first.
STATUSES_BY_KIND = {
    kind: tuple(rule.status for rule in reversed(STATUS_RULES) if kind == CourseKind.ILT or not rule.ilt_only)
    for kind in CourseKind
}


class ActionContext(NamedTuple):
    """
    Everything besides the status that decides whether an action is offered.
    """

    course_kind: CourseKind
    has_quiz: bool
    has_scorm: bool
    viewer_is_admin: bool
    learner_is_staff: bool
    has_certificate: bool
    certificate_url: str


ALL_STATUSES = frozenset(LearnerStatus)

# Which statuses offer each action (the table of SPEC section 3).
ACTION_MATRIX = {
    Action.UPDATE_DUE_DATE: ALL_STATUSES,
    Action.RESET_PROGRESS: frozenset({S.STARTED, S.IN_PROGRESS, S.COMPLETED}),
    Action.VIEW_HISTORY: ALL_STATUSES,
    Action.MARK_COMPLETE: frozenset({S.NOT_STARTED, S.STARTED, S.IN_PROGRESS, S.ENROLLED}),
    Action.VIEW_SCORM_ACTIVITY: frozenset({S.STARTED, S.IN_PROGRESS, S.COMPLETED}),
    Action.VIEW_CHAPTER_INSIGHTS: frozenset({S.NOT_STARTED, S.STARTED, S.IN_PROGRESS, S.COMPLETED}),
    Action.VIEW_QUIZ_INSIGHTS: frozenset({S.NOT_STARTED, S.STARTED, S.IN_PROGRESS, S.COMPLETED}),
    Action.MAKE_INSTRUCTOR: ALL_STATUSES,
    Action.CHANGE_SESSION: frozenset({S.NOT_STARTED, S.ENROLLED}),
    Action.MARK_NO_SHOW: frozenset({S.ENROLLED}),
    Action.UNASSIGN: frozenset({S.NOT_STARTED, S.STARTED, S.IN_PROGRESS, S.ENROLLED}),
    Action.REMOVE: ALL_STATUSES,
    Action.GENERATE_CERTIFICATE: frozenset({S.COMPLETED}),
    Action.REMOVE_CERTIFICATE: frozenset({S.COMPLETED}),
    Action.VIEW_CERTIFICATE: frozenset({S.COMPLETED}),
    # Mass action only: it never appears in a learner's menu. In an ILT course it marks learners
    # incomplete in their session, seated (Enrolled) or Completed.
    Action.MARK_INCOMPLETE: frozenset({S.COMPLETED, S.ENROLLED}),
}

# Further conditions on some actions, beyond the status.
ACTION_CONDITIONS = {
    Action.VIEW_SCORM_ACTIVITY: lambda ctx: ctx.viewer_is_admin and ctx.has_scorm,
    Action.VIEW_QUIZ_INSIGHTS: lambda ctx: ctx.has_quiz,
    Action.MAKE_INSTRUCTOR: lambda ctx: not ctx.learner_is_staff,
    Action.CHANGE_SESSION: lambda ctx: ctx.course_kind == CourseKind.ILT,
    Action.GENERATE_CERTIFICATE: lambda ctx: not ctx.has_certificate,
    Action.REMOVE_CERTIFICATE: lambda ctx: ctx.has_certificate,
    # The LMS's page of the certificate, where the learner's can be seen and downloaded.
    Action.VIEW_CERTIFICATE: lambda ctx: bool(ctx.certificate_url),
}

# The menu, in the order it is shown.
MENU_ACTIONS = (
    Action.UPDATE_DUE_DATE,
    Action.RESET_PROGRESS,
    Action.VIEW_HISTORY,
    Action.MARK_COMPLETE,
    Action.CHANGE_SESSION,
    Action.MARK_NO_SHOW,
    Action.VIEW_SCORM_ACTIVITY,
    Action.VIEW_CHAPTER_INSIGHTS,
    Action.VIEW_QUIZ_INSIGHTS,
    Action.MAKE_INSTRUCTOR,
    Action.VIEW_CERTIFICATE,
    Action.GENERATE_CERTIFICATE,
    Action.REMOVE_CERTIFICATE,
    Action.UNASSIGN,
    Action.REMOVE,
)

# Mass actions a course kind offers; the remove scopes other than "course" need ILT sessions.
MASS_ACTIONS_BY_KIND = {
    CourseKind.SELF_PACED: (
        Action.UPDATE_DUE_DATE,
        Action.RESET_PROGRESS,
        Action.MARK_COMPLETE,
        Action.MARK_INCOMPLETE,
        Action.REMOVE,
    ),
    CourseKind.ILT: (
        Action.UPDATE_DUE_DATE,
        Action.RESET_PROGRESS,
        Action.MARK_COMPLETE,
        Action.MARK_INCOMPLETE,
        Action.REMOVE,
        Action.CHANGE_SESSION,
    ),
}


def is_allowed(action: Action, status: LearnerStatus, ctx: ActionContext) -> bool:
    """
    Whether ``action`` may be applied to a learner in ``status``.
    """
    condition = ACTION_CONDITIONS.get(action)
    return status in ACTION_MATRIX[action] and (condition is None or condition(ctx))


def allowed_actions(status: LearnerStatus, ctx: ActionContext) -> tuple[Action, ...]:
    """
    The menu a learner in ``status`` gets, in display order.
    """
    return tuple(action for action in MENU_ACTIONS if is_allowed(action, status, ctx))


_MASS_ACTION_LABELS = {
    MassAction.UPDATE_DUE_DATE: gettext_lazy("Set Due Date"),
    MassAction.RESET_PROGRESS: gettext_lazy("Reset progress"),
    MassAction.MARK_COMPLETE: gettext_lazy("Mark as Complete"),
    MassAction.MARK_INCOMPLETE: gettext_lazy("Mark as Incomplete"),
    MassAction.REMOVE: gettext_lazy("Remove"),
    MassAction.CHANGE_SESSION: gettext_lazy("Add/Change Session"),
}


def mass_action_label(action: MassAction) -> str:
    """
    What a mass action is called: its button on the action bar, its report, its skip reasons.
    """
    return str(_MASS_ACTION_LABELS[action])


# Where a learner of each status stands, said to explain why an action passes them by.
_STANDINGS = {
    S.COMPLETED: gettext_lazy("Already completed"),
    S.ENROLLED: gettext_lazy("Seated in a session"),
    S.IN_PROGRESS: gettext_lazy("In progress ({progress}% completed)"),
    S.STARTED: gettext_lazy("Already started"),
    S.NOT_STARTED: gettext_lazy("Not started yet"),
}


def mass_skip_reason(action: MassAction, status: LearnerStatus, progress: int) -> str:
    """
    Why a mass action passed over a learner whose status it does not apply to, in a course team's
    words: "Already completed: Mark as Complete does not apply."
    """
    standing = str(_STANDINGS[status]).format(progress=progress)
    return gettext("{standing}: {action} does not apply.").format(standing=standing, action=mass_action_label(action))


# The learner's own side

# A learner books, changes or cancels their own seat in an ILT course until they complete it; the
# course team's actions keep their own matrix.
SELF_BOOKING_STATUSES = frozenset({S.NOT_STARTED, S.STARTED, S.IN_PROGRESS, S.ENROLLED})


def can_book_own_seat(kind: CourseKind, status: LearnerStatus) -> bool:
    """
    Whether a learner may book, change or cancel their own seat in the course's sessions.
    """
    return kind == CourseKind.ILT and status in SELF_BOOKING_STATUSES


def assignment_tag(required: bool, due_date, overdue: bool) -> AssignmentTag:
    """
    The tag of an assigned course on the learner's side: overdue above all, then required (with its due
    date) or optional.
    """
    if overdue:
        return AssignmentTag(gettext("Overdue"), TagVariant.OVERDUE)
    if not required:
        return AssignmentTag(gettext("Optional"), TagVariant.OPTIONAL)
    if due_date is None:
        return AssignmentTag(gettext("Required"), TagVariant.REQUIRED)
    label = gettext("Required · Due {date}").format(date=date_format(due_date, "DATE_FORMAT"))
    return AssignmentTag(label, TagVariant.REQUIRED)


# Certificates

# The states in which a learner holds a certificate, or is about to: "Remove Certificate" applies to
# them, "Generate Certificate" to every other.
CERTIFICATE_HELD = frozenset({CertificateStatus.GENERATED, CertificateStatus.REQUESTED})

_CERTIFICATE_NOTES = {
    CertificateStatus.REQUESTED: gettext_lazy("The LMS is generating the certificate."),
    CertificateStatus.UNVERIFIED: gettext_lazy(
        "The LMS issues the certificate once the learner has verified their identity."
    ),
    CertificateStatus.UNAVAILABLE: gettext_lazy("The LMS has made the certificate unavailable."),
    CertificateStatus.NOT_ELIGIBLE: gettext_lazy(
        "No certificate: the learner is enrolled in the {mode} track, which earns no certificate."
    ),
    CertificateStatus.DECLINED: gettext_lazy(
        "The LMS issued no certificate: certificates may not be enabled for this course."
    ),
}


def holds_certificate(status: str | None) -> bool:
    """
    Whether an attempt in this certificate state (a ``CertificateStatus`` value or None) holds a
    certificate or is about to.
    """
    return status in CERTIFICATE_HELD


def certificate_note(status: CertificateStatus, mode: str) -> str:
    """
    What the LMS did about the certificate, in words, where it did not simply issue it (or the course
    team removed it): empty for those.
    """
    note = _CERTIFICATE_NOTES.get(status)
    return str(note).format(mode=mode or "?") if note else ""


# Among the modes that earn a certificate, those the LMS issues one in without an identity check
# (``CourseMode.NON_VERIFIED_MODES`` less audit) come first.
CERTIFICATE_MODES_WITHOUT_VERIFICATION = ("honor", "no-id-professional")


def enrollment_mode(offered: Iterable[CourseMode], configured: str | None) -> str | None:
    """
    The mode the plugin enrolls learners in (``LEARNER_MGMT_ENROLLMENT_MODE``): the configured one when
    the course offers it; otherwise the course's mode that earns a certificate, one needing no identity
    check first; None, which leaves the choice to the LMS (the course's default mode), when the course
    offers no such mode.
    """
    offered = list(offered)
    if configured and any(mode.slug == configured for mode in offered):
        return configured
    eligible = [mode.slug for mode in offered if mode.certificate_eligible]
    eligible.sort(key=lambda slug: slug not in CERTIFICATE_MODES_WITHOUT_VERIFICATION)
    return eligible[0] if eligible else None


# Assignment terms


def first_terms(required: bool | None, due_date, message: str) -> AssignmentTerms:
    """
    The terms of a learner newly assigned the course: a due date makes it required; without one it is
    required only if said so.
    """
    return AssignmentTerms(required=bool(required) or due_date is not None, due_date=due_date, message=message)


def renewed_terms(
    current: AssignmentTerms, required: bool | None, due_date, message: str, *, new_attempt: bool, today
) -> AssignmentTerms:
    """
    The terms of a learner already assigned the course who is assigned it again: what is given replaces
    what they had, and what is left out stays as it was (``required`` None, no due date, no message), so
    that re-assigning never changes terms silently. A due date, given or kept, makes the course
    required; made optional, it keeps no due date. On a new attempt (a completed learner re-assigned) a
    due date that has passed is not kept.
    """
    kept = current.due_date
    if required is False or (new_attempt and kept is not None and kept < today):
        kept = None
    due = due_date if due_date is not None else kept
    said = current.required if required is None else required
    return AssignmentTerms(required=said or due is not None, due_date=due, message=message or current.message)


TERM_FIELDS = ("required", "due_date", "message")


def changed_terms(current: AssignmentTerms, new: AssignmentTerms) -> tuple[str, ...]:
    """
    The fields of the terms that differ.
    """
    return tuple(field for field in TERM_FIELDS if getattr(current, field) != getattr(new, field))
