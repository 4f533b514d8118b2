"""
Database models of the Learner Management plugin.

Other code reads and writes these only through ``api.py``. Constraints make a double-apply
impossible: one assignment per (learner, course), unique attempt numbers per assignment, at most one
current seat per learner per course.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from opaque_keys.edx.django.models import CourseKeyField

from .data import (
    AttemptCloseReason,
    CertificateStatus,
    CompletionSource,
    CourseKind,
    HistoryKind,
    JobKind,
    JobState,
    LearnerStatus,
    ReminderKind,
    RemoveScope,
    SeatState,
)


def _choices(enum):
    return [(member.value, member.value) for member in enum]


class CourseConfig(models.Model):
    """
    The plugin's configuration of one course: how it is delivered, the credits it awards, whether
    removing a learner from it needs a reason, and how required learners are reminded of their due date.

    .. no_pii:
    """

    course_key = CourseKeyField(max_length=255, unique=True)
    kind = models.CharField(max_length=16, choices=_choices(CourseKind), default=CourseKind.SELF_PACED.value)
    credits = models.DecimalField(max_digits=6, decimal_places=2, default=0)
    removal_reason_required = models.BooleanField(default=False)
    # Days before the due date on which required learners who have not completed are reminded.
    reminder_days = models.JSONField(default=list, blank=True)
    overdue_notice = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(credits__gte=0), name="lm_courseconfig_credits_not_negative"),
        ]

    def __str__(self):
        return f"{self.course_key} ({self.kind})"


class Learner(models.Model):
    """
    A user the plugin manages: their display name and employee ID, and copies of their username,
    email and last name, kept here so that the learner list and its search (each indexed, so that
    searching by the start of any of them stays fast in a course of 100,000 learners) never ask the
    host per row. The default source of employee IDs.

    .. pii: The learner's full name, last name, username, email and employee ID.
    .. pii_types: name, username, email_address, other
    .. pii_retirement: local_api
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, primary_key=True, on_delete=models.CASCADE, related_name="learner_mgmt_learner"
    )
    name = models.CharField(max_length=255, blank=True, db_index=True)
    last_name = models.CharField(max_length=150, blank=True, db_index=True)
    username = models.CharField(max_length=150, blank=True, db_index=True)
    email = models.CharField(max_length=254, blank=True, db_index=True)
    employee_id = models.CharField(max_length=64, null=True, blank=True, unique=True)

    def __str__(self):
        return f"learner {self.user_id}"


class Assignment(models.Model):
    """
    A course assigned to a learner: it extends the host enrollment with required/optional, a due date,
    who assigned it and a message. ``status`` is derived by ``rules.derive_status`` whenever one of its
    inputs changes, and ``progress`` (the current attempt's) and ``learner_name`` are copied here with
    it, so that the learner list filters, counts and sorts on indexes of this table alone.

    .. pii: The learner's name, copied for sorting.
    .. pii_types: name
    .. pii_retirement: local_api
    """

    learner = models.ForeignKey(Learner, on_delete=models.CASCADE, related_name="assignments")
    course_key = CourseKeyField(max_length=255)
    required = models.BooleanField(default=False)
    due_date = models.DateField(null=True, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_at = models.DateTimeField(default=timezone.now)
    message = models.TextField(blank=True)
    active = models.BooleanField(default=True)
    # Listed because the learner enrolled on their own: nobody assigned it, so the learner's side does not
    # show it; assigning the course makes it an assignment like any other.
    self_enrolled = models.BooleanField(default=False, db_default=False)
    status = models.CharField(max_length=16, choices=_choices(LearnerStatus), default=LearnerStatus.NOT_STARTED.value)
    progress = models.PositiveSmallIntegerField(default=0)
    learner_name = models.CharField(max_length=255, blank=True)
    last_reminder_at = models.DateTimeField(null=True, blank=True)
    current_attempt = models.OneToOneField(
        "Attempt", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["learner", "course_key"], name="lm_assignment_one_per_learner_course"),
            models.CheckConstraint(
                condition=Q(due_date__isnull=True) | Q(required=True), name="lm_assignment_due_date_implies_required"
            ),
        ]
        indexes = [
            # With required: the summary counts statuses and required learners on this index alone.
            models.Index(fields=["course_key", "active", "status", "required"], name="lm_assignment_course_status"),
            models.Index(fields=["course_key", "active", "due_date"], name="lm_assignment_course_due"),
            models.Index(fields=["course_key", "active", "assigned_at"], name="lm_assignment_course_assigned"),
            models.Index(fields=["course_key", "active", "learner_name"], name="lm_assignment_course_name"),
            models.Index(fields=["course_key", "active", "progress"], name="lm_assignment_course_progress"),
        ]

    def __str__(self):
        return f"{self.course_key} for learner {self.learner_id}"


