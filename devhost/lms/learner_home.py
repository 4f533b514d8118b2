"""
The learner dashboard's data, ``GET /api/learner_home/init``, as the LMS's ``lms.djangoapps.learner_home``
serves it to the learner dashboard MFE: one card per active enrollment of the signed-in learner, newest
first, each with the course, its run, the enrollment, the certificate and the grade, in the keys and
shapes the MFE reads. Each card's run and enrollment go through the platform's filters
(``CourseRunAPIRenderStarted``, ``CourseEnrollmentAPIRenderStarted``), where plugins may add to them. The
cards' course images are served here too.

What the development host does not keep is answered as a platform without it answers: no entitlements,
programs, credit, ecommerce, enterprise, social sharing or course dates; no masquerading.
"""

from urllib.parse import quote

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.html import escape
from edx_rest_framework_extensions.auth.jwt.authentication import JwtAuthentication
from openedx_filters.learning.filters import CourseEnrollmentAPIRenderStarted, CourseRunAPIRenderStarted
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from .models import (
    BlockCompletion,
    CourseAccessRole,
    CourseEnrollment,
    CourseOverview,
    GeneratedCertificate,
    PersistentCourseGrade,
)

# The modes the platform's ``CourseMode`` counts as audit and as verified.
AUDIT_MODES = ("audit", "honor")
VERIFIED_MODES = ("verified", "professional", "masters", "executive-education", "paid-executive-education")


class InitializeView(APIView):
    """
    ``GET /api/learner_home/init``: what the learner dashboard shows the signed-in learner.
    """

    authentication_classes = (JwtAuthentication, SessionAuthentication)
    permission_classes = (IsAuthenticated,)
    renderer_classes = (JSONRenderer,)

    def get(self, request):
        return Response(learner_home(request, request.user))


def learner_home(request, user) -> dict:
    """
    The learner dashboard's data for ``user``.
    """
    enrollments = list(CourseEnrollment.objects.filter(user=user, is_active=True).order_by("-created"))
    course_keys = [enrollment.course_key for enrollment in enrollments]
    learner_courses = LearnerCourses(request, user, course_keys)
    return {
        "emailConfirmation": {"isNeeded": not user.is_active, "sendEmailUrl": ""},
        "enterpriseDashboard": None,
        "platformSettings": {
            "supportEmail": settings.DEFAULT_FROM_EMAIL,
            "billingEmail": settings.DEFAULT_FROM_EMAIL,
            # Where the dashboard sends learners to find more courses: the host's course list.
            "courseSearchUrl": reverse("home"),
        },
        "courses": [learner_courses.card(enrollment) for enrollment in enrollments],
        "socialShareSettings": {
            site: {"isEnabled": False, "socialBrand": "", "utmParams": ""} for site in ("facebook", "twitter")
        },
        "suggestedCourses": [],
    }


class LearnerCourses:
    """
    What the cards of one learner's courses are made of, read for all of them at once.
    """

    def __init__(self, request, user, course_keys):
        self.request = request
        self.overviews = CourseOverview.objects.in_bulk(course_keys)
        records = {"user": user, "course_key__in": course_keys}

        def courses(queryset):
            return set(queryset.values_list("course_key", flat=True))

        self.started = courses(BlockCompletion.objects.filter(**records))
        self.passing = courses(PersistentCourseGrade.objects.filter(**records, passed=True))
        self.team = courses(CourseAccessRole.objects.filter(**records))
        self.certificates = {
            certificate.course_key: certificate for certificate in GeneratedCertificate.objects.filter(**records)
        }

    def card(self, enrollment) -> dict:
        """
        The card of one enrollment.
        """
        course_key = enrollment.course_key
        overview = self.overviews[course_key]
        return {
            "course": {
                # Relative, as the platform's course image URLs are: the MFE puts the LMS's address before it.
                "bannerImgSrc": reverse("course_image", args=[course_key]),
                "courseName": overview.display_name,
                "courseNumber": course_key.course,
                "socialShareUrl": None,
            },
            "courseProvider": {"name": course_key.org},
            "courseRun": self.course_run(enrollment, overview),
            "enrollment": self.enrollment(enrollment),
            "certificate": self.certificate(course_key),
            "entitlement": {},
            "gradeData": {"isPassing": course_key in self.passing},
            "programs": {"relatedPrograms": []},
            "credit": {},
        }

    def course_run(self, enrollment, overview) -> dict:
        course_key = enrollment.course_key
        home_url = self.request.build_absolute_uri(reverse("course_home", args=[course_key]))
        serialized_courserun = {
            # The host's courses have no dates: each is open from the start and never ends.
            "isStarted": True,
            "isArchived": False,
            "courseId": str(course_key),
            "minPassingGrade": f"{overview.lowest_passing_grade:.2f}",
            "startDate": None,
            "advertisedStart": None,
            "endDate": None,
            "homeUrl": home_url,
            "marketingUrl": None,
            "progressUrl": home_url,
            "unenrollUrl": f"/course_run/{quote(str(course_key))}/refund_status",
            "upgradeUrl": None,
            # The platform resumes at the last block completed; the host's course home shows where that is.
            "resumeUrl": home_url if course_key in self.started else None,
        }
        return CourseRunAPIRenderStarted.run_filter(serialized_courserun=serialized_courserun)

    def enrollment(self, enrollment) -> dict:
        course_key = enrollment.course_key
        serialized_enrollment = {
            "accessExpirationDate": None,
            "isAudit": enrollment.mode in AUDIT_MODES,
            "hasStarted": course_key in self.started,
            "coursewareAccess": {
                "hasUnmetPrerequisites": False,
                "isTooEarly": False,
                "isStaff": course_key in self.team,
            },
            "isVerified": enrollment.mode in VERIFIED_MODES,
            "canUpgrade": False,
            "isAuditAccessExpired": False,
            "isEmailEnabled": False,
            "hasOptedOutOfEmail": False,
            "lastEnrolled": enrollment.created.isoformat().replace("+00:00", "Z"),
            "isEnrolled": enrollment.is_active,
            "mode": enrollment.mode,
        }
        _course_key, serialized_enrollment = CourseEnrollmentAPIRenderStarted.run_filter(
            course_key=course_key, serialized_enrollment=serialized_enrollment
        )
        return serialized_enrollment

    def certificate(self, course_key) -> dict:
        certificate = self.certificates.get(course_key)
        downloadable = certificate is not None and certificate.status == GeneratedCertificate.DOWNLOADABLE
        return {
            "availableDate": None,
            "isRestricted": False,
            "isEarned": downloadable,
            "isDownloadable": downloadable,
            "certPreviewUrl": (
                self.request.build_absolute_uri(reverse("certificate", args=[certificate.verify_uuid]))
                if downloadable
                else None
            ),
        }


def course_image(request, course_key):
    """
    ``GET /courses/<course_key>/image``: the course's card image. The host keeps no course images, so a
    plain one naming the course's number (the LMS falls back to a default image likewise).
    """
    course = get_object_or_404(CourseOverview, pk=course_key)
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="378" height="225" viewBox="0 0 378 225">'
        '<rect width="378" height="225" fill="#00262b"/>'
        '<text x="189" y="124" fill="#ffffff" font-family="sans-serif" font-size="28" text-anchor="middle">'
        f"{escape(course.id.course)}</text></svg>"
    )
    return HttpResponse(svg, content_type="image/svg+xml")
