"""
openedx-filters pipeline steps that put Learner Management on the instructor dashboard.

``settings/common.py`` registers them in ``OPEN_EDX_FILTERS_CONFIG``. Both show the course team the
same page: the legacy dashboard embeds it as a section, the instructor dashboard MFE links to it as a
tab (the plugin's own page in the LMS). Neither adds anything for users who may not manage the course.
"""

import logging

from crum import get_current_request
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from openedx_filters import PipelineStep

from .. import api
from ..exceptions import HostUnavailable, LearnerMgmtError
from . import page

log = logging.getLogger(__name__)
# What may go wrong in the plugin while the LMS builds its dashboard: then the dashboard goes without
# Learner Management, whether or not the site lets the filter fail silently.
_PLUGIN_FAILURES = (HostUnavailable, LearnerMgmtError)

SECTION_KEY = "learner_mgmt"
TAB_ID = "learner_mgmt"
# Where the legacy dashboard looks for the section's Mako template: <prefix><section_key>.html.
TEMPLATE_PATH_PREFIX = "/instructor_dashboard/"
# After the MFE's own tabs (10 to 110).
TAB_SORT_ORDER = 130


class AddLearnerManagementSection(PipelineStep):
    """
    ``org.openedx.learning.instructor.dashboard.render.started.v1``: add the Learner Management section
    to the legacy instructor dashboard.

    The section carries the page as a web_fragments ``Fragment``: the body is the page's markup (its
    Mako template, ``instructor_dashboard/learner_mgmt.html``, outputs it), the stylesheet goes in the
    dashboard's head and the scripts at its foot.
    """

    def run_filter(self, context, template_name):  # pylint: disable=arguments-differ,unused-argument
        """
        Append the section to ``context["sections"]`` for a user who may manage the course.
        """
        # The LMS puts no user or request in the context; it runs crum's middleware.
        request = get_current_request()
        course_key = context["course"].id
        sections = context.setdefault("sections", [])
        if request is None or any(section.get("section_key") == SECTION_KEY for section in sections):
            return {"context": context}
        # The LMS has web_fragments (XBlock needs it); nothing but this step does here.
        from web_fragments.fragment import Fragment  # pylint: disable=import-outside-toplevel

        try:
            if not api.can_manage_course(request.user, course_key):
                return {"context": context}
            rendered = page.render_app(request, course_key)
        except _PLUGIN_FAILURES:
            log.exception("The Learner Management section of %s could not be added.", course_key)
            return {"context": context}
        fragment = Fragment(rendered.body)
        fragment.add_css_url(rendered.css_url)
        fragment.add_resource(rendered.scripts, "text/html", "foot")
        sections.append(
            {
                "section_key": SECTION_KEY,
                "section_display_name": _("Learner Management"),
                "course_id": str(course_key),
                "fragment": fragment,
                "template_path_prefix": TEMPLATE_PATH_PREFIX,
            }
        )
        return {"context": context}


class AddLearnerManagementTab(PipelineStep):
    """
    ``org.openedx.learning.instructor.dashboard.tabs.requested.v1``: add a Learner Management tab to the
    instructor dashboard MFE.

    Its URL is absolute, so the MFE opens it as a page of its own: the plugin's page in the LMS. A
    root-relative URL would be an MFE route needing a frontend plugin.
    """

    def run_filter(self, tabs, user, course_key):  # pylint: disable=arguments-differ
        """
        Append the tab to ``tabs`` for a user who may manage the course.
        """
        tabs = list(tabs or [])
        if any(tab.get("tab_id") == TAB_ID for tab in tabs):
            return {"tabs": tabs}
        try:
            if not api.can_manage_course(user, course_key):
                return {"tabs": tabs}
        except _PLUGIN_FAILURES:
            log.exception("The Learner Management tab of %s could not be added.", course_key)
            return {"tabs": tabs}
        tabs.append(
            {
                "tab_id": TAB_ID,
                "title": _("Learner Management"),
                "url": page_url(course_key),
                "sort_order": TAB_SORT_ORDER,
            }
        )
        return {"tabs": tabs}


def page_url(course_key) -> str:
    """
    The absolute URL of the course's Learner Management page: on the host the request came to (the
    MFE's API calls reach the LMS), else on ``LMS_ROOT_URL``.
    """
    path = reverse("learner_mgmt_plugin:learner_management", kwargs={"course_id": str(course_key)})
    request = get_current_request()
    if request is not None:
        return request.build_absolute_uri(path)
    return getattr(settings, "LMS_ROOT_URL", "").rstrip("/") + path
