"""
Pages of the development host: the course list, each course's home and its instructor dashboard, and
its icon.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils.translation import gettext as _
from openedx_filters.learning.filters import InstructorDashboardRenderStarted
from web_fragments.fragment import Fragment

from . import api
from .models import CourseBlock, CourseEnrollment, CourseOverview, GeneratedCertificate


def favicon(request):
    """
    ``/favicon.ico``, which browsers ask every site for: the LMS redirects it, permanently, to its
    theme's icon among its static files (``lms/urls.py``: ``RedirectView`` to ``STATIC_URL`` +
    ``favicon_path``); this host to its own.
    """
    return redirect(static("devhost_lms/favicon.svg"), permanent=True)


def home(request):
    """
    Every course, each with a link to its instructor dashboard.
    """
    return render(request, "devhost_lms/home.html", {"courses": CourseOverview.objects.order_by("display_name")})


def course_home(request, course_key):
    """
    A course's home, where the LMS sends learners to take it (the learning MFE's, in Open edX): the
    chapters and blocks the signed-in learner is shown, those they completed ticked.
    """
    course = get_object_or_404(CourseOverview, pk=course_key)
    chapters, completed = [], set()
    if request.user.is_authenticated:
        blocks = api.learner_blocks(course.id, [request.user.pk])[request.user.pk]
        leaves = {block.pk: [] for block in blocks if block.block_type == CourseBlock.CHAPTER}
        for block in blocks:
            if block.block_type in CourseBlock.LEAF_TYPES:
                leaves[block.chapter_id].append(block)
        chapters = [(block, leaves[block.pk]) for block in blocks if block.block_type == CourseBlock.CHAPTER]
        completed = {str(key) for key in api.completed_leaf_keys(request.user, course.id)}
    return render(
        request, "devhost_lms/course_home.html", {"course": course, "chapters": chapters, "completed": completed}
    )


def certificate(request, verify_uuid):
    """
    A certificate's page, public as the LMS's web certificates are: who earned it, in which course and
    track, when; 404 unless it is downloadable.
    """
    issued = get_object_or_404(
        GeneratedCertificate.objects.select_related("user__profile"),
        verify_uuid=verify_uuid,
        status=GeneratedCertificate.DOWNLOADABLE,
    )
    course = get_object_or_404(CourseOverview, pk=issued.course_key)
    return render(request, "devhost_lms/certificate.html", {"certificate": issued, "course": course})


@login_required
def instructor_dashboard(request, course_key):
    """
    A course's instructor dashboard, built as the LMS's ``instructor_dashboard_2`` builds it: a context
    with the course and its sections goes through the ``InstructorDashboardRenderStarted`` filter, where
    plugins add their sections, and each section is shown as a tab.
    """
    course = get_object_or_404(CourseOverview, pk=course_key)
    if not api.can_manage_course(request.user, course_key):
        raise PermissionDenied
    context = {"course": course, "sections": [_course_info_section(course)]}
    context, template_name = InstructorDashboardRenderStarted.run_filter(
        context=context, template_name="devhost_lms/instructor_dashboard.html"
    )
    return render(request, template_name, context)


def _course_info_section(course):
    """
    The dashboard's own section: what the course is and who is enrolled.
    """
    body = render_to_string(
        "devhost_lms/course_info.html",
        {
            "course": course,
            "enrolled": CourseEnrollment.objects.filter(course_key=course.id, is_active=True).count(),
            "chapters": CourseBlock.objects.filter(course=course, block_type=CourseBlock.CHAPTER).order_by("position"),
        },
    )
    return {
        "section_key": "course_info",
        "section_display_name": _("Course Info"),
        "course_id": str(course.id),
        "fragment": Fragment(body),
    }
