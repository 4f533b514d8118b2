"""
Jobs: CSV imports, mass actions, assignments and exports, applied chunk by chunk, inline or by Celery
workers.

Submitting a job validates it whole and stores its input split into chunks. Running it first
prepares it, once (an import's rows naming a user an earlier row named are marked as duplicates), so
that its chunks no longer depend on one another. Then any number of runs ("lanes") of the same job
claim chunks and apply them. A lane claims a chunk that has no result yet and no live claim of
another lane: a committed claim, renewed as it works and expiring when it stops being renewed.
Under it, the learners an import or an assignment enrolls are enrolled first, each in a transaction
of the LMS's own as the instructor dashboard enrolls, so that the LMS's locks (the course's forum
role, the enrollment rows) are held for one learner rather than for the chunk, which would make
concurrent chunks wait on each other. Then the chunk is applied in one transaction with the write of
its result, which locks the chunk and gives up if it is done: whatever lanes overlap (a lane retried,
redelivered, started twice, killed mid-chunk, or outliving its claim), every chunk is applied exactly
once and none is lost. Enrolling ahead is idempotent (active enrollments are left alone), and the
chunk's own transaction enrolls whoever is still not enrolled, so a lane killed in between leaves
learners enrolled whose assignment the next lane writes. A lane's name is its Celery task's id,
which a redelivered task keeps: it takes its own claim back at once; a claim whose lane is gone for
good expires. The lane that started the job waits for the others' last chunks and closes it. The
result is read back from the chunks in order: the same however many lanes ran.
"""

from __future__ import annotations

import contextlib
import datetime
import logging
import tempfile
import time
import uuid
from collections.abc import Callable
from enum import Enum

import attr
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile, File
from django.db import DatabaseError, transaction
from django.db.models import Q
from django.utils import timezone
from user_tasks.models import UserTaskArtifact

from ..conf import app_settings
from ..data import (
    XLSX_MEDIA_TYPE,
    AssignmentResult,
    ExportFormat,
    FailedIdentifier,
    ImportFailure,
    JobInfo,
    JobKind,
    JobState,
    MassAction,
    MassActionResult,
    ReassignedRow,
    SkippedLearner,
)
from ..exceptions import NotFound
from ..models import BulkJob, BulkJobChunk
from ..signals import signals
from . import _assigning, _csv_file, _exporting, _listing, _mass
from ._course import CourseContext, load_course
from ._directory import Directory
from ._echo import changing
from ._recording import ChangeLog


def _split(items, size):
    return [items[start : start + size] for start in range(0, len(items), size)]


def _create(ctx: CourseContext, kind: JobKind, items, *, actor_id, params) -> BulkJob:
    chunks = _split(items, app_settings.CHUNK_SIZE)
    job = BulkJob.objects.create(
        kind=kind.value, course_key=ctx.course_key, requested_by_id=actor_id, params=params, total_steps=len(chunks)
    )
    BulkJobChunk.objects.bulk_create(
        [BulkJobChunk(job=job, index=index, items=chunk) for index, chunk in enumerate(chunks)]
    )
    return job


def _terms_params(asked: _assigning.AskedTerms, skip_completed: bool) -> dict:
    """
    The terms of an import or an assignment as its job keeps them (JSON).
    """
    return {
        "required": asked.required,
        "due_date": asked.due_date.isoformat() if asked.due_date else None,
        "message": asked.message,
        "skip_completed": skip_completed,
    }


def _asked_terms(params: dict) -> _assigning.AskedTerms:
    due_date = datetime.date.fromisoformat(params["due_date"]) if params["due_date"] else None
    return _assigning.AskedTerms(required=params["required"], due_date=due_date, message=params["message"])


def create_import(ctx: CourseContext, rows, *, actor_id, asked: _assigning.AskedTerms, skip_completed) -> BulkJob:
    """
    A job importing the rows of an assignment file with the dialog's terms.
    """
    items = [list(attr.astuple(row, recurse=False)) for row in rows]
    return _create(ctx, JobKind.IMPORT, items, actor_id=actor_id, params=_terms_params(asked, skip_completed))


