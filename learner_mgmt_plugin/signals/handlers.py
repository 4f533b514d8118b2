"""
Receivers of what the host reports: openedx-events (wired through the plugin's ``signals_config``)
and progress changes (wired through the host adapter). Thin: each hands one learner's event to
``api`` (which ignores the echoes of the plugin's own changes) and never lets a failure of its own
break the LMS request that sent the event.
"""

import functools
import logging

from .. import api
from ..host import get_host

log = logging.getLogger(__name__)


def _guarded(receiver):
    @functools.wraps(receiver)
    def guarded(*args, **kwargs):
        try:
            receiver(*args, **kwargs)
        except Exception:  # pylint: disable=broad-exception-caught
            log.exception("Learner management could not apply a host event (%s).", receiver.__name__)

    return guarded


def connect_host_receivers():
    """
    Ask the host adapter to report progress changes to ``on_progress``, other activity to
    ``on_activity`` and retirements to ``on_user_retired``.
    """
    host = get_host()
    host.connect_progress_receivers(on_progress, on_activity)
    host.connect_retirement_receivers(on_user_retired)


@_guarded
def on_progress(user_id, course_key):
    """
    A learner's progress in a course may have changed.
    """
    api.record_progress(course_key, user_id)


@_guarded
def on_activity(user_id, course_key):
    """
    A learner did something in a course that is not progress (opened a section, attempted a problem).
    """
    api.record_activity(course_key, user_id)


@_guarded
def on_course_enrollment_created(enrollment, **kwargs):
    """
    ``COURSE_ENROLLMENT_CREATED``: a learner enrolled on their own (or was enrolled by other means).
    """
    api.record_self_enrollment(enrollment.course.course_key, enrollment.user.id)


@_guarded
def on_course_enrollment_changed(enrollment, **kwargs):
    """
    ``COURSE_ENROLLMENT_CHANGED``: the LMS sends it whenever an enrollment's mode or active flag
    changes, and nothing else when an enrollment is re-activated or deactivated through
    ``update_enrollment`` (the enrollment API, Django admin) rather than ``enroll``/``unenroll``.
    Applying it is a no-op for a learner already listed (or already gone).
    """
    if enrollment.is_active:
        api.record_self_enrollment(enrollment.course.course_key, enrollment.user.id)
    else:
        api.record_self_unenrollment(enrollment.course.course_key, enrollment.user.id)


@_guarded
def on_course_unenrollment_completed(enrollment, **kwargs):
    """
    ``COURSE_UNENROLLMENT_COMPLETED``: a learner left the course.
    """
    api.record_self_unenrollment(enrollment.course.course_key, enrollment.user.id)


@_guarded
def on_certificate_created(certificate, **kwargs):
    """
    ``CERTIFICATE_CREATED``: the LMS issued a certificate.
    """
    api.record_certificate(certificate.course.course_key, certificate.user.id, issued=True)


@_guarded
def on_certificate_revoked(certificate, **kwargs):
    """
    ``CERTIFICATE_REVOKED``: the LMS revoked a certificate.
    """
    api.record_certificate(certificate.course.course_key, certificate.user.id, issued=False)


@_guarded
def on_course_passing_status_updated(course_passing_status, **kwargs):
    """
    ``COURSE_PASSING_STATUS_UPDATED``: a learner's passing state changed.
    """
    api.record_passing(
        course_passing_status.course.course_key,
        course_passing_status.user.id,
        course_passing_status.is_passing,
    )


def on_user_retired(user_id):
    """
    The LMS retired a user: erase what the plugin holds about them. Not guarded: a retirement that
    cannot finish must fail, so that the LMS's pipeline retries it.
    """
    api.retire_learner(user_id)
