"""
Erasing a retired learner from the plugin's tables.
"""

import json
from functools import reduce
from operator import or_

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q, TextField
from django.db.models.functions import Cast, Concat

from ..models import Assignment, Attempt, BulkJob, BulkJobChunk, HistoryEvent, Learner, RemovalAudit, Seat
from ._jobs import save_export_artifact, save_non_imported_artifact

RETIRED = "retired"


def retire(user_id: int) -> None:
    """
    Delete the learner's assignments, attempts, seats, history and directory entry in every course,
    and blank their username, email, employee ID and name wherever an import or mass action report or
    an export names them. Removal audit records keep only ids: the reasons given for removing them are blanked.
    """
    user = get_user_model().objects.filter(pk=user_id).first()
    learner = Learner.objects.filter(pk=user_id).first()
    identifiers = {
        value
        for value in (
            user and user.username,
            user and user.email,
            learner and learner.employee_id,
            learner and learner.name,
        )
        if value
    }
    with transaction.atomic():
        HistoryEvent.objects.filter(learner_id=user_id).delete()
        Seat.objects.filter(learner_id=user_id).delete()
        assignments = Assignment.objects.filter(learner_id=user_id)
        assignments.update(current_attempt=None)
        Attempt.objects.filter(assignment__learner_id=user_id).delete()
        assignments.delete()
        Learner.objects.filter(pk=user_id).delete()
        RemovalAudit.objects.filter(learner_id=user_id).update(reason="")
        if identifiers:
            _scrub_job_reports(identifiers)


def _scrub_job_reports(identifiers: set[str]) -> None:
    # JSON columns may hold non-ASCII text escaped (\u00eb): look for both spellings, in either case.
    spellings = {
        spelling
        for identifier in identifiers
        for variant in (identifier, identifier.lower(), identifier.upper())
        for spelling in (variant, json.dumps(variant)[1:-1])
    }
    naming = reduce(or_, (Q(text__icontains=spelling) for spelling in spellings))
    lowered = {identifier.lower() for identifier in identifiers}
    chunks = BulkJobChunk.objects.annotate(text=Concat(Cast("result", TextField()), Cast("items", TextField())))
    scrubbed_jobs = set()
    for chunk in chunks.filter(naming).select_for_update():
        chunk.result = _scrubbed(chunk.result, lowered)
        chunk.items = _scrubbed(chunk.items, lowered)
        chunk.save(update_fields=["result", "items"])
        scrubbed_jobs.add(chunk.job_id)
    # The copies of their reports and exports that django-user-tasks keeps as files are written again.
    for job in BulkJob.objects.filter(pk__in=scrubbed_jobs, user_task__isnull=False).select_related("user_task"):
        save_non_imported_artifact(job.pk, job.user_task)
        save_export_artifact(job.pk, job.user_task, replace=True)


def _scrubbed(value, identifiers):
    if isinstance(value, str):
        return RETIRED if value.strip().lower() in identifiers else value
    if isinstance(value, list):
        return [_scrubbed(item, identifiers) for item in value]
    if isinstance(value, dict):
        return {key: _scrubbed(item, identifiers) for key, item in value.items()}
    return value