def create_mass_action(ctx: CourseContext, plan: _mass.MassPlan, usernames, *, actor_id) -> BulkJob:
    """
    A job applying a mass action to the selected learners, in the order given.
    """
    params = {
        "action": plan.action.value,
        "reason": plan.reason,
        **{name: _jsonable(value) for name, value in plan.params.items()},
    }
    return _create(ctx, JobKind.MASS_ACTION, usernames, actor_id=actor_id, params=params)


def create_export(ctx: CourseContext, assignment_ids, *, actor_id, file_format) -> BulkJob:
    """
    A job exporting the learner list: each chunk renders its learners' rows, in the order given; the
    file is written from them once all are done (``save_export_artifact``).
    """
    return _create(ctx, JobKind.EXPORT, assignment_ids, actor_id=actor_id, params={"format": file_format.value})


def create_assignment(
    ctx: CourseContext, targets, failed, *, actor_id, asked: _assigning.AskedTerms, skip_completed
) -> BulkJob:
    """
    A job assigning the course to ``targets`` (``Target``s of distinct users, in the order named) on
    the dialog's terms; ``failed`` are the identifiers that named nobody it could assign, with why.
    """
    params = _terms_params(asked, skip_completed) | {
        "failed": [[failure.identifier, failure.reason] for failure in failed],
    }
    items = [[target.ref, target.user.id] for target in targets]
    return _create(ctx, JobKind.ASSIGNMENT, items, actor_id=actor_id, params=params)


# Preparing a job, then applying a chunk of it.


def _prepare_import(job: BulkJob) -> None:
    """
    Mark the rows of the chunks not applied yet that duplicate an earlier row of the file.
    """
    chunks = list(job.chunks.filter(done_at__isnull=True).order_by("index"))
    # A job begun by a release before the fan-out keeps the users of its applied chunks in their results.
    first_row_of = {
        int(user_id): line
        for result in job.chunks.filter(done_at__isnull=False).values_list("result", flat=True)
        for user_id, line in result.get("first_rows", {}).items()
    }
    rows = [_csv_file.CsvRow(*item) for chunk in chunks for item in chunk.items]
    marked = iter(_assigning.mark_duplicates(rows, timezone.localdate(job.created), first_row_of))
    for chunk in chunks:
        chunk.items = [list(attr.astuple(next(marked))) for _item in chunk.items]
    BulkJobChunk.objects.bulk_update(chunks, ["items"])


@attr.s(frozen=True, auto_attribs=True)
class Resolved:
    """
    A chunk as its job reads it ahead of applying it: its items and, for a job that assigns, the
    learners it would assign and the rest (failed) with why.
    """

    items: list
    targets: list[_assigning.Target] = attr.Factory(list)
    failed: list = attr.Factory(list)


def _resolve_import(job: BulkJob, items) -> Resolved:
    rows = [_csv_file.CsvRow(*item) for item in items]
    failures, targets = _assigning.import_targets(
        rows, asked=_asked_terms(job.params), today=timezone.localdate(job.created)
    )
    return Resolved(items=items, targets=targets, failed=failures)


def _resolve_assignment(job: BulkJob, items) -> Resolved:
    asked = _asked_terms(job.params)
    # Read again: a user deactivated since the assignment was asked for is not enrolled.
    users = {user.id: user for user in Directory.by_ids([user_id for _ref, user_id in items])}
    targets, failed = [], []
    for ref, user_id in items:
        user = users.get(user_id)
        if user is None or not user.is_active:
            failed.append([ref, str(_assigning.NOT_FOUND if user is None else _assigning.DEACTIVATED)])
        else:
            targets.append(_assigning.Target(user=user, required=asked.required, due_date=asked.due_date, ref=ref))
    return Resolved(items=items, targets=targets, failed=failed)


