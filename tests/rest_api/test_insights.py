"""
The views of one learner: ``history/``, ``chapters/``, ``quizzes/`` (JSON, or an .xlsx workbook safe
to open in a spreadsheet) and ``scorm-activity/`` (platform admins only).
"""

import io

import pytest
from openpyxl import load_workbook

from devhost.lms import api as host
from learner_mgmt_plugin import api
from learner_mgmt_plugin.data import LearnerStatus
from test_utils.rest import course_url

S = LearnerStatus
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def get(client, course_key, username, view, params=None):
    return client.get(course_url(course_key, f"learners/{username}/{view}/"), params)


class TestHistory:
    def test_events_newest_first_with_attempts_and_seats(self, staff_client, ilt_course, staff, sessions, learner_in):
        learner_in(ilt_course, S.ENROLLED, username="ann")
        api.mark_complete(ilt_course, "ann", actor=staff)
        response = get(staff_client, ilt_course, "ann", "history")
        assert response.status_code == 200
        body = response.json()
        assert [event["kind"] for event in body["events"]][:3] == [
            "certificate_generated",
            "completed",
            "session_changed",
        ]
        assert body["events"][-1]["kind"] == "assigned" and body["events"][-1]["actor"] == "staff"
        assert [(attempt["number"], attempt["completion_source"]) for attempt in body["attempts"]] == [(1, "admin")]
        assert [(seat["title"], seat["state"]) for seat in body["sessions"]] == [("Upcoming", "attended")]

    def test_an_unknown_learner_is_404(self, staff_client, course):
        assert get(staff_client, course, "nobody", "history").status_code == 404


class TestChapters:
    def test_progress_in_each_chapter(self, staff_client, course, learner_in):
        learner_in(course, S.IN_PROGRESS, username="ann")
        response = get(staff_client, course, "ann", "chapters")
        assert response.status_code == 200
        chapters = response.json()["results"]
        assert [chapter["title"] for chapter in chapters][:2] == ["Basics", "Practice"]
        assert chapters[0]["progress"] == 100 and chapters[0]["completed_at"]

    def test_not_offered_while_seated_in_an_ilt_session(self, staff_client, ilt_course, sessions, learner_in):
        learner_in(ilt_course, S.ENROLLED, username="ann")
        response = get(staff_client, ilt_course, "ann", "chapters")
        assert (response.status_code, response.json()["error"]) == (409, "action_not_allowed")


@pytest.fixture
def quiz_taker(course, learner_in):
    """
    A learner who answered the first quiz question with a formula and the second with a control character.
    """
    learner = learner_in(course, S.STARTED, username="ann")
    host.answer_question(learner, course, 1, '=HYPERLINK("http://evil","4")')
    host.answer_question(learner, course, 2, "Pa\x07ris")
    return learner


class TestQuizzes:
    def test_results_as_json(self, staff_client, course, quiz_taker):
        response = get(staff_client, course, "ann", "quizzes")
        assert response.status_code == 200
        [quiz] = response.json()["results"]
        assert (quiz["title"], quiz["score"], quiz["attempts"]) == ("Quiz", 0, 1)
        assert [(question["question"], question["correct"]) for question in quiz["questions"]] == [
            ("2 + 2 = ?", False),
            ("Capital of France?", False),
        ]

    def test_results_as_a_workbook_safe_against_formulas(self, staff_client, course, quiz_taker):
        response = get(staff_client, course, "ann", "quizzes", {"format": "xlsx"})
        assert response.status_code == 200
        assert response["Content-Type"] == XLSX
        assert response["Content-Disposition"] == (
            'attachment; filename="quiz_insights_ann_course-v1_TestX_LM101_2026.xlsx"'
        )
        sheet = load_workbook(io.BytesIO(response.content)).active
        rows = list(sheet.iter_rows(values_only=True))
        assert rows[0] == ("Chapter", "Score", "Attempts", "Question", "Answer", "Correct")
        # Both answers wrong: a score of 0, in one attempt.
        assert rows[1:] == [
            ("Quiz", 0, 1, "2 + 2 = ?", '\'=HYPERLINK("http://evil","4")', "No"),
            ("Quiz", 0, 1, "Capital of France?", "Paris", "No"),
        ]
        assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)

    def test_refusals_stay_json_when_a_workbook_was_asked_for(self, staff_client, course, staff):
        response = get(staff_client, course, "nobody", "quizzes", {"format": "xlsx"})
        assert (response.status_code, response["Content-Type"]) == (404, "application/json")
        assert response.json()["error"] == "learner_not_found"

    def test_an_unknown_format_is_refused(self, staff_client, course, quiz_taker):
        response = get(staff_client, course, "ann", "quizzes", {"format": "pdf"})
        assert response.status_code == 404
        assert response.json()["error"] == "not_found"

    def test_not_offered_in_a_course_without_quizzes(self, staff_client, staff, make_learner):
        no_quiz = host.create_course("course-v1:TestX+NoQuiz+2026", title="No quiz")
        host.grant_role(staff, no_quiz, "staff")
        make_learner("ann")
        api.assign_course(no_quiz, ["ann"], actor=staff)
        response = get(staff_client, no_quiz, "ann", "quizzes")
        assert (response.status_code, response.json()["error"]) == (409, "action_not_allowed")
        assert "view_quiz_insights" not in response.json()["allowed_actions"]


class TestScormActivity:
    def test_platform_admins_see_the_records(self, admin_client, course, learner_in):
        ann = learner_in(course, S.STARTED, username="ann")
        host.record_scorm_statement(ann, course, "completed", "Module 1", "passed")
        response = get(admin_client, course, "ann", "scorm-activity")
        assert response.status_code == 200
        assert [(record["verb"], record["object"], record["result"]) for record in response.json()["results"]] == [
            ("completed", "Module 1", "passed")
        ]

    def test_course_staff_are_refused(self, staff_client, course, learner_in):
        learner_in(course, S.STARTED, username="ann")
        response = get(staff_client, course, "ann", "scorm-activity")
        assert (response.status_code, response.json()["error"]) == (403, "permission_denied")

    def test_not_offered_before_the_learner_started(self, admin_client, course, learner_in):
        learner_in(course, S.NOT_STARTED, username="ann")
        response = get(admin_client, course, "ann", "scorm-activity")
        assert (response.status_code, response.json()["error"]) == (409, "action_not_allowed")
