"""
The plugin's settings, read from Django settings at call time.

Every setting is prefixed ``LEARNER_MGMT_``. Defaults live here so that ``settings/common.py`` and the
code agree on them; the LMS may replace any of them from its YAML configuration.
"""

from django.conf import settings as django_settings

DEFAULTS = {
    # Dotted path of the class implementing learner_mgmt_plugin.host.base.LmsHost.
    "HOST_ADAPTER": "learner_mgmt_plugin.host.openedx.OpenEdxHost",
    # Progress (0-100) above which a started learner counts as "XX% Completed".
    "MEANINGFUL_PROGRESS_THRESHOLD": 0,
    # How far back (days after a session ended) a learner may still be seated, flagged retroactive.
    "RETROACTIVE_DAYS": 90,
    # Enrollment mode (track) learners assigned by the plugin are enrolled in, when the course offers it.
    # None: the course's mode that earns a certificate, if it offers one, else its default mode.
    "ENROLLMENT_MODE": None,
    # Course role granted by the make_instructor action: Open edX's "instructor" (Course Admin) or "staff".
    "INSTRUCTOR_ROLE": "instructor",
    # When True, completed learners are always re-assigned and the "skip completed" choice is not offered.
    "ALLOW_REASSIGNMENT_REGARDLESS_OF_STATUS": False,
    # What makes a learner complete on their own: "all_content" or "passing_grade".
    "COMPLETION_RULE": "all_content",
    # Where employee IDs come from: "plugin" (the plugin's own mapping, editable in Django admin) or
    # "<app_label>.<Model>.<field>" naming a host model with a ``user`` relation.
    "EMPLOYEE_ID_SOURCE": "plugin",
    # CSV import limits: anything beyond them is refused whole.
    "IMPORT_MAX_BYTES": 20 * 1024 * 1024,
    "IMPORT_MAX_ROWS": 200_000,
    # Failed rows are listed inline in the import result only when fewer than this many failed.
    "IMPORT_INLINE_FAILURES_BELOW": 50,
    # Learners written per transaction chunk by bulk work (imports, assignments, mass actions).
    "CHUNK_SIZE": 2000,
    # Imports of more rows, and mass actions on or assignments of more learners, run as background
    # jobs (Celery).
    "IMPORT_BACKGROUND_ROWS": 1000,
    "MASS_ACTION_BACKGROUND_SIZE": 500,
    "ASSIGNMENT_BACKGROUND_SIZE": 1000,
    # Celery queue of the background jobs; None sends them where the LMS routes its default tasks.
    "CELERY_QUEUE": None,
    # Chunks of one background job applied at the same time, each by a task of its own on whichever
    # worker takes it: more finish a large job sooner, fewer leave workers to the LMS's other tasks.
    "JOB_PARALLEL_CHUNKS": 4,
    # Largest page of the learner list.
    "MAX_PAGE_SIZE": 500,
    # The page exports more learners than this with a background job (POST exports/), and the file
    # downloads when it is written; fewer are downloaded within the request.
    "EXPORT_BACKGROUND_ROWS": 10_000,
    # When set, the fields of a Celery crontab (e.g. {"hour": 7, "minute": 0}): a Celery beat entry sends
    # the due date reminders and overdue notices on that schedule. None: run send_learner_mgmt_reminders.
    "REMINDERS_SCHEDULE": None,
}


class _AppSettings:
    """
    Attribute access to the plugin's settings, e.g. ``app_settings.RETROACTIVE_DAYS``.

    Reads ``django.conf.settings.LEARNER_MGMT_<NAME>`` on every access, so ``override_settings`` and
    settings the LMS loads after this module was imported both take effect.
    """

    def __getattr__(self, name):
        if name not in DEFAULTS:
            raise AttributeError(f"Unknown learner management setting: {name}")
        return getattr(django_settings, f"LEARNER_MGMT_{name}", DEFAULTS[name])


app_settings = _AppSettings()
