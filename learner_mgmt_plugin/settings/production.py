"""
Plugin settings applied to the LMS's production settings.

The LMS's production settings load its YAML configuration over the common settings: values given
there as ``LEARNER_MGMT_*`` keys already win, and an ``OPEN_EDX_FILTERS_CONFIG`` given there replaces
the whole dict the common settings filled in. So everything the common settings do is done again here
(it is idempotent): missing defaults are filled in and the dashboard filter steps merged back.
"""

from learner_mgmt_plugin.settings import common


def plugin_settings(settings):
    """
    Apply the common settings again after the YAML configuration has been loaded.
    """
    common.plugin_settings(settings)
