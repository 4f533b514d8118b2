"""
Views of REST API v1: authenticate, check permission, parse, call ``api``, serialize.
"""

import math

from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.renderers import (
    OpenApiJsonRenderer,
    OpenApiJsonRenderer2,
    OpenApiYamlRenderer,
    OpenApiYamlRenderer2,
)
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from drf_spectacular.views import SpectacularAPIView
from edx_rest_framework_extensions.auth.jwt.authentication import JwtAuthentication
from rest_framework import status as http
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.utils.urls import replace_query_param
from rest_framework.views import APIView, exception_handler

from ... import api
from ...conf import app_settings
from ...data import XLSX_MEDIA_TYPE, JobState
from ...exceptions import (
    ActionNotAllowed,
    ConfirmationRequired,
    Conflict,
    HostUnavailable,
    ImportRefused,
    InvalidInput,
    LearnerMgmtError,
    NotFound,
)
from ...my_learning.strings import learner_dashboard_labels
from . import serializers as s
from .exports import CsvRenderer, XlsxRenderer, attachment
from .permissions import CanManageCourse, IsPlatformAdmin
from .schema import SCHEMA_SETTINGS, LearnerMgmtSchema

_STATUS_OF_ERROR = (
    (NotFound, http.HTTP_404_NOT_FOUND),
    (ActionNotAllowed, http.HTTP_409_CONFLICT),
    (Conflict, http.HTTP_409_CONFLICT),
    (ConfirmationRequired, http.HTTP_400_BAD_REQUEST),
    (ImportRefused, http.HTTP_400_BAD_REQUEST),
    (InvalidInput, http.HTTP_400_BAD_REQUEST),
)

SAMPLE_CSV_FILENAME = "sample_assignments.csv"
# What an import's request body holds besides the file: its other fields and the multipart framing.
MULTIPART_SLACK_BYTES = 64 * 1024


def _content_length(request) -> int:
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0


def _first_problem(detail):
    """
    (field, message) of the first problem in a ValidationError's detail, however deeply nested.
    """
    field = None
    while isinstance(detail, (dict, list)) and detail:
        if isinstance(detail, dict):
            key, detail = next(iter(detail.items()))
            field = key if field is None else f"{field}.{key}"
        else:
            detail = detail[0]
    return field, str(detail)


def handle_error(exc, context):
    """
    Every error as JSON ``{"error": code, "message": text, ...}``: the plugin's errors with their 4xx
    status and details, DRF's own (authentication, permission, parsing) in the same shape. Malformed
    input names the first field at fault in ``field`` and every problem in ``fields``.
    """
    if isinstance(exc, LearnerMgmtError):
        # A plugin error the table does not name is a refusal all the same.
        status = next((status for kind, status in _STATUS_OF_ERROR if isinstance(exc, kind)), http.HTTP_400_BAD_REQUEST)
        return Response({"error": exc.code, "message": exc.message, **exc.details}, status=status)
    if isinstance(exc, HostUnavailable):
        return Response({"error": "lms_unavailable", "message": str(exc)}, status=http.HTTP_503_SERVICE_UNAVAILABLE)
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, ValidationError):
        field, message = _first_problem(exc.detail)
        named = field is not None and field != api_settings.NON_FIELD_ERRORS_KEY
        response.data = {
            "error": "invalid_input",
            "message": f"{field}: {message}" if named else message,
            **({"field": field} if named else {}),
            "fields": exc.detail,
        }
    else:
        # DRF's own errors (and Django's 404 and 403, which it converts) carry one detail with its code.
        detail = response.data.get("detail") if isinstance(response.data, dict) else None
        response.data = {
            "error": getattr(detail, "code", None) or "error",
            "message": str(detail) if detail is not None else "The request could not be served.",
        }
    return response


def _refusals(*statuses, media_type=None):
    """
    The error responses of an endpoint, for the schema: anonymous (401), not allowed (403) and ``statuses``;
    ``media_type`` names JSON where the endpoint's success is a file of another type.
    """
    return {
        (status, media_type) if media_type else status: s.ErrorSerializer for status in sorted({401, 403, *statuses})
    }


