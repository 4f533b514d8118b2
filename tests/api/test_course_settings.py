"""
Course settings: changing the kind or the credits.
"""

from decimal import Decimal

import pytest

from devhost.lms.adapter import DevLmsHost
from learner_mgmt_plugin import api
from learner_mgmt_plugin.data import CourseKind, LearnerStatus
from learner_mgmt_plugin.exceptions import CourseNotFound, HostUnavailable
from learner_mgmt_plugin.models import CourseConfig


def test_a_change_asks_the_lms_for_the_course_once_before_making_it(course, learner_in, monkeypatch):
    """
    A host failure after the change is committed would report as failed a change that was made.
    """
    learner_in(course, LearnerStatus.NOT_STARTED, username="nora")
    asked = []
    outline = DevLmsHost.course_outline

    def once(self, course_key):
        asked.append(course_key)
        if len(asked) > 1:
            raise HostUnavailable("The LMS went away.")
        return outline(self, course_key)

    monkeypatch.setattr(DevLmsHost, "course_outline", once)

    changed = api.update_course_settings(course, kind="ilt", credits="1.5")

    assert (changed.kind, changed.credits, changed.title, len(asked)) == (
        CourseKind.ILT,
        Decimal("1.5"),
        "Learner Management 101",
        1,
    )
    assert LearnerStatus.ENROLLED in changed.statuses
    config = CourseConfig.objects.get(course_key=course)
    assert (config.kind, config.credits) == ("ilt", Decimal("1.5"))


def test_an_unknown_course_is_not_configured(db):
    with pytest.raises(CourseNotFound):
        api.update_course_settings("course-v1:No+Such+Course", kind="ilt")
    assert not CourseConfig.objects.exists()
