"""
The Python API of Learner Management: the one interface for other apps, the REST API, tasks and
signal handlers.

Every function takes a course key (a string in Open edX syntax or a ``CourseKey``), works on the
plugin's own tables and the host port, and returns ``data.py`` objects, never models. Changes are
atomic; each writes history events and sends the signals of ``signals.signals`` after commit.
Errors are the subclasses of ``exceptions.LearnerMgmtError``.

``actor``/``viewer`` is the Django user acting (None for the system). Permission to manage the
course is checked by the callers that face users (the REST API); ``can_manage_course`` tells.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ._internal import (
    _actions,
    _assigning,
    _audit_trail,
    _csv_file,
    _directory,
    _exporting,
    _inbound,
    _jobs,
    _listing,
    _mass,
    _messages,
    _my_learning,
    _reminders,
    _retirement,
    _sessions,
    _workbook,
)
from ._internal._course import load_course, load_states, parse_course_key, refusal, split_by_rules
from ._internal._echo import changing
from ._internal._recording import ChangeLog
from .data import (
    Action,
    AssignmentResult,
    AssignmentReview,
    ChapterProgress,
    CourseSettings,
    CourseSummary,
    ExportFile,
    ExportFormat,
    FailedIdentifier,
    ImportResult,
    JobInfo,
    JobKind,
    LearnerHistory,
    LearnerPage,
    LearnerRow,
    MassActionResult,
    MyAssignment,
    QuizResult,
    ReminderRun,
    RemoveScope,
    ScormRecord,
    SessionInfo,
    UserMatch,
)
from .exceptions import ConfirmationRequired, Conflict, InvalidInput, LearnerNotFound, NotFound
from .host import get_host

# The most users review_assignment and assign_course take at a time.
MAX_USERS_AT_A_TIME = _assigning.MAX_USERS_AT_A_TIME

__all__ = [
    "MAX_USERS_AT_A_TIME",
    "assign_course",
    "book_my_session",
    "can_manage_course",
    "cancel_my_session",
    "change_session",
    "check_import_size",
    "create_session",
    "delete_session",
    "export_audit_trail",
    "export_job_file",
    "export_learners",
    "fail_job",
    "generate_certificate",
    "get_assignment",
    "get_chapter_insights",
    "get_course_settings",
    "get_course_summary",
    "get_export",
    "get_history",
    "get_import",
    "get_learner",
    "get_mass_action",
    "get_my_assignment",
    "get_quiz_insights",
    "get_scorm_activity",
    "get_session",
    "import_assignments",
    "is_platform_admin",
    "job_progress",
    "list_learners",
    "list_my_assignments",
    "list_sessions",
    "make_instructor",
    "mark_complete",
    "mark_no_show",
    "non_imported_csv",
    "non_imported_file",
    "quiz_insights_workbook",
    "record_activity",
    "record_certificate",
    "record_passing",
    "record_progress",
    "record_self_enrollment",
    "record_self_unenrollment",
    "remove_certificate",
    "remove_learner",
    "reset_progress",
    "retire_learner",
    "review_assignment",
    "run_job",
    "run_mass_action",
    "sample_csv",
    "search_users",
    "send_reminders",
    "set_employee_ids",
    "skip_completed_offered",
    "submit_assignment",
    "submit_import",
    "submit_learner_export",
    "submit_mass_action",
    "unassign",
    "update_course_settings",
    "update_due_date",
    "update_session",
]


def _actor_id(actor):
    return actor.pk if actor is not None else None


def is_platform_admin(user) -> bool:
    """
    Whether ``user`` is a platform admin (global staff).
    """
    return bool(user and user.is_authenticated) and get_host().is_platform_admin(user)


def can_manage_course(user, course_key) -> bool:
    """
    Whether ``user`` may use Learner Management in the course (course staff or instructor, or a
    platform admin).
    """
    return bool(user and user.is_authenticated) and get_host().can_manage_course(user, parse_course_key(course_key))


def instructor_dashboard_url(course_key) -> str:
    """
    Where the course's instructor dashboard is: the MFE's or the legacy one, as the LMS serves it.
    """
    return get_host().instructor_dashboard_url(parse_course_key(course_key))


# Course settings


def get_course_settings(course_key) -> CourseSettings:
    """
    The course's kind (self-paced or ILT), the credits it awards and whether removals need a reason.
    """
    return _sessions.course_settings(load_course(course_key))


def update_course_settings(
    course_key, *, kind=None, credits=None, removal_reason_required=None, reminder_days=None, overdue_notice=None
) -> CourseSettings:
    """
    Change the course's kind, its credits, whether removing a learner from it needs a reason, the days
    before the due date on which required learners are reminded (``reminder_days``, a list; empty for
    none) and whether they get an overdue notice.
    """
    return _sessions.update_course_settings(
        load_course(course_key),
        kind=kind,
        credits=credits,
        removal_reason_required=removal_reason_required,
        reminder_days=reminder_days,
        overdue_notice=overdue_notice,
    )


# The learner list


def list_learners(
    course_key,
    *,
    viewer=None,
    status=None,
    search=None,
    required=None,
    session_id=None,
    overdue=None,
    ordering=None,
    page=1,
    page_size=50,
) -> LearnerPage:
    """
    A page of the course's learners with the actions ``viewer`` may take on each, filtered by status,
    search (name, username, email, employee ID), required/optional, ILT session and overdue (or not),
    and ordered by ``name``, ``username``, ``progress``, ``due_date``, ``assigned_at`` or ``status``
    ('-' reverses). A fixed number of queries whatever the page size.
    """
    return _listing.list_rows(
        load_course(course_key, viewer),
        status=status,
        search=search,
        required=required,
        session_id=session_id,
        overdue=overdue,
        ordering=ordering,
        page=page,
        page_size=page_size,
    )


def export_learners(
    course_key,
    *,
    viewer=None,
    file_format=ExportFormat.CSV,
    status=None,
    search=None,
    required=None,
    session_id=None,
    overdue=None,
    ordering=None,
) -> ExportFile:
    """
    Every learner the list's filters match, in the list's order, as ``Learners_<course>_<YYYY-MM-DD>``
    ``.csv`` or ``.xlsx``: name, username, email, employee ID, status, progress, required, due date,
    overdue, assigned by and at, session, attempt, completed at and certificate. Its content is read from
    the database a thousand learners at a time as it is consumed; bad filters are refused at once.
    """
    file_format = _export_format(file_format)
    ctx = load_course(course_key, viewer)
    rows = _listing.rows_matching(
        ctx,
        status=status,
        search=search,
        required=required,
        session_id=session_id,
        overdue=overdue,
        ordering=ordering,
    )
    return _exporting.export(rows, file_format, str(ctx.course_key), timezone.localdate())


def submit_learner_export(
    course_key,
    *,
    viewer,
    file_format=ExportFormat.CSV,
    status=None,
    search=None,
    required=None,
    session_id=None,
    overdue=None,
    ordering=None,
) -> JobInfo:
    """
    Export the learner list as ``export_learners`` does, as a background job (for a list too large to
    download within a request): the JobInfo returned is pending; ``get_export`` follows it and
    ``export_job_file`` serves its file once written. The learners are those the filters match now,
    as they stand when their chunk is written.
    """
    file_format = _export_format(file_format)
    ctx = load_course(course_key, viewer)
    ids = _listing.ids_matching(
        ctx,
        status=status,
        search=search,
        required=required,
        session_id=session_id,
        overdue=overdue,
        ordering=ordering,
    )
    return _submit(_jobs.create_export(ctx, ids, actor_id=_actor_id(viewer), file_format=file_format), len(ids))


def get_export(course_key, job_id) -> JobInfo:
    """
    A background export of the course: its progress and, once its file is written, its filename.
    """
    return _jobs.job_info(_jobs.find(load_course(course_key), job_id, JobKind.EXPORT))


def export_job_file(course_key, job_id):
    """
    (filename, media type, open binary file) of a finished background export; NotFound until then.
    """
    return _jobs.export_file(_jobs.find(load_course(course_key), job_id, JobKind.EXPORT))


def export_audit_trail(
    course_key, *, viewer=None, file_format=ExportFormat.CSV, since=None, until=None, actions=None
) -> ExportFile:
    """
    The course's audit trail as ``Audit_trail_<course>_<YYYY-MM-DD>`` ``.csv`` or ``.xlsx``: every
    change made to its learners (their history) and every removal from it, oldest first, between the
    dates ``since`` and ``until`` (both included), of the ``actions`` asked for (``HistoryKind`` values
    and ``"removed"``; all when None): when, what, the learner (a removed one by user id only), the
    attempt, by whom ("retired user" for a retired one), the details and the reason given. Read a
    thousand entries at a time as it is consumed; bad filters are refused at once.
    """
    file_format = _export_format(file_format)
    ctx = load_course(course_key, viewer)
    entries = _audit_trail.entries(ctx, since=since, until=until, actions=actions)
    return _exporting.export_audit_trail(entries, file_format, str(ctx.course_key), timezone.localdate())


def _export_format(file_format) -> ExportFormat:
    try:
        return ExportFormat(file_format)
    except ValueError as error:
        raise InvalidInput("format", _("Export as 'csv' or 'xlsx'.")) from error


def get_course_summary(course_key, *, viewer=None) -> CourseSummary:
    """
    The course's learners at a glance: counts per status, required and optional, overdue, the share of
    required learners who completed, and completions in each of the last twelve weeks.
    """
    return _listing.course_summary(load_course(course_key, viewer))


def get_learner(course_key, username, *, viewer=None) -> LearnerRow:
    """
    One learner's row; LearnerNotFound if they are not listed in the course.
    """
    return _listing.get_row(load_course(course_key, viewer), username)


# Per-learner actions: each takes an optional ``reason``, the course team's words on why, kept in the
# learner's history (and in the removal audit record); a course may require one to remove learners.


def _act(course_key, username, actor, action: Action, apply, *, reason, ctx=None, **params) -> LearnerRow | None:
    """
    Apply one action to one learner: lock them, check the matrix, apply, record with the reason given;
    return their row, or None when they are no longer listed.
    """
    ctx = ctx or load_course(course_key, actor)
    reason = _actions.check_reason(ctx, reason, scope=params.get("scope"))
    now = timezone.now()
    with changing(ctx.course_key), transaction.atomic():
        states = load_states(ctx, Q(learner__user__username=username), lock=True)
        if not states:
            raise LearnerNotFound(_("{username} is not a learner of this course.").format(username=username))
        allowed, refused = split_by_rules(ctx, states, action)
        if refused:
            raise refusal(action, *refused[0])
        log = ChangeLog(ctx.course_key, _actor_id(actor), reason)
        skipped = apply(ctx, allowed, log, now=now, **params)
        if skipped:
            raise Conflict(skipped[0].reason)
        log.save()
    try:
        return _listing.get_row(ctx, username)
    except LearnerNotFound:
        return None


def update_due_date(course_key, username, *, actor, due_date: datetime.date | None, reason="") -> LearnerRow:
    """
    Set the learner's due date (making the course required for them) or remove it with None (making
    it optional). No notification is sent.
    """
    _actions.check_due_date(due_date, timezone.localdate())
    return _act(
        course_key, username, actor, Action.UPDATE_DUE_DATE, _actions.update_due_date, reason=reason, due_date=due_date
    )


def reset_progress(course_key, username, *, actor, reason="") -> LearnerRow:
    """
    Close the learner's current attempt (kept in history) and start a new one, Not Started.
    """
    return _act(course_key, username, actor, Action.RESET_PROGRESS, _actions.reset_progress, reason=reason)


def mark_complete(course_key, username, *, actor, reason="") -> LearnerRow:
    """
    Complete the learner's current attempt as if they had, with certificate and credits.
    """
    return _act(course_key, username, actor, Action.MARK_COMPLETE, _actions.mark_complete, reason=reason)


def unassign(course_key, username, *, actor, reason="") -> None:
    """
    Unassign the learner: their current progress is lost, the course leaves their list, history stays.
    """
    _act(course_key, username, actor, Action.UNASSIGN, _actions.unassign, reason=reason)


def remove_learner(course_key, username, *, actor, scope, confirm=False, reason="") -> LearnerRow | None:
    """
    ``scope="session"``: take the learner out of their ILT session and return their row.
    ``"course"``/``"both"``: permanently delete all their data in the course (needs ``confirm=True``);
    returns None.
    """
    try:
        scope = RemoveScope(scope)
    except ValueError as error:
        raise InvalidInput("scope", _("Say what to remove: 'course', 'session' or 'both'.")) from error
    if scope != RemoveScope.SESSION and confirm is not True:
        raise ConfirmationRequired(
            _(
                "Removing a learner from the course deletes all their data in it and cannot be undone; "
                "confirm to go ahead."
            )
        )
    ctx = load_course(course_key, actor)
    if scope != RemoveScope.COURSE and not ctx.is_ilt:
        raise InvalidInput("scope", _("Only instructor-led courses have sessions to remove learners from."))
    return _act(course_key, username, actor, Action.REMOVE, _actions.remove, reason=reason, ctx=ctx, scope=scope)


def change_session(course_key, username, *, actor, session_id, reason="") -> LearnerRow:
    """
    Seat the learner in an ILT session, or move them there. Sessions that ended within the
    retroactive window are allowed (the seat is flagged retroactive); full ones are refused.
    """
    return _act(
        course_key,
        username,
        actor,
        Action.CHANGE_SESSION,
        _actions.change_session,
        reason=reason,
        session_id=session_id,
    )


def mark_no_show(course_key, username, *, actor, message="", reason="") -> LearnerRow:
    """
    Mark the learner a no-show in their session; they may book another. ``message`` is sent to them.
    """
    if not isinstance(message, str):
        raise InvalidInput("message", _("The message must be text."))
    return _act(
        course_key, username, actor, Action.MARK_NO_SHOW, _actions.mark_no_show, reason=reason, message=message.strip()
    )


def make_instructor(course_key, username, *, actor, reason="") -> LearnerRow:
    """
    Give the learner the course role ``LEARNER_MGMT_INSTRUCTOR_ROLE`` names.
    """
    return _act(course_key, username, actor, Action.MAKE_INSTRUCTOR, _actions.make_instructor, reason=reason)


def generate_certificate(course_key, username, *, actor, reason="") -> LearnerRow:
    """
    Issue the certificate of the learner's current attempt.
    """
    return _act(course_key, username, actor, Action.GENERATE_CERTIFICATE, _actions.generate_certificate, reason=reason)


def remove_certificate(course_key, username, *, actor, reason="") -> LearnerRow:
    """
    Revoke the certificate of the learner's current attempt.
    """
    return _act(course_key, username, actor, Action.REMOVE_CERTIFICATE, _actions.remove_certificate, reason=reason)


# Views of one learner


def _viewed(course_key, username, viewer, action: Action):
    ctx = load_course(course_key, viewer)
    states = load_states(ctx, Q(learner__user__username=username))
    if not states:
        raise LearnerNotFound(_("{username} is not a learner of this course.").format(username=username))
    allowed, refused = split_by_rules(ctx, states, action)
    if refused:
        raise refusal(action, *refused[0])
    return ctx, allowed[0]


def get_history(course_key, username, *, viewer=None) -> LearnerHistory:
    """
    The learner's history in the course: events newest first, their attempts and ILT seats.
    """
    ctx, state = _viewed(course_key, username, viewer, Action.VIEW_HISTORY)
    return _listing.learner_history(ctx, state)


def get_chapter_insights(course_key, username, *, viewer=None) -> tuple[ChapterProgress, ...]:
    """
    The learner's progress in each chapter of the course.
    """
    ctx, state = _viewed(course_key, username, viewer, Action.VIEW_CHAPTER_INSIGHTS)
    return ctx.host.chapter_progress(ctx.course_key, [state.user_id]).get(state.user_id, ())


def get_quiz_insights(course_key, username, *, viewer=None) -> tuple[QuizResult, ...]:
    """
    The learner's results in each quiz chapter, with every question and their answer.
    """
    ctx, state = _viewed(course_key, username, viewer, Action.VIEW_QUIZ_INSIGHTS)
    return ctx.host.quiz_results(ctx.course_key, [state.user_id]).get(state.user_id, ())


def quiz_insights_workbook(course_key, username, *, viewer=None) -> tuple[str, bytes]:
    """
    (``quiz_insights_<username>_<course>.xlsx``, its bytes): the learner's quiz insights as an Excel
    workbook, no cell of which a spreadsheet would run as a formula.
    """
    results = get_quiz_insights(course_key, username, viewer=viewer)
    return _workbook.quiz_insights_filename(username, str(course_key)), _workbook.quiz_insights_workbook(results)


def get_scorm_activity(course_key, username, *, viewer=None) -> tuple[ScormRecord, ...]:
    """
    The learner's SCORM/xAPI activity records (platform admins only).
    """
    ctx, state = _viewed(course_key, username, viewer, Action.VIEW_SCORM_ACTIVITY)
    return ctx.host.scorm_activity(ctx.course_key, state.user_id)


# Assigning


def search_users(course_key, text, *, viewer=None) -> list[UserMatch]:
    """
    Active users to pick in the assignment dialog: by name, username, email or exact employee ID
    (at least two characters; at most twenty users).
    """
    return _assigning.search_users(load_course(course_key, viewer), text)


def skip_completed_offered() -> bool:
    """
    Whether assigning offers to skip learners who already completed the course: only while the site
    does not re-assign regardless of status (``LEARNER_MGMT_ALLOW_REASSIGNMENT_REGARDLESS_OF_STATUS``).
    """
    return _assigning.skip_completed_offered()


def review_assignment(
    course_key, identifiers, *, viewer=None, required=None, due_date: datetime.date | None = None, message=""
) -> AssignmentReview:
    """
    Where each user named by email, username or employee ID stands in the course, which identifiers
    name nobody, a deactivated user or several users, and whether "skip completed" is offered. Given
    the terms ``assign_course`` would be called with, each user also shows the terms they would end up
    with and, if assigned already, their current terms and which would change.
    """
    today = timezone.localdate()
    asked = _assigning.check_terms(
        required=required, due_date=due_date, message=message, skip_completed=False, today=today
    )
    return _assigning.review(load_course(course_key, viewer), identifiers, asked, today=today)


def assign_course(
    course_key,
    identifiers,
    *,
    actor,
    required=None,
    due_date: datetime.date | None = None,
    message="",
    skip_completed=False,
) -> AssignmentResult:
    """
    Assign the course to the named users. New learners get attempt 1, an enrollment and a
    notification with ``message``; completed learners are re-assigned on a new attempt (and notified)
    unless ``skip_completed``. A due date makes the course required; an optional course with a due date
    is refused. Terms left out (``required`` None, no due date, no message) are kept for learners
    assigned already, so re-assigning never changes them silently (a passed due date is not kept on a
    new attempt, and "optional" drops a due date); a new learner gets them as given, optional unless
    said or dated.
    """
    job, _size = _assignment_job(course_key, identifiers, actor, required, due_date, message, skip_completed)
    return _run_inline(job).assignment_result


def submit_assignment(
    course_key,
    identifiers,
    *,
    actor,
    required=None,
    due_date: datetime.date | None = None,
    message="",
    skip_completed=False,
) -> JobInfo:
    """
    Like ``assign_course``, but more than ``LEARNER_MGMT_ASSIGNMENT_BACKGROUND_SIZE`` users are assigned
    by a background job: the JobInfo returned is then still pending (see ``get_assignment``).
    """
    job, size = _assignment_job(course_key, identifiers, actor, required, due_date, message, skip_completed)
    return _submit(job, size)


def _assignment_job(course_key, identifiers, actor, required, due_date, message, skip_completed):
    ctx = load_course(course_key, actor)
    asked = _assigning.check_terms(required=required, due_date=due_date, message=message, skip_completed=skip_completed)
    resolution = _assigning.resolve_identifiers(_assigning.clean_identifiers(identifiers))
    failed = [
        FailedIdentifier(identifier, _unknown_identifier_reason(identifier)) for identifier in resolution.not_found
    ]
    failed += [
        FailedIdentifier(identifier, _("This identifier names more than one user."))
        for identifier in resolution.ambiguous
    ]
    # Two identifiers naming one user (their email and their username) assign them once, as the first.
    targets = {}
    for identifier, user in resolution.users.items():
        if not user.is_active:
            failed.append(FailedIdentifier(identifier, str(_assigning.DEACTIVATED)))
        else:
            targets.setdefault(
                user.id, _assigning.Target(user=user, required=asked.required, due_date=asked.due_date, ref=identifier)
            )
    job = _jobs.create_assignment(
        ctx, list(targets.values()), failed, actor_id=_actor_id(actor), asked=asked, skip_completed=skip_completed
    )
    return job, len(targets)


def get_assignment(course_key, job_id) -> JobInfo:
    """
    An assignment of the course: its progress and, once done, its result.
    """
    return _jobs.job_info(_jobs.find(load_course(course_key), job_id, JobKind.ASSIGNMENT))


def _unknown_identifier_reason(identifier: str) -> str:
    if "@" in identifier:
        return str(_assigning.NOT_FOUND)
    return _("No user has this username or employee ID.")


def check_import_size(size: int) -> None:
    """
    Refuse (ImportRefused) an assignment file of ``size`` bytes that is over the size limit, before
    any of it is read.
    """
    _csv_file.check_size(size)


def sample_csv() -> str:
    """
    The sample CSV for bulk assignment: its headings are the ones an import must have.
    """
    return _csv_file.SAMPLE_CSV


def import_assignments(
    course_key,
    data: bytes,
    *,
    actor,
    required=None,
    due_date: datetime.date | None = None,
    message="",
    skip_completed=False,
) -> ImportResult:
    """
    Assign the course to the users a CSV file names (headings ``email,username,employee_id,due_date``;
    a row's due date overrides ``due_date``), here and now, on the terms of ``assign_course``: a row
    without a due date, imported without one, keeps a current learner's due date. A file that breaks
    a limit, is not UTF-8 or has other headings is refused whole (ImportRefused) and nothing is
    imported; otherwise every row is imported or listed in ``failures`` with its reason.
    """
    job, _size = _import_job(course_key, data, actor, required, due_date, message, skip_completed)
    return _run_inline(job).import_result


def submit_import(
    course_key,
    data: bytes,
    *,
    actor,
    required=None,
    due_date: datetime.date | None = None,
    message="",
    skip_completed=False,
) -> JobInfo:
    """
    Like ``import_assignments``, but a file of more than ``LEARNER_MGMT_IMPORT_BACKGROUND_ROWS`` rows is
    imported by a background job: the JobInfo returned is then still pending (see ``get_import``).
    """
    job, size = _import_job(course_key, data, actor, required, due_date, message, skip_completed)
    return _submit(job, size)


def _import_job(course_key, data, actor, required, due_date, message, skip_completed):
    ctx = load_course(course_key, actor)
    asked = _assigning.check_terms(required=required, due_date=due_date, message=message, skip_completed=skip_completed)
    rows = _csv_file.read_rows(data)
    job = _jobs.create_import(ctx, rows, actor_id=_actor_id(actor), asked=asked, skip_completed=skip_completed)
    return job, len(rows)


def get_import(course_key, job_id) -> JobInfo:
    """
    An import of the course: its progress and, once done, its result.
    """
    return _jobs.job_info(_jobs.find(load_course(course_key), job_id, JobKind.IMPORT))


def non_imported_file(course_key, job_id) -> tuple[str, str]:
    """
    (``Non_Imported_List_YYYY-MM-DD.csv``, its CSV text) of a finished import with failed rows;
    NotFound while there is none.
    """
    info = get_import(course_key, job_id)
    if info.import_result is None or not info.import_result.failures:
        raise NotFound(_("This import has no list of rows that were not imported."))
    return info.import_result.non_imported_filename, _csv_file.non_imported_csv(info.import_result.failures)


def non_imported_csv(result: ImportResult) -> str:
    """
    The ``Non_Imported_List_YYYY-MM-DD.csv`` of an import: row, email, username, employee_id, reason.
    """
    return _csv_file.non_imported_csv(result.failures)


# Mass actions


def run_mass_action(
    course_key,
    action,
    usernames=None,
    *,
    actor,
    selection=None,
    scope=None,
    session_id=None,
    due_date: datetime.date | None = None,
    confirm=False,
    reason="",
) -> MassActionResult:
    """
    Apply a mass action (``update_due_date`` with a due date or None to remove it, ``reset_progress``,
    ``mark_complete``, ``mark_incomplete``, ``remove`` with a scope, ``change_session`` with a
    session) to the selected learners, here and now: the ``usernames`` given, or every learner the
    list's filters in ``selection`` match (``status``, ``search``, ``required``, ``session_id``,
    ``overdue``), as they stand now. Learners the action does not apply
    to are skipped with the reason; usernames that are not learners of the course fail. ``reason``, the
    course team's, is kept in each learner's history.
    """
    options = {"scope": scope, "session_id": session_id, "due_date": due_date, "confirm": confirm, "reason": reason}
    job, _size = _mass_action_job(course_key, action, usernames, selection, actor, options)
    return _run_inline(job).mass_action_result


def submit_mass_action(
    course_key,
    action,
    usernames=None,
    *,
    actor,
    selection=None,
    scope=None,
    session_id=None,
    due_date: datetime.date | None = None,
    confirm=False,
    reason="",
) -> JobInfo:
    """
    Like ``run_mass_action``, but a selection of more than ``LEARNER_MGMT_MASS_ACTION_BACKGROUND_SIZE``
    learners is handled by a background job: the JobInfo returned is then still pending (see
    ``get_mass_action``).
    """
    options = {"scope": scope, "session_id": session_id, "due_date": due_date, "confirm": confirm, "reason": reason}
    job, size = _mass_action_job(course_key, action, usernames, selection, actor, options)
    return _submit(job, size)


def _mass_action_job(course_key, action, usernames, selection, actor, options):
    ctx = load_course(course_key, actor)
    plan = _mass.plan_mass_action(ctx, action, today=timezone.localdate(), **options)
    if (usernames is None) == (selection is None):
        raise InvalidInput("users", _("Select the learners: give their usernames or the filters that match them."))
    if usernames is not None:
        usernames = _mass.clean_usernames(usernames)
    elif not isinstance(selection, dict):
        raise InvalidInput("filter", _("Give the filters as a mapping of filter names to values."))
    else:
        usernames = _listing.usernames_matching(ctx, **selection)
    return _jobs.create_mass_action(ctx, plan, usernames, actor_id=_actor_id(actor)), len(usernames)


def get_mass_action(course_key, job_id) -> JobInfo:
    """
    A mass action of the course: its progress and, once done, its result.
    """
    return _jobs.job_info(_jobs.find(load_course(course_key), job_id, JobKind.MASS_ACTION))


# Jobs (what the background task calls)


def _submit(job, size) -> JobInfo:
    if not _jobs.runs_in_background(job, size):
        return _run_inline(job)
    from . import tasks  # pylint: disable=import-outside-toplevel  (tasks import this module)

    transaction.on_commit(lambda: tasks.enqueue(job.requested_by_id, str(job.pk)))
    return _jobs.job_info(job)


def _run_inline(job) -> JobInfo:
    try:
        _jobs.run(job.pk)
    except Exception:
        _jobs.fail(job.pk)
        raise
    job.refresh_from_db()
    return _jobs.job_info(job)


def start_job(job_id) -> int:
    """
    Prepare a job and mark it running, the first time; how many lanes (``run_job_lane``) may then
    apply it beside its own run, within ``LEARNER_MGMT_JOB_PARALLEL_CHUNKS``. Safe to call again.
    """
    return _jobs.start(job_id)


def run_job(job_id, *, on_progress=None, user_task=None, lane=None) -> JobInfo:
    """
    Apply whatever a job has not applied yet, wait for its lanes and close it; safe to call again for
    the same job at any time. ``on_progress(done)`` hears the number of chunks applied as it grows.
    With ``user_task`` (the django-user-tasks status of a background run), an import's rows not
    imported, and an export's file, are kept as that status's artifacts. ``lane`` names this run (a
    task's id, which a redelivered task keeps, to take its own claims back at once).
    """
    _jobs.run(job_id, on_progress=on_progress, lane=lane)
    if user_task is not None:
        _jobs.save_non_imported_artifact(job_id, user_task)
        _jobs.save_export_artifact(job_id, user_task)
    return job_progress(job_id)


def run_job_lane(job_id, *, lane=None) -> None:
    """
    Apply chunks of a running job beside its own run until none is left to claim (``lane`` as for
    ``run_job``).
    """
    _jobs.run(job_id, lead=False, lane=lane)


def fail_job(job_id) -> None:
    """
    Stop a job that cannot go on (what it applied stays applied and reported); its status says so
    without the error's detail, which is for the log.
    """
    _jobs.fail(job_id)


def job_progress(job_id) -> JobInfo:
    """
    A job's progress and result, found by id alone (for the background task).
    """
    return _jobs.progress(job_id)


# ILT sessions


def list_sessions(course_key) -> list[SessionInfo]:
    """
    The course's ILT sessions in start order, with seats taken.
    """
    return _sessions.list_sessions(load_course(course_key))


def get_session(course_key, session_id) -> SessionInfo:
    """
    One ILT session of the course.
    """
    return _sessions.get_session(load_course(course_key), session_id)


def create_session(course_key, **values) -> SessionInfo:
    """
    Add an ILT session: ``title``, ``start``, ``end`` (aware datetimes), optional ``location``,
    ``capacity`` (None for unlimited) and ``instructor`` (a username).
    """
    return _sessions.create_session(load_course(course_key), values)


def update_session(course_key, session_id, **values) -> SessionInfo:
    """
    Change fields of an ILT session; capacity cannot drop below the seats taken.
    """
    return _sessions.update_session(load_course(course_key), session_id, values)


def delete_session(course_key, session_id) -> None:
    """
    Delete an ILT session that has no seat records.
    """
    _sessions.delete_session(load_course(course_key), session_id)


# The learner's own view


def list_my_assignments(user) -> list[MyAssignment]:
    """
    The courses assigned to ``user``, as their My Learning page and the learner dashboard show them:
    Required first, then by due date; each with its tag, where they stand and, in ILT courses, their
    seat and the upcoming sessions they may book.
    """
    return _my_learning.my_assignments(user.pk)


def get_my_assignment(user, course_key) -> MyAssignment:
    """
    One course assigned to ``user``; NotFound unless it is.
    """
    found = _my_learning.my_assignments(user.pk, course_key=parse_course_key(course_key))
    if not found:
        raise NotFound(_("This course is not assigned to you."))
    return found[0]


def book_my_session(user, course_key, session_id) -> MyAssignment:
    """
    Book ``user`` a seat in an upcoming session of an ILT course assigned to them (in place of the one
    they hold), as their own act; NotFound for a course not assigned to them or a session it does not
    have, Conflict for a session that has started or is full, a course without sessions, or a learner
    who completed it. Returns their assignment as it now stands.
    """
    if isinstance(session_id, bool) or not isinstance(session_id, int):
        raise InvalidInput("session_id", _("Choose the session to book."))
    ctx = load_course(course_key)
    _my_learning.book_session(ctx, user.pk, session_id)
    return get_my_assignment(user, ctx.course_key)


def cancel_my_session(user, course_key) -> MyAssignment:
    """
    Cancel ``user``'s seat in a session of an ILT course assigned to them that has not started yet, as
    their own act; Conflict when they hold none. Returns their assignment as it now stands.
    """
    ctx = load_course(course_key)
    _my_learning.cancel_booking(ctx, user.pk)
    return get_my_assignment(user, ctx.course_key)


# Reminders


def send_reminders(*, today: datetime.date | None = None, course_key=None) -> ReminderRun:
    """
    Send the reminders before the due date and the overdue notices that are owed ``today`` (the
    server's date by default), in every course whose settings ask for them or in ``course_key`` only:
    to required learners who have not completed, each at most once per learner, attempt, reminder and
    due date, however often this runs. What ``send_learner_mgmt_reminders`` and the Celery beat entry
    call, once a day.
    """
    if today is not None and (not isinstance(today, datetime.date) or isinstance(today, datetime.datetime)):
        raise InvalidInput("date", _("Give the date as YYYY-MM-DD."))
    if course_key is not None:
        course_key = parse_course_key(course_key)
    return _reminders.run(today or timezone.localdate(), course_key=course_key)


# Messages and employee IDs


def send_learner_messages(kind: str, course_key, user_ids: list[int], context: dict) -> list[int]:
    """
    Send the learner message ``kind`` (see ``_messages.MESSAGE_TYPES``) about the course to each of
    the users now; return those it could not be delivered to. The plugin queues these itself, once the
    change that calls for them has committed.
    """
    return _messages.send(kind, parse_course_key(course_key), user_ids, context)


def set_employee_ids(employee_ids: dict[int, str | None]) -> int:
    """
    Record employee IDs (user id → employee ID, None to clear) in the plugin's own mapping, the
    default source of employee IDs. Returns how many were set; an ID already held by another user
    is refused and nothing is changed.
    """
    return _directory.set_employee_ids(get_host(), employee_ids)


# Retirement


def retire_learner(user_id: int) -> None:
    """
    Erase what the plugin holds about a user the LMS retired: their assignments, attempts, seats and
    history in every course, their name and employee ID, and their identifiers in job reports.
    """
    _retirement.retire(user_id)


# Host events (called by the plugin's signal handlers; hosts without openedx-events may call them)

record_progress = _inbound.record_progress
record_activity = _inbound.record_activity
record_passing = _inbound.record_passing
record_self_enrollment = _inbound.record_self_enrollment
record_self_unenrollment = _inbound.record_self_unenrollment
record_certificate = _inbound.record_certificate