def _apply_import_chunk(ctx: CourseContext, job: BulkJob, chunk: Resolved, now) -> dict:
    outcome = _assigning.import_chunk(
        ctx,
        chunk.failed,
        chunk.targets,
        actor_id=job.requested_by_id,
        message=job.params["message"],
        skip_completed=job.params["skip_completed"],
        now=now,
    )
    return {
        "assigned": outcome.assigned,
        "updated": outcome.updated,
        "reassigned": outcome.reassigned,
        "failures": [list(attr.astuple(failure)) for failure in outcome.failures],
        "reassigned_rows": [list(attr.astuple(row)) for row in outcome.reassigned_rows],
    }


def _apply_mass_action_chunk(ctx: CourseContext, job: BulkJob, chunk: Resolved, now) -> dict:
    plan = _mass_plan(ctx, job)
    done, skipped, failed = _mass.apply_chunk(ctx, plan, chunk.items, actor_id=job.requested_by_id, now=now)
    return {
        "done": [username for username, _name in done],
        "done_names": [name for _username, name in done],
        "skipped": [[skip.username, skip.reason, skip.name] for skip in skipped],
        "failed": [[fail.username, fail.reason] for fail in failed],
    }


def _apply_assignment_chunk(ctx: CourseContext, job: BulkJob, chunk: Resolved, now) -> dict:
    outcome = _assigning.assign_targets(
        ctx,
        chunk.targets,
        actor_id=job.requested_by_id,
        message=job.params["message"],
        skip_completed=job.params["skip_completed"],
        now=now,
    )
    return {
        "assigned": [target.user.username for target in outcome.assigned],
        "updated": [target.user.username for target in outcome.updated],
        "reassigned": [target.user.username for target in outcome.reassigned],
        "skipped": [target.user.username for target in outcome.skipped],
        "failed": chunk.failed + [[target.ref, reason] for target, reason in outcome.refused],
    }


def _apply_export_chunk(ctx: CourseContext, job: BulkJob, chunk: Resolved, now) -> dict:
    # A learner who left the list since the job was submitted is left out.
    rows = dict(_listing.rows_for(ctx, Q(pk__in=chunk.items)))
    return {"rows": [list(_exporting.learner_cells(rows[pk])) for pk in chunk.items if pk in rows]}


def _jsonable(value):
    if isinstance(value, Enum):
        return value.value
    return value.isoformat() if isinstance(value, datetime.date) else value


def _mass_plan(ctx: CourseContext, job: BulkJob) -> _mass.MassPlan:
    params = dict(job.params)
    if params.get("due_date"):
        params["due_date"] = datetime.date.fromisoformat(params["due_date"])
    # Checked as of the day it was asked for: a job that runs past midnight keeps today's due date.
    today = timezone.localdate(job.created)
    return _mass.plan_mass_action(ctx, params.pop("action"), confirm=True, today=today, **params)


@attr.s(frozen=True, auto_attribs=True)
class _Kind:
    """
    How a kind of job is run.
    """

    # Once, before any chunk (or None).
    prepare: Callable[[BulkJob], None] | None
    # What applying a chunk needs, read ahead of its transaction: for a job that assigns, the learners
    # it assigns, who are enrolled ahead of it.
    resolve: Callable[[BulkJob, list], Resolved]
    # In the chunk's transaction: what it did, as its result.
    apply: Callable[[CourseContext, BulkJob, Resolved, datetime.datetime], dict]


def _as_items(job: BulkJob, items) -> Resolved:
    return Resolved(items=items)


_KINDS = {
    JobKind.IMPORT: _Kind(_prepare_import, _resolve_import, _apply_import_chunk),
    JobKind.MASS_ACTION: _Kind(None, _as_items, _apply_mass_action_chunk),
    JobKind.ASSIGNMENT: _Kind(None, _resolve_assignment, _apply_assignment_chunk),
    JobKind.EXPORT: _Kind(None, _as_items, _apply_export_chunk),
}

