"""
What the development host keeps of a learning platform, named after the Open edX models it plays.

Course content is a two-level tree (chapters and their leaf blocks) instead of the modulestore. Write
through ``devhost.lms.api``: it sends the events the LMS sends.
"""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Cast
from django.utils import timezone
from opaque_keys.edx.django.models import CourseKeyField, UsageKeyField

# The course team roles of ``common.djangoapps.student.roles`` that the host knows.
COURSE_TEAM_ROLES = ("staff", "instructor")

# The LMS's default enrollment mode (``COURSE_MODE_DEFAULTS["slug"]``): what a course offers when it sets
# up no mode of its own.
DEFAULT_MODE_SLUG = "audit"


def key_text(field_name):
    """
    A course or usage key column read as the text it stores. Reading thousands of keys this way skips
    parsing each into an opaque key object, which costs more than the query.
    """
    return Cast(field_name, output_field=models.CharField())


class UserProfile(models.Model):
    """
    A user's full name and, like a custom registration field an operator might add, an employee ID.

    .. pii: The user's full name and employee ID.
    .. pii_types: name, other
    .. pii_retirement: retained
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    name = models.CharField(max_length=255, blank=True)
    employee_id = models.CharField(max_length=64, null=True, blank=True, unique=True)

    def __str__(self):
        return f"profile of user {self.user_id}"


class CourseOverview(models.Model):
    """
    A course: its key (the primary key, as in the LMS), title and the grade needed to pass.

    .. no_pii:
    """

    id = CourseKeyField(max_length=255, primary_key=True)
    display_name = models.CharField(max_length=255)
    lowest_passing_grade = models.FloatField(default=0.5, validators=[MinValueValidator(0.0), MaxValueValidator(1.0)])

    def __str__(self):
        return str(self.id)


class CourseMode(models.Model):
    """
    An enrollment mode (track) a course offers (``course_modes.CourseMode``). A course with none offers
    the LMS's default mode, ``DEFAULT_MODE_SLUG``.

    .. no_pii:
    """

    course = models.ForeignKey(CourseOverview, on_delete=models.CASCADE, related_name="modes")
    mode_slug = models.CharField(max_length=100)
    mode_display_name = models.CharField(max_length=255)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["course", "mode_slug"], name="devhost_mode_unique_slug"),
        ]

    def __str__(self):
        return f"{self.mode_slug} mode of {self.course_id}"


class CourseBlock(models.Model):
    """
    A block of a course's content: a chapter, a leaf inside one, or an item bank (the platform's
    ``itembank``/``library_content``) inside one, whose leaves each learner sees ``max_count`` of.
    ``position`` orders the whole course (a chapter comes before its blocks, a bank before its leaves).
    A graded problem carries its question and answer.

    Who sees a block, as the platform's block transformers decide: ``visible_to_staff_only`` hides it
    (and what it holds) from all but the course team; ``group`` names the cohort whose members alone see
    it (the platform's group access), blank for everyone.

    .. no_pii:
    """

    CHAPTER = "chapter"
    ITEM_BANK = "itembank"
    HTML = "html"
    VIDEO = "video"
    PROBLEM = "problem"
    SCORM = "scorm"
    LEAF_TYPES = (HTML, VIDEO, PROBLEM, SCORM)

    course = models.ForeignKey(CourseOverview, on_delete=models.CASCADE, related_name="blocks")
    usage_key = UsageKeyField(max_length=255, unique=True)
    block_type = models.CharField(max_length=16, choices=[(t, t) for t in (CHAPTER, ITEM_BANK, *LEAF_TYPES)])
    display_name = models.CharField(max_length=255)
    chapter = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="leaves")
    bank = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="bank_leaves")
    max_count = models.PositiveIntegerField(null=True, blank=True)
    position = models.PositiveIntegerField()
    graded = models.BooleanField(default=False)
    question = models.TextField(blank=True)
    correct_answer = models.CharField(max_length=255, blank=True)
    visible_to_staff_only = models.BooleanField(default=False)
    group = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["course", "position"]
        constraints = [
            models.UniqueConstraint(fields=["course", "position"], name="devhost_block_unique_position"),
        ]

    def __str__(self):
        return str(self.usage_key)


class LearnerCourseRecord(models.Model):
    """
    Something the platform keeps about one user in one course. Courses are referred to by key, as the
    LMS's learner data does, so that it outlives changes to the course.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    course_key = CourseKeyField(max_length=255)

    class Meta:
        abstract = True


class CourseEnrollment(LearnerCourseRecord):
    """
    A user's enrollment in a course (``student.CourseEnrollment``); unenrolling deactivates it.

    .. no_pii:
    """

    is_active = models.BooleanField(default=True)
    mode = models.CharField(max_length=100, default="audit")
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "course_key"], name="devhost_enrollment_one_per_course"),
        ]
        indexes = [models.Index(fields=["course_key", "is_active"], name="devhost_enrollment_course")]

    def __str__(self):
        return f"user {self.user_id} in {self.course_key} ({'active' if self.is_active else 'inactive'})"

    @property
    def course_id(self):
        """
        The course's key, under the name the LMS's enrollment gives it (filter steps read it).
        """
        return self.course_key


