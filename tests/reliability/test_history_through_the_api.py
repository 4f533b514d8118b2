"""
Through the REST API the history is append-only: every write, let through, leaves the history events
there were exactly as they were, and only removal from a course takes the removed learner's events in
that course away (part of the "Irreversible operations" figure).
"""

import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from learner_mgmt_plugin.models import HistoryEvent
from test_utils.world import COURSE_ENDPOINTS, rolled_back

pytestmark = [pytest.mark.figure("Irreversible operations"), pytest.mark.django_db]


@pytest.mark.parametrize("endpoint", [e for e in COURSE_ENDPOINTS if e.method != "get"], ids=lambda e: e.name)
def test_no_endpoint_changes_earlier_history_but_removal(world, endpoint, cases):
    # Each write of the REST API, let through: the history rows there were stay as they were (only
    # removal takes the removed learner's rows in that course away); new ones may be added.
    client = APIClient()
    client.force_authenticate(world.users["platform_admin"])
    with rolled_back():
        before = history_rows()
        response = endpoint.call(client, world.course, world.ids)
        assert response.status_code == endpoint.success
        after = history_rows()
    cases.tried()
    assert all(after[pk] == row for pk, row in before.items() if pk in after), "a history event was changed"
    gone = {row for pk, row in before.items() if pk not in after}
    if endpoint.path == "learners/ann/remove/":
        ann = get_user_model().objects.get(username="ann").pk
        assert gone and {(row[0], row[1]) for row in gone} == {(ann, world.course)}
    else:
        assert not gone


def history_rows():
    """
    Every history event, by id: (learner id, course, the rest of its fields as text).
    """
    return {
        event.pk: (event.learner_id, str(event.course_key), repr(vars(event) | {"_state": None}))
        for event in HistoryEvent.objects.all()
    }
