"""
The words of the learner dashboard MFE's plugins (``tutor/learner_dashboard.jsx``), sent with the
learner's assignments in their language: the plugins carry no words of their own.
"""

from django.utils.translation import gettext as _


def learner_dashboard_labels() -> dict:
    return {
        "assigned_to_you": _("Assigned to you"),
        "see_all": _("See all in My Learning"),
    }
