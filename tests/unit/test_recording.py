"""
The history a ChangeLog writes: each event with its own details, however many learners share them.
"""

import pytest

from learner_mgmt_plugin._internal._recording import ChangeLog
from learner_mgmt_plugin.data import HistoryKind
from learner_mgmt_plugin.models import HistoryEvent, Learner

pytestmark = pytest.mark.django_db


def test_shared_details_are_written_for_each_learner_and_like_values_of_other_types_kept_apart(make_learner, course):
    ann, bob, cat = (Learner.objects.create(user=make_learner(name), username=name) for name in ("ann", "bob", "cat"))
    log = ChangeLog(course, actor_id=None)
    log.record(ann.pk, HistoryKind.ASSIGNMENT_UPDATED, 1, {"required": True, "due_date": None})
    log.record(bob.pk, HistoryKind.ASSIGNMENT_UPDATED, 1, {"required": True, "due_date": None})
    log.record(cat.pk, HistoryKind.ASSIGNMENT_UPDATED, 1, {"required": 1, "due_date": None})
    log.record(cat.pk, HistoryKind.ASSIGNMENT_UPDATED, 1, {"tags": ["unhashable"]})
    log.save()

    details = list(HistoryEvent.objects.order_by("pk").values_list("learner_id", "details"))
    assert details == [
        (ann.pk, {"required": True, "due_date": None}),
        (bob.pk, {"required": True, "due_date": None}),
        (cat.pk, {"required": 1, "due_date": None}),
        (cat.pk, {"tags": ["unhashable"]}),
    ]
    assert [type(learner_details.get("required")) for _learner, learner_details in details] == [
        bool,
        bool,
        int,
        type(None),
    ]
