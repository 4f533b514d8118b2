"""
Public data objects of the Learner Management plugin.

These are what ``api.py`` returns and what other apps may import: frozen attrs classes and enums,
no Django and no behaviour. Dates are ``datetime.date``, times timezone-aware ``datetime.datetime``.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from decimal import Decimal
from enum import StrEnum

import attr


class CourseKind(StrEnum):
    """
    How a course is delivered.
    """

    SELF_PACED = "self_paced"
    ILT = "ilt"


class LearnerStatus(StrEnum):
    """
    A learner's status in a course, derived from the current attempt and seat (see ``rules``).
    """

    COMPLETED = "completed"
    ENROLLED = "enrolled"
    IN_PROGRESS = "in_progress"
    STARTED = "started"
    NOT_STARTED = "not_started"


class Action(StrEnum):
    """
    Everything a course team can do to one learner (the 3-dot menu), plus the mass-only ``mark_incomplete``.
    """

    UPDATE_DUE_DATE = "update_due_date"
    RESET_PROGRESS = "reset_progress"
    VIEW_HISTORY = "view_history"
    MARK_COMPLETE = "mark_complete"
    VIEW_SCORM_ACTIVITY = "view_scorm_activity"
    VIEW_CHAPTER_INSIGHTS = "view_chapter_insights"
    VIEW_QUIZ_INSIGHTS = "view_quiz_insights"
    MAKE_INSTRUCTOR = "make_instructor"
    CHANGE_SESSION = "change_session"
    MARK_NO_SHOW = "mark_no_show"
    UNASSIGN = "unassign"
    REMOVE = "remove"
    VIEW_CERTIFICATE = "view_certificate"
    GENERATE_CERTIFICATE = "generate_certificate"
    REMOVE_CERTIFICATE = "remove_certificate"
    MARK_INCOMPLETE = "mark_incomplete"


class MassAction(StrEnum):
    """
    Actions that can be applied to many selected learners at once.
    """

    UPDATE_DUE_DATE = "update_due_date"
    RESET_PROGRESS = "reset_progress"
    MARK_COMPLETE = "mark_complete"
    MARK_INCOMPLETE = "mark_incomplete"
    REMOVE = "remove"
    CHANGE_SESSION = "change_session"


class RemoveScope(StrEnum):
    """
    What ``remove`` takes away: all of the learner's data in the course, only their ILT seat, or both.
    """

    COURSE = "course"
    SESSION = "session"
    BOTH = "both"


class SeatState(StrEnum):
    """
    State of a learner's seat in an ILT session.
    """

    ENROLLED = "enrolled"
    ATTENDED = "attended"
    INCOMPLETE = "incomplete"
    NO_SHOW = "no_show"
    REMOVED = "removed"
    # The learner gave up the seat they had booked themselves.
    CANCELLED = "cancelled"


class TagVariant(StrEnum):
    """
    How the tag of an assigned course is shown to its learner.
    """

    REQUIRED = "required"
    OVERDUE = "overdue"
    OPTIONAL = "optional"


class CompletionSource(StrEnum):
    """
    Who completed an attempt.
    """

    LEARNER = "learner"
    ADMIN = "admin"


class CertificateStatus(StrEnum):
    """
    Certificate state of an attempt: what the LMS did when the plugin asked for the certificate, and
    whether the plugin removed it since.
    """

    # The LMS made a downloadable certificate.
    GENERATED = "generated"
    # The LMS accepted the request and is generating the certificate (it does so in a task of its own).
    REQUESTED = "requested"
    # The LMS holds the certificate back until the learner has verified their identity.
    UNVERIFIED = "unverified"
    # The LMS made the certificate unavailable (it is invalidated).
    UNAVAILABLE = "unavailable"
    # The LMS issues no certificate in the learner's enrollment mode (audit, for instance).
    NOT_ELIGIBLE = "not_eligible"
    # The LMS issued no certificate and gave no reason (certificates may be off for the course).
    DECLINED = "declined"
    # The course team removed the certificate.
    REMOVED = "removed"


class AttemptCloseReason(StrEnum):
    """
    Why an attempt stopped being the current one.
    """

    RESET = "reset"
    REASSIGNED = "reassigned"
    UNASSIGNED = "unassigned"
    # ILT: the learner missed their session, or did not complete it.
    NO_SHOW = "no_show"
    INCOMPLETE = "incomplete"


class HistoryKind(StrEnum):
    """
    Kinds of events in a learner's course history.
    """

    ASSIGNED = "assigned"
    ASSIGNMENT_UPDATED = "assignment_updated"
    REASSIGNED = "reassigned"
    SELF_ENROLLED = "self_enrolled"
    SELF_UNENROLLED = "self_unenrolled"
    DUE_DATE_CHANGED = "due_date_changed"
    STARTED = "started"
    PROGRESS_RESET = "progress_reset"
    COMPLETED = "completed"
    MARKED_INCOMPLETE = "marked_incomplete"
    UNASSIGNED = "unassigned"
    SESSION_CHANGED = "session_changed"
    SESSION_REMOVED = "session_removed"
    # The learner's own acts on their seat, from their My Learning page.
    SESSION_BOOKED = "session_booked"
    SESSION_CANCELLED = "session_cancelled"
    NO_SHOW = "no_show"
    INSTRUCTOR_GRANTED = "instructor_granted"
    CERTIFICATE_GENERATED = "certificate_generated"
    # Asked for, and the LMS did not (yet) issue it: the details say what it did instead.
    CERTIFICATE_REQUESTED = "certificate_requested"
    CERTIFICATE_REMOVED = "certificate_removed"
    # Sent by the reminders command: the details say which reminder and for which due date.
    REMINDER_SENT = "reminder_sent"
    OVERDUE_NOTICE_SENT = "overdue_notice_sent"


class ReminderKind(StrEnum):
    """
    The messages that chase a required learner: a reminder some days before the due date, and a
    notice once it has passed.
    """

    BEFORE_DUE = "before_due"
    OVERDUE = "overdue"


# The audit trail's name for a removal from the course: its record outlives the learner's history.
REMOVED_FROM_COURSE = "removed"


# What the audit trail can be filtered by: the kinds of history events, and removals.
AUDIT_ACTIONS = tuple(kind.value for kind in HistoryKind) + (REMOVED_FROM_COURSE,)


class JobKind(StrEnum):
    """
    What a background job does.
    """

    IMPORT = "import"
    MASS_ACTION = "mass_action"
    ASSIGNMENT = "assignment"
    EXPORT = "export"


class JobState(StrEnum):
    """
    Where a job is: queued, applying its chunks, done, or stopped by an error.
    """

    PENDING = "pending"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


class ReviewState(StrEnum):
    """
    Where a user stands in a course when a course team reviews an assignment.
    """

    NOT_ASSIGNED = "not_assigned"
    ASSIGNED = "assigned"
    COMPLETED = "completed"


@attr.s(frozen=True, slots=True, auto_attribs=True)
class CourseSettings:
    """
    The plugin's per-course configuration, and what comes with the course's kind: the statuses its
    learners can be in (in the order they go through them) and the mass actions it offers.
    ``removal_reason_required``: removing a learner from the course needs a reason;
    ``reminder_days``: how many days before their due date required learners are reminded (largest
    first); ``overdue_notice``: whether they are told once it has passed.
    """

    course_key: str
    title: str
    kind: CourseKind
    credits: Decimal
    removal_reason_required: bool
    reminder_days: tuple[int, ...]
    overdue_notice: bool
    statuses: tuple[LearnerStatus, ...]
    mass_actions: tuple[MassAction, ...]


@attr.s(frozen=True, slots=True, auto_attribs=True)
class SessionSummary:
    """
    The ILT session a learner is seated in, as shown in their row.
    """

    id: int
    title: str
    start: datetime.datetime
    end: datetime.datetime
    retroactive: bool


@attr.s(frozen=True, slots=True, auto_attribs=True)
class CertificateSummary:
    """
    Certificate state of the current attempt: ``mode`` is the enrollment mode the LMS judged it by,
    ``note`` says in words what the LMS did when it did not simply issue it (empty otherwise), ``url``
    is the LMS's page of the certificate while it is downloadable (empty otherwise).
    """

    status: CertificateStatus
    changed_at: datetime.datetime
    mode: str
    note: str
    url: str


@attr.s(frozen=True, slots=True, auto_attribs=True)
class CourseMode:
    """
    An enrollment mode (track) a course offers, and whether the LMS issues certificates in it.
    """

    slug: str
    certificate_eligible: bool


@attr.s(frozen=True, slots=True, auto_attribs=True)
class MessageRecipient:
    """
    A learner as the LMS addresses a message to them: their email address, name and preferred language
    (None: the site's).
    """

    email: str
    name: str
    language: str | None


@attr.s(frozen=True, slots=True, auto_attribs=True)
class MessageSite:
    """
    What the LMS's messages say of the site: the address they come from and the platform's name.
    """

    from_address: str
    platform_name: str


@attr.s(frozen=True, slots=True, auto_attribs=True)
class CertificateOutcome:
    """
    What the LMS did when asked for a learner's certificate, the enrollment mode it judged by, and the
    certificate's page once the LMS made a downloadable one.
    """

    status: CertificateStatus
    mode: str
    url: str = ""


@attr.s(frozen=True, slots=True, auto_attribs=True)
class LearnerRow:
    """
    One learner in a course's Learner Management list, with the actions the viewer may take.
    """

    user_id: int
    username: str
    email: str
    name: str
    employee_id: str | None
    status: LearnerStatus
    status_label: str
    progress: int
    required: bool
    due_date: datetime.date | None
    overdue: bool
    assigned_by: str | None
    assigned_at: datetime.datetime
    attempt: int
    completed_at: datetime.datetime | None
    completion_source: CompletionSource | None
    credits_awarded: Decimal
    session: SessionSummary | None
    certificate: CertificateSummary | None
    actions: tuple[Action, ...]
    # When the reminders last chased them (a reminder or the overdue notice), if ever.
    last_reminder_at: datetime.datetime | None = None


@attr.s(frozen=True, slots=True, auto_attribs=True)
class ReminderRun:
    """
    What one run of the reminders sent: how many reminders and overdue notices, in how many courses.
    """

    reminders: int
    overdue_notices: int
    courses: int


XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# The longest reason a course team may give for a change: a note in the history, not a document.
REASON_MAX_LENGTH = 500


class ExportFormat(StrEnum):
    """
    File formats of the learner list's export.
    """

    CSV = "csv"
    XLSX = "xlsx"


@attr.s(frozen=True, slots=True, auto_attribs=True)
class ExportFile:
    """
    An export (the learner list, the audit trail) as a file: its name, media type and content,
    produced piece by piece as it is read (a course of any size is never held in memory whole as CSV).
    """

    filename: str
    content_type: str
    content: Iterator[bytes]


@attr.s(frozen=True, slots=True, auto_attribs=True)
class AuditEntry:
    """
    One change in a course's audit trail: when, what (``action``, a ``HistoryKind`` value or
    ``REMOVED_FROM_COURSE``), to which learner, in which attempt, by whom (their username; "" when the
    learner or the platform did it), with the event's details and the reason given. A removal names the
    learner by id only: their name, username and email went with their data.
    """

    created: datetime.datetime
    action: str
    learner_id: int
    learner_name: str
    learner_username: str
    learner_email: str
    employee_id: str | None
    attempt: int | None
    actor: str
    details: dict
    reason: str


@attr.s(frozen=True, slots=True, auto_attribs=True)
class WeekCompletions:
    """
    How many attempts of a course were completed in the week starting (Monday) on ``week_start``.
    """

    week_start: datetime.date
    completions: int


@attr.s(frozen=True, slots=True, auto_attribs=True)
class CourseSummary:
    """
    A course's learners at a glance: how many in each status, required and optional, overdue, the
    share of required learners who completed (None without required learners), and the completions of
    each of the last twelve weeks, oldest first, this week last.
    """

    learners: int
    status_counts: dict[str, int]
    required: int
    optional: int
    overdue: int
    required_completed: int
    required_completion_rate: float | None
    completions_per_week: tuple[WeekCompletions, ...]


@attr.s(frozen=True, slots=True, auto_attribs=True)
class LearnerPage:
    """
    A page of the learner list, the total matching the filters, and per-status counts for the chips.
    """

    count: int
    page: int
    page_size: int
    results: tuple[LearnerRow, ...]
    status_counts: dict


@attr.s(frozen=True, slots=True, auto_attribs=True)
class HistoryEntry:
    """
    One event of a learner's history in a course.
    """

    id: int
    kind: HistoryKind
    attempt: int | None
    actor: str | None
    created: datetime.datetime
    details: dict
    reason: str


@attr.s(frozen=True, slots=True, auto_attribs=True)
class ChapterOutline:
    """
    A chapter (section) of a course outline.
    """

    id: str
    title: str
    is_quiz: bool


@attr.s(frozen=True, slots=True, auto_attribs=True)
class CourseOutline:
    """
    What the plugin needs to know about a course's content.
    """

    course_key: str
    title: str
    chapters: tuple[ChapterOutline, ...]
    has_scorm: bool

    @property
    def has_quiz(self) -> bool:
        """
        Whether any chapter is a quiz chapter.
        """
        return any(chapter.is_quiz for chapter in self.chapters)


@attr.s(frozen=True, slots=True, auto_attribs=True)
class ChapterProgress:
    """
    A learner's progress in one chapter.
    """

    chapter_id: str
    title: str
    progress: int
    completed_at: datetime.datetime | None


@attr.s(frozen=True, slots=True, auto_attribs=True)
class QuestionResult:
    """
    A learner's answer to one quiz question.
    """

    question: str
    answer: str
    correct: bool | None


@attr.s(frozen=True, slots=True, auto_attribs=True)
class QuizResult:
    """
    A learner's result in one quiz chapter.
    """

    chapter_id: str
    title: str
    score: int | None
    attempts: int
    questions: tuple[QuestionResult, ...]


@attr.s(frozen=True, slots=True, auto_attribs=True)
class ScormRecord:
    """
    One SCORM/xAPI statement recorded for a learner.
    """

    verb: str
    object: str
    result: str
    timestamp: datetime.datetime


@attr.s(frozen=True, slots=True, auto_attribs=True)
class SessionInfo:
    """
    An ILT session of a course.
    """

    id: int
    course_key: str
    title: str
    start: datetime.datetime
    end: datetime.datetime
    location: str
    capacity: int | None
    instructor: str | None
    seats_taken: int
    is_past: bool
    within_retroactive_window: bool


@attr.s(frozen=True, slots=True, auto_attribs=True)
class UserMatch:
    """
    A user found by the assignment dialog's search.
    """

    user_id: int
    username: str
    email: str
    name: str
    employee_id: str | None


@attr.s(frozen=True, slots=True, auto_attribs=True)
class AssignmentTerms:
    """
    The terms a learner is assigned a course on: required or optional, due date, the course team's message.
    """

    required: bool
    due_date: datetime.date | None
    message: str


@attr.s(frozen=True, slots=True, auto_attribs=True)
class ReviewedUser:
    """
    A user named for assignment: where they stand in the course now, their current terms (None unless
    assigned), the terms assigning them would give them, and which of ``required``, ``due_date`` and
    ``message`` that changes (none for a user not assigned yet).
    """

    identifier: str
    user_id: int
    username: str
    email: str
    name: str
    employee_id: str | None
    state: ReviewState
    status: LearnerStatus | None
    # As the learner list words it ("42% Completed"); None when not assigned.
    status_label: str | None
    current_terms: AssignmentTerms | None
    new_terms: AssignmentTerms
    changes: tuple[str, ...]


@attr.s(frozen=True, slots=True, auto_attribs=True)
class AssignmentReview:
    """
    What assigning a course to the given identifiers would meet: the users found, and identifiers
    that name no user, a deactivated one, or different users (``ambiguous``).
    """

    skip_completed_available: bool
    users: tuple[ReviewedUser, ...]
    not_found: tuple[str, ...]
    deactivated: tuple[str, ...]
    ambiguous: tuple[str, ...]


@attr.s(frozen=True, slots=True, auto_attribs=True)
class SkippedLearner:
    """
    A learner an assignment or a mass action left alone, and why. A mass action gives the learner's
    ``name`` too; it is "" in an assignment's results, for a username that is no learner of the course
    and for a learner without a name.
    """

    username: str
    reason: str
    name: str = ""


@attr.s(frozen=True, slots=True, auto_attribs=True)
class FailedIdentifier:
    """
    An identifier that could not be assigned, and why.
    """

    identifier: str
    reason: str


@attr.s(frozen=True, slots=True, auto_attribs=True)
class AssignmentResult:
    """
    Outcome of assigning a course: newly assigned, new terms for current learners, completed learners
    given a new attempt, those skipped and identifiers that failed.
    """

    assigned: tuple[str, ...]
    updated: tuple[str, ...]
    reassigned: tuple[str, ...]
    skipped: tuple[SkippedLearner, ...]
    failed: tuple[FailedIdentifier, ...]


@attr.s(frozen=True, slots=True, auto_attribs=True)
class ImportFailure:
    """
    A CSV row that was not imported. ``row`` is its line in the file (the headings are line 1).
    """

    row: int
    email: str
    username: str
    employee_id: str
    reason: str


@attr.s(frozen=True, slots=True, auto_attribs=True)
class ReassignedRow:
    """
    A CSV row whose learner had completed the course and was assigned it again, on a new attempt:
    its line in the file (the headings are line 1), the identifier it gave and the learner's username.
    """

    row: int
    identifier: str
    username: str


@attr.s(frozen=True, slots=True, auto_attribs=True)
class ImportResult:
    """
    Outcome of a CSV import: every data row is counted as imported (newly ``assigned``, given new terms
    ``updated``, or ``reassigned`` on a new attempt, those listed in ``reassigned_rows``) or listed in
    ``failures``.
    """

    imported: int
    assigned: int
    updated: int
    reassigned: int
    failures: tuple[ImportFailure, ...]
    message: str
    show_failures_inline: bool
    non_imported_filename: str | None
    reassigned_rows: tuple[ReassignedRow, ...] = ()

    @property
    def failed(self) -> int:
        """
        Number of rows not imported.
        """
        return len(self.failures)


@attr.s(frozen=True, slots=True, auto_attribs=True)
class MassActionResult:
    """
    Outcome of a mass action: learners it was applied to (``done``, their usernames, and
    ``done_names``, their names in the same order, "" for a learner without one), those the action
    does not apply to (``skipped``) and usernames that are not learners of the course (``failed``),
    each with the reason.
    """

    action: MassAction
    done: tuple[str, ...]
    skipped: tuple[SkippedLearner, ...]
    failed: tuple[SkippedLearner, ...]
    done_names: tuple[str, ...] = ()


@attr.s(frozen=True, slots=True, auto_attribs=True)
class AssignmentTag:
    """
    The tag a learner sees on an assigned course ("Required · Due Jan. 5, 2027", "Overdue",
    "Optional"), in their language, and how it is shown.
    """

    label: str
    variant: TagVariant


@attr.s(frozen=True, slots=True, auto_attribs=True)
class SessionOffer:
    """
    An ILT session as a learner sees it: when and where, and the seats left (None where there is no
    limit, and for the learner's own seat).
    """

    id: int
    title: str
    start: datetime.datetime
    end: datetime.datetime
    location: str
    seats_left: int | None


@attr.s(frozen=True, slots=True, auto_attribs=True)
class MyAssignment:
    """
    A course assigned to the signed-in learner, as their own list shows it: the course (title, where to
    take it, kind), the terms and their tag, where they stand, and in an ILT course their seat, whether
    they may book one themselves and the upcoming sessions with a free seat.
    """

    course_key: str
    course_title: str
    course_url: str
    kind: CourseKind
    required: bool
    due_date: datetime.date | None
    overdue: bool
    tag: AssignmentTag
    status: LearnerStatus
    status_label: str
    progress: int
    assigned_at: datetime.datetime
    message: str
    session: SessionOffer | None
    can_book: bool
    bookable_sessions: tuple[SessionOffer, ...]


@attr.s(frozen=True, slots=True, auto_attribs=True)
class AttemptSummary:
    """
    One of a learner's attempts at a course; closed ones carry why they were closed.
    """

    number: int
    started_at: datetime.datetime | None
    progress: int
    completed_at: datetime.datetime | None
    completion_source: CompletionSource | None
    certificate: CertificateStatus | None
    certificate_url: str
    credits_awarded: Decimal
    closed_at: datetime.datetime | None
    closed_reason: AttemptCloseReason | None


@attr.s(frozen=True, slots=True, auto_attribs=True)
class SeatRecord:
    """
    A seat a learner held in an ILT session, and how it ended.
    """

    session_id: int
    title: str
    start: datetime.datetime
    end: datetime.datetime
    state: SeatState
    retroactive: bool
    attempt: int | None


@attr.s(frozen=True, slots=True, auto_attribs=True)
class LearnerHistory:
    """
    A learner's history in a course: events newest first, every attempt, and the ILT sessions they
    were seated in.
    """

    events: tuple[HistoryEntry, ...]
    attempts: tuple[AttemptSummary, ...]
    sessions: tuple[SeatRecord, ...]


@attr.s(frozen=True, slots=True, auto_attribs=True)
class JobInfo:
    """
    A CSV import, a mass action, an assignment or an export, inline or in the background: its progress
    in chunks and, once it has succeeded, its result (the same whichever way it ran); an export's is
    its file, ``export_filename`` once it is ready.
    """

    id: str
    kind: JobKind
    course_key: str
    state: JobState
    completed_steps: int
    total_steps: int
    import_result: ImportResult | None
    mass_action_result: MassActionResult | None
    assignment_result: AssignmentResult | None
    error: str
    export_filename: str | None = None

    @property
    def finished(self) -> bool:
        """
        Whether the job has stopped, successfully or not.
        """
        return self.state in (JobState.SUCCEEDED, JobState.FAILED)
