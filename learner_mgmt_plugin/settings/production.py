"""
Plugin settings applied to the LMS's production settings.

The LMS's production settings load its YAML configuration over the common settings, so values given
there as ``LEARNER_MGMT_*`` keys already win; this only fills in what is still missing.
"""

from learner_mgmt_plugin.settings import common


def plugin_settings(settings):
    """
    Apply the common defaults again after the YAML configuration has been loaded.
    """
    common.plugin_settings(settings)
