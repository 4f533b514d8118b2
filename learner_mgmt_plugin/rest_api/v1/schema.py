"""
How REST API v1 describes itself in OpenAPI 3 with drf-spectacular, configured here and per view so
that the LMS needs neither ``drf_spectacular`` in INSTALLED_APPS nor any REST_FRAMEWORK or
SPECTACULAR_SETTINGS of its own.
"""

import re
from enum import StrEnum

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.views import SpectacularAPIView

from ... import data


class LearnerMgmtSchema(AutoSchema):
    """
    drf-spectacular's schema of a view, with operation ids named after the view (``get_learners``,
    ``post_due_date``): paths alone do not tell a list from one of its items.
    """

    def get_operation_id(self):
        name = re.sub(r"(?<!^)(?=[A-Z])", "_", type(self.view).__name__.removesuffix("View")).lower()
        return f"{self.method.lower()}_{name}"


class JwtAuthenticationScheme(OpenApiAuthenticationExtension):
    """
    How the schema describes edx-drf-extensions' JWT authentication; a description the LMS registers
    itself wins (lower priority).
    """

    target_class = "edx_rest_framework_extensions.auth.jwt.authentication.JwtAuthentication"
    name = "jwtAuth"
    priority = -1

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "A JWT issued by the LMS, as 'JWT <token>'.",
        }


def without_schema_views(endpoints, **kwargs):
    """
    The endpoints the schema describes: all of the API's but the one serving the schema.
    """
    return [endpoint for endpoint in endpoints if not issubclass(endpoint[3].cls, SpectacularAPIView)]


SCHEMA_SETTINGS = {
    "TITLE": "Learner Management API",
    "DESCRIPTION": (
        "Assignments, attempts, ILT sessions, CSV import and mass actions of the Learner Management "
        "plugin. Authentication: JWT (Authorization: JWT <token>) or the LMS session with its CSRF "
        "token. Errors are JSON {error, message, ...}."
    ),
    "VERSION": "1",
    "SCHEMA_PATH_PREFIX": "/api/learner_mgmt/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "PREPROCESSING_HOOKS": [f"{__name__}.without_schema_views"],
    # Several enums share a field name ("status", "state", "kind"): each is named after its data.py class.
    "ENUM_NAME_OVERRIDES": {
        f"{enum.__name__}Enum": [member.value for member in enum]
        for enum in vars(data).values()
        if isinstance(enum, type) and issubclass(enum, StrEnum) and enum is not StrEnum
    },
}