class LearnerMgmtView(APIView):
    """
    Base of the API's views: JWT or session (with CSRF) authentication, JSON in and out whatever the
    LMS's REST_FRAMEWORK defaults are, JSON errors, and the OpenAPI schema of drf-spectacular.
    """

    authentication_classes = (JwtAuthentication, SessionAuthentication)
    permission_classes = (IsAuthenticated,)
    parser_classes = (JSONParser,)
    renderer_classes = (JSONRenderer,)
    schema = LearnerMgmtSchema()

    def get_exception_handler(self):
        return handle_error

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        # Errors are JSON even when a download (?format=xlsx) was asked for.
        if getattr(response, "exception", False):
            response.accepted_renderer = JSONRenderer()
            response.accepted_media_type = JSONRenderer.media_type
        return response

    @staticmethod
    def parse(serializer_class, data, **kwargs) -> dict:
        """
        The request data parsed by ``serializer_class``; 400 naming the field at fault otherwise.
        """
        serializer = serializer_class(data=data, **kwargs)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def absolute_url(self, name, **kwargs) -> str:
        """
        The absolute URL of another endpoint of this API, under the namespace this request came through.
        """
        namespace = self.request.resolver_match.namespace
        return self.request.build_absolute_uri(reverse(f"{namespace}:{name}", kwargs=kwargs))


@extend_schema(
    parameters=[
        OpenApiParameter(
            "course_id",
            str,
            OpenApiParameter.PATH,
            description="Open edX course id, e.g. course-v1:Org+Course+Run.",
        )
    ],
)
class CourseView(LearnerMgmtView):
    """
    Base of the per-course endpoints: for the course team (staff or instructor) and platform admins.
    """

    permission_classes = (IsAuthenticated, CanManageCourse)


# The learner's own view


@extend_schema(summary="My assigned courses", responses={200: s.MyAssignmentsSerializer, 401: s.ErrorSerializer})
class MyAssignmentsView(LearnerMgmtView):
    """
    ``GET /api/learner_mgmt/v1/me/assignments/``: the courses assigned to the signed-in learner, as
    their learner dashboard shows them (a tag per course, their seat and the sessions they may book),
    and the URL of their My Learning page.
    """

    def get(self, request):
        assignments = api.list_my_assignments(request.user)
        mine = {
            "my_learning_url": request.build_absolute_uri(reverse("learner_mgmt_plugin:my_learning")),
            "labels": learner_dashboard_labels(),
            "results": assignments,
        }
        return Response(s.MyAssignmentsSerializer(mine).data)


@extend_schema(
    methods=["POST"],
    summary="Book a session of my course",
    request=s.BookingInputSerializer,
    responses={200: s.MyAssignmentSerializer, **_refusals(400, 404, 409)},
)
@extend_schema(
    methods=["DELETE"],
    summary="Cancel my session",
    responses={200: s.MyAssignmentSerializer, **_refusals(400, 404, 409)},
)
class MySessionView(LearnerMgmtView):
    """
    ``POST me/assignments/<course_id>/session/`` ``{session_id}``: book (or change to) a seat in an
    upcoming session of an ILT course assigned to the signed-in learner; ``DELETE``: cancel it. Both
    answer with the assignment as it now stands; a full or started session, or a completed course, is
    a 409 with the reason.
    """

    def post(self, request, course_id):
        session_id = self.parse(s.BookingInputSerializer, request.data)["session_id"]
        assignment = api.book_my_session(request.user, course_id, session_id)
        return Response(s.MyAssignmentSerializer(assignment).data)

    def delete(self, request, course_id):
        return Response(s.MyAssignmentSerializer(api.cancel_my_session(request.user, course_id)).data)


# The learner list


