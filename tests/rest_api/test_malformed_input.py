"""
Whatever a caller sends, the API answers with a 2xx or a JSON 4xx, never a 500: every body field and
query parameter of the API is given arbitrary JSON values.
"""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from learner_mgmt_plugin import api
from learner_mgmt_plugin.data import LearnerStatus
from test_utils.fuzzing import examples
from test_utils.rest import course_url

JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30)
    | st.sampled_from(["2030-01-01", "2030-01-01T10:00:00Z", "ann", "course", "remove", "ilt", "1e400", "-1"]),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3),
    max_leaves=5,
)

# (method, path under the course, the fields it reads)
BODIES = [
    ("post", "learners/ann/due-date/", ["due_date"]),
    ("post", "learners/ann/change-session/", ["session_id"]),
    ("post", "learners/ann/mark-no-show/", ["message"]),
    ("post", "learners/ann/remove/", ["scope", "confirm"]),
    ("post", "assignments/review/", ["users"]),
    ("post", "assignments/", ["users", "required", "due_date", "message", "skip_completed"]),
    ("post", "mass-actions/", ["action", "users", "scope", "session_id", "confirm"]),
    ("post", "sessions/", ["title", "start", "end", "location", "capacity", "instructor"]),
    ("patch", "sessions/{session}/", ["title", "start", "end", "location", "capacity", "instructor"]),
    ("patch", "settings/", ["kind", "credits"]),
]
QUERY = ["status", "search", "required", "session", "ordering", "page", "page_size"]
ANSWERS = {200, 201, 202, 204, 400, 404, 409}


@pytest.fixture
def setting(ilt_course, sessions, learner_in):
    learner_in(ilt_course, LearnerStatus.ENROLLED, username="ann")
    return ilt_course, sessions["upcoming"].id


def check(response):
    assert response.status_code in ANSWERS, response.content
    if response.status_code >= 400:
        body = response.json()
        assert body["error"] and body["message"]


@pytest.mark.parametrize(("method", "path", "fields"), BODIES)
@settings(max_examples=examples(25), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_bodies(staff_client, setting, method, path, fields, data):
    course, session_id = setting
    body = data.draw(st.fixed_dictionaries({}, optional={field: JSON_VALUES for field in fields}))
    url = course_url(course, path.format(session=session_id))
    check(getattr(staff_client, method)(url, body, format="json"))
    if api.list_learners(course).count == 0:  # removed by a lucky body: bring ann back
        api.assign_course(course, ["ann"], actor=None)


@settings(max_examples=examples(40), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(params=st.dictionaries(st.sampled_from(QUERY), st.text(max_size=12), max_size=4))
def test_list_parameters(staff_client, setting, params):
    check(staff_client.get(course_url(setting[0], "learners/"), params))
