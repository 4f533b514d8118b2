"""
The course's audit trail: every change recorded in its learners' histories and every removal of a
learner from it (whose history went with them), oldest first: when, what, to whom, by whom and why.
"""

from __future__ import annotations

import datetime
import heapq
from collections.abc import Iterator

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ..data import AUDIT_ACTIONS, REMOVED_FROM_COURSE, AuditEntry
from ..exceptions import InvalidInput
from ..models import HistoryEvent, RemovalAudit
from ._course import CourseContext

# The platform renames a retired user ``<RETIRED_USERNAME_PREFIX><hash>`` (lms/envs/common.py).
DEFAULT_RETIRED_USERNAME_PREFIX = "retired__user_"


def check_filters(since, until, actions) -> tuple[datetime.date | None, datetime.date | None, set[str] | None]:
    """
    The date range (both days included) and the actions asked for; InvalidInput for anything else.
    """
    for field, day in (("since", since), ("until", until)):
        if day is not None and (not isinstance(day, datetime.date) or isinstance(day, datetime.datetime)):
            raise InvalidInput(field, _("Give the dates as YYYY-MM-DD."))
    if since and until and until < since:
        raise InvalidInput("until", _("The end date is before the start date."))
    if actions is None:
        return since, until, None
    if isinstance(actions, str) or not all(isinstance(action, str) for action in actions):
        raise InvalidInput("action", _("Give the actions as a list of names."))
    unknown = sorted(set(actions) - set(AUDIT_ACTIONS))
    if unknown:
        raise InvalidInput(
            "action",
            _("Unknown action '{action}'; use any of: {choices}.").format(
                action=unknown[0], choices=", ".join(AUDIT_ACTIONS)
            ),
        )
    return since, until, set(actions)


def entries(ctx: CourseContext, *, since=None, until=None, actions=None, batch_size=1000) -> Iterator[AuditEntry]:
    """
    The course's audit trail between ``since`` and ``until`` (local days, both included), of the
    ``actions`` asked for (all when None), oldest first, read ``batch_size`` at a time as it is
    consumed; the filters are checked at once.
    """
    since, until, actions = check_filters(since, until, actions)
    window = Q(course_key=ctx.course_key)
    if since:
        window &= Q(created__gte=_start_of(since))
    if until:
        window &= Q(created__lt=_start_of(until + datetime.timedelta(days=1)))
    streams = []
    kinds = None if actions is None else actions - {REMOVED_FROM_COURSE}
    if kinds is None or kinds:
        events = HistoryEvent.objects.filter(window)
        streams.append(_history(events if kinds is None else events.filter(kind__in=kinds), batch_size))
    if actions is None or REMOVED_FROM_COURSE in actions:
        streams.append(_removals(RemovalAudit.objects.filter(window), batch_size))
    return heapq.merge(*streams, key=lambda entry: entry.created)


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _batches(queryset, batch_size):
    """
    The rows of ``queryset`` (values with ``created`` and ``pk``) oldest first, one query a batch.
    """
    queryset = queryset.order_by("created", "pk")
    after = Q()
    while True:
        batch = list(queryset.filter(after)[:batch_size])
        yield batch
        if len(batch) < batch_size:
            return
        last = batch[-1]
        after = Q(created__gt=last["created"]) | Q(created=last["created"], pk__gt=last["pk"])


def _actor(username) -> str:
    prefix = getattr(settings, "RETIRED_USERNAME_PREFIX", DEFAULT_RETIRED_USERNAME_PREFIX)
    if username and username.startswith(prefix):
        return _("retired user")
    return username or ""


def _history(events, batch_size) -> Iterator[AuditEntry]:
    rows = events.values(
        "pk",
        "created",
        "kind",
        "learner_id",
        "learner__name",
        "learner__username",
        "learner__email",
        "learner__employee_id",
        "attempt_number",
        "actor__username",
        "details",
        "reason",
    )
    for batch in _batches(rows, batch_size):
        for row in batch:
            yield AuditEntry(
                created=row["created"],
                action=row["kind"],
                learner_id=row["learner_id"],
                learner_name=row["learner__name"],
                learner_username=row["learner__username"],
                learner_email=row["learner__email"],
                employee_id=row["learner__employee_id"],
                attempt=row["attempt_number"],
                actor=_actor(row["actor__username"]),
                details=row["details"] or {},
                reason=row["reason"],
            )


def _removals(removals, batch_size) -> Iterator[AuditEntry]:
    rows = removals.values("pk", "created", "learner_id", "actor_id", "scope", "reason")
    for batch in _batches(rows, batch_size):
        actor_ids = {row["actor_id"] for row in batch if row["actor_id"] is not None}
        usernames = dict(get_user_model().objects.filter(pk__in=actor_ids).values_list("pk", "username"))
        for row in batch:
            yield AuditEntry(
                created=row["created"],
                action=REMOVED_FROM_COURSE,
                learner_id=row["learner_id"],
                learner_name="",
                learner_username="",
                learner_email="",
                employee_id=None,
                attempt=None,
                actor=_actor(usernames.get(row["actor_id"])),
                details={"scope": row["scope"]},
                reason=row["reason"],
            )
