"""
Learner-scoped data never leaks across courses or learners. Through a course's URLs, its team (and a
platform admin) reach only that course's learners, sessions and jobs: anything of another course
answers exactly as something that does not exist (404, same error code, same message but for the
name), and nothing changes. A learner's own list holds only their own assignments.
"""

import pytest

from learner_mgmt_plugin import api
from test_utils.rest import BASE, client_as
from test_utils.snapshots import snapshot
from test_utils.world import COURSE_ENDPOINTS, Endpoint, rolled_back

pytestmark = [pytest.mark.figure("No leaks across courses and learners"), pytest.mark.django_db]

LEARNER_ENDPOINTS = [endpoint for endpoint in COURSE_ENDPOINTS if endpoint.path.startswith("learners/ann/")]
# eve is a learner of the other course only; team_instructor a user who is no learner at all.
NOT_HERE = ("eve", "team_instructor")
NOBODY = "nobody-at-all"


def refusal(response, name):
    """
    (status, error code, message with ``name`` blanked): what a caller learns from a refusal, which is
    always the API's JSON error body.
    """
    assert response["Content-Type"] == "application/json", response.content
    body = response.json()
    return response.status_code, body["error"], body["message"].replace(name, "NAME")


@pytest.mark.parametrize("caller", ["course_staff", "platform_admin"])
@pytest.mark.parametrize("endpoint", LEARNER_ENDPOINTS, ids=lambda endpoint: endpoint.name)
def test_learners_of_other_courses_answer_like_nobody(world, endpoint, caller, cases):
    client = client_as(world.users[caller])
    with rolled_back():
        unknown = refusal(_for_learner(endpoint, NOBODY).call(client, world.course, world.ids), NOBODY)
    assert unknown[:2] == (404, "learner_not_found")
    for username in NOT_HERE:
        with rolled_back():
            before = snapshot(with_host=True)
            response = _for_learner(endpoint, username).call(client, world.course, world.ids)
            cases.tried()
            assert refusal(response, username) == unknown, username
            assert snapshot(with_host=True) == before


def _for_learner(endpoint, username):
    return Endpoint(
        endpoint.method,
        endpoint.path.replace("learners/ann/", f"learners/{username}/"),
        endpoint.success,
        body=endpoint.body,
    )


# An id no job or session has, and the error a request naming it gets.
UNKNOWN_JOB = ("6d1c5c4e-0000-4000-8000-000000000000", "not_found")
UNKNOWN_SESSION = (999999, "session_not_found")


@pytest.mark.parametrize(
    ("method", "path", "body", "other", "unknown"),
    [
        # ``{id}`` (in the path or the body) is the world's id named ``other``, or ``unknown``'s id.
        ("get", "imports/{id}/", None, "other_import", UNKNOWN_JOB),
        ("get", "imports/{id}/non-imported/", None, "other_import", UNKNOWN_JOB),
        ("get", "mass-actions/{id}/", None, "other_mass_action", UNKNOWN_JOB),
        ("get", "assignments/jobs/{id}/", None, "other_assignment", UNKNOWN_JOB),
        # A job of this course is not found under the other kind either.
        ("get", "mass-actions/{id}/", None, "import", UNKNOWN_JOB),
        ("get", "assignments/jobs/{id}/", None, "mass_action", UNKNOWN_JOB),
        ("get", "sessions/{id}/", None, "other_session", UNKNOWN_SESSION),
        ("patch", "sessions/{id}/", {"title": "Taken over", "capacity": 1}, "other_session", UNKNOWN_SESSION),
        ("delete", "sessions/{id}/", None, "other_session", UNKNOWN_SESSION),
        ("post", "learners/ann/change-session/", {"session_id": "{id}"}, "other_session", UNKNOWN_SESSION),
    ],
)
def test_sessions_and_jobs_of_other_courses_answer_like_unknown_ids(world, method, path, body, other, unknown, cases):
    client = client_as(world.users["platform_admin"])
    endpoint = Endpoint(method, path, 404, body=body)
    answers = []
    unknown_id, error = unknown
    for named in (world.ids[other], unknown_id):
        with rolled_back():
            before = snapshot(with_host=True)
            response = endpoint.call(client, world.course, {**world.ids, "id": named})
            assert snapshot(with_host=True) == before, named
        answers.append(refusal(response, str(named)))
    cases.tried()
    assert answers[1][:2] == (404, error), answers[1]
    assert answers[0] == answers[1]


def test_the_list_and_its_filters_show_only_this_courses_learners(world, cases):
    client = client_as(world.users["course_staff"])
    url = f"{BASE}/courses/{world.course}/learners/"
    everyone = client.get(url, {"page_size": 500}).json()
    assert {row["username"] for row in everyone["results"]} == {"ann", "bob", "cat", "dee", "dan"}
    assert sum(everyone["status_counts"].values()) == everyone["count"] == 5
    for params in ({"search": "eve"}, {"search": "Eve"}, {"session": world.ids["other_session"]}):
        cases.tried()
        page = client.get(url, params).json()
        assert (page["count"], page["results"], sum(page["status_counts"].values())) == (0, [], 0), params
        cases.tried()
        export = b"".join(client.get(f"{url}export/", params).streaming_content).decode()
        assert export.count("\n") == 1, (params, export)  # the headings alone
    export = b"".join(client.get(f"{url}export/").streaming_content).decode()
    assert {line.split(",")[1] for line in export.splitlines()[1:]} == {"ann", "bob", "cat", "dee", "dan"}


def test_a_mass_action_naming_another_courses_learner_fails_for_them_and_leaves_them_alone(world, cases):
    elsewhere_before = api.get_learner(world.elsewhere, "eve")
    response = client_as(world.users["course_staff"]).post(
        f"{BASE}/courses/{world.course}/mass-actions/",
        {"action": "mark_complete", "users": ["eve", "bob"]},
        format="json",
    )
    cases.tried()
    assert response.status_code == 200
    assert response.json()["done"] == ["bob"]
    assert [failure["username"] for failure in response.json()["failed"]] == ["eve"]
    assert api.get_learner(world.elsewhere, "eve") == elsewhere_before


def test_a_learners_history_holds_only_this_course(world, cases):
    # ann is a learner of both courses.
    history = client_as(world.users["course_staff"]).get(f"{BASE}/courses/{world.course}/learners/ann/history/").json()
    cases.tried()
    elsewhere = api.get_history(world.elsewhere, "ann")
    assert history["events"] and elsewhere.events
    assert not {event["id"] for event in history["events"]} & {event.id for event in elsewhere.events}


@pytest.mark.parametrize("username", ["ann", "bob", "eve", "team_staff"])
def test_my_assignments_are_mine_only(world, username, cases):
    from django.contrib.auth import get_user_model  # pylint: disable=import-outside-toplevel

    user = get_user_model().objects.get(username=username)
    expected = {
        "ann": {world.course, world.elsewhere},
        "bob": {world.course},
        "eve": {world.elsewhere},
        "team_staff": set(),
    }[username]
    results = client_as(user).get(f"{BASE}/me/assignments/").json()["results"]
    cases.tried()
    assert {item["course_id"] for item in results} == expected