@extend_schema(
    summary="List the course's learners",
    parameters=[s.LearnerListQuerySerializer],
    responses={200: s.LearnerPageSerializer, **_refusals(400, 404)},
)
class LearnersView(CourseView):
    """
    ``GET courses/{course_id}/learners/``: a page of the course's learners, filtered and ordered.
    """

    def get(self, request, course_id):
        query = self.parse(s.LearnerListQuerySerializer, request.query_params)
        page = api.list_learners(course_id, viewer=request.user, **query)
        last_page = math.ceil(page.count / page.page_size)
        return Response(
            s.LearnerPageSerializer(
                {
                    "count": page.count,
                    "next": self._page_url(page.page + 1) if page.page < last_page else None,
                    "previous": self._page_url(page.page - 1) if page.page > 1 else None,
                    "page": page.page,
                    "page_size": page.page_size,
                    "results": page.results,
                    "status_counts": page.status_counts,
                }
            ).data
        )

    def _page_url(self, number):
        return replace_query_param(self.request.build_absolute_uri(), "page", number)


class ExportView(CourseView):
    """
    Base of the downloads declared with ``export_view``: parse the query with ``query``, call
    ``export`` (the ``api`` function), stream the file it gives as CSV or, with ``?format=xlsx``, Excel.
    """

    renderer_classes = (CsvRenderer, XlsxRenderer)
    query = None
    export = None

    def perform_content_negotiation(self, request, force=False):
        try:
            return super().perform_content_negotiation(request, force)
        except Http404 as error:  # DRF's answer to a ?format= no renderer serves
            raise InvalidInput("format", _("Export as 'csv' or 'xlsx'.")) from error

    def get(self, request, course_id):
        query = self.parse(self.query, request.query_params)
        export = self.export(course_id, viewer=request.user, file_format=request.accepted_renderer.format, **query)
        response = StreamingHttpResponse(export.content, content_type=export.content_type)
        response["Content-Disposition"] = attachment(export.filename)
        return response


def export_view(summary, export, query):
    """
    Declare a download view: the ``api`` function that builds the file, the serializer of its query,
    and its schema (CSV or Excel, refusals as JSON whatever was asked for).
    """

    def declare(view):
        view.export = staticmethod(export)
        view.query = query
        return extend_schema(
            summary=summary,
            parameters=[
                query,
                OpenApiParameter("format", str, enum=["csv", "xlsx"], description="csv (the default) or xlsx."),
            ],
            responses={
                (200, "text/csv"): OpenApiTypes.BINARY,
                (200, XLSX_MEDIA_TYPE): OpenApiTypes.BINARY,
                **_refusals(400, 404, media_type=JSONRenderer.media_type),
            },
        )(view)

    return declare


@export_view(
    "Export the learner list (CSV, or Excel with ?format=xlsx)", api.export_learners, s.LearnerExportQuerySerializer
)
class LearnersExportView(ExportView):
    """
    ``GET courses/{course_id}/learners/export/``: every learner the list's filters match, in its order,
    as ``Learners_<course>_<YYYY-MM-DD>.csv`` (or ``.xlsx``), streamed as it is read.
    """


@export_view(
    "Export the course's audit trail (CSV, or Excel with ?format=xlsx)",
    api.export_audit_trail,
    s.AuditTrailQuerySerializer,
)
class AuditTrailExportView(ExportView):
    """
    ``GET courses/{course_id}/history/export/``: every change made in the course and every removal from
    it, oldest first, in a date range and of the actions asked for, as
    ``Audit_trail_<course>_<YYYY-MM-DD>.csv`` (or ``.xlsx``), streamed as it is read.
    """


@extend_schema(
    summary="The course's learners at a glance", responses={200: s.CourseSummarySerializer, **_refusals(400, 404)}
)
class CourseSummaryView(CourseView):
    """
    ``GET courses/{course_id}/summary/``: counts per status, required and optional, overdue, the share
    of required learners who completed, and completions per week over the last twelve weeks.
    """

    def get(self, request, course_id):
        return Response(s.CourseSummarySerializer(api.get_course_summary(course_id, viewer=request.user)).data)


@extend_schema(summary="Get a learner", responses={200: s.LearnerRowSerializer, **_refusals(400, 404)})
class LearnerView(CourseView):
    """
    ``GET courses/{course_id}/learners/{username}/``: one learner's row.
    """

    def get(self, request, course_id, username):
        return Response(s.LearnerRowSerializer(api.get_learner(course_id, username, viewer=request.user)).data)


