"""
Assigning a course (SPEC section 5): the review, the set-based assignment of many learners, and
the CSV import built on both.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

import attr
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from .. import rules
from ..conf import app_settings
from ..data import (
    AssignmentReview,
    AssignmentTerms,
    AttemptCloseReason,
    HistoryKind,
    ImportFailure,
    ImportResult,
    LearnerStatus,
    ReassignedRow,
    ReviewedUser,
    ReviewState,
    UserMatch,
)
from ..exceptions import InvalidInput
from ..models import Assignment, Learner, Seat
from . import _messages
from ._actions import check_due_date, close_attempts, last_assignment_id, open_first_attempts, open_next_attempts
from ._bulk import IdIn, db_date, db_datetime, insert_rows
from ._course import CourseContext, state_rows
from ._csv_file import CsvRow, non_imported_filename, parse_due_date
from ._directory import Directory, DirectoryUser, employee_ids_of, ensure_learners
from ._recording import ChangeLog

# The two reasons the seed page words exactly.
NOT_FOUND = gettext_lazy("Employee ID or Email ID not found")
DEACTIVATED = gettext_lazy("User with the given Email ID or Employee ID is deactivated.")
ALREADY_COMPLETED = gettext_lazy("Already completed the course (skipped).")


def _chunks(items, size=None):
    size = size or app_settings.CHUNK_SIZE
    for start in range(0, len(items), size):
        yield items[start : start + size]


# Users named at a time for review or assignment, which applies them in one call; more belong in a
# CSV import, which runs in the background.
MAX_USERS_AT_A_TIME = 10_000


def clean_identifiers(identifiers) -> list[str]:
    """
    The identifiers without blanks and repeats, in the order given.
    """
    if not isinstance(identifiers, (list, tuple)) or not all(isinstance(item, str) for item in identifiers):
        raise InvalidInput("users", _("Give the users as a list of emails, usernames or employee IDs."))
    cleaned = list(dict.fromkeys(item.strip() for item in identifiers if item.strip()))
    if len(cleaned) > MAX_USERS_AT_A_TIME:
        raise InvalidInput(
            "users",
            _("At most {count} users at a time; import a CSV file to assign more.").format(count=MAX_USERS_AT_A_TIME),
        )
    return cleaned


@attr.s(frozen=True, auto_attribs=True)
class Resolution:
    """
    What free-form identifiers (each an email, a username or an employee ID) name.
    """

    users: dict[str, DirectoryUser]
    not_found: list[str]
    ambiguous: list[str]


def resolve_identifiers(identifiers: list[str]) -> Resolution:
    """
    Find the user each identifier names: a fixed number of queries per chunk of identifiers.
    """
    users, not_found, ambiguous = {}, [], []
    for chunk in _chunks(identifiers):
        directory = Directory.lookup(
            emails=[item for item in chunk if "@" in item], usernames=chunk, employee_ids=chunk
        )
        for identifier in chunk:
            candidates = {user.id: user for user in directory.find_email(identifier)} if "@" in identifier else {}
            for user in (directory.by_username.get(identifier), directory.by_employee_id.get(identifier)):
                if user is not None:
                    candidates[user.id] = user
            if len(candidates) == 1:
                users[identifier] = next(iter(candidates.values()))
            elif candidates:
                ambiguous.append(identifier)
            else:
                not_found.append(identifier)
    return Resolution(users, not_found, ambiguous)


@attr.s(frozen=True, slots=True, auto_attribs=True)
class AskedTerms:
    """
    The terms an assignment asks for, as checked by ``check_terms``: ``required`` None, no due date and
    no message leave a current learner's as they are.
    """

    required: bool | None
    due_date: datetime.date | None
    message: str


def review(ctx: CourseContext, identifiers, asked: AskedTerms, *, today) -> AssignmentReview:
    """
    Where each named user stands in the course, the terms assigning them as ``asked`` would give them
    and, for those assigned already, what that changes; and who cannot be assigned.
    """
    resolution = resolve_identifiers(clean_identifiers(identifiers))
    active = {identifier: user for identifier, user in resolution.users.items() if user.is_active}
    user_ids = [user.id for user in active.values()]
    assignments = {}
    names, employee_ids = {}, {}
    for chunk in _chunks(user_ids):
        assignments.update(
            (assignment.learner_id, assignment)
            for assignment in Assignment.objects.filter(course_key=ctx.course_key, learner_id__in=chunk).select_related(
                "current_attempt"
            )
        )
        names.update(ctx.host.full_names(chunk))
        employee_ids.update(employee_ids_of(chunk))
    users = []
    for identifier, user in active.items():
        assignment = assignments.get(user.id)
        current = None
        if assignment is None or not assignment.active:
            state, status, label = ReviewState.NOT_ASSIGNED, None, None
        else:
            status = LearnerStatus(assignment.status)
            state = ReviewState.COMPLETED if status == LearnerStatus.COMPLETED else ReviewState.ASSIGNED
            label = rules.status_label(status, assignment.progress)
            current = AssignmentTerms(assignment.required, assignment.due_date, assignment.message)
        terms = (asked.required, asked.due_date, asked.message)
        new = (
            rules.first_terms(*terms)
            if current is None
            else rules.renewed_terms(current, *terms, new_attempt=state == ReviewState.COMPLETED, today=today)
        )
        users.append(
            ReviewedUser(
                identifier=identifier,
                user_id=user.id,
                username=user.username,
                email=user.email,
                name=names.get(user.id, ""),
                employee_id=employee_ids.get(user.id),
                state=state,
                status=status,
                status_label=label,
                current_terms=current,
                new_terms=new,
                changes=rules.changed_terms(current, new) if current else (),
            )
        )
    return AssignmentReview(
        skip_completed_available=skip_completed_offered(),
        users=tuple(users),
        not_found=tuple(resolution.not_found),
        deactivated=tuple(identifier for identifier, user in resolution.users.items() if not user.is_active),
        ambiguous=tuple(resolution.ambiguous),
    )


SEARCH_MIN_LENGTH = 2
SEARCH_LIMIT = 20


def search_users(ctx: CourseContext, text) -> list[UserMatch]:
    """
    Active users to pick for an assignment: by name, username or email (from the host), or by exact
    employee ID, at most ``SEARCH_LIMIT``.
    """
    if not isinstance(text, str) or len(text.strip()) < SEARCH_MIN_LENGTH:
        raise InvalidInput(
            "search", _("Type at least {count} characters to search for users.").format(count=SEARCH_MIN_LENGTH)
        )
    text = text.strip()
    by_employee_id = Directory.lookup(employee_ids=[text]).by_employee_id.get(text)
    user_ids = ([by_employee_id.id] if by_employee_id and by_employee_id.is_active else []) + [
        user_id
        for user_id in ctx.host.search_users(text, SEARCH_LIMIT)
        if not by_employee_id or user_id != by_employee_id.id
    ]
    user_ids = user_ids[:SEARCH_LIMIT]
    users = {user.id: user for user in Directory.by_ids(user_ids)}
    names, employee_ids = ctx.host.full_names(user_ids), employee_ids_of(user_ids)
    return [
        UserMatch(
            user_id=user_id,
            username=users[user_id].username,
            email=users[user_id].email,
            name=names.get(user_id, ""),
            employee_id=employee_ids.get(user_id),
        )
        for user_id in user_ids
        if user_id in users
    ]


def skip_completed_offered() -> bool:
    """
    Whether "skip users who already completed" is offered: not when the site re-assigns regardless.
    """
    return not app_settings.ALLOW_REASSIGNMENT_REGARDLESS_OF_STATUS


def check_terms(*, required, due_date, message, skip_completed, today=None) -> AskedTerms:
    """
    Validate the terms of an assignment (a due date from ``today``, the local date by default):
    ``required`` is True with a due date (a due date implies required), else as given, None if left out
    (a learner already assigned keeps what they had, a new one is optional); the message is stripped.
    """
    today = today or timezone.localdate()
    if required not in (None, True, False):
        raise InvalidInput("required", _("Say whether the course is required with true or false."))
    if not isinstance(message, str):
        raise InvalidInput("message", _("The message must be text."))
    check_due_date(due_date, today)
    if required is False and due_date is not None:
        raise InvalidInput(
            "required", _("An optional course cannot have a due date; make it required or remove the date.")
        )
    if skip_completed and not skip_completed_offered():
        raise InvalidInput(
            "skip_completed",
            _("This site re-assigns courses regardless of status, so completed learners cannot be skipped."),
        )
    return AskedTerms(required=True if due_date is not None else required, due_date=due_date, message=message.strip())


@attr.s(frozen=True, slots=True, auto_attribs=True)
class Target:
    """
    A user to assign the course to, with the terms asked for them (``required`` None and no due date
    leave a current learner's as they are); ``ref`` is the caller's handle on them.
    """

    user: DirectoryUser
    required: bool | None
    due_date: datetime.date | None
    ref: object


@attr.s(auto_attribs=True)
class Outcome:
    """
    What assigning did to each target.
    """

    assigned: list[Target] = attr.Factory(list)
    updated: list[Target] = attr.Factory(list)
    reassigned: list[Target] = attr.Factory(list)
    skipped: list[Target] = attr.Factory(list)
    # Targets the LMS would not enroll, with its reason.
    refused: list[tuple[Target, str]] = attr.Factory(list)
    # The terms the assigned, updated and re-assigned end up with, by user id.
    terms: dict[int, AssignmentTerms] = attr.Factory(dict)

    def extend(self, other: Outcome) -> None:
        for field in attr.fields(Outcome):
            if field.name == "terms":
                self.terms.update(other.terms)
            else:
                getattr(self, field.name).extend(getattr(other, field.name))


def assign_targets(ctx: CourseContext, targets: list[Target], *, actor_id, message, skip_completed, now) -> Outcome:
    """
    Assign the course to every target (distinct users), each chunk in its own transaction with a
    fixed number of queries: new learners get attempt 1 and an enrollment, current learners the new
    terms, completed learners a new attempt unless skipped. The assigned are notified after commit.
    """
    outcome = Outcome()
    for chunk in _chunks(targets):
        with transaction.atomic():
            log = ChangeLog(ctx.course_key, actor_id)
            chunk_outcome = _assign_chunk(
                ctx, chunk, actor_id=actor_id, message=message, skip_completed=skip_completed, now=now, log=log
            )
            log.save()
            _notify(ctx, chunk_outcome)
        outcome.extend(chunk_outcome)
    return outcome


def _assign_chunk(ctx: CourseContext, targets, *, actor_id, message, skip_completed, now, log) -> Outcome:
    user_ids = [target.user.id for target in targets]
    # The learners' directory entries are the lock, taken before anything else: two assigns of the
    # same learners (a file imported twice at once) then take turns, and the second finds the first's
    # assignments, which cannot be locked before they exist. Entries not there yet are created in
    # order by ensure_learners, where the second waits for the first's insert in the same way.
    list(Learner.objects.filter(IdIn("pk", user_ids)).order_by("pk").select_for_update().values_list("pk", flat=True))
    names = ensure_learners(ctx.host, user_ids)
    locked = (
        Assignment.objects.select_for_update()
        .filter(IdIn("learner_id", user_ids), course_key=ctx.course_key)
        .order_by("pk")
    )
    locked_ids = list(locked.values_list("pk", flat=True))
    existing, current_terms = {}, {}
    for state, row in state_rows(ctx, Assignment.objects.filter(IdIn("pk", locked_ids)), ("required", "message")):
        existing[state.user_id] = state
        current_terms[state.user_id] = AssignmentTerms(row["required"], state.due_date, row["message"])
    outcome = Outcome()
    for target in targets:
        state = existing.get(target.user.id)
        if state is None or not state.active:
            outcome.assigned.append(target)
        elif state.attempt.completed_at is None:
            outcome.updated.append(target)
        elif skip_completed:
            outcome.skipped.append(target)
        else:
            outcome.reassigned.append(target)

    # Enroll first: whoever the LMS refuses is left out of everything else.
    refused = (
        ctx.host.enroll(
            ctx.course_key, [target.user.id for target in outcome.assigned], ctx.enrollment_mode, actor_id=actor_id
        )
        if outcome.assigned
        else {}
    )
    outcome.refused = [(target, refused[target.user.id]) for target in outcome.assigned if target.user.id in refused]
    outcome.assigned = [target for target in outcome.assigned if target.user.id not in refused]
    reactivated = [target for target in outcome.assigned if target.user.id in existing]
    agreed = _agreed_terms(outcome, current_terms, message, timezone.localdate(now))

    # Every assignment this writes starts on a fresh attempt (or keeps its own): new and renewed ones
    # are in the status the rules give a fresh attempt without a seat.
    fresh = rules.derive_status(
        rules.StatusFacts(completed=False, started=False, progress=0, ilt=ctx.is_ilt, seated=False),
        app_settings.MEANINGFUL_PROGRESS_THRESHOLD,
    )

    def terms(target):
        given = agreed[target.user.id]
        return {
            "required": given.required,
            "due_date": given.due_date,
            "message": given.message,
            "assigned_by_id": actor_id,
            "assigned_at": now,
            "active": True,
            "self_enrolled": False,
        }

    new = [target for target in outcome.assigned if target.user.id not in existing]
    course_key, db_now = str(ctx.course_key), db_datetime(now)
    after_id = last_assignment_id() if new else 0
    insert_rows(
        Assignment,
        (
            "learner",
            "course_key",
            "required",
            "due_date",
            "message",
            "assigned_by",
            "assigned_at",
            "active",
            "status",
            "progress",
            "learner_name",
        ),
        [
            (
                target.user.id,
                course_key,
                agreed[target.user.id].required,
                db_date(agreed[target.user.id].due_date),
                agreed[target.user.id].message,
                actor_id,
                db_now,
                True,
                fresh.value,
                0,
                names.get(target.user.id, ""),
            )
            for target in new
        ],
    )
    if new:
        open_first_attempts(ctx.course_key, after_id)

    renewed = reactivated + outcome.reassigned
    reassigned_states = [existing[target.user.id] for target in outcome.reassigned]
    close_attempts(ctx, reassigned_states, AttemptCloseReason.REASSIGNED, now)
    released = [state.seat.pk for state in reassigned_states if state.seat]
    if released:
        Seat.objects.filter(IdIn("pk", released)).update(current=None, state_changed_at=now)
    next_numbers = {
        existing[target.user.id].assignment_id: existing[target.user.id].attempt.number + 1 for target in renewed
    }
    open_next_attempts(next_numbers)

    changed = [Assignment(pk=existing[target.user.id].assignment_id, **terms(target)) for target in outcome.updated]
    Assignment.objects.bulk_update(changed, _TERM_COLUMNS, batch_size=1000)
    renewed_now = [
        Assignment(pk=existing[target.user.id].assignment_id, status=fresh.value, progress=0, **terms(target))
        for target in renewed
    ]
    Assignment.objects.bulk_update(renewed_now, [*_TERM_COLUMNS, "status", "progress"], batch_size=1000)

    if outcome.reassigned:
        ctx.host.clear_learner_state(
            ctx.course_key, [target.user.id for target in outcome.reassigned], actor_id=actor_id
        )

    def attempt_number(target):
        state = existing.get(target.user.id)
        if state is None:
            return 1
        return next_numbers.get(state.assignment_id) or state.attempt.number

    for kind, group in (
        (HistoryKind.ASSIGNED, outcome.assigned),
        (HistoryKind.REASSIGNED, outcome.reassigned),
        (HistoryKind.ASSIGNMENT_UPDATED, outcome.updated),
    ):
        for target in group:
            given = agreed[target.user.id]
            details = {"required": given.required, "due_date": _iso(given.due_date)}
            if kind != HistoryKind.ASSIGNED:
                previous = current_terms[target.user.id]
                details["previous"] = {
                    "required": previous.required,
                    "due_date": _iso(previous.due_date),
                    "message": previous.message,
                }
            log.record(target.user.id, kind, attempt_number(target), details, reason=given.message)
    outcome.terms = agreed
    return outcome


_TERM_COLUMNS = ["required", "due_date", "message", "assigned_by_id", "assigned_at", "active", "self_enrolled"]


def _iso(date: datetime.date | None) -> str | None:
    return date.isoformat() if date else None


def _agreed_terms(outcome: Outcome, current: dict[int, AssignmentTerms], message, today) -> dict[int, AssignmentTerms]:
    """
    The terms each assigned, updated and re-assigned target ends up with, by user id: a learner not
    assigned before gets the terms as asked; a current one keeps what the assignment leaves out.
    """
    agreed = {
        target.user.id: rules.first_terms(target.required, target.due_date, message) for target in outcome.assigned
    }
    for group, new_attempt in ((outcome.updated, False), (outcome.reassigned, True)):
        for target in group:
            agreed[target.user.id] = rules.renewed_terms(
                current[target.user.id],
                target.required,
                target.due_date,
                message,
                new_attempt=new_attempt,
                today=today,
            )
    return agreed


def _notify(ctx: CourseContext, outcome: Outcome) -> None:
    """
    Once the assignment commits, tell the newly assigned and re-assigned learners: one message task per
    distinct set of terms.
    """
    by_terms = defaultdict(list)
    for target in outcome.assigned + outcome.reassigned:
        by_terms[outcome.terms[target.user.id]].append(target.user.id)
    for terms, user_ids in by_terms.items():
        context = {
            "course_title": ctx.outline.title,
            "required": terms.required,
            "due_date": _iso(terms.due_date),
            "message": terms.message,
        }
        _messages.queue("course_assigned", ctx.course_key, user_ids, context)


# CSV import


def _import_failure(row: CsvRow, reason: str) -> ImportFailure:
    return ImportFailure(
        row=row.line, email=row.email, username=row.username, employee_id=row.employee_id, reason=reason
    )


def _resolve_row(row: CsvRow, directory: Directory):
    """
    The user a row names, or the reason it names none (or several).
    """
    found = []
    if row.email:
        matches = directory.find_email(row.email)
        if not matches:
            return None, str(NOT_FOUND)
        if len(matches) > 1:
            return None, _("More than one user has this Email ID.")
        found.append(matches[0])
    if row.employee_id:
        user = directory.by_employee_id.get(row.employee_id)
        if user is None:
            return None, str(NOT_FOUND)
        found.append(user)
    if row.username:
        user = directory.by_username.get(row.username)
        if user is None:
            return None, _("Username not found")
        found.append(user)
    if len({user.id for user in found}) > 1:
        return None, _("The email, username and employee ID of this row belong to different users.")
    if not found[0].is_active:
        return None, str(DEACTIVATED)
    return found[0], None


@attr.s(auto_attribs=True)
class ImportChunkOutcome:
    """
    What importing one chunk of rows did: counts of the three ways a row is imported, the rows not
    imported, and the rows re-assigned on a new attempt.
    """

    assigned: int
    updated: int
    reassigned: int
    failures: list[ImportFailure]
    reassigned_rows: list[ReassignedRow] = attr.Factory(list)


def _screen_rows(rows: list[CsvRow], today):
    """
    (failures of the rows that cannot name anyone, [(row, its due date)] of the others, with a
    directory of the users they name): one lookup for all of them.
    """
    failures: list[ImportFailure] = []
    readable = []
    for row in rows:
        row_due_date, date_problem = parse_due_date(row.due_date, today)
        # Every fault of the row, so that fixing one does not reveal another on the next import.
        problems = [
            row.problem,
            None
            if (row.email or row.username or row.employee_id)
            else _("The row has no email, username or employee ID."),
            date_problem,
        ]
        problem = " ".join(str(problem) for problem in problems if problem)
        if problem:
            failures.append(_import_failure(row, problem))
        else:
            readable.append((row, row_due_date))
    directory = Directory.lookup(
        emails=[row.email for row, _due in readable if row.email],
        usernames=[row.username for row, _due in readable if row.username],
        employee_ids=[row.employee_id for row, _due in readable if row.employee_id],
    )
    return failures, readable, directory


def mark_duplicates(rows: list[CsvRow], today, first_row_of: dict[int, int]) -> list[CsvRow]:
    """
    The rows of a file with each row that names the same user as an earlier importable row made a
    failure, "Duplicate of row N." (``first_row_of`` maps the users already named, by user id, to their
    line, and is kept up to date). Once its rows are marked, the chunks of an import can be applied in
    any order and at the same time, and report what applying them one after another would. A fixed
    number of queries per chunk of rows.
    """
    marked = []
    for batch in _chunks(rows):
        _failures, readable, directory = _screen_rows(batch, today)
        duplicate_of = {}
        for row, _due in readable:
            user, problem = _resolve_row(row, directory)
            if problem is None:
                duplicate_of[row.line] = first_row_of.setdefault(user.id, row.line)
        marked += [
            attr.evolve(row, problem=_("Duplicate of row {line}.").format(line=duplicate_of[row.line]))
            if duplicate_of.get(row.line, row.line) != row.line
            else row
            for row in batch
        ]
    return marked


def import_targets(rows: list[CsvRow], *, asked: AskedTerms, today) -> tuple[list[ImportFailure], list[Target]]:
    """
    The rows' failures, and a target for each other row: the user it names on its terms (the row's
    own due date first, which makes the assignment required). Reads only, a fixed number of queries.
    """
    failures, readable, directory = _screen_rows(rows, today)
    targets = []
    for row, row_due_date in readable:
        user, problem = _resolve_row(row, directory)
        if problem:
            failures.append(_import_failure(row, problem))
            continue
        row_due_date = row_due_date or asked.due_date
        row_required = True if row_due_date is not None else asked.required
        targets.append(Target(user=user, required=row_required, due_date=row_due_date, ref=row))
    return failures, targets


def not_assigned(ctx: CourseContext, user_ids: list[int]) -> list[int]:
    """
    The users, in order, who have no active assignment in the course: those assigning would enroll.
    """
    assigned = set(
        Assignment.objects.filter(IdIn("learner_id", user_ids), course_key=ctx.course_key, active=True).values_list(
            "learner_id", flat=True
        )
    )
    return [user_id for user_id in user_ids if user_id not in assigned]


def import_chunk(
    ctx: CourseContext,
    failures: list[ImportFailure],
    targets: list[Target],
    *,
    actor_id,
    message,
    skip_completed: bool,
    now,
) -> ImportChunkOutcome:
    """
    Assign the course to the targets of a chunk of rows (``import_targets``: ``failures`` are its other
    rows), in the caller's transaction, with a fixed number of queries. The rows have been through
    ``mark_duplicates``, so no two of them, in this chunk or any other, name the same user. Every row
    ends up imported or in the failures.
    """
    failures = list(failures)
    outcome = Outcome()
    if targets:
        log = ChangeLog(ctx.course_key, actor_id)
        outcome = _assign_chunk(
            ctx,
            targets,
            actor_id=actor_id,
            message=message,
            skip_completed=skip_completed,
            now=now,
            log=log,
        )
        log.save()
        _notify(ctx, outcome)
    failures += [_import_failure(target.ref, str(ALREADY_COMPLETED)) for target in outcome.skipped]
    failures += [_import_failure(target.ref, reason) for target, reason in outcome.refused]
    return ImportChunkOutcome(
        assigned=len(outcome.assigned),
        updated=len(outcome.updated),
        reassigned=len(outcome.reassigned),
        failures=failures,
        reassigned_rows=[
            ReassignedRow(
                row=target.ref.line,
                identifier=target.ref.email or target.ref.username or target.ref.employee_id,
                username=target.user.username,
            )
            for target in outcome.reassigned
        ],
    )


def import_result(outcomes: list[ImportChunkOutcome], submitted_on) -> ImportResult:
    """
    The result of an import from the outcomes of all its chunks.
    """
    failures = sorted((failure for outcome in outcomes for failure in outcome.failures), key=lambda f: f.row)
    assigned, updated, reassigned = (
        sum(getattr(outcome, name) for outcome in outcomes) for name in ("assigned", "updated", "reassigned")
    )
    imported = assigned + updated + reassigned
    reassigned_rows = sorted((row for outcome in outcomes for row in outcome.reassigned_rows), key=lambda r: r.row)
    return ImportResult(
        imported=imported,
        assigned=assigned,
        updated=updated,
        reassigned=reassigned,
        reassigned_rows=tuple(reassigned_rows),
        failures=tuple(failures),
        message=_import_message(imported, len(failures)),
        show_failures_inline=0 < len(failures) < app_settings.IMPORT_INLINE_FAILURES_BELOW,
        non_imported_filename=non_imported_filename(submitted_on) if failures else None,
    )


def _import_message(imported: int, failed: int) -> str:
    if not failed:
        return ngettext(
            "Import process completed and {count} user imported successfully.",
            "Import process completed and {count} users imported successfully.",
            imported,
        ).format(count=imported)
    # The seed's tone: what was imported first, then what was not.
    return _("Import process completed and {imported} imported successfully. {failed} could not be imported.").format(
        imported=ngettext("{count} user", "{count} users", imported).format(count=imported),
        failed=ngettext("{count} user", "{count} users", failed).format(count=failed),
    )
