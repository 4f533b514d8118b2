"""
Views of REST API v1: authenticate, check permission, parse, call ``api``, serialize.
"""

from edx_rest_framework_extensions.auth.jwt.authentication import JwtAuthentication
from rest_framework import status as http
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import APIException
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView, exception_handler

from ... import api
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
from .serializers import MyAssignmentSerializer

_STATUS_OF_ERROR = (
    (NotFound, http.HTTP_404_NOT_FOUND),
    (ActionNotAllowed, http.HTTP_409_CONFLICT),
    (Conflict, http.HTTP_409_CONFLICT),
    (ConfirmationRequired, http.HTTP_400_BAD_REQUEST),
    (ImportRefused, http.HTTP_400_BAD_REQUEST),
    (InvalidInput, http.HTTP_400_BAD_REQUEST),
)


def handle_error(exc, context):
    """
    Every error as JSON ``{"error": code, "message": text, ...}``: the plugin's errors with their 4xx
    status and details, DRF's own (authentication, permission, parsing) in the same shape.
    """
    if isinstance(exc, LearnerMgmtError):
        status = next(status for kind, status in _STATUS_OF_ERROR if isinstance(exc, kind))
        return Response({"error": exc.code, "message": exc.message, **exc.details}, status=status)
    if isinstance(exc, HostUnavailable):
        return Response({"error": "lms_unavailable", "message": str(exc)}, status=http.HTTP_503_SERVICE_UNAVAILABLE)
    response = exception_handler(exc, context)
    if response is not None and isinstance(exc, APIException):
        codes = exc.get_codes()
        response.data = {
            "error": codes if isinstance(codes, str) else "invalid_input",
            "message": exc.detail if isinstance(exc.detail, str) else "The request is not valid.",
            **({} if isinstance(exc.detail, str) else {"fields": exc.detail}),
        }
    return response


class LearnerMgmtView(APIView):
    """
    Base of the API's views: JWT or session (with CSRF) authentication, JSON errors.
    """

    authentication_classes = (JwtAuthentication, SessionAuthentication)
    permission_classes = (IsAuthenticated,)

    def get_exception_handler(self):
        return handle_error


class MyAssignmentsView(LearnerMgmtView):
    """
    ``GET /api/learner_mgmt/v1/me/assignments/``: the courses assigned to the signed-in learner, with
    their required/optional tag and due date.
    """

    def get(self, request):
        assignments = api.list_my_assignments(request.user)
        return Response({"results": MyAssignmentSerializer(assignments, many=True).data})