# The state transitions ``student.ManualEnrollmentAudit`` records, as the platform words them.
UNENROLLED_TO_ENROLLED = "from unenrolled to enrolled"
ENROLLED_TO_UNENROLLED = "from enrolled to unenrolled"


class ManualEnrollmentAudit(models.Model):
    """
    An enrollment or unenrollment made for a learner by someone else, as the instructor dashboard
    records it (``student.ManualEnrollmentAudit``): who, for which email, the transition and the reason.

    .. pii: The email address the enrollment was made for.
    .. pii_types: email_address
    .. pii_retirement: local_api
    """

    enrollment = models.ForeignKey(CourseEnrollment, null=True, on_delete=models.CASCADE, related_name="+")
    enrolled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.CASCADE, related_name="+")
    enrolled_email = models.CharField(max_length=255, db_index=True)
    time_stamp = models.DateTimeField(default=timezone.now)
    state_transition = models.CharField(max_length=255)
    reason = models.TextField(blank=True)
    role = models.CharField(max_length=64, blank=True)

    def __str__(self):
        return f"{self.state_transition} of {self.enrolled_email} by user {self.enrolled_by_id}"


class HistoryRecord(models.Model):
    """
    The columns django-simple-history adds to the copy of a row it writes on each save (``history_*``);
    ``DEVHOST_ENROLLMENT=platform`` writes them where the platform's models keep a history.
    """

    history_id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    history_date = models.DateTimeField(default=timezone.now, db_index=True)
    history_type = models.CharField(max_length=1, choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")])
    history_change_reason = models.CharField(max_length=100, null=True)
    history_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, db_constraint=False, related_name="+"
    )

    class Meta:
        abstract = True


class CourseEnrollmentHistory(HistoryRecord):
    """
    A copy of an enrollment as it was saved (``student_courseenrollment_history``, the platform's
    ``HistoricalCourseEnrollment``).

    .. no_pii:
    """

    id = models.BigIntegerField(db_index=True)
    user_id = models.IntegerField(db_index=True)
    course_key = CourseKeyField(max_length=255, db_index=True)
    is_active = models.BooleanField()
    mode = models.CharField(max_length=100)
    created = models.DateTimeField(null=True, db_index=True)

    def __str__(self):
        return f"{self.history_type} enrollment {self.id} at {self.history_date}"


class ManualEnrollmentAuditHistory(HistoryRecord):
    """
    A copy of a ``ManualEnrollmentAudit`` row as it was saved (the platform's
    ``HistoricalManualEnrollmentAudit``).

    .. pii: The email address the enrollment was made for.
    .. pii_types: email_address
    .. pii_retirement: local_api
    """

    id = models.BigIntegerField(db_index=True)
    enrollment_id = models.BigIntegerField(null=True, db_index=True)
    enrolled_by_id = models.IntegerField(null=True, db_index=True)
    enrolled_email = models.CharField(max_length=255, db_index=True)
    time_stamp = models.DateTimeField(null=True)
    state_transition = models.CharField(max_length=255)
    reason = models.TextField(null=True)
    role = models.CharField(max_length=64, null=True)

    def __str__(self):
        return f"{self.history_type} audit {self.id} at {self.history_date}"


