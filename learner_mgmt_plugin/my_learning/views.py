"""
``/learner_mgmt/my-learning/``: the courses assigned to the signed-in learner, Required first and by
due date, server-rendered (no script needed), and the forms with which they book, change or cancel
their seat in an ILT course. Every change redirects back to the page with what happened.
"""

import re

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import api
from ..exceptions import HostUnavailable, LearnerMgmtError
from ..instructor_dashboard.page import assets

TEMPLATE = "learner_mgmt_plugin/my_learning.html"
BOOK, CANCEL = "book", "cancel"


def _anchor(course_key: str) -> str:
    """
    The id of a course's card on the page, to come back to it after a change.
    """
    return "course-" + re.sub(r"[^A-Za-z0-9]+", "-", course_key).strip("-").lower()


def _learner_home_url() -> str:
    """
    Where the learner's courses are: the learner dashboard MFE where the LMS has one, else the LMS's
    dashboard, which sends them there or shows its own.
    """
    return getattr(settings, "LEARNER_HOME_MICROFRONTEND_URL", None) or "/dashboard"


@login_required
def my_learning(request):
    """
    The page: only ever the signed-in user's own assignments.
    """
    context = {"assets": assets(), "now": timezone.now(), "learner_home_url": _learner_home_url()}
    try:
        assignments = api.list_my_assignments(request.user)
    except HostUnavailable:
        return render(request, TEMPLATE, {**context, "unavailable": True}, status=503)
    cards = [{"assignment": assignment, "anchor": _anchor(assignment.course_key)} for assignment in assignments]
    return render(request, TEMPLATE, {**context, "cards": cards})


@login_required
@require_POST
def my_session(request, course_id):
    """
    Book (``action=book`` with ``session_id``) or cancel (``action=cancel``) the learner's own seat in
    the course, then back to their card on the page with what happened, or why not.
    """
    action = request.POST.get("action")
    try:
        if action == BOOK:
            session_id = request.POST.get("session_id", "")
            assignment = api.book_my_session(request.user, course_id, int(session_id) if session_id.isdigit() else None)
            messages.success(request, _("You are booked in '{title}'.").format(title=assignment.session.title))
        elif action == CANCEL:
            assignment = api.cancel_my_session(request.user, course_id)
            messages.success(
                request, _("Your booking in {course} is cancelled.").format(course=assignment.course_title)
            )
        else:
            messages.error(request, _("Choose to book a session or to cancel your booking."))
    except LearnerMgmtError as error:
        messages.error(request, error.message)
    except HostUnavailable:
        messages.error(request, _("The LMS could not be reached. Try again in a moment."))
    return redirect(reverse("learner_mgmt_plugin:my_learning") + "#" + _anchor(course_id))
