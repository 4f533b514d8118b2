"""
Learner-scoped data never leaks across courses or learners. Through a course's URLs, its team (and a
platform admin) reach only that course's learners, sessions and jobs: anything of another course
answers exactly as something that does not exist (404, same error code, same message but for the
name), and nothing changes. A learner's own list holds only their own assignments.
"""

import pytest
from rest_framework.test import APIClient

from learner_mgmt_plugin import api
from test_utils.rest import BASE
from test_utils.snapshots import snapshot
from test_utils.world import COURSE_ENDPOINTS, Endpoint, rolled_back

pytestmark = [pytest.mark.figure("No leaks across courses and learners"), pytest.mark.django_db]

LEARNER_ENDPOINTS = [endpoint for endpoint in COURSE_ENDPOINTS if endpoint.path.startswith("learners/ann/")]
# eve is a learner of the other course only; team_instructor a user who is no learner at all.
NOT_HERE = ("eve", "team_instructor")
NOBODY = "nobody-at-all"


def as_user(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


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
    client = as_user(world.users[caller])
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


@pytest.mark.parametrize(
    ("method", "path", "unknown", "body"),
    [
        ("get", "imports/{other_import}/", "imports/6d1c5c4e-0000-4000-8000-000000000000/", None),
        (
            "get",
            "imports/{other_import}/non-imported/",
            "imports/6d1c5c4e-0000-4000-8000-000000000000/non-imported/",
            None,
        ),
        ("get", "mass-actions/{other_mass_action}/", "mass-actions/6d1c5c4e-0000-4000-8000-000000000000/", None),
        # A job of this course is not found under the other kind either.
        ("get", "mass-actions/{import}/", "mass-actions/6d1c5c4e-0000-4000-8000-000000000000/", None),
        ("get", "sessions/{other_session}/", "sessions/999999/", None),
        ("patch", "sessions/{other_session}/", "sessions/999999/", {"title": "Taken over", "capacity": 1}),
        ("delete", "sessions/{other_session}/", "sessions/999999/", None),
        ("post", "learners/ann/change-session/", None, {"session_id": "{other_session}"}),
    ],
)
def test_sessions_and_jobs_of_other_courses_answer_like_unknown_ids(world, method, path, unknown, body, cases):
    client = as_user(world.users["platform_admin"])
    known = Endpoint(method, path, 404, body=body)
    with rolled_back():
        before = snapshot(with_host=True)
        response = known.call(client, world.course, world.ids)
        cases.tried()
        assert response.status_code == 404, response.content
        assert snapshot(with_host=True) == before
    if unknown is not None:
        expected = Endpoint(method, unknown, 404, body=body).call(client, world.course, world.ids)
        other_id = path.split("/")[1].format(**world.ids)
        assert refusal(response, other_id) == refusal(expected, unknown.split("/")[1])


def test_the_list_and_its_filters_show_only_this_courses_learners(world, cases):
    client = as_user(world.users["course_staff"])
    url = f"{BASE}/courses/{world.course}/learners/"
    everyone = client.get(url, {"page_size": 500}).json()
    assert {row["username"] for row in everyone["results"]} == {"ann", "bob", "cat", "dee", "dan"}
    assert sum(everyone["status_counts"].values()) == everyone["count"] == 5
    for params in ({"search": "eve"}, {"search": "Eve"}, {"session": world.ids["other_session"]}):
        cases.tried()
        page = client.get(url, params).json()
        assert (page["count"], page["results"], sum(page["status_counts"].values())) == (0, [], 0), params


def test_a_mass_action_naming_another_courses_learner_fails_for_them_and_leaves_them_alone(world, cases):
    elsewhere_before = api.get_learner(world.elsewhere, "eve")
    response = as_user(world.users["course_staff"]).post(
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
    history = as_user(world.users["course_staff"]).get(f"{BASE}/courses/{world.course}/learners/ann/history/").json()
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
    results = as_user(user).get(f"{BASE}/me/assignments/").json()["results"]
    cases.tried()
    assert {item["course_id"] for item in results} == expected