class CourseEnrollmentAllowed(models.Model):
    """
    An email allowed to enroll in a course, which the first user enrolling with it claims
    (``student.CourseEnrollmentAllowed``).

    .. pii: The email address allowed to enroll.
    .. pii_types: email_address
    .. pii_retirement: local_api
    """

    email = models.CharField(max_length=255, db_index=True)
    course_key = CourseKeyField(max_length=255, db_index=True)
    auto_enroll = models.BooleanField(default=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now, null=True, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["email", "course_key"], name="devhost_allowed_unique_email")]

    def __str__(self):
        return f"{self.email} allowed in {self.course_key}"


# django_comment_common's FORUM_ROLE_STUDENT, the role every enrollment saved gives its learner.
FORUM_ROLE_STUDENT = "Student"


class ForumRole(models.Model):
    """
    A discussion forum role in a course and the users holding it (``django_comment_common.Role``), made
    with the course: every enrollment saved gives its learner the course's Student role.

    .. no_pii:
    """

    name = models.CharField(max_length=30)
    course_key = CourseKeyField(max_length=255, blank=True, db_index=True)
    users = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["course_key", "name"], name="devhost_forumrole_unique")]

    def __str__(self):
        return f"{self.name} of {self.course_key}"


class Schedule(models.Model):
    """
    When a learner's access to the course starts and their upgrade deadline
    (``schedules.Schedule``), made when their enrollment is created.

    .. no_pii:
    """

    enrollment = models.OneToOneField(CourseEnrollment, on_delete=models.CASCADE, related_name="+")
    start_date = models.DateTimeField(db_index=True, null=True)
    upgrade_deadline = models.DateTimeField(db_index=True, null=True)
    created = models.DateTimeField(default=timezone.now)
    modified = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"schedule of enrollment {self.enrollment_id}"


class ScheduleHistory(HistoryRecord):
    """
    A copy of a schedule as it was saved (the platform's ``HistoricalSchedule``).

    .. no_pii:
    """

    id = models.BigIntegerField(db_index=True)
    enrollment_id = models.BigIntegerField(null=True, db_index=True)
    start_date = models.DateTimeField(db_index=True, null=True)
    upgrade_deadline = models.DateTimeField(db_index=True, null=True)
    created = models.DateTimeField()
    modified = models.DateTimeField()

    def __str__(self):
        return f"{self.history_type} schedule {self.id} at {self.history_date}"


class ScheduleExperience(models.Model):
    """
    Which course-update emails a schedule's learner gets (``schedules.ScheduleExperience``).

    .. no_pii:
    """

    schedule = models.OneToOneField(Schedule, on_delete=models.CASCADE, related_name="experience")
    experience_type = models.PositiveSmallIntegerField(default=0)

    def __str__(self):
        return f"experience {self.experience_type} of schedule {self.schedule_id}"


class BlockCompletion(LearnerCourseRecord):
    """
    How far a user has completed a leaf block, 0.0 to 1.0 (edx-completion's ``BlockCompletion``): a
    block counts as complete at 1.0, and a part (a video partly watched) is activity, not progress.

    .. no_pii:
    """

    block_key = UsageKeyField(max_length=255)
    block_type = models.CharField(max_length=16)
    completion = models.FloatField(validators=[MinValueValidator(0.0), MaxValueValidator(1.0)])
    modified = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "course_key", "block_key"], name="devhost_completion_unique"),
        ]

    def __str__(self):
        return f"{self.block_key} for user {self.user_id}: {self.completion}"


class BlockVisit(LearnerCourseRecord):
    """
    A user's state of a block they opened that holds no answer: the row the LMS's
    ``courseware.StudentModule`` keeps for a section's position or a video's place, saved each time
    they open it. It records activity, not progress.

    .. no_pii:
    """

    block_key = UsageKeyField(max_length=255)
    modified = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "course_key", "block_key"], name="devhost_visit_unique"),
        ]

    def __str__(self):
        return f"{self.block_key} visited by user {self.user_id}"


class CohortMembership(LearnerCourseRecord):
    """
    The cohort a user belongs to in a course (``course_groups.CohortMembership``): one at most.

    .. no_pii:
    """

    name = models.CharField(max_length=100)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "course_key"], name="devhost_cohort_one_per_course"),
        ]

    def __str__(self):
        return f"user {self.user_id} in cohort {self.name} of {self.course_key}"


