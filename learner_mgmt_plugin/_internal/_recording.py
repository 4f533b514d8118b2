"""
History events and the signals that announce them.

A ``ChangeLog`` collects what one transaction changed. ``save()`` writes the history rows in bulk
inside the transaction and sends the signals once it has committed, so receivers never see a change
that was rolled back.
"""

from __future__ import annotations

import json
import logging
from functools import partial

from django.db import transaction
from django.utils import timezone

from ..data import HistoryKind
from ..models import HistoryEvent
from ..signals import signals
from ._bulk import db_datetime, insert_rows

log = logging.getLogger(__name__)

# The ``sender`` of every signal the plugin sends.
SIGNAL_SENDER = "learner_mgmt_plugin"

# The signal each kind of history event sends, with the details it adds.
_SIGNAL_OF_KIND = {
    HistoryKind.ASSIGNED: (signals.LEARNER_ASSIGNED, {"outcome": "assigned"}),
    HistoryKind.ASSIGNMENT_UPDATED: (signals.LEARNER_ASSIGNED, {"outcome": "updated"}),
    HistoryKind.REASSIGNED: (signals.LEARNER_ASSIGNED, {"outcome": "reassigned"}),
    HistoryKind.SELF_ENROLLED: (signals.LEARNER_ASSIGNED, {"outcome": "self_enrolled"}),
    HistoryKind.SELF_UNENROLLED: (signals.LEARNER_UNASSIGNED, {"by_learner": True}),
    HistoryKind.UNASSIGNED: (signals.LEARNER_UNASSIGNED, {"by_learner": False}),
    HistoryKind.DUE_DATE_CHANGED: (signals.DUE_DATE_CHANGED, {}),
    HistoryKind.PROGRESS_RESET: (signals.PROGRESS_RESET, {}),
    HistoryKind.COMPLETED: (signals.ATTEMPT_COMPLETED, {}),
    HistoryKind.MARKED_INCOMPLETE: (signals.MARKED_INCOMPLETE, {}),
    HistoryKind.SESSION_CHANGED: (signals.SESSION_CHANGED, {}),
    HistoryKind.SESSION_REMOVED: (signals.LEARNER_REMOVED, {"scope": "session"}),
    HistoryKind.SESSION_BOOKED: (signals.SESSION_CHANGED, {"by_learner": True}),
    HistoryKind.SESSION_CANCELLED: (signals.SESSION_CHANGED, {"by_learner": True, "to_session_id": None}),
    HistoryKind.NO_SHOW: (signals.NO_SHOW_MARKED, {}),
    HistoryKind.INSTRUCTOR_GRANTED: (signals.INSTRUCTOR_GRANTED, {}),
    HistoryKind.CERTIFICATE_GENERATED: (signals.CERTIFICATE_GENERATED, {}),
    HistoryKind.CERTIFICATE_REMOVED: (signals.CERTIFICATE_REMOVED, {}),
}


class ChangeLog:
    """
    The history events and signals of one change to a course's learners, and the reason the course
    team gave for it (each event's unless it brings its own).
    """

    def __init__(self, course_key, actor_id: int | None, reason: str = ""):
        self.course_key = course_key
        self.actor_id = actor_id
        self.reason = reason
        self._events: list[tuple] = []
        self._encoded: dict[str, str] = {}
        self._announcements: list[tuple] = []

    def record(self, learner_id: int, kind: HistoryKind, attempt_number: int | None, details=None, reason=""):
        """
        Add a history event for the learner, and the signal its kind sends.
        """
        details = details or {}
        self._events.append((learner_id, kind.value, attempt_number, self._json(details), reason or self.reason))
        if kind in _SIGNAL_OF_KIND:
            signal, extra = _SIGNAL_OF_KIND[kind]
            self.announce(signal, learner_id, attempt_number, {**details, **extra})

    def _json(self, details) -> str:
        # A chunk's learners mostly share their details (the same terms): each distinct one is encoded
        # once. The repr tells apart what JSON tells apart (True and 1, "1" and 1), and is cheaper.
        key = repr(details)
        encoded = self._encoded.get(key)
        if encoded is None:
            encoded = self._encoded[key] = json.dumps(details)
        return encoded

    def announce(self, signal, learner_id: int | None, attempt_number: int | None, details):
        """
        Add a signal to send after commit without a history event (e.g. a removal, which deletes history).
        """
        if self.reason:
            details = {**details, "reason": self.reason}
        kwargs = {"course_key": str(self.course_key), "actor_id": self.actor_id, "details": details}
        if learner_id is not None:
            kwargs.update(user_id=learner_id, attempt_number=attempt_number)
        self._announcements.append((signal, kwargs))

    def save(self):
        """
        Write the history events now and send the signals once the transaction commits.
        """
        if self._events:
            course_key, now = str(self.course_key), db_datetime(timezone.now())
            insert_rows(
                HistoryEvent,
                ("learner", "course_key", "kind", "attempt_number", "actor", "created", "details", "reason"),
                [
                    (learner_id, course_key, kind, attempt_number, self.actor_id, now, details, reason)
                    for learner_id, kind, attempt_number, details, reason in self._events
                ],
            )
        if self._announcements:
            transaction.on_commit(partial(_send_all, self._announcements))
        self._events = []
        self._announcements = []


def _send_all(announcements):
    for signal, kwargs in announcements:
        for receiver, response in signal.send_robust(sender=SIGNAL_SENDER, **kwargs):
            if isinstance(response, Exception):
                log.error("Learner management signal receiver %r failed: %r", receiver, response)
