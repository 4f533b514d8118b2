"""
``DEVHOST_ENROLLMENT=platform``: enrollment one learner at a time, with the database statements the
Open edX LMS (Ulmo) runs for each, so that benchmarks pay the platform's per-learner cost.

The plugin's Open edX adapter (``learner_mgmt_plugin.host.openedx``) loads the users and their active
enrollments once, then for each other learner calls ``CourseEnrollment.enroll(user, course_key, mode)``
and ``ManualEnrollmentAudit.create_manual_enrollment_audit``, as the instructor dashboard does (its
``StudentsUpdateEnrollmentView`` is ``non_atomic_requests``: each statement commits on its own but for
the platform's own ``atomic`` blocks). A job of the plugin enrolls its chunk's learners that way, ahead
of the chunk's transaction; what is left then, enrolled within it, is a no-op read. Per learner, in
order (``common/djangoapps/student/models/course_enrollment.py`` unless named):

1. ``CourseEnrollment.enroll``: the ``CourseEnrollmentStarted`` filter (no statement); the course
   (``CourseOverview.get_from_id``) and the default mode (``_default_course_mode``) are request-cached,
   read once per call;
2. ``is_enrolled`` -> ``_get_enrollment_state``: SELECT the enrollment;
3. ``get_or_create_enrollment`` -> ``objects.get_or_create``: SELECT the enrollment; if there is none,
   in ``transaction.atomic`` (a savepoint when there is an outer transaction): INSERT it, inactive, in the
   default mode (an ``IntegrityError``, another process having created it since, rolls that back and
   SELECTs it again), and its ``post_save`` receivers (created):

   - django-simple-history: INSERT into ``student_courseenrollment_history`` ("+");
   - ``assign_default_role_on_enrollment`` (``openedx/core/djangoapps/django_comment_common/models.py``):
     SELECT the course's forum Student role (``Role.objects.get_or_create``), INSERT ... IGNORE its
     membership (``user.roles.add``);
   - ``create_schedule`` (``openedx/core/djangoapps/schedules/signals.py``): SELECT the course overview
     (``enrollment.course_overview``), INSERT the ``Schedule``, its history row, its
     ``ScheduleExperience`` (the dynamic-deadline configurations it reads are cached);

   then UPDATE the ``CourseEnrollmentAllowed`` rows of the user's email left unclaimed;
4. ``update_enrollment(is_active=True, mode=mode)``: SELECT the course overview (``self.course``; already
   loaded by ``create_schedule`` for a new enrollment), UPDATE the enrollment (``save``), its
   ``post_save`` receivers again (history "~", forum role SELECT and INSERT ... IGNORE), then
   ``COURSE_ENROLLMENT_CHANGED``, whose data read ``user.profile``: SELECT the profile;
   ``emit_event`` (tracking logs, Segment), ``send_signal`` (``ENROLL_STATUS_CHANGE``) and
   ``COURSE_ENROLLMENT_CREATED`` write nothing in a default LMS;
5. ``ManualEnrollmentAudit.create_manual_enrollment_audit``: INSERT the audit and its history row.

Not modelled: what only a mode change does (``ENROLLMENT_TRACK_UPDATED``: grade and schedule tasks) and
receivers that are off by default (celebrations, enrollment emails, the external-updates experiment).
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from openedx_events.learning.signals import COURSE_ENROLLMENT_CHANGED, COURSE_ENROLLMENT_CREATED
from openedx_filters.learning.filters import CourseEnrollmentStarted

from . import api
from .models import (
    DEFAULT_MODE_SLUG,
    FORUM_ROLE_STUDENT,
    UNENROLLED_TO_ENROLLED,
    CourseEnrollment,
    CourseEnrollmentAllowed,
    CourseEnrollmentHistory,
    CourseOverview,
    ForumRole,
    ManualEnrollmentAudit,
    ManualEnrollmentAuditHistory,
    Schedule,
    ScheduleExperience,
    ScheduleHistory,
)

User = get_user_model()


def enroll_each(course, user_ids: set[int], *, mode, enrolled_by, reason) -> dict[int, str]:
    """
    ``api.bulk_enroll`` one learner at a time, as the platform enrolls: same enrollments, audits,
    events and refusals as the fast path.
    """
    filtering = settings.OPEN_EDX_FILTERS_CONFIG.get(CourseEnrollmentStarted.filter_type)
    users = User.objects.in_bulk(user_ids)
    active = set(
        CourseEnrollment.objects.filter(course_key=course.id, user_id__in=user_ids, is_active=True).values_list(
            "user_id", flat=True
        )
    )
    chosen_mode = mode or api._default_mode(course.id)
    refused = {}
    for user_id in sorted(users):
        user = users[user_id]
        if filtering:
            try:
                CourseEnrollmentStarted.run_filter(user=user, course_key=course.id, mode=mode)
            except CourseEnrollmentStarted.PreventEnrollment as error:
                refused[user_id] = str(error)
                continue
        if user_id not in active:
            enrollment = _enroll(course, user, chosen_mode, enrolled_by)
            if reason:
                _audit(enrollment, user, enrolled_by, reason)
    return refused


def _enroll(course, user, mode, actor_id) -> CourseEnrollment:
    """
    ``CourseEnrollment.enroll`` with ``check_access`` off: steps 2 to 4 of the module docstring.
    """
    _enrollment(user.pk, course.id)  # is_enrolled
    enrollment = _enrollment(user.pk, course.id)  # get_or_create: get
    created = enrollment is None
    if created:
        try:
            with transaction.atomic():
                enrollment = CourseEnrollment.objects.create(
                    user_id=user.pk,
                    course_key=course.id,
                    is_active=False,
                    mode=DEFAULT_MODE_SLUG,
                    created=timezone.now(),
                )
                _after_save(enrollment, "+", actor_id)
                _create_schedule(enrollment, actor_id)
        except IntegrityError:
            # get_or_create: another process created it since the get; it is got again.
            enrollment, created = _enrollment(user.pk, course.id), False
    CourseEnrollmentAllowed.objects.filter(email=user.email, course_key=course.id, user__isnull=True).update(user=user)
    if not created:
        _course_overview(course.id)  # update_enrollment: self.course.display_name
    enrollment.is_active, enrollment.mode = True, mode
    enrollment.save()
    _after_save(enrollment, "~", actor_id)
    # One SELECT of the user and profile, standing for COURSE_ENROLLMENT_CHANGED's ``user.profile.name``.
    state = {user.pk: (enrollment.mode, enrollment.created)}
    api._send_enrollment_events((COURSE_ENROLLMENT_CHANGED, COURSE_ENROLLMENT_CREATED), course, state)
    return enrollment


def _enrollment(user_id, course_key) -> CourseEnrollment | None:
    return CourseEnrollment.objects.filter(user_id=user_id, course_key=course_key).first()


def _course_overview(course_key) -> CourseOverview:
    return CourseOverview.objects.get(pk=course_key)


def _after_save(enrollment, history_type, actor_id):
    """
    The ``post_save`` receivers of every enrollment save: its history row and the forum Student role.
    """
    _write_history(enrollment, CourseEnrollmentHistory, history_type, actor_id)
    role, _ = ForumRole.objects.get_or_create(course_key=enrollment.course_key, name=FORUM_ROLE_STUDENT)
    role.users.add(enrollment.user_id)


def _create_schedule(enrollment, actor_id):
    """
    ``create_schedule`` for a new enrollment: access from enrollment (the development LMS's courses have
    no start date), no upgrade deadline (dynamic deadlines are off), the default experience.
    """
    _course_overview(enrollment.course_key)  # enrollment.course_overview
    schedule = Schedule.objects.create(enrollment=enrollment, start_date=enrollment.created)
    _write_history(schedule, ScheduleHistory, "+", actor_id)
    ScheduleExperience.objects.create(schedule=schedule)


def _audit(enrollment, user, actor_id, reason):
    """
    ``ManualEnrollmentAudit.create_manual_enrollment_audit`` and its history row.
    """
    audit = ManualEnrollmentAudit.objects.create(
        enrollment=enrollment,
        enrolled_by_id=actor_id,
        enrolled_email=user.email,
        state_transition=UNENROLLED_TO_ENROLLED,
        reason=reason,
    )
    _write_history(audit, ManualEnrollmentAuditHistory, "+", actor_id)


def _write_history(row, history_model, history_type, actor_id):
    """
    What django-simple-history's ``post_save`` receiver writes: a copy of the row as saved.
    """
    columns = [field.attname for field in history_model._meta.concrete_fields if not field.name.startswith("history_")]
    values = {column: getattr(row, column) for column in columns}
    history_model.objects.create(history_type=history_type, history_user_id=actor_id, **values)