class ItemBankSelection(LearnerCourseRecord):
    """
    The leaves of an item bank a user was given (the bank's ``StudentModule`` state ``selected`` in
    the platform), made the first time the user's blocks are worked out, as the platform's
    ``ContentLibraryTransformer`` does, and kept.

    .. no_pii:
    """

    block_key = UsageKeyField(max_length=255)
    selected = models.JSONField(default=list)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "course_key", "block_key"], name="devhost_bank_selection_unique"),
        ]

    def __str__(self):
        return f"{self.block_key} for user {self.user_id}: {len(self.selected)} selected"


class ProblemState(LearnerCourseRecord):
    """
    A user's state in a problem: last answer, its correctness, attempts and score (the LMS keeps this
    in ``courseware.StudentModule``).

    .. no_pii:
    """

    block_key = UsageKeyField(max_length=255)
    answer = models.TextField(blank=True)
    correct = models.BooleanField(default=False)
    attempts = models.PositiveIntegerField(default=0)
    earned = models.FloatField(default=0.0)
    possible = models.FloatField(default=1.0)
    modified = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "course_key", "block_key"], name="devhost_problem_state_unique"),
        ]

    def __str__(self):
        return f"{self.block_key} for user {self.user_id}"


class PersistentCourseGrade(LearnerCourseRecord):
    """
    A user's grade in a course and whether it passes, kept to tell when the passing state changes.

    .. no_pii:
    """

    percent_grade = models.FloatField(default=0.0)
    passed = models.BooleanField(default=False)
    modified = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "course_key"], name="devhost_grade_one_per_course"),
        ]

    def __str__(self):
        return f"grade of user {self.user_id} in {self.course_key}: {self.percent_grade}"


class ScormStatement(LearnerCourseRecord):
    """
    A SCORM/xAPI statement a SCORM package recorded for a user: verb, object (activity) and result.

    .. no_pii:
    """

    verb = models.CharField(max_length=64)
    object = models.CharField(max_length=255)
    result = models.CharField(max_length=255, blank=True)
    timestamp = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["user", "course_key", "timestamp"], name="devhost_scorm_user_course")]

    def __str__(self):
        return f"{self.verb} {self.object} by user {self.user_id}"


def _new_uuid() -> str:
    return uuid.uuid4().hex


class GeneratedCertificate(LearnerCourseRecord):
    """
    A user's certificate in a course (``certificates.GeneratedCertificate``): ``downloadable`` when
    issued, ``unavailable`` when revoked; ``verify_uuid`` names its page (``/certificates/<uuid>``),
    kept when it is issued again.

    .. no_pii:
    """

    DOWNLOADABLE = "downloadable"
    UNAVAILABLE = "unavailable"

    status = models.CharField(max_length=32, choices=[(s, s) for s in (DOWNLOADABLE, UNAVAILABLE)])
    mode = models.CharField(max_length=100, default="audit")
    verify_uuid = models.CharField(max_length=32, default=_new_uuid, db_index=True)
    created_date = models.DateTimeField(default=timezone.now)
    modified_date = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "course_key"], name="devhost_certificate_one_per_course"),
        ]

    def __str__(self):
        return f"certificate of user {self.user_id} in {self.course_key} ({self.status})"


class CourseAccessRole(LearnerCourseRecord):
    """
    A course team role held by a user (``student.CourseAccessRole``).

    .. no_pii:
    """

    role = models.CharField(max_length=64, choices=[(role, role) for role in COURSE_TEAM_ROLES])

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "course_key", "role"], name="devhost_role_unique"),
        ]

    def __str__(self):
        return f"{self.role} of {self.course_key}: user {self.user_id}"


class UserPreference(models.Model):
    """
    A preference a user set (``user_api.UserPreference``), such as ``pref-lang``, the language they
    chose for the site, which the platform's messages are written in.

    .. no_pii:
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    value = models.TextField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="devhost_preference_unique_key")]

    def __str__(self):
        return f"{self.key} of user {self.user_id}"


class OutboxMessage(models.Model):
    """
    An email the platform sent: the host's email backend (``devhost.lms.mail``) keeps it here instead
    of delivering it, with the user it was addressed to.

    .. pii: The addresses and the message, which may name the user.
    .. pii_types: email_address, other
    .. pii_retirement: retained
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.CASCADE, related_name="+")
    to_email = models.CharField(max_length=255, default="")
    from_email = models.CharField(max_length=255, default="")
    subject = models.CharField(max_length=255)
    body = models.TextField()
    html = models.TextField(blank=True)
    created = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"{self.subject!r} to user {self.user_id}"