# Per-learner actions


def _row_response(row):
    """
    The learner's updated row, or 204 when they are no longer listed in the course.
    """
    if row is None:
        return Response(status=http.HTTP_204_NO_CONTENT)
    return Response(s.LearnerRowSerializer(row).data)


class LearnerActionView(CourseView):
    """
    Base of the per-learner actions, declared with ``learner_action``: parse the body with ``body``
    (at least the optional ``reason``), call ``apply`` (the ``api`` function of the action), answer
    with the learner's updated row (204 once they are gone).
    """

    body = s.ReasonInputSerializer
    apply = None

    def post(self, request, course_id, username):
        params = self.parse(self.body, request.data)
        return _row_response(self.apply(course_id, username, actor=request.user, **params))


def learner_action(summary, apply, body=s.ReasonInputSerializer, *, success=None):
    """
    Declare a per-learner action view: the ``api`` function it applies, the serializer of its body,
    and its schema (the body, the updated row or ``success``, and the refusals).
    """

    def declare(view):
        view.apply = staticmethod(apply)
        view.body = body
        return extend_schema(
            summary=summary,
            request=body,
            responses={**(success or {200: s.LearnerRowSerializer}), **_refusals(400, 404, 409)},
        )(view)

    return declare


@learner_action("Set or remove the learner's due date", api.update_due_date, s.DueDateInputSerializer)
class DueDateView(LearnerActionView):
    """
    ``POST .../due-date/`` ``{due_date}``: set the due date (making the course required) or, with
    null, remove it (making it optional).
    """


@learner_action("Reset the learner's progress", api.reset_progress)
class ResetProgressView(LearnerActionView):
    """
    ``POST .../reset-progress/``: close the current attempt (kept in history) and start a new one.
    """


@learner_action("Mark the learner complete", api.mark_complete)
class MarkCompleteView(LearnerActionView):
    """
    ``POST .../mark-complete/``: complete the current attempt, with certificate and credits.
    """


@learner_action(
    "Seat the learner in an ILT session, or move them there", api.change_session, s.ChangeSessionInputSerializer
)
class ChangeSessionView(LearnerActionView):
    """
    ``POST .../change-session/`` ``{session_id}``: seat the learner in the session or move them there.
    """


@learner_action("Mark the learner a no-show", api.mark_no_show, s.MarkNoShowInputSerializer)
class MarkNoShowView(LearnerActionView):
    """
    ``POST .../mark-no-show/`` ``{message?}``: the learner leaves their session as a no-show.
    """


@learner_action("Make the learner a course instructor", api.make_instructor)
class MakeInstructorView(LearnerActionView):
    """
    ``POST .../make-instructor/``: grant the learner the configured course team role.
    """


@learner_action("Unassign the learner", api.unassign, success={204: OpenApiResponse(description="Unassigned.")})
class UnassignView(LearnerActionView):
    """
    ``POST .../unassign/``: the course leaves the learner's list; their history stays.
    """


@learner_action(
    "Remove the learner from the course, their session, or both",
    api.remove_learner,
    s.RemoveInputSerializer,
    success={
        200: s.LearnerRowSerializer,
        204: OpenApiResponse(description="Removed from the course: all their data in it is gone."),
    },
)
class RemoveView(LearnerActionView):
    """
    ``POST .../remove/`` ``{scope, confirm?}``: ``session`` takes the learner out of their session
    (answering their row); ``course``/``both`` delete all their data in the course (204).
    """