# How often the lead lane looks whether the other lanes' last chunks are done.
WAIT_SECONDS = 0.2
# How long a claim on a chunk holds unless its lane renews it, which it does after each slice of
# enrollments: far longer than a slice takes, so that only a lane gone for good loses its chunk.
CLAIM_SECONDS = 120
# Learners enrolled ahead between two renewals of the claim.
ENROLL_AHEAD_SLICE = 500

log = logging.getLogger(__name__)


def start(job_id) -> int:
    """
    Prepare the job unless it is prepared, and mark it running; how many lanes besides the caller's
    may apply it, the first time it starts (none after: the lanes started then are still at work, or
    their tasks will be redelivered).
    """
    with transaction.atomic():
        job = BulkJob.objects.select_for_update().get(pk=job_id)
        if job.state != JobState.PENDING:
            return 0
        prepare = _KINDS[JobKind(job.kind)].prepare
        if prepare is not None:
            prepare(job)
        job.state = JobState.RUNNING
        job.save(update_fields=["state"])
    return max(0, min(app_settings.JOB_PARALLEL_CHUNKS, job.total_steps) - 1)


def run(job_id, *, lead=True, on_progress=None, lane=None) -> None:
    """
    Claim and apply the chunks of the job that no lane has applied or holds. The lead lane (the job's
    own run) then waits for the other lanes' chunks and closes the job, announcing it; another lane
    stops when nothing is left to claim. ``lane`` names the run (its task's id, kept when the task is
    delivered again; a name of its own if None). ``on_progress(done)`` is called with the number of
    chunks applied, by any lane, whenever it grows.
    """
    start(job_id)
    job = BulkJob.objects.get(pk=job_id)
    if job.state != JobState.RUNNING:
        return
    actor = get_user_model().objects.filter(pk=job.requested_by_id).first()
    ctx = load_course(job.course_key, actor, must_exist=False)
    lane = lane or uuid.uuid4().hex
    undone = BulkJobChunk.objects.filter(job=job, done_at__isnull=True)
    reported = None
    with changing(ctx.course_key):
        while True:
            chunk = _claim(job, lane)
            if chunk is not None:
                try:
                    resolved = _KINDS[JobKind(job.kind)].resolve(job, chunk.items)
                    _enroll_ahead(ctx, job, chunk.pk, resolved, lane)
                    _apply(ctx, job, chunk.pk, resolved)
                except BaseException:
                    # A lane that fails is not gone: whoever runs the job next need not wait for its
                    # claim (unless the database is what failed: then the claim expires).
                    with contextlib.suppress(DatabaseError):
                        BulkJobChunk.objects.filter(pk=chunk.pk, claimed_by=lane).update(claimed_until=None)
                    raise
            done = job.total_steps - undone.count()
            if on_progress is not None and done != reported:
                on_progress(done)
                reported = done
            if chunk is None and (done == job.total_steps or not lead):
                break
            if chunk is None:
                time.sleep(WAIT_SECONDS)  # the rest is held by other lanes
    if lead:
        _finish(ctx, job)


def _claim(job: BulkJob, lane: str) -> BulkJobChunk | None:
    """
    The first chunk not done that no other lane holds a live claim on, claimed for ``lane`` (committed).
    """
    now = timezone.now()
    with transaction.atomic():
        chunk = (
            BulkJobChunk.objects.filter(job=job, done_at__isnull=True)
            .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now) | Q(claimed_by=lane))
            .select_for_update(skip_locked=True)
            .order_by("index")
            .only("pk", "items")
            .first()
        )
        if chunk is not None:
            BulkJobChunk.objects.filter(pk=chunk.pk).update(
                claimed_by=lane, claimed_until=now + datetime.timedelta(seconds=CLAIM_SECONDS)
            )
    return chunk


