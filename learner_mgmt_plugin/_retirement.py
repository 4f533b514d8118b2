"""
Erasing a retired learner from the plugin's tables.
"""

from functools import reduce
from operator import or_

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q, TextField
from django.db.models.functions import Cast, Concat

from .models import Assignment, Attempt, BulkJobChunk, HistoryEvent, Learner, Seat

RETIRED = "retired"


def retire(user_id: int) -> None:
    """
    Delete the learner's assignments, attempts, seats, history and directory entry in every course,
    and blank their username, email and employee ID wherever an import or mass action report names
    them. Removal audit records keep only ids.
    """
    user = get_user_model().objects.filter(pk=user_id).first()
    learner = Learner.objects.filter(pk=user_id).first()
    identifiers = {
        value for value in (user and user.username, user and user.email, learner and learner.employee_id) if value
    }
    with transaction.atomic():
        HistoryEvent.objects.filter(learner_id=user_id).delete()
        Seat.objects.filter(learner_id=user_id).delete()
        assignments = Assignment.objects.filter(learner_id=user_id)
        assignments.update(current_attempt=None)
        Attempt.objects.filter(assignment__learner_id=user_id).delete()
        assignments.delete()
        Learner.objects.filter(pk=user_id).delete()
        if identifiers:
            _scrub_job_reports({value.lower() for value in identifiers})


def _scrub_job_reports(identifiers: set[str]) -> None:
    naming = reduce(or_, (Q(text__icontains=value) for value in identifiers))
    chunks = BulkJobChunk.objects.annotate(text=Concat(Cast("result", TextField()), Cast("items", TextField())))
    for chunk in chunks.filter(naming).select_for_update():
        chunk.result = _scrubbed(chunk.result, identifiers)
        chunk.items = _scrubbed(chunk.items, identifiers)
        chunk.save(update_fields=["result", "items"])


def _scrubbed(value, identifiers):
    if isinstance(value, str):
        return RETIRED if value.strip().lower() in identifiers else value
    if isinstance(value, list):
        return [_scrubbed(item, identifiers) for item in value]
    if isinstance(value, dict):
        return {key: _scrubbed(item, identifiers) for key, item in value.items()}
    return value