@extend_schema(
    methods=["POST"],
    summary="Generate the learner's certificate",
    request=s.ReasonInputSerializer,
    responses={200: s.LearnerRowSerializer, **_refusals(400, 404, 409)},
)
@extend_schema(
    methods=["DELETE"],
    summary="Remove the learner's certificate",
    request=s.ReasonInputSerializer,
    responses={200: s.LearnerRowSerializer, **_refusals(400, 404, 409)},
)
class CertificateView(CourseView):
    """
    ``POST .../certificate/`` ``{reason?}`` generates the certificate of the learner's current attempt;
    ``DELETE`` removes it.
    """

    def post(self, request, course_id, username):
        reason = self.parse(s.ReasonInputSerializer, request.data)
        return _row_response(api.generate_certificate(course_id, username, actor=request.user, **reason))

    def delete(self, request, course_id, username):
        reason = self.parse(s.ReasonInputSerializer, request.data)
        return _row_response(api.remove_certificate(course_id, username, actor=request.user, **reason))


# Views of one learner


@extend_schema(summary="The learner's history", responses={200: s.LearnerHistorySerializer, **_refusals(400, 404)})
class HistoryView(CourseView):
    """
    ``GET .../history/``: the learner's events (newest first), attempts and ILT seats.
    """

    def get(self, request, course_id, username):
        history = api.get_history(course_id, username, viewer=request.user)
        return Response(s.LearnerHistorySerializer(history).data)


@extend_schema(
    summary="The learner's chapter insights",
    responses={200: s.ChapterInsightsSerializer, **_refusals(400, 404, 409)},
)
class ChaptersView(CourseView):
    """
    ``GET .../chapters/``: the learner's progress in each chapter.
    """

    def get(self, request, course_id, username):
        chapters = api.get_chapter_insights(course_id, username, viewer=request.user)
        return Response(s.ChapterInsightsSerializer({"results": chapters}).data)


@extend_schema(
    summary="The learner's quiz insights (JSON, or .xlsx with ?format=xlsx)",
    parameters=[OpenApiParameter("format", str, enum=["json", "xlsx"], description="xlsx: an Excel workbook.")],
    responses={
        (200, JSONRenderer.media_type): s.QuizInsightsSerializer,
        (200, XLSX_MEDIA_TYPE): OpenApiTypes.BINARY,
        **_refusals(400, 404, 409),
    },
)
class QuizzesView(CourseView):
    """
    ``GET .../quizzes/``: the learner's results in each quiz chapter; ``?format=xlsx`` downloads them
    as an Excel workbook.
    """

    renderer_classes = (JSONRenderer, XlsxRenderer)

    def get(self, request, course_id, username):
        if request.accepted_renderer.format == XlsxRenderer.format:
            filename, workbook = api.quiz_insights_workbook(course_id, username, viewer=request.user)
            return Response(workbook, headers={"Content-Disposition": attachment(filename)})
        results = api.get_quiz_insights(course_id, username, viewer=request.user)
        return Response(s.QuizInsightsSerializer({"results": results}).data)


@extend_schema(
    summary="The learner's SCORM activity (platform admins)",
    responses={200: s.ScormActivitySerializer, **_refusals(400, 404, 409)},
)
class ScormActivityView(CourseView):
    """
    ``GET .../scorm-activity/``: the learner's SCORM/xAPI activity records, for platform admins only.
    """

    permission_classes = (*CourseView.permission_classes, IsPlatformAdmin)

    def get(self, request, course_id, username):
        records = api.get_scorm_activity(course_id, username, viewer=request.user)
        return Response(s.ScormActivitySerializer({"results": records}).data)


# Assigning


@extend_schema(
    summary="Search users to assign the course to",
    parameters=[s.UserSearchQuerySerializer],
    responses={200: s.UserMatchesSerializer, **_refusals(400, 404)},
)
class UserSearchView(CourseView):
    """
    ``GET users/?search=``: active users to pick in the assignment dialog (at most twenty).
    """

    def get(self, request, course_id):
        text = self.parse(s.UserSearchQuerySerializer, request.query_params)["search"]
        matches = api.search_users(course_id, text, viewer=request.user)
        return Response(s.UserMatchesSerializer({"results": matches}).data)


@extend_schema(
    summary="Review users before assigning the course",
    request=s.ReviewInputSerializer,
    responses={200: s.AssignmentReviewSerializer, **_refusals(400, 404)},
)
class ReviewView(CourseView):
    """
    ``POST assignments/review/`` ``{users, required?, due_date?, message?}``: where each named user stands
    in the course before assigning, and the terms assigning them would give them.
    """

    def post(self, request, course_id):
        terms = dict(self.parse(s.ReviewInputSerializer, request.data))
        users = terms.pop("users")
        review = api.review_assignment(course_id, users, viewer=request.user, **terms)
        return Response(s.AssignmentReviewSerializer(review).data)