def _renew_claim(chunk_id, lane: str) -> bool:
    """
    Extend the lane's claim on the chunk; False if the chunk is done or another lane has claimed it.
    """
    until = timezone.now() + datetime.timedelta(seconds=CLAIM_SECONDS)
    return bool(
        BulkJobChunk.objects.filter(pk=chunk_id, claimed_by=lane, done_at__isnull=True).update(claimed_until=until)
    )


def _enroll_ahead(ctx: CourseContext, job: BulkJob, chunk_id, chunk: Resolved, lane: str) -> None:
    """
    Enroll the learners the chunk assigns who have no active assignment, a slice at a time, outside any
    transaction of the plugin's: each enrollment commits in the LMS's own. Whoever this leaves out (the
    LMS refused them, or a database error stopped it) the chunk's transaction enrolls or reports as it
    always has.
    """
    user_ids = _assigning.not_assigned(ctx, [target.user.id for target in chunk.targets]) if chunk.targets else []
    for some in _split(user_ids, ENROLL_AHEAD_SLICE):
        if not _renew_claim(chunk_id, lane):
            return  # another lane took the chunk over: it enrolls the rest
        try:
            ctx.host.enroll(ctx.course_key, some, ctx.enrollment_mode, actor_id=job.requested_by_id)
        except DatabaseError:
            # Two jobs enrolling the same learner at once, a deadlock: the chunk's transaction, which
            # takes the learners' locks first, enrolls them instead.
            log.warning("Learner management job %s left enrolling ahead to its chunk", job.pk, exc_info=True)
            return


def _apply(ctx: CourseContext, job: BulkJob, chunk_id, chunk: Resolved) -> None:
    """
    Apply the chunk and write its result in one transaction, unless another lane has done it.
    """
    with transaction.atomic():
        if not BulkJobChunk.objects.select_for_update().filter(pk=chunk_id, done_at__isnull=True).values_list("pk"):
            return
        now = timezone.now()
        result = _KINDS[JobKind(job.kind)].apply(ctx, job, chunk, now)
        # The input is spent: keep no more personal data than the result needs.
        BulkJobChunk.objects.filter(pk=chunk_id).update(result=result, done_at=now, items=[], claimed_until=None)


def _finish(ctx: CourseContext, job: BulkJob) -> None:
    with transaction.atomic():
        finished = BulkJob.objects.filter(pk=job.pk, state=JobState.RUNNING).update(
            state=JobState.SUCCEEDED, finished_at=timezone.now()
        )
        if not finished:
            return  # another run finished it and announced it
        if job.kind in (JobKind.ASSIGNMENT, JobKind.EXPORT):
            return  # an assignment is announced learner by learner (ASSIGNED); an export changes nothing
        job.refresh_from_db()
        info = job_info(job)
        log = ChangeLog(ctx.course_key, job.requested_by_id)
        if info.import_result is not None:
            details = {
                "job_id": str(job.pk),
                "imported": info.import_result.imported,
                "failed": info.import_result.failed,
            }
            log.announce(signals.IMPORT_FINISHED, None, None, details)
        elif info.mass_action_result is not None:
            result = info.mass_action_result
            details = {
                "job_id": str(job.pk),
                "action": result.action.value,
                "done": len(result.done),
                "skipped": len(result.skipped),
                "failed": len(result.failed),
            }
            log.announce(signals.MASS_ACTION_FINISHED, None, None, details)
        log.save()


# What a failed job says to whoever polls it; the error itself (database or code detail) goes to the log.
FAILED_MESSAGE = "The job stopped on an unexpected error. The learners in its report were changed; the others were not."


def fail(job_id) -> None:
    """
    Stop a job that cannot go on; the chunks it applied stay applied and reported.
    """
    BulkJob.objects.filter(pk=job_id, state__in=[JobState.PENDING, JobState.RUNNING]).update(
        state=JobState.FAILED, finished_at=timezone.now(), error=FAILED_MESSAGE
    )