class Attempt(models.Model):
    """
    One try at a course, numbered 1..n per assignment; the assignment's ``current_attempt`` is the
    latest. A reset or re-assignment closes it and keeps a snapshot of its progress (``AttemptSnapshot``).

    .. no_pii:
    """

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="attempts")
    number = models.PositiveIntegerField()
    started_at = models.DateTimeField(null=True, blank=True)
    progress = models.PositiveSmallIntegerField(default=0)
    completed_at = models.DateTimeField(null=True, blank=True)
    completion_source = models.CharField(max_length=16, choices=_choices(CompletionSource), null=True, blank=True)
    certificate_status = models.CharField(max_length=16, choices=_choices(CertificateStatus), null=True, blank=True)
    certificate_changed_at = models.DateTimeField(null=True, blank=True)
    # The enrollment mode the LMS judged the certificate by (a learner in audit gets none, for instance).
    certificate_mode = models.CharField(max_length=100, blank=True, default="", db_default="")
    # The LMS's page of the certificate while it is downloadable.
    certificate_url = models.CharField(max_length=500, blank=True, default="", db_default="")
    credits_awarded = models.DecimalField(max_digits=6, decimal_places=2, default=0)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_reason = models.CharField(max_length=16, choices=_choices(AttemptCloseReason), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assignment", "number"], name="lm_attempt_unique_number"),
            models.CheckConstraint(condition=Q(progress__lte=100), name="lm_attempt_progress_at_most_100"),
        ]
        # The course summary's completions per week.
        indexes = [models.Index(fields=["completed_at"], name="lm_attempt_completed_at")]

    def __str__(self):
        return f"attempt {self.number} of assignment {self.assignment_id}"


class AttemptSnapshot(models.Model):
    """
    What a closed attempt had achieved when a reset, re-assignment or unassignment closed it: its
    progress, chapter progress and quiz results. Kept apart from the attempt so that closing thousands
    of attempts writes them in bulk, and attempt rows stay small.

    .. no_pii:
    """

    attempt = models.OneToOneField(Attempt, primary_key=True, on_delete=models.CASCADE, related_name="snapshot")
    data = models.JSONField(default=dict)

    def __str__(self):
        return f"snapshot of attempt {self.attempt_id}"


class IltSession(models.Model):
    """
    A scheduled session of an instructor-led course.

    .. no_pii:
    """

    course_key = CourseKeyField(max_length=255)
    title = models.CharField(max_length=255)
    start = models.DateTimeField()
    end = models.DateTimeField()
    location = models.CharField(max_length=500, blank=True)
    capacity = models.PositiveIntegerField(null=True, blank=True)
    instructor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="lm_session_ends_after_start"),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=1), name="lm_session_capacity_positive"
            ),
        ]
        indexes = [models.Index(fields=["course_key", "start"], name="lm_session_course_start")]

    def __str__(self):
        return f"{self.title} ({self.course_key})"


class Seat(models.Model):
    """
    A learner's place in an ILT session. ``current`` is True for the one seat that counts for the
    learner's current attempt (state enrolled or attended) and NULL for every other, so the unique
    constraint allows at most one current seat per learner per course on every database.

    .. no_pii:
    """

    session = models.ForeignKey(IltSession, on_delete=models.PROTECT, related_name="seats")
    learner = models.ForeignKey(Learner, on_delete=models.CASCADE, related_name="seats")
    course_key = CourseKeyField(max_length=255)
    attempt = models.ForeignKey(Attempt, null=True, blank=True, on_delete=models.CASCADE, related_name="seats")
    state = models.CharField(max_length=16, choices=_choices(SeatState), default=SeatState.ENROLLED.value)
    current = models.BooleanField(null=True, default=True)
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    enrolled_at = models.DateTimeField(default=timezone.now)
    retroactive = models.BooleanField(default=False)
    state_changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["learner", "course_key", "current"], name="lm_seat_one_current"),
            models.CheckConstraint(
                condition=Q(current=True) | Q(current__isnull=True), name="lm_seat_current_true_or_null"
            ),
            models.CheckConstraint(
                condition=Q(current__isnull=True) | Q(state__in=[SeatState.ENROLLED.value, SeatState.ATTENDED.value]),
                name="lm_seat_current_is_live",
            ),
        ]
        indexes = [models.Index(fields=["session", "current"], name="lm_seat_session_current")]

    def __str__(self):
        return f"seat of learner {self.learner_id} in session {self.session_id} ({self.state})"


