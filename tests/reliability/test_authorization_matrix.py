"""
Authorization matrix: every endpoint of the REST API × every kind of caller (anonymous, a signed-in
outsider with no role and no assignment anywhere, a learner of the course, course staff of another
course, course staff, course instructor, platform admin) gets the answer it should, and every refusal
leaves the plugin's tables and what the plugin writes in the host exactly as they were. The requests
are ones that would change something if they were let through.

Each role's request runs in a savepoint that is rolled back, so that every role meets the same world.
"""

import pytest
from django.urls import resolve

from test_utils.rest import BASE, client_as
from test_utils.snapshots import snapshot
from test_utils.world import COURSE_ENDPOINTS, rolled_back

pytestmark = [pytest.mark.figure("Authorization matrix"), pytest.mark.django_db]

# The callers: the world's users by role, and "anonymous", who is none of them (``world.users.get``: None).
ROLES = (
    "anonymous",
    "outsider",
    "learner",
    "other_course_staff",
    "course_staff",
    "course_instructor",
    "platform_admin",
)
ERROR_OF_STATUS = {401: "not_authenticated", 403: "permission_denied"}


def expected_status(endpoint, role):
    if role == "anonymous":
        return 401
    if role in ("outsider", "learner", "other_course_staff"):
        return 403
    if endpoint.admin_only and role != "platform_admin":
        return 403
    return endpoint.success


def check(response, expected, before, endpoint):
    """
    What is wrong with the answer to one request (None if nothing is).
    """
    if response.status_code != expected:
        return f"answered {response.status_code}, expected {expected}: {response.content[:200]!r}"
    if expected >= 400:
        if response.json().get("error") != ERROR_OF_STATUS[expected]:
            return f"error body {response.json()}"
        if snapshot(with_host=True) != before:
            return "refused, yet the database changed"
    elif endpoint.changes and snapshot(with_host=True) == before:
        return "let through, yet nothing changed"
    return None


@pytest.mark.parametrize("endpoint", COURSE_ENDPOINTS, ids=lambda endpoint: endpoint.name)
def test_every_role_gets_the_expected_answer_and_refusals_change_nothing(world, endpoint, cases):
    wrong = []
    for role in ROLES:
        with rolled_back():
            before = snapshot(with_host=True)
            response = endpoint.call(client_as(world.users.get(role)), world.course, world.ids)
            problem = check(response, expected_status(endpoint, role), before, endpoint)
        cases.tried()
        if problem:
            wrong.append(f"{role}: {problem}")
    cases.failed(len(wrong))
    assert not wrong, "\n".join(wrong)


def test_my_assignments_need_a_signed_in_user_and_nothing_else(world, cases):
    for role in ROLES:
        response = client_as(world.users.get(role)).get(f"{BASE}/me/assignments/")
        cases.tried()
        assert response.status_code == (401 if role == "anonymous" else 200), role


def test_a_learner_books_and_cancels_their_own_seat_and_nobody_elses(world, cases):
    url = f"{BASE}/me/assignments/{world.course}/session/"
    for role in ROLES:
        for method, body in (("post", {"session_id": world.ids["empty_session"]}), ("delete", None)):
            with rolled_back():
                before = snapshot(with_host=True)
                response = getattr(client_as(world.users.get(role)), method)(url, body, format="json")
                cases.tried()
                if role == "anonymous":
                    expected = 401
                elif role == "learner":
                    # Ann books the empty session; she holds no seat to cancel.
                    expected = 200 if method == "post" else 409
                else:
                    # Only ever the caller's own assignment: the course is not assigned to them.
                    expected = 404
                assert response.status_code == expected, (role, method, response.content[:200])
                if expected != 200:
                    assert snapshot(with_host=True) == before, (role, method)


def test_the_schema_is_public(world, cases):
    for role in ROLES:
        cases.tried()
        assert client_as(world.users.get(role)).get(f"{BASE}/schema/").status_code == 200, role


def test_the_matrix_covers_every_operation_of_the_served_schema(world):
    schema = client_as().get(f"{BASE}/schema/").json()
    served = {(method, path) for path, operations in schema["paths"].items() for method in operations}
    tried = {(endpoint.method, schema_path(endpoint.url(world.course, world.ids))) for endpoint in COURSE_ENDPOINTS}
    tried |= {("get", f"{BASE}/me/assignments/")}
    tried |= {(method, f"{BASE}/me/assignments/{{course_id}}/session/") for method in ("post", "delete")}
    assert tried == served


def schema_path(url):
    """
    The schema's path of a URL: its route, with ``<str:name>`` as ``{name}``.
    """
    route = resolve(url.split("?")[0]).route.replace("^", "")
    return "/" + route.replace("<str:", "{").replace(">", "}")