@extend_schema(
    summary="Assign the course",
    request=s.AssignInputSerializer,
    responses={200: s.AssignmentOutcomeSerializer, 202: s.JobAcceptedSerializer, **_refusals(400, 404)},
)
class AssignView(CourseView):
    """
    ``POST assignments/`` ``{users, required?, due_date?, message?, skip_completed?}``: assign the course
    (in the background, answered 202, beyond ``LEARNER_MGMT_ASSIGNMENT_BACKGROUND_SIZE`` users).
    """

    def post(self, request, course_id):
        terms = dict(self.parse(s.AssignInputSerializer, request.data))
        users = terms.pop("users")
        job = api.submit_assignment(course_id, users, actor=request.user, **terms)
        return _job_response(self, job, s.AssignmentOutcomeSerializer, "assignment")


@extend_schema(summary="Follow an assignment", responses={200: s.AssignmentStatusSerializer, **_refusals(400, 404)})
class AssignmentStatusView(CourseView):
    """
    ``GET assignments/jobs/{id}/``: a background assignment's progress and, once it has succeeded, its
    outcome.
    """

    def get(self, request, course_id, job_id):
        return Response(s.AssignmentStatusSerializer(api.get_assignment(course_id, job_id)).data)


def _csv_download(filename, text):
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = attachment(filename)
    return response


@extend_schema(
    summary="Download the sample CSV", responses={(200, "text/csv"): OpenApiTypes.STR, **_refusals(400, 404)}
)
class SampleCsvView(CourseView):
    """
    ``GET assignments/sample-csv/``: the sample file of a bulk assignment, with the headings an import needs.
    """

    def get(self, request, course_id):
        return _csv_download(SAMPLE_CSV_FILENAME, api.sample_csv())


def _job_response(view, job, outcome_serializer, status_view, **context):
    """
    200 with the outcome of a job that ran within the request, or 202 with where to follow it.
    """
    if job.state == JobState.SUCCEEDED:
        return Response(outcome_serializer(job, context=context).data)
    status_url = view.absolute_url(status_view, course_id=job.course_key, job_id=job.id)
    return Response(
        s.JobAcceptedSerializer({"id": job.id, "status_url": status_url}).data,
        status=http.HTTP_202_ACCEPTED,
        headers={"Location": status_url},
    )


def _download_url(view, job):
    return view.absolute_url("import-non-imported", course_id=job.course_key, job_id=job.id)


@extend_schema(
    summary="Import assignments from a CSV file",
    request={"multipart/form-data": s.ImportInputSerializer},
    responses={200: s.ImportOutcomeSerializer, 202: s.JobAcceptedSerializer, **_refusals(400, 404)},
)
class ImportView(CourseView):
    """
    ``POST assignments/import/`` (multipart: ``file``, ``required``, ``due_date``, ``message``,
    ``skip_completed``): assign the course to the users a CSV file names.
    """

    parser_classes = (MultiPartParser, FormParser)

    def initial(self, request, *args, **kwargs):
        # An oversized file is refused before the body is parsed, which would spool all of it to disk
        # first; so before authentication too, since a session's CSRF check reads the form. The body
        # is the file plus a few form fields and the multipart framing.
        if request.method == "POST":
            api.check_import_size(_content_length(request) - MULTIPART_SLACK_BYTES)
        super().initial(request, *args, **kwargs)

    def post(self, request, course_id):
        terms = dict(self.parse(s.ImportInputSerializer, request.data))
        # No more than the limit is read: a larger file is refused by ``api`` all the same, without
        # holding all of it in memory.
        data = terms.pop("file").read(app_settings.IMPORT_MAX_BYTES + 1)
        job = api.submit_import(course_id, data, actor=request.user, **terms)
        return _job_response(self, job, s.ImportOutcomeSerializer, "import", download_url=_download_url(self, job))


