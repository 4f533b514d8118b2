"""
``POST courses/{course_id}/mass-actions/`` and ``GET mass-actions/{id}/``: one action on many
learners, inline (200) or in the background (202, then followed to the same report).
"""

import pytest

from learner_mgmt_plugin import api
from learner_mgmt_plugin.data import LearnerStatus
from test_utils.rest import course_url, in_days
from test_utils.snapshots import snapshot

S = LearnerStatus


@pytest.fixture
def selection(course, learner_in):
    learner_in(course, S.STARTED, username="ann")
    learner_in(course, S.IN_PROGRESS, username="bob")
    learner_in(course, S.COMPLETED, username="carl")
    return ["ann", "bob", "carl", "ghost"]


def mass_action(client, course_key, **body):
    return client.post(course_url(course_key, "mass-actions/"), body, format="json")


def test_applies_to_those_it_fits_and_reports_the_rest(staff_client, course, selection):
    response = mass_action(staff_client, course, action="mark_complete", users=selection)
    assert response.status_code == 200
    report = response.json()
    assert (report["action"], report["done"], report["done_names"]) == ("mark_complete", ["ann", "bob"], ["Ann", "Bob"])
    assert report["skipped"] == [
        {"username": "carl", "name": "Carl", "reason": "Already completed: Mark as Complete does not apply."}
    ]
    assert report["failed"] == [{"username": "ghost", "reason": "Not a learner of this course."}]
    assert api.get_learner(course, "bob").status == S.COMPLETED

    status = staff_client.get(course_url(course, f"mass-actions/{report['id']}/")).json()
    assert (status["state"], status["completed_steps"], status["total_steps"]) == ("succeeded", 1, 1)
    assert {key: status[key] for key in report} == report


def test_remove_from_the_course_needs_confirmation(staff_client, course, selection):
    before = snapshot()
    response = mass_action(staff_client, course, action="remove", users=selection, scope="course")
    assert (response.status_code, response.json()["error"]) == (400, "confirmation_required")
    assert snapshot() == before
    response = mass_action(staff_client, course, action="remove", users=selection, scope="course", confirm=True)
    assert response.json()["done"] == ["ann", "bob", "carl"]
    assert api.list_learners(course).count == 0


def test_change_session_in_an_ilt_course(staff_client, ilt_course, sessions, learner_in):
    learner_in(ilt_course, S.NOT_STARTED, username="ann")
    learner_in(ilt_course, S.STARTED, username="bob")
    response = mass_action(
        staff_client, ilt_course, action="change_session", users=["ann", "bob"], session_id=sessions["later"].id
    )
    report = response.json()
    assert (report["done"], [skipped["username"] for skipped in report["skipped"]]) == (["ann"], ["bob"])


def test_a_large_selection_runs_in_the_background(
    staff_client, course, selection, jobs_in_background, django_capture_on_commit_callbacks
):
    jobs_in_background(above=2, chunk_size=2)
    with django_capture_on_commit_callbacks(execute=True):
        response = mass_action(staff_client, course, action="reset_progress", users=selection)
        assert response.status_code == 202
        accepted = response.json()
        assert (
            accepted["status_url"] == f"http://testserver{course_url(course, 'mass-actions/' + accepted['id'] + '/')}"
        )
        assert staff_client.get(accepted["status_url"]).json()["state"] == "pending"

    report = staff_client.get(accepted["status_url"]).json()
    assert (report["state"], report["completed_steps"], report["total_steps"]) == ("succeeded", 2, 2)
    assert (report["action"], sorted(zip(report["done"], report["done_names"]))) == (
        "reset_progress",
        [("ann", "Ann"), ("bob", "Bob"), ("carl", "Carl")],
    )
    assert [failed["username"] for failed in report["failed"]] == ["ghost"]
    assert api.get_learner(course, "carl").attempt == 2


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"action": "teleport", "users": ["ann"]}, "action"),
        ({"action": "change_session", "users": ["ann"], "session_id": 1}, "action"),  # self-paced course
        ({"action": "remove", "users": ["ann"], "scope": "galaxy", "confirm": True}, "scope"),
        ({"action": "remove", "users": ["ann"]}, "scope"),
        ({"action": "mark_complete", "users": "ann"}, "users"),
        ({"action": "mark_complete"}, "users"),
        ({"users": ["ann"]}, "action"),
        ({"action": "mark_complete", "users": ["ann"], "confirm": "yes please"}, "confirm"),
        ({"action": "mark_complete", "users": ["ann"], "session_id": "first"}, "session_id"),
        # Left out, the date would read as null and remove everyone's.
        ({"action": "update_due_date", "users": ["ann"]}, "due_date"),
        ({"action": "update_due_date", "users": ["ann"], "due_date": "soon"}, "due_date"),
        ({"action": "update_due_date", "users": ["ann"], "due_date": "2020-01-31"}, "due_date"),
    ],
)
def test_malformed_requests_are_400_and_change_nothing(staff_client, course, selection, body, field):
    before = snapshot()
    response = staff_client.post(course_url(course, "mass-actions/"), body, format="json")
    assert (response.status_code, response.json()["error"], response.json()["field"]) == (400, "invalid_input", field)
    assert snapshot() == before


def test_unknown_and_other_courses_mass_actions_are_404(staff_client, course, other_course, selection):
    job_id = mass_action(staff_client, course, action="mark_complete", users=["ann"]).json()["id"]
    for course_key, path in ((other_course, f"mass-actions/{job_id}/"), (course, "mass-actions/42/")):
        response = staff_client.get(course_url(course_key, path))
        assert (response.status_code, response.json()["error"]) == (404, "not_found")


def test_select_all_by_filter(staff_client, ilt_course, sessions, learner_in):
    learner_in(ilt_course, LearnerStatus.IN_PROGRESS, username="busy")
    learner_in(ilt_course, LearnerStatus.NOT_STARTED, username="idle")
    response = staff_client.post(
        course_url(ilt_course, "mass-actions/"),
        {"action": "mark_complete", "filter": {"status": "in_progress"}},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["done"] == ["busy"]


def test_a_due_date_is_set_or_removed_for_every_selected_learner(staff_client, course, selection):
    due = in_days(12)
    report = mass_action(staff_client, course, action="update_due_date", users=selection, due_date=due).json()
    assert (report["done"], report["skipped"]) == (["ann", "bob", "carl"], [])
    assert {(row.due_date.isoformat(), row.required) for row in map(learner_row(course), selection[:3])} == {
        (due, True)
    }

    report = mass_action(staff_client, course, action="update_due_date", users=["ann", "bob"], due_date=None).json()
    assert report["done"] == ["ann", "bob"]
    assert [(row.due_date, row.required) for row in map(learner_row(course), ["ann", "bob"])] == [(None, False)] * 2
    assert api.get_learner(course, "carl").due_date.isoformat() == due


def learner_row(course):
    return lambda username: api.get_learner(course, username)