def find(ctx: CourseContext, job_id, kind: JobKind) -> BulkJob:
    """
    The course's job of that kind; NotFound for any other id, including another course's job.
    """
    job = BulkJob.objects.filter(pk=_uuid_or_none(job_id), course_key=ctx.course_key, kind=kind.value).first()
    if job is None:
        raise NotFound(f"This course has no {kind.value.replace('_', ' ')} {job_id}.")
    return job


def progress(job_id) -> JobInfo:
    """
    A job's progress and result, found by id alone.
    """
    return job_info(BulkJob.objects.get(pk=job_id))


def _uuid_or_none(value):
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def job_info(job: BulkJob) -> JobInfo:
    """
    The job's progress and, once it has succeeded, its result read back from its chunks.
    """
    results = list(
        BulkJobChunk.objects.filter(job=job, done_at__isnull=False).order_by("index").values_list("result", flat=True)
    )
    kind, state = JobKind(job.kind), JobState(job.state)
    import_result = mass_action_result = assignment_result = None
    if state == JobState.SUCCEEDED and kind == JobKind.IMPORT:
        import_result = _assigning.import_result(
            [
                _assigning.ImportChunkOutcome(
                    assigned=result["assigned"],
                    updated=result["updated"],
                    reassigned=result["reassigned"],
                    failures=[ImportFailure(*failure) for failure in result["failures"]],
                    # Results of a release before the rows were listed have none.
                    reassigned_rows=[ReassignedRow(*row) for row in result.get("reassigned_rows", [])],
                )
                for result in results
            ],
            timezone.localdate(job.created),
        )
    elif state == JobState.SUCCEEDED and kind == JobKind.ASSIGNMENT:
        assignment_result = _assignment_result(job, results)
    elif state == JobState.SUCCEEDED and kind == JobKind.MASS_ACTION:
        mass_action_result = MassActionResult(
            action=MassAction(job.params["action"]),
            done=tuple(username for result in results for username in result["done"]),
            # Results of a release before names were kept have none: their learners read as unnamed
            # (and their skipped learners, a username and a reason, take the name's default).
            done_names=tuple(
                name for result in results for name in result.get("done_names", [""] * len(result["done"]))
            ),
            skipped=tuple(SkippedLearner(*skip) for result in results for skip in result["skipped"]),
            failed=tuple(SkippedLearner(*fail) for result in results for fail in result["failed"]),
        )
    export_filename = None
    if state == JobState.SUCCEEDED and kind == JobKind.EXPORT:
        if _export_artifact(job):
            export_filename = _export_filename(job)
        else:
            state = JobState.RUNNING  # its rows are ready, its file is being written
    return JobInfo(
        id=str(job.pk),
        kind=kind,
        course_key=str(job.course_key),
        state=state,
        completed_steps=len(results),
        total_steps=job.total_steps,
        import_result=import_result,
        mass_action_result=mass_action_result,
        assignment_result=assignment_result,
        error=job.error,
        export_filename=export_filename,
    )


def _assignment_result(job: BulkJob, results) -> AssignmentResult:
    def usernames(name):
        return tuple(username for result in results for username in result[name])

    skipped = str(_assigning.ALREADY_COMPLETED)
    failed = job.params["failed"] + [failure for result in results for failure in result["failed"]]
    return AssignmentResult(
        assigned=usernames("assigned"),
        updated=usernames("updated"),
        reassigned=usernames("reassigned"),
        skipped=tuple(SkippedLearner(username, skipped) for username in usernames("skipped")),
        failed=tuple(FailedIdentifier(*failure) for failure in failed),
    )


def runs_in_background(job: BulkJob, size: int) -> bool:
    """
    Whether a job of ``size`` rows or learners is too big to run within the request.
    """
    limit = {
        JobKind.IMPORT: app_settings.IMPORT_BACKGROUND_ROWS,
        JobKind.MASS_ACTION: app_settings.MASS_ACTION_BACKGROUND_SIZE,
        JobKind.ASSIGNMENT: app_settings.ASSIGNMENT_BACKGROUND_SIZE,
        JobKind.EXPORT: -1,  # asked for because it is large: always in the background, even when empty
    }[JobKind(job.kind)]
    return job.requested_by_id is not None and size > limit