@extend_schema(summary="Follow an import", responses={200: s.ImportStatusSerializer, **_refusals(400, 404)})
class ImportStatusView(CourseView):
    """
    ``GET imports/{id}/``: an import's progress and, once it has succeeded, its outcome.
    """

    def get(self, request, course_id, job_id):
        job = api.get_import(course_id, job_id)
        return Response(s.ImportStatusSerializer(job, context={"download_url": _download_url(self, job)}).data)


@extend_schema(
    summary="Download the rows an import did not import",
    responses={(200, "text/csv"): OpenApiTypes.STR, **_refusals(400, 404)},
)
class NonImportedView(CourseView):
    """
    ``GET imports/{id}/non-imported/``: the ``Non_Imported_List_YYYY-MM-DD.csv`` of an import.
    """

    def get(self, request, course_id, job_id):
        return _csv_download(*api.non_imported_file(course_id, job_id))


# Background exports


def _export_url(view, job):
    return view.absolute_url("export-file", course_id=job.course_key, job_id=job.id)


@extend_schema(
    summary="Export the learner list in the background",
    request=s.ExportInputSerializer,
    responses={202: s.JobAcceptedSerializer, **_refusals(400, 404)},
)
class ExportsView(CourseView):
    """
    ``POST exports/`` ``{format, status?, search?, required?, session?, overdue?, ordering?}``: export
    the learners the list's filters match as a background job (for a list too large to download within
    a request); follow it at ``exports/{id}/``.
    """

    def post(self, request, course_id):
        params = self.parse(s.ExportInputSerializer, request.data)
        job = api.submit_learner_export(course_id, viewer=request.user, **params)
        return _job_response(self, job, s.ExportOutcomeSerializer, "export", download_url=_export_url(self, job))


@extend_schema(summary="Follow an export", responses={200: s.ExportStatusSerializer, **_refusals(400, 404)})
class ExportStatusView(CourseView):
    """
    ``GET exports/{id}/``: a background export's progress and, once its file is written, its
    ``download_url``.
    """

    def get(self, request, course_id, job_id):
        job = api.get_export(course_id, job_id)
        return Response(s.ExportStatusSerializer(job, context={"download_url": _export_url(self, job)}).data)


@extend_schema(
    summary="Download a background export's file",
    responses={
        (200, "text/csv"): OpenApiTypes.BINARY,
        (200, XLSX_MEDIA_TYPE): OpenApiTypes.BINARY,
        **_refusals(400, 404),
    },
)
class ExportFileView(CourseView):
    """
    ``GET exports/{id}/file/``: the file of a finished export (404 until it is written).
    """

    def get(self, request, course_id, job_id):
        filename, content_type, content = api.export_job_file(course_id, job_id)
        return FileResponse(content, as_attachment=True, filename=filename, content_type=content_type)


# Mass actions


@extend_schema(
    summary="Apply a mass action",
    request=s.MassActionInputSerializer,
    responses={200: s.MassActionOutcomeSerializer, 202: s.JobAcceptedSerializer, **_refusals(400, 404)},
)
class MassActionsView(CourseView):
    """
    ``POST mass-actions/`` ``{action, users | filter, scope?, session_id?, due_date?, confirm?, reason?}``: one
    action on many learners, named or matched by the list's filters.
    """

    def post(self, request, course_id):
        params = dict(self.parse(s.MassActionInputSerializer, request.data))
        job = api.submit_mass_action(
            course_id, params.pop("action"), params.pop("users", None), actor=request.user, **params
        )
        return _job_response(self, job, s.MassActionOutcomeSerializer, "mass-action")


@extend_schema(summary="Follow a mass action", responses={200: s.MassActionStatusSerializer, **_refusals(400, 404)})
class MassActionStatusView(CourseView):
    """
    ``GET mass-actions/{id}/``: a mass action's progress and, once it has succeeded, its outcome.
    """

    def get(self, request, course_id, job_id):
        return Response(s.MassActionStatusSerializer(api.get_mass_action(course_id, job_id)).data)


