"""
Plugin settings applied to the LMS's common settings (edx-django-utils ``plugin_settings``).

Besides the ``LEARNER_MGMT_*`` defaults, this registers the plugin's instructor dashboard filter steps
in ``OPEN_EDX_FILTERS_CONFIG`` and its Mako templates in ``MAKO_TEMPLATE_DIRS_BASE``, so that an
operator only installs and migrates. Nothing here imports the plugin's Django code: the LMS applies
plugin settings before its apps are loaded.
"""

from pathlib import Path

from learner_mgmt_plugin.conf import DEFAULTS

RENDER_STARTED = "org.openedx.learning.instructor.dashboard.render.started.v1"
TABS_REQUESTED = "org.openedx.learning.instructor.dashboard.tabs.requested.v1"

# The pipeline step of each instructor dashboard filter: the legacy dashboard's section and the
# instructor dashboard MFE's tab.
FILTER_STEPS = {
    RENDER_STARTED: "learner_mgmt_plugin.instructor_dashboard.filters.AddLearnerManagementSection",
    TABS_REQUESTED: "learner_mgmt_plugin.instructor_dashboard.filters.AddLearnerManagementTab",
}

# Holds instructor_dashboard/learner_mgmt.html, the Mako template the legacy dashboard includes for
# the section.
MAKO_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def plugin_settings(settings):
    """
    Give every ``LEARNER_MGMT_*`` setting its default unless the host already set it, and register
    the instructor dashboard filter steps and Mako templates (both idempotent).
    """
    for name, default in DEFAULTS.items():
        setting = f"LEARNER_MGMT_{name}"
        if not hasattr(settings, setting):
            setattr(settings, setting, default)
    register_filter_steps(settings)
    register_reminders_schedule(settings)
    mako_dirs = getattr(settings, "MAKO_TEMPLATE_DIRS_BASE", None)
    # Appended in place: the LMS's template engines hold this very list.
    if mako_dirs is not None and MAKO_TEMPLATES not in mako_dirs:
        mako_dirs.append(MAKO_TEMPLATES)


REMINDERS_BEAT_ENTRY = "learner_mgmt_plugin.send_reminders"


def register_reminders_schedule(settings):
    """
    With ``LEARNER_MGMT_REMINDERS_SCHEDULE`` set, add the Celery beat entry that sends the reminders
    (replaced, never changed in place, like the filters' configuration); without it, remove ours.
    """
    beat = dict(getattr(settings, "CELERY_BEAT_SCHEDULE", None) or {})
    schedule = getattr(settings, "LEARNER_MGMT_REMINDERS_SCHEDULE", None)
    if schedule:
        from celery.schedules import crontab  # pylint: disable=import-outside-toplevel  (only when asked for)

        queue = getattr(settings, "LEARNER_MGMT_CELERY_QUEUE", None)
        beat[REMINDERS_BEAT_ENTRY] = {
            "task": "learner_mgmt_plugin.tasks.send_reminders",
            "schedule": crontab(**schedule),
            **({"options": {"queue": queue}} if queue else {}),
        }
    else:
        beat.pop(REMINDERS_BEAT_ENTRY, None)
    settings.CELERY_BEAT_SCHEDULE = beat


def register_filter_steps(settings):
    """
    Add the plugin's step to each instructor dashboard filter the installed openedx-filters defines.

    Steps configured by the site stay, in their order and with their options; ours is appended once.
    A filter configured as a list or a single step path (which openedx-filters runs with
    ``fail_silently``) stays a list; one not configured at all gets ``fail_silently: True``, so that a
    failing tab never takes the whole instructor dashboard down. The dict is replaced, never changed
    in place, since the LMS may share it with its YAML configuration.
    """
    config = dict(getattr(settings, "OPEN_EDX_FILTERS_CONFIG", None) or {})
    for filter_type, step in FILTER_STEPS.items():
        if filter_defined(filter_type):
            config[filter_type] = with_step(config.get(filter_type), step)
    settings.OPEN_EDX_FILTERS_CONFIG = config


def with_step(filter_config, step):
    """
    ``filter_config`` (a dict, a list of step paths, a step path or None) with ``step`` in its pipeline.
    """
    if not filter_config:
        return {"fail_silently": True, "pipeline": [step]}
    if isinstance(filter_config, str):
        return [filter_config] if filter_config == step else [filter_config, step]
    if isinstance(filter_config, dict):
        pipeline = filter_config.get("pipeline") or []
        pipeline = [pipeline] if isinstance(pipeline, str) else list(pipeline)
        return {**filter_config, "pipeline": pipeline if step in pipeline else [*pipeline, step]}
    steps = list(filter_config)
    return steps if step in steps else [*steps, step]


def filter_defined(filter_type) -> bool:
    """
    Whether the installed openedx-filters defines ``filter_type``: the MFE's tabs filter came with
    openedx-filters 3.4, which Ulmo's LMS does not have.
    """
    # Imported here, not at module level: ``register_filter_steps`` is all that needs it.
    from openedx_filters.learning import filters  # pylint: disable=import-outside-toplevel

    return any(getattr(value, "filter_type", None) == filter_type for value in vars(filters).values())
