"""
ILT sessions (``sessions/``, ``sessions/{id}/``) and the course settings (``settings/``).
"""

import datetime

import pytest
from django.utils import timezone

from learner_mgmt_plugin import api
from learner_mgmt_plugin.data import LearnerStatus
from test_utils.rest import course_url
from test_utils.snapshots import snapshot

SESSION_FIELDS = {
    "id",
    "title",
    "start",
    "end",
    "location",
    "capacity",
    "instructor",
    "seats_taken",
    "is_past",
    "within_retroactive_window",
}


def moment(days):
    return (timezone.now() + datetime.timedelta(days=days)).replace(microsecond=0)


def as_moment(text):
    return datetime.datetime.fromisoformat(text)


class TestSessions:
    def test_the_list_in_start_order(self, staff_client, ilt_course, sessions, learner_in):
        learner_in(ilt_course, LearnerStatus.ENROLLED, username="ann")
        response = staff_client.get(course_url(ilt_course, "sessions/"))
        assert response.status_code == 200
        results = response.json()["results"]
        assert [session["title"] for session in results] == ["Old", "Recent", "Tiny", "Upcoming", "Later"]
        upcoming = results[3]
        assert SESSION_FIELDS <= set(upcoming)
        assert (upcoming["capacity"], upcoming["seats_taken"], upcoming["is_past"]) == (10, 1, False)
        assert (results[0]["is_past"], results[0]["within_retroactive_window"]) == (True, False)

    def test_times_are_iso_8601_with_their_offset_wherever_a_session_is_given(
        self, staff_client, ilt_course, sessions, learner_in
    ):
        # The page shows them in the viewer's time zone: a time without an offset would be read as theirs.
        learner_in(ilt_course, LearnerStatus.ENROLLED, username="ann")
        listed = staff_client.get(course_url(ilt_course, "sessions/")).json()["results"]
        seated = staff_client.get(course_url(ilt_course, "learners/ann/")).json()["session"]
        times = [session[key] for session in [*listed, seated] for key in ("start", "end")]
        assert all(as_moment(time).utcoffset() is not None for time in times), times
        upcoming = sessions["upcoming"]
        assert (as_moment(seated["start"]), as_moment(seated["end"])) == (upcoming.start, upcoming.end)

    def test_a_session_given_in_another_time_zone_is_kept_as_the_same_moment(self, staff_client, ilt_course):
        start = datetime.datetime(2031, 3, 14, 9, 30, tzinfo=datetime.timezone(datetime.timedelta(hours=-5)))
        body = {
            "title": "Morning class",
            "start": start.isoformat(),
            "end": (start + datetime.timedelta(hours=2)).isoformat(),
        }
        created = staff_client.post(course_url(ilt_course, "sessions/"), body, format="json").json()
        assert as_moment(created["start"]) == start
        assert as_moment(created["start"]).utcoffset() is not None

    def test_add_one(self, staff_client, ilt_course, staff):
        start = moment(5)
        body = {
            "title": "Evening class",
            "start": start.isoformat(),
            "end": (start + datetime.timedelta(hours=2)).isoformat(),
            "location": "https://meet.example.com/lm",
            "capacity": 12,
            "instructor": "staff",
        }
        response = staff_client.post(course_url(ilt_course, "sessions/"), body, format="json")
        assert response.status_code == 201
        session = response.json()
        assert (session["title"], session["capacity"], session["instructor"], session["seats_taken"]) == (
            "Evening class",
            12,
            "staff",
            0,
        )
        assert as_moment(session["start"]) == start
        assert api.get_session(ilt_course, session["id"]).location == "https://meet.example.com/lm"

    @pytest.mark.parametrize(
        ("changes", "field"),
        [
            ({"title": None}, "title"),
            ({"title": ""}, "title"),
            ({"start": "tomorrow morning"}, "start"),
            ({"end": moment(-1).isoformat()}, "end"),
            ({"capacity": "a dozen"}, "capacity"),
            ({"capacity": 0}, "capacity"),
            ({"capacity": 2**40}, "capacity"),
            ({"instructor": "nobody"}, "instructor"),
            ({"location": ["Room 1"]}, "location"),
        ],
    )
    def test_malformed_sessions_are_400(self, staff_client, ilt_course, staff, changes, field):
        body = {"title": "Class", "start": moment(5).isoformat(), "end": moment(6).isoformat(), **changes}
        before = snapshot()
        response = staff_client.post(course_url(ilt_course, "sessions/"), body, format="json")
        assert (response.status_code, response.json()["field"]) == (400, field)
        assert snapshot() == before

    def test_get_one(self, staff_client, ilt_course, sessions):
        response = staff_client.get(course_url(ilt_course, f"sessions/{sessions['tiny'].id}/"))
        assert (response.status_code, response.json()["title"], response.json()["capacity"]) == (200, "Tiny", 1)

    def test_change_one(self, staff_client, ilt_course, sessions):
        url = course_url(ilt_course, f"sessions/{sessions['later'].id}/")
        response = staff_client.patch(url, {"title": "Much later", "capacity": None}, format="json")
        assert response.status_code == 200
        assert (response.json()["title"], response.json()["capacity"]) == ("Much later", None)
        assert api.get_session(ilt_course, sessions["later"].id).title == "Much later"

    def test_capacity_cannot_drop_below_the_seats_taken(self, staff_client, ilt_course, sessions, learner_in):
        learner_in(ilt_course, LearnerStatus.ENROLLED, username="ann")
        learner_in(ilt_course, LearnerStatus.ENROLLED, username="bob")
        before = snapshot()
        url = course_url(ilt_course, f"sessions/{sessions['upcoming'].id}/")
        response = staff_client.patch(url, {"capacity": 1}, format="json")
        assert (response.status_code, response.json()["error"]) == (409, "conflict")
        response = staff_client.patch(url, {"start": "soon"}, format="json")
        assert (response.status_code, response.json()["field"]) == (400, "start")
        assert snapshot() == before

    def test_delete_one_that_never_had_a_seat(self, staff_client, ilt_course, sessions, learner_in):
        response = staff_client.delete(course_url(ilt_course, f"sessions/{sessions['later'].id}/"))
        assert response.status_code == 204
        assert [session.title for session in api.list_sessions(ilt_course)] == ["Old", "Recent", "Tiny", "Upcoming"]

        learner_in(ilt_course, LearnerStatus.ENROLLED, username="ann")
        before = snapshot()
        response = staff_client.delete(course_url(ilt_course, f"sessions/{sessions['upcoming'].id}/"))
        assert (response.status_code, response.json()["error"]) == (409, "conflict")
        assert snapshot() == before

    @pytest.mark.parametrize("method", ["get", "patch", "delete"])
    def test_unknown_sessions_and_those_of_other_courses_are_404(self, staff_client, course, sessions, method):
        for course_key, session_id in ((course, sessions["upcoming"].id), (course, 999_999)):
            response = getattr(staff_client, method)(
                course_url(course_key, f"sessions/{session_id}/"), {}, format="json"
            )
            assert (response.status_code, response.json()["error"]) == (404, "session_not_found")

    @pytest.mark.parametrize("session_id", ["first", "0", "1.5", str(2**70)])
    def test_malformed_session_ids_are_400(self, staff_client, ilt_course, sessions, session_id):
        response = staff_client.get(course_url(ilt_course, f"sessions/{session_id}/"))
        assert (response.status_code, response.json()["field"]) == (400, "session_id")