# ILT sessions


@extend_schema(
    methods=["GET"],
    summary="List the ILT sessions",
    responses={200: s.SessionsSerializer, **_refusals(400, 404)},
)
@extend_schema(
    methods=["POST"],
    summary="Add an ILT session",
    request=s.SessionInputSerializer,
    responses={201: s.SessionSerializer, **_refusals(400, 404)},
)
class SessionsView(CourseView):
    """
    ``GET sessions/``: the course's ILT sessions; ``POST`` adds one.
    """

    def get(self, request, course_id):
        return Response(s.SessionsSerializer({"results": api.list_sessions(course_id)}).data)

    def post(self, request, course_id):
        values = self.parse(s.SessionInputSerializer, request.data)
        session = api.create_session(course_id, **values)
        return Response(s.SessionSerializer(session).data, status=http.HTTP_201_CREATED)


@extend_schema(parameters=[OpenApiParameter("session_id", int, OpenApiParameter.PATH)])
@extend_schema(
    methods=["GET"], summary="Get an ILT session", responses={200: s.SessionSerializer, **_refusals(400, 404)}
)
@extend_schema(
    methods=["PATCH"],
    summary="Change an ILT session",
    request=s.SessionInputSerializer,
    responses={200: s.SessionSerializer, **_refusals(400, 404, 409)},
)
@extend_schema(
    methods=["DELETE"],
    summary="Delete an ILT session",
    responses={204: OpenApiResponse(description="Deleted."), **_refusals(400, 404, 409)},
)
class SessionView(CourseView):
    """
    ``GET sessions/{id}/``: one ILT session; ``PATCH`` changes it; ``DELETE`` deletes one that never had
    a seat.
    """

    def _session_id(self, session_id):
        return self.parse(s.SessionIdSerializer, {"session_id": session_id})["session_id"]

    def get(self, request, course_id, session_id):
        return Response(s.SessionSerializer(api.get_session(course_id, self._session_id(session_id))).data)

    def patch(self, request, course_id, session_id):
        session_id = self._session_id(session_id)
        values = self.parse(s.SessionInputSerializer, request.data, partial=True)
        return Response(s.SessionSerializer(api.update_session(course_id, session_id, **values)).data)

    def delete(self, request, course_id, session_id):
        api.delete_session(course_id, self._session_id(session_id))
        return Response(status=http.HTTP_204_NO_CONTENT)


# Course settings


@extend_schema(
    methods=["GET"],
    summary="Get the course settings",
    responses={200: s.CourseSettingsSerializer, **_refusals(400, 404)},
)
@extend_schema(
    methods=["PATCH"],
    summary="Change the course settings",
    request=s.CourseSettingsInputSerializer,
    responses={200: s.CourseSettingsSerializer, **_refusals(400, 404)},
)
class CourseSettingsView(CourseView):
    """
    ``GET settings/``: the course's kind, credits and removal reason rule; ``PATCH`` changes them.
    """

    def get(self, request, course_id):
        return Response(s.CourseSettingsSerializer(api.get_course_settings(course_id)).data)

    def patch(self, request, course_id):
        changes = self.parse(s.CourseSettingsInputSerializer, request.data)
        return Response(s.CourseSettingsSerializer(api.update_course_settings(course_id, **changes)).data)


# The schema


class SchemaView(SpectacularAPIView):
    """
    ``GET /api/learner_mgmt/v1/schema/``: the OpenAPI 3 schema of this API (JSON; YAML on request). A
    client asking for plain ``application/json`` (or ``application/yaml``) gets it too.

    Its settings are its own (``schema.SCHEMA_SETTINGS``): the LMS's stay as they are.
    """

    authentication_classes = LearnerMgmtView.authentication_classes
    permission_classes = (AllowAny,)
    renderer_classes = (OpenApiJsonRenderer, OpenApiJsonRenderer2, OpenApiYamlRenderer, OpenApiYamlRenderer2)
    urlconf = "learner_mgmt_plugin.rest_api.urls"
    custom_settings = SCHEMA_SETTINGS
