"""
The Tutor plugin ``learner-mgmt``: puts the Django app into the Open edX image, migrates it on ``launch`` and
adds the learner dashboard MFE's plugins through tutor-mfe.

The Django app applies its own settings (``plugin_settings``), so the plugin patches no settings file. Its
Dockerfile line installs ``LEARNER_MGMT_PIP_SPEC``, this very release by default; a checkout mounted with
``tutor mounts add /path/to/learner-mgmt-plugin`` is installed over it, editable.
"""

from importlib import resources

from tutor import fmt, hooks, plugins
from tutormfe import hooks as mfe_hooks

from learner_mgmt_plugin import __version__

LEARNER_DASHBOARD = "learner-dashboard"

# Insert widgets need a non-zero priority (FPF validates it); the slots' default widget has 50, so ours come first.
LEARNER_DASHBOARD_SLOTS = [
    (
        "org.openedx.frontend.learner_dashboard.course_list.v1",
        """
{
  op: PLUGIN_OPERATIONS.Wrap,
  widgetId: 'default_contents',
  wrapper: LearnerMgmtCourseList,
}""",
    ),
    (
        "org.openedx.frontend.learner_dashboard.course_card_banner.v1",
        """
{
  op: PLUGIN_OPERATIONS.Insert,
  widget: {
    id: 'learner_mgmt_badge',
    type: DIRECT_PLUGIN,
    priority: 10,
    RenderWidget: LearnerMgmtCardBadge,
  },
}""",
    ),
    (
        "org.openedx.frontend.learner_dashboard.widget_sidebar.v1",
        """
{
  op: PLUGIN_OPERATIONS.Insert,
  widget: {
    id: 'learner_mgmt_sidebar',
    type: DIRECT_PLUGIN,
    priority: 10,
    RenderWidget: LearnerMgmtSidebar,
  },
}""",
    ),
]


def learner_dashboard_jsx():
    """
    The JSX defining the components the slots name (``LearnerMgmtCourseList``...), as shipped in the package.
    """
    return resources.files(__package__).joinpath("learner_dashboard.jsx").read_text(encoding="utf-8")


def verbatim(text):
    """
    ``text`` as a patch that renders to itself: Tutor renders patches with Jinja, which would take JSX's
    ``{{ ... }}`` (an inline style, an object prop) for an expression.
    """
    return "{% raw %}" + text + "{% endraw %}"


hooks.Filters.CONFIG_DEFAULTS.add_item(("LEARNER_MGMT_PIP_SPEC", f"learner-mgmt-plugin=={__version__}"))

# Patches start with a newline: tutor-mfe glues some of them onto the end of the line before.
hooks.Filters.ENV_PATCHES.add_items(
    [
        (
            "openedx-dockerfile-post-python-requirements",
            "\nRUN --mount=type=cache,target=/openedx/.cache/pip,sharing=shared "
            "$PIP_COMMAND install '{{ LEARNER_MGMT_PIP_SPEC }}'",
        ),
        # Lands inside env.config.jsx's `if (process.env.APP_ID == 'learner-dashboard')` block, before the slots.
        (f"mfe-env-config-runtime-definitions-{LEARNER_DASHBOARD}", "\n" + verbatim(learner_dashboard_jsx())),
    ]
)

# Tutor's own lms init task migrates every app on launch; this one is what `do init --limit learner-mgmt` runs
# after an upgrade, without the rest of the platform's init.
hooks.Filters.CLI_DO_INIT_TASKS.add_item(("lms", "./manage.py lms migrate learner_mgmt_plugin"))

# `tutor mounts add /path/to/learner-mgmt-plugin` installs that checkout into the image (editable, after the spec
# above) and mounts it into the LMS containers.
hooks.Filters.MOUNTED_DIRECTORIES.add_item(("openedx", r"learner-mgmt-plugin$"))

mfe_hooks.PLUGIN_SLOTS.add_items([(LEARNER_DASHBOARD, slot, config) for slot, config in LEARNER_DASHBOARD_SLOTS])


@hooks.Actions.PLUGINS_LOADED.add()
def _warn_if_learner_dashboard_is_frontend_base():
    """
    Warn that the slots do not reach a learner dashboard built on frontend-base, which tutor-mfe 22 can enable
    instead of the FPF one (tutor-mfe 21 has no frontend-base apps).
    """
    frontend_apps = getattr(mfe_hooks, "FRONTEND_APPS", None)
    if frontend_apps is None or not plugins.is_loaded("mfe"):
        return
    if frontend_apps.apply({}).get(LEARNER_DASHBOARD, {}).get("enabled"):
        fmt.echo_alert(
            "learner-mgmt: the frontend-base learner dashboard is enabled; its slots are not supported, so learners "
            "see no assignments there. Disable it to use the learner dashboard MFE the plugin extends."
        )
