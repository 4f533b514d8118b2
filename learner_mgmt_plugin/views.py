"""
The plugin's own page in the LMS: Learner Management for one course, which the instructor dashboard
MFE's tab opens (the legacy dashboard embeds the same page as a section).
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from . import api
from .exceptions import HostUnavailable, InvalidInput, NotFound
from .instructor_dashboard import page


@login_required
def learner_management(request, course_id):
    """
    ``/learner_mgmt/courses/<course_id>/``: the page, for the course team and platform admins; 404 for
    a malformed or unknown course id, 403 for anyone else, 503 while the LMS cannot be reached.
    """
    try:
        if not api.can_manage_course(request.user, course_id):
            raise PermissionDenied
        context = page.page_context(request, course_id)
        context["dashboard_url"] = api.instructor_dashboard_url(course_id)
    except (InvalidInput, NotFound) as error:
        raise Http404(str(error)) from error
    except HostUnavailable:
        return HttpResponse(_("The LMS could not be reached. Try again in a moment."), status=503)
    return render(request, "learner_mgmt_plugin/page.html", context)
