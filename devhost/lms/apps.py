"""
App configuration of the development host's platform app.
"""

from django.apps import AppConfig
from edx_django_utils.plugins import connect_plugin_receivers


class DevhostLmsConfig(AppConfig):
    """
    The app that plays the Open edX LMS.
    """

    name = "devhost.lms"
    label = "devhost_lms"
    verbose_name = "Development LMS"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # What the LMS's plugins app does at start-up: connect the receivers that plugins declare.
        connect_plugin_receivers("lms.djangoapp")
