"""
Every cell of SPEC section 3's table through the API: an allowed action goes through, a refused one
raises ActionNotAllowed carrying the allowed actions and changes nothing.
"""

import datetime

import pytest
from django.utils import timezone

from learner_mgmt_plugin import api
from learner_mgmt_plugin.data import Action, LearnerStatus
from learner_mgmt_plugin.exceptions import ActionNotAllowed
from test_utils.snapshots import snapshot
from test_utils.spec import SPEC_TABLE


def perform(action, course_key, username, *, actor, sessions):
    """
    Take ``action`` on the learner through the public API.
    """
    calls = {
        Action.UPDATE_DUE_DATE: lambda: api.update_due_date(
            course_key, username, actor=actor, due_date=timezone.localdate() + datetime.timedelta(days=30)
        ),
        Action.RESET_PROGRESS: lambda: api.reset_progress(course_key, username, actor=actor),
        Action.VIEW_HISTORY: lambda: api.get_history(course_key, username, viewer=actor),
        Action.MARK_COMPLETE: lambda: api.mark_complete(course_key, username, actor=actor),
        Action.VIEW_SCORM_ACTIVITY: lambda: api.get_scorm_activity(course_key, username, viewer=actor),
        Action.VIEW_CHAPTER_INSIGHTS: lambda: api.get_chapter_insights(course_key, username, viewer=actor),
        Action.VIEW_QUIZ_INSIGHTS: lambda: api.get_quiz_insights(course_key, username, viewer=actor),
        Action.MAKE_INSTRUCTOR: lambda: api.make_instructor(course_key, username, actor=actor),
        Action.CHANGE_SESSION: lambda: api.change_session(
            course_key, username, actor=actor, session_id=sessions["later"].id
        ),
        Action.MARK_NO_SHOW: lambda: api.mark_no_show(course_key, username, actor=actor),
        Action.UNASSIGN: lambda: api.unassign(course_key, username, actor=actor),
        Action.REMOVE: lambda: api.remove_learner(course_key, username, actor=actor, scope="course", confirm=True),
        Action.GENERATE_CERTIFICATE: lambda: api.generate_certificate(course_key, username, actor=actor),
        Action.REMOVE_CERTIFICATE: lambda: api.remove_certificate(course_key, username, actor=actor),
    }
    return calls[action]()


@pytest.mark.parametrize("action", list(SPEC_TABLE))
@pytest.mark.parametrize("status", list(LearnerStatus))
def test_matrix_cell(action, status, ilt_course, sessions, admin, learner_in):
    # An ILT course with quiz and SCORM content, seen by a platform admin: only the status decides.
    learner = learner_in(ilt_course, status)
    with_certificate = (Action.REMOVE_CERTIFICATE, Action.VIEW_CERTIFICATE)
    if action in with_certificate and status == LearnerStatus.COMPLETED:
        api.generate_certificate(ilt_course, learner.username, actor=admin)
    row = api.get_learner(ilt_course, learner.username, viewer=admin)
    before = snapshot()

    if action == Action.VIEW_CERTIFICATE:
        # A link to the LMS's page of the certificate, which the row carries: nothing to refuse.
        assert (action in row.actions) is (status in SPEC_TABLE[action])
        assert bool(row.certificate and row.certificate.url) is (status in SPEC_TABLE[action])
    elif status in SPEC_TABLE[action]:
        assert action in row.actions
        perform(action, ilt_course, learner.username, actor=admin, sessions=sessions)
    else:
        assert action not in row.actions
        with pytest.raises(ActionNotAllowed) as refused:
            perform(action, ilt_course, learner.username, actor=admin, sessions=sessions)
        assert refused.value.allowed_actions == row.actions
        assert refused.value.status == status
        assert snapshot() == before