NON_IMPORTED_ARTIFACT = "Non_Imported_List"


def save_non_imported_artifact(job_id, user_task) -> None:
    """
    Keep the import's file of rows not imported as an artifact of its django-user-tasks status (the
    plugin's own ``imports/{id}/non-imported/`` serves it; the LMS mounts no user task API, only Studio
    does), rewriting it in place when it exists; none when every row was imported.
    """
    job = BulkJob.objects.get(pk=job_id)
    BulkJob.objects.filter(pk=job.pk).update(user_task=user_task)
    result = job_info(job).import_result
    if result is None or not result.failures:
        return
    artifact = UserTaskArtifact.objects.filter(status=user_task, name=NON_IMPORTED_ARTIFACT).first()
    artifact = artifact or UserTaskArtifact(status=user_task, name=NON_IMPORTED_ARTIFACT)
    replaced = artifact.file.name if artifact.file else None
    text = _csv_file.non_imported_csv(result.failures)
    artifact.file.save(result.non_imported_filename, ContentFile(text.encode("utf-8")))
    if replaced:
        # Only once the new file's row is committed: rolled back, the row still names the old file.
        storage = artifact.file.storage
        transaction.on_commit(lambda: storage.delete(replaced))


EXPORT_ARTIFACT = "Export"


def _export_filename(job: BulkJob) -> str:
    return _exporting.learner_filename(
        ExportFormat(job.params["format"]), str(job.course_key), timezone.localdate(job.created)
    )


def _export_artifact(job: BulkJob):
    if job.user_task_id is None:
        return None
    return UserTaskArtifact.objects.filter(status_id=job.user_task_id, name=EXPORT_ARTIFACT).first()


def save_export_artifact(job_id, user_task, *, replace=False) -> None:
    """
    Write a finished export's file, from its chunks' rows in order, as an artifact of its
    django-user-tasks status (the plugin's ``exports/{id}/file/`` serves it); once only, unless
    ``replace`` (its rows changed: a learner retired).
    """
    job = BulkJob.objects.get(pk=job_id)
    if job.kind != JobKind.EXPORT or job.state != JobState.SUCCEEDED:
        return
    BulkJob.objects.filter(pk=job.pk).update(user_task=user_task)
    job.user_task = user_task
    artifact = _export_artifact(job)
    if artifact is not None and not replace:
        return
    chunks = BulkJobChunk.objects.filter(job=job).order_by("index").values_list("result", flat=True)
    cells = (row for result in chunks.iterator(chunk_size=1) for row in result["rows"])
    export = _exporting.learner_file(
        cells, ExportFormat(job.params["format"]), str(job.course_key), timezone.localdate(job.created)
    )
    artifact = artifact or UserTaskArtifact(status=user_task, name=EXPORT_ARTIFACT)
    replaced = artifact.file.name if artifact.file else None
    with tempfile.TemporaryFile() as content:
        for piece in export.content:
            content.write(piece)
        artifact.file.save(export.filename, File(content))
    if replaced and replaced != artifact.file.name:
        storage = artifact.file.storage
        transaction.on_commit(lambda: storage.delete(replaced))


def export_file(job: BulkJob):
    """
    (filename, media type, open file) of a finished export; NotFound until its file is written.
    """
    artifact = _export_artifact(job) if job.state == JobState.SUCCEEDED else None
    if artifact is None:
        raise NotFound("This export's file is not ready yet.")
    file_format = ExportFormat(job.params["format"])
    content_type = XLSX_MEDIA_TYPE if file_format == ExportFormat.XLSX else "text/csv; charset=utf-8"
    return _export_filename(job), content_type, artifact.file.open("rb")
