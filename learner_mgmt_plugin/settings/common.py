"""
Plugin settings applied to the LMS's common settings (edx-django-utils ``plugin_settings``).
"""

from learner_mgmt_plugin.conf import DEFAULTS


def plugin_settings(settings):
    """
    Give every ``LEARNER_MGMT_*`` setting its default unless the host already set it.
    """
    for name, default in DEFAULTS.items():
        setting = f"LEARNER_MGMT_{name}"
        if not hasattr(settings, setting):
            setattr(settings, setting, default)
