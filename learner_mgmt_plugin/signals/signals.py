"""
Django signals the plugin sends, one per kind of state change, for platform developers to build on.

Every signal is sent after the transaction that made the change has committed, with primitive
arguments only:

- ``course_key``: the course key as a string (``course-v1:Org+Course+Run``);
- ``user_id``: the learner's user id (absent on the ``*_FINISHED`` signals);
- ``actor_id``: the id of the user who made the change, or None when the learner or the platform did;
- ``attempt_number``: the learner's attempt the change applies to (absent on the ``*_FINISHED`` signals);
- ``details``: a dict of JSON-compatible values describing the change, with ``"reason"`` when the course
  team gave one for it.

Bulk work (imports, mass actions) sends one signal per learner changed, then one ``*_FINISHED``. The
``sender`` is the string ``"learner_mgmt_plugin"``.

Example::

    from django.dispatch import receiver
    from learner_mgmt_plugin.signals.signals import LEARNER_ASSIGNED

    @receiver(LEARNER_ASSIGNED)
    def notify_manager(sender, course_key, user_id, actor_id, attempt_number, details, **kwargs):
        ...
"""

from django.dispatch import Signal

# A course was assigned to a learner, given new terms, re-assigned after completion, or the learner
# enrolled on their own. details: {"outcome": "assigned" | "updated" | "reassigned" | "self_enrolled",
# "required", "due_date"}, and for "updated" and "reassigned" the terms before: "previous": {"required",
# "due_date", "message"}.
LEARNER_ASSIGNED = Signal()

# The due date changed. details: {"from": date | None, "to": date | None, "required": bool}.
DUE_DATE_CHANGED = Signal()

# The learner's progress was reset: attempt ``attempt_number - 1`` closed, ``attempt_number`` opened.
PROGRESS_RESET = Signal()

# The current attempt was completed. details: {"source": "learner" | "admin", "credits": str}.
ATTEMPT_COMPLETED = Signal()

# A completion was reverted (mass action mark_incomplete).
MARKED_INCOMPLETE = Signal()

# The learner was unassigned, by the course team or by unenrolling. details: {"by_learner": bool}.
LEARNER_UNASSIGNED = Signal()

# The learner's data was removed. details: {"scope": "course" | "session" | "both"}.
LEARNER_REMOVED = Signal()

# The learner was seated in, or moved to, an ILT session. details: {"from_session_id", "to_session_id",
# "retroactive"}; when the learner booked it themselves, "by_learner": True, and when they cancelled their
# seat, {"session_id", "to_session_id": None, "by_learner": True}.
SESSION_CHANGED = Signal()

# The learner was marked as a no-show in an ILT session. details: {"session_id", "message_sent",
# "message"}.
NO_SHOW_MARKED = Signal()

# The learner was given a course team role. details: {"role"}.
INSTRUCTOR_GRANTED = Signal()

# A certificate was generated or removed for the learner's current attempt.
CERTIFICATE_GENERATED = Signal()
CERTIFICATE_REMOVED = Signal()

# A CSV import finished (``course_key``, ``actor_id``, ``details``: {"job_id", "imported", "failed"}).
IMPORT_FINISHED = Signal()

# A mass action finished (``course_key``, ``actor_id``, ``details``: {"job_id", "action", "done", "skipped",
# "failed"}).
MASS_ACTION_FINISHED = Signal()
