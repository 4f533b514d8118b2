"""
Django app configuration and Open edX plugin wiring.

Only string keys here: the LMS imports this module before its settings are loaded, and nothing from
edx-platform may be imported at module level.
"""

from django.apps import AppConfig


class LearnerMgmtPluginConfig(AppConfig):
    """
    The Learner Management plugin app.
    """

    name = "learner_mgmt_plugin"
    label = "learner_mgmt_plugin"
    verbose_name = "Learner Management"
    default_auto_field = "django.db.models.BigAutoField"

    plugin_app = {
        "url_config": {
            "lms.djangoapp": {
                "namespace": "learner_mgmt_plugin",
                "regex": r"^",
                "relative_path": "urls",
            },
        },
        "settings_config": {
            "lms.djangoapp": {
                "common": {"relative_path": "settings.common"},
                "production": {"relative_path": "settings.production"},
            },
        },
        "signals_config": {
            "lms.djangoapp": {
                "relative_path": "signals.handlers",
                "receivers": [
                    {
                        "receiver_func_name": "on_course_enrollment_created",
                        "signal_path": "openedx_events.learning.signals.COURSE_ENROLLMENT_CREATED",
                        "dispatch_uid": "learner_mgmt_plugin.on_course_enrollment_created",
                    },
                    {
                        "receiver_func_name": "on_course_enrollment_changed",
                        "signal_path": "openedx_events.learning.signals.COURSE_ENROLLMENT_CHANGED",
                        "dispatch_uid": "learner_mgmt_plugin.on_course_enrollment_changed",
                    },
                    {
                        "receiver_func_name": "on_course_unenrollment_completed",
                        "signal_path": "openedx_events.learning.signals.COURSE_UNENROLLMENT_COMPLETED",
                        "dispatch_uid": "learner_mgmt_plugin.on_course_unenrollment_completed",
                    },
                    {
                        "receiver_func_name": "on_certificate_created",
                        "signal_path": "openedx_events.learning.signals.CERTIFICATE_CREATED",
                        "dispatch_uid": "learner_mgmt_plugin.on_certificate_created",
                    },
                    {
                        "receiver_func_name": "on_certificate_revoked",
                        "signal_path": "openedx_events.learning.signals.CERTIFICATE_REVOKED",
                        "dispatch_uid": "learner_mgmt_plugin.on_certificate_revoked",
                    },
                    {
                        "receiver_func_name": "on_course_passing_status_updated",
                        "signal_path": "openedx_events.learning.signals.COURSE_PASSING_STATUS_UPDATED",
                        "dispatch_uid": "learner_mgmt_plugin.on_course_passing_status_updated",
                    },
                ],
            },
        },
    }

    def ready(self):
        # Progress and retirements reach the plugin through whatever the host offers (edx-completion
        # and the retirement pipeline's signal in the LMS); the host adapter knows which signals.
        from .signals import handlers  # pylint: disable=import-outside-toplevel

        handlers.connect_host_receivers()