class TestSettings:
    def test_defaults(self, staff_client, course):
        response = staff_client.get(course_url(course, "settings/"))
        assert response.status_code == 200
        assert response.json() == {
            "course_id": str(course),
            "title": "Learner Management 101",
            "kind": "self_paced",
            "credits": 0,
            "removal_reason_required": False,
            "reminder_days": [],
            "overdue_notice": False,
            "statuses": ["not_started", "started", "in_progress", "completed"],
            "mass_actions": ["update_due_date", "reset_progress", "mark_complete", "mark_incomplete", "remove"],
        }

    def test_change_kind_and_credits(self, staff_client, course):
        response = staff_client.patch(course_url(course, "settings/"), {"kind": "ilt", "credits": "2.5"}, format="json")
        assert response.status_code == 200
        ilt = {
            "course_id": str(course),
            "title": "Learner Management 101",
            "kind": "ilt",
            "credits": 2.5,
            "removal_reason_required": False,
            "reminder_days": [],
            "overdue_notice": False,
            "statuses": ["not_started", "started", "in_progress", "enrolled", "completed"],
            "mass_actions": [
                "update_due_date",
                "reset_progress",
                "mark_complete",
                "mark_incomplete",
                "remove",
                "change_session",
            ],
        }
        assert response.json() == ilt
        assert staff_client.get(course_url(course, "settings/")).json() == ilt
        # A change of one setting keeps the other.
        response = staff_client.patch(course_url(course, "settings/"), {"credits": 3}, format="json")
        assert response.status_code == 200
        assert response.json() == {**ilt, "credits": 3}
        assert staff_client.get(course_url(course, "settings/")).json() == {**ilt, "credits": 3}
        response = staff_client.patch(course_url(course, "settings/"), {"removal_reason_required": True}, format="json")
        assert response.json() == {**ilt, "credits": 3, "removal_reason_required": True}
        changes = {"reminder_days": [1, 14, 7, 7], "overdue_notice": True}
        response = staff_client.patch(course_url(course, "settings/"), changes, format="json")
        reminders = {"reminder_days": [14, 7, 1], "overdue_notice": True}
        assert response.json() == {**ilt, "credits": 3, "removal_reason_required": True, **reminders}

    @pytest.mark.parametrize(
        ("changes", "field"),
        [
            ({"kind": "weekly"}, "kind"),
            ({"kind": None}, "kind"),
            ({"credits": "lots"}, "credits"),
            ({"credits": "NaN"}, "credits"),
            ({"credits": -1}, "credits"),
            ({"credits": "1.234"}, "credits"),
            ({"credits": 10**30}, "credits"),
            ({"removal_reason_required": "maybe"}, "removal_reason_required"),
            ({"reminder_days": [0]}, "reminder_days.0"),
            ({"reminder_days": [1, 2, 3, 4, 5, 6]}, "reminder_days"),
            ({"reminder_days": "7"}, "reminder_days"),
            ({"overdue_notice": "often"}, "overdue_notice"),
        ],
    )
    def test_malformed_settings_are_400(self, staff_client, course, changes, field):
        before = snapshot()
        response = staff_client.patch(course_url(course, "settings/"), changes, format="json")
        assert (response.status_code, response.json()["field"]) == (400, field)
        assert snapshot() == before