class ReminderSent(models.Model):
    """
    A reminder (or overdue notice) sent for an attempt and the due date it was for: the unique key
    makes each go at most once, however often the reminders run; a new due date is a new key, so a
    changed date re-arms them.

    .. no_pii:
    """

    attempt = models.ForeignKey("Attempt", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=_choices(ReminderKind))
    # Days before the due date of a reminder; 0 for the overdue notice.
    days = models.PositiveSmallIntegerField()
    due_date = models.DateField()
    sent = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["attempt", "kind", "days", "due_date"], name="lm_reminder_once"),
        ]

    def __str__(self):
        return f"{self.kind} reminder ({self.days} days) of attempt {self.attempt_id} due {self.due_date}"


class HistoryEvent(models.Model):
    """
    An append-only record of something that happened to a learner in a course. Rows are only ever
    inserted; they are deleted with the learner's course data (``remove``) or at retirement.

    .. pii: The reason the course team gave and the message sent to the learner, free text that may
       speak of the learner.
    .. pii_types: other
    .. pii_retirement: local_api
    """

    learner = models.ForeignKey(Learner, on_delete=models.CASCADE, related_name="history")
    course_key = CourseKeyField(max_length=255)
    kind = models.CharField(max_length=32, choices=_choices(HistoryKind))
    attempt_number = models.PositiveIntegerField(null=True, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now)
    details = models.JSONField(default=dict, blank=True)
    reason = models.TextField(blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["learner", "course_key", "created"], name="lm_history_learner_course"),
            # The course's audit trail, by date.
            models.Index(fields=["course_key", "created"], name="lm_history_course_created"),
        ]

    def __str__(self):
        return f"{self.kind} for learner {self.learner_id} in {self.course_key}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("History events are append-only.")
        super().save(*args, **kwargs)


class RemovalAudit(models.Model):
    """
    Who permanently removed which learner's data from which course, when and why. Kept by plain ids so
    that it survives the removal it records.

    .. pii: The reason the course team gave, free text that may speak of the learner.
    .. pii_types: other
    .. pii_retirement: local_api
    """

    actor_id = models.IntegerField(null=True, blank=True)
    learner_id = models.IntegerField()
    course_key = CourseKeyField(max_length=255)
    scope = models.CharField(max_length=16, choices=_choices(RemoveScope))
    created = models.DateTimeField(default=timezone.now)
    reason = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["course_key", "created"], name="lm_removal_course_created")]

    def __str__(self):
        return f"removal of learner {self.learner_id} from {self.course_key} ({self.scope})"


class BulkJob(models.Model):
    """
    A CSV import, a mass action, an assignment or an export. Its input is split into chunks when it is
    submitted; each chunk is then applied in its own transaction together with the record of its
    result, so a job that is retried or re-delivered applies every chunk exactly once.

    .. pii: The rows of the uploaded file (emails, usernames, employee IDs), the selected usernames and
       the identifiers an assignment named, in its chunks and parameters; an export's rows (names,
       usernames, emails, employee IDs) in its chunks' results.
    .. pii_types: name, email_address, username, other
    .. pii_retirement: local_api
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=16, choices=_choices(JobKind))
    course_key = CourseKeyField(max_length=255)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now)
    state = models.CharField(max_length=16, choices=_choices(JobState), default=JobState.PENDING.value)
    # The terms of an import or an assignment (with the identifiers that named nobody), or the action
    # of a mass action and its parameters.
    params = models.JSONField(default=dict, blank=True)
    total_steps = models.PositiveIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    # The django-user-tasks status of a background run, which holds the file of rows not imported.
    user_task = models.ForeignKey(
        "user_tasks.UserTaskStatus", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        indexes = [models.Index(fields=["course_key", "created"], name="lm_job_course_created")]

    def __str__(self):
        return f"{self.kind} {self.pk} in {self.course_key} ({self.state})"


class BulkJobChunk(models.Model):
    """
    One chunk of a job: its input rows or usernames and, once applied, its result.

    .. pii: The rows of the uploaded file (emails, usernames, employee IDs) or the selected usernames;
       an export's rows (names, usernames, emails, employee IDs).
    .. pii_types: name, email_address, username, other
    .. pii_retirement: local_api
    """

    job = models.ForeignKey(BulkJob, on_delete=models.CASCADE, related_name="chunks")
    index = models.PositiveIntegerField()
    items = models.JSONField(default=list)
    result = models.JSONField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    # The lane at work on the chunk and until when its claim holds unless renewed: a claim outlives
    # the transactions of a chunk's enrollments, which commit one learner at a time before it is applied.
    claimed_by = models.CharField(max_length=64, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["job", "index"], name="lm_jobchunk_unique_index")]

    def __str__(self):
        return f"chunk {self.index} of {self.job_id}"
