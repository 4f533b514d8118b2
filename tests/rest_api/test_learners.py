"""
``GET courses/{course_id}/learners/`` and ``learners/{username}/``: the learner list (filters,
ordering, pages with absolute links, status counts, a fixed number of queries) and one learner's row.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from devhost.lms import api as host
from learner_mgmt_plugin import api
from learner_mgmt_plugin.data import LearnerStatus
from test_utils.rest import course_url

ROW_FIELDS = {
    "username",
    "email",
    "name",
    "employee_id",
    "status",
    "status_label",
    "progress",
    "required",
    "due_date",
    "assigned_by",
    "assigned_at",
    "attempt",
    "session",
    "certificate",
    "actions",
}


@pytest.fixture
def learners(course, learner_in):
    """
    One learner in each status of the self-paced course (none is Enrolled: that needs an ILT seat).
    """
    statuses = (LearnerStatus.NOT_STARTED, LearnerStatus.STARTED, LearnerStatus.IN_PROGRESS, LearnerStatus.COMPLETED)
    return {status: learner_in(course, status) for status in statuses}


def usernames(response):
    return [row["username"] for row in response.json()["results"]]


class TestList:
    def test_a_page_of_rows_with_the_status_counts(self, staff_client, course, learners):
        response = staff_client.get(course_url(course, "learners/"), {"ordering": "username"})
        assert response.status_code == 200
        body = response.json()
        assert (body["count"], body["next"], body["previous"]) == (4, None, None)
        assert body["status_counts"] == {
            "completed": 1,
            "enrolled": 0,
            "in_progress": 1,
            "started": 1,
            "not_started": 1,
        }
        assert usernames(response) == [
            "completed_learner",
            "in_progress_learner",
            "not_started_learner",
            "started_learner",
        ]
        row = body["results"][1]
        assert ROW_FIELDS <= set(row)
        assert (row["status"], row["status_label"], row["progress"], row["attempt"]) == (
            "in_progress",
            "42% Completed",
            42,
            1,
        )
        assert row["assigned_by"] == "staff"
        assert "update_due_date" in row["actions"] and "mark_complete" in row["actions"]
        assert datetime.datetime.fromisoformat(row["assigned_at"]) <= timezone.now()

    def test_pages_link_to_their_neighbours_with_absolute_urls(self, staff_client, course, learners):
        url = course_url(course, "learners/")
        first = staff_client.get(url, {"ordering": "username", "page_size": 3}).json()
        assert first["next"] == f"http://testserver{url}?ordering=username&page=2&page_size=3"
        assert first["previous"] is None
        second = staff_client.get(first["next"]).json()
        assert [row["username"] for row in second["results"]] == ["started_learner"]
        assert second["next"] is None
        assert second["previous"] == f"http://testserver{url}?ordering=username&page=1&page_size=3"

    def test_filters_and_ordering(self, staff_client, course, staff, learners):
        api.update_due_date(
            course, "started_learner", actor=staff, due_date=timezone.localdate() + datetime.timedelta(days=9)
        )
        url = course_url(course, "learners/")
        assert usernames(staff_client.get(url, {"status": "completed"})) == ["completed_learner"]
        assert usernames(staff_client.get(url, {"search": "IN_PROG"})) == ["in_progress_learner"]
        assert usernames(staff_client.get(url, {"required": "true"})) == ["started_learner"]
        assert len(usernames(staff_client.get(url, {"required": "false"}))) == 3
        assert usernames(staff_client.get(url, {"ordering": "-progress"}))[0] == "completed_learner"
        counts = staff_client.get(url, {"status": "completed"}).json()
        assert counts["count"] == 1 and counts["status_counts"]["not_started"] == 1

    def test_filter_by_ilt_session(self, staff_client, ilt_course, sessions, learner_in):
        learner_in(ilt_course, LearnerStatus.ENROLLED, username="seated")
        learner_in(ilt_course, LearnerStatus.NOT_STARTED, username="unseated")
        response = staff_client.get(course_url(ilt_course, "learners/"), {"session": sessions["upcoming"].id})
        assert usernames(response) == ["seated"]
        assert response.json()["results"][0]["session"]["title"] == "Upcoming"

    @pytest.mark.parametrize(
        ("params", "field"),
        [
            ({"page": "abc"}, "page"),
            ({"page": "0"}, "page"),
            ({"page": "99999999999999999999999"}, "page"),
            ({"page_size": "ten"}, "page_size"),
            ({"page_size": "501"}, "page_size"),
            ({"required": "maybe"}, "required"),
            ({"status": "asleep"}, "status"),
            ({"session": "first"}, "session"),
            ({"ordering": "shoe_size"}, "ordering"),
        ],
    )
    def test_malformed_parameters_are_400_naming_them(self, staff_client, course, learners, params, field):
        response = staff_client.get(course_url(course, "learners/"), params)
        assert response.status_code == 400
        body = response.json()
        assert (body["error"], body["field"]) == ("invalid_input", field)
        assert body["message"]

    def test_the_page_size_is_capped_by_the_setting(self, staff_client, course, learners, settings):
        settings.LEARNER_MGMT_MAX_PAGE_SIZE = 2
        assert staff_client.get(course_url(course, "learners/"), {"page_size": 2}).status_code == 200
        assert staff_client.get(course_url(course, "learners/"), {"page_size": 3}).json()["field"] == "page_size"

    def test_a_fixed_number_of_queries_whatever_the_page_size(
        self, staff_client, course, staff, make_users, django_assert_num_queries
    ):
        make_users(600)
        api.assign_course(course, [f"learner{number}" for number in range(1, 601)], actor=staff)
        url = course_url(course, "learners/")
        staff_client.get(url, {"page_size": 10})  # warms whatever the host caches
        with CaptureQueriesContext(connection) as small_page:
            assert len(staff_client.get(url, {"page_size": 10}).json()["results"]) == 10
        with django_assert_num_queries(len(small_page)):
            assert len(staff_client.get(url, {"page_size": 500}).json()["results"]) == 500


class TestOne:
    def test_a_learners_row(self, staff_client, course, learners):
        response = staff_client.get(course_url(course, "learners/completed_learner/"))
        assert response.status_code == 200
        row = response.json()
        assert ROW_FIELDS <= set(row)
        assert (row["status"], row["progress"], row["certificate"]) == ("completed", 100, None)
        assert "generate_certificate" in row["actions"] and "unassign" not in row["actions"]

    def test_an_unknown_or_unassigned_learner_is_404(self, staff_client, course, staff, learners, make_learner):
        make_learner("stranger")
        api.unassign(course, "not_started_learner", actor=staff)
        for username in ("nobody", "stranger", "not_started_learner"):
            response = staff_client.get(course_url(course, f"learners/{username}/"))
            assert (response.status_code, response.json()["error"]) == (404, "learner_not_found")

    def test_the_learner_of_another_course_is_not_found_here(self, staff_client, course, other_course, learner_in):
        learner_in(other_course, LearnerStatus.NOT_STARTED, username="elsewhere")
        assert staff_client.get(course_url(course, "learners/elsewhere/")).status_code == 404

    def test_usernames_with_dots_and_at_signs(self, staff_client, course, staff):
        host.create_user("jane.doe@corp", name="Jane")
        api.assign_course(course, ["jane.doe@corp"], actor=staff)
        assert staff_client.get(course_url(course, "learners/jane.doe@corp/")).json()["name"] == "Jane"
