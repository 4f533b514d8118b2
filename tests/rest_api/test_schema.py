"""
``GET /api/learner_mgmt/v1/schema/``: a valid OpenAPI 3 description of every endpoint of SPEC
section 7, generated without warnings and without the LMS's REST_FRAMEWORK settings naming
drf-spectacular.
"""

import pytest
import yaml
from django.conf import settings
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.validation import validate_schema
from rest_framework.test import APIClient

from test_utils.rest import BASE

COURSE = f"{BASE}/courses/{{course_id}}"
LEARNER = f"{COURSE}/learners/{{username}}"

# SPEC section 7, endpoint by endpoint.
ENDPOINTS = {
    ("get", f"{COURSE}/learners/"),
    ("get", f"{COURSE}/learners/export/"),
    ("get", f"{COURSE}/summary/"),
    ("get", f"{COURSE}/history/export/"),
    ("post", f"{COURSE}/exports/"),
    ("get", f"{COURSE}/exports/{{job_id}}/"),
    ("get", f"{COURSE}/exports/{{job_id}}/file/"),
    ("get", f"{LEARNER}/"),
    ("post", f"{LEARNER}/due-date/"),
    ("post", f"{LEARNER}/reset-progress/"),
    ("post", f"{LEARNER}/mark-complete/"),
    ("post", f"{LEARNER}/change-session/"),
    ("post", f"{LEARNER}/mark-no-show/"),
    ("post", f"{LEARNER}/make-instructor/"),
    ("post", f"{LEARNER}/unassign/"),
    ("post", f"{LEARNER}/remove/"),
    ("post", f"{LEARNER}/certificate/"),
    ("delete", f"{LEARNER}/certificate/"),
    ("get", f"{LEARNER}/history/"),
    ("get", f"{LEARNER}/chapters/"),
    ("get", f"{LEARNER}/quizzes/"),
    ("get", f"{LEARNER}/scorm-activity/"),
    ("get", f"{COURSE}/users/"),
    ("post", f"{COURSE}/assignments/review/"),
    ("post", f"{COURSE}/assignments/"),
    ("get", f"{COURSE}/assignments/jobs/{{job_id}}/"),
    ("get", f"{COURSE}/assignments/sample-csv/"),
    ("post", f"{COURSE}/assignments/import/"),
    ("get", f"{COURSE}/imports/{{job_id}}/"),
    ("get", f"{COURSE}/imports/{{job_id}}/non-imported/"),
    ("post", f"{COURSE}/mass-actions/"),
    ("get", f"{COURSE}/mass-actions/{{job_id}}/"),
    ("get", f"{COURSE}/sessions/"),
    ("post", f"{COURSE}/sessions/"),
    ("get", f"{COURSE}/sessions/{{session_id}}/"),
    ("patch", f"{COURSE}/sessions/{{session_id}}/"),
    ("delete", f"{COURSE}/sessions/{{session_id}}/"),
    ("get", f"{COURSE}/settings/"),
    ("patch", f"{COURSE}/settings/"),
    ("get", f"{BASE}/me/assignments/"),
    ("post", f"{BASE}/me/assignments/{{course_id}}/session/"),
    ("delete", f"{BASE}/me/assignments/{{course_id}}/session/"),
}


@pytest.fixture(scope="module")
def schema_response():
    GENERATOR_STATS.reset()
    response = APIClient().get(f"{BASE}/schema/")
    return response, bool(GENERATOR_STATS)


@pytest.fixture(scope="module")
def schema(schema_response):
    return schema_response[0].json()


def test_the_schema_is_served_to_anyone_as_openapi_json(schema_response):
    response, _warned = schema_response
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.oai.openapi+json"


@pytest.mark.parametrize(
    ("accept", "content_type"),
    [("application/json", "application/json"), ("application/yaml", "application/yaml")],
)
def test_clients_asking_for_plain_json_or_yaml_get_it(accept, content_type):
    response = APIClient().get(f"{BASE}/schema/", HTTP_ACCEPT=accept)
    assert response.status_code == 200
    assert response["Content-Type"].startswith(content_type)
    loaded = response.json() if accept.endswith("json") else yaml.safe_load(response.content)
    assert loaded["openapi"].startswith("3.")


def test_yaml_on_request():
    response = APIClient().get(f"{BASE}/schema/", HTTP_ACCEPT="application/vnd.oai.openapi")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.oai.openapi")
    assert not response["Content-Type"].startswith("application/vnd.oai.openapi+json")
    assert not response.content.lstrip().startswith(b"{")  # YAML proper, not JSON (which YAML reads too)
    assert yaml.safe_load(response.content)["openapi"].startswith("3.")


def test_it_is_valid_openapi_3_generated_without_warnings(schema, schema_response):
    assert schema["openapi"].startswith("3.")
    validate_schema(schema)
    assert not schema_response[1], "drf-spectacular warned while generating the schema"


def test_the_host_needs_no_drf_spectacular_settings():
    # The development host, like an LMS that knows nothing of drf-spectacular, has none: the schema
    # above was generated all the same.
    assert "drf_spectacular" not in settings.INSTALLED_APPS
    assert "DEFAULT_SCHEMA_CLASS" not in settings.REST_FRAMEWORK
    assert not hasattr(settings, "SPECTACULAR_SETTINGS")


def test_it_lists_every_endpoint_and_only_them(schema):
    listed = {(method, path) for path, operations in schema["paths"].items() for method in operations}
    assert listed == ENDPOINTS


def test_every_operation_describes_its_success_and_its_refusals(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            assert operation["summary"], (method, path)
            assert any(code.startswith("2") for code in responses), (method, path)
            assert "401" in responses and ("403" in responses or "courses" not in path), (method, path)
            assert {"jwtAuth": []} in operation["security"] and {"cookieAuth": []} in operation["security"]


def test_bodies_and_parameters_are_described(schema):
    paths = schema["paths"]
    assert (
        "LearnerPage"
        in paths[f"{COURSE}/learners/"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    )
    query = {parameter["name"] for parameter in paths[f"{COURSE}/learners/"]["get"]["parameters"]}
    assert {"course_id", "status", "search", "required", "session", "ordering", "page", "page_size"} <= query
    due_date = paths[f"{LEARNER}/due-date/"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert due_date["$ref"].endswith("/DueDateInputRequest")
    upload = paths[f"{COURSE}/assignments/import/"]["post"]["requestBody"]["content"]
    assert list(upload) == ["multipart/form-data"]
    assert set(paths[f"{COURSE}/assignments/import/"]["post"]["responses"]) >= {"200", "202"}
    quizzes = paths[f"{LEARNER}/quizzes/"]["get"]["responses"]["200"]["content"]
    assert set(quizzes) == {"application/json", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
    assert "allowed_actions" in schema["components"]["schemas"]["Error"]["properties"]


def test_a_mass_action_report_names_its_learners(schema):
    schemas = schema["components"]["schemas"]
    outcome = schemas["MassActionStatus"]["properties"]
    assert outcome["done_names"]["type"] == "array"
    skipped = outcome["skipped"]["items"]["$ref"].rsplit("/", 1)[1]
    assert set(schemas[skipped]["properties"]) == {"username", "name", "reason"}
    failed = outcome["failed"]["items"]["$ref"].rsplit("/", 1)[1]
    assert set(schemas[failed]["properties"]) == {"username", "reason"}
