"""
The plugin's Django admin: employee IDs and course settings editable, history and audit read-only.
"""

import pytest
from django.urls import reverse

from devhost.lms import api as host
from learner_mgmt_plugin import api


@pytest.mark.parametrize("model", ["learner", "courseconfig", "iltsession", "historyevent", "removalaudit"])
def test_every_list_opens(superuser_client, model):
    response = superuser_client.get(reverse(f"admin:learner_mgmt_plugin_{model}_changelist"))
    assert response.status_code == 200


def test_history_cannot_be_changed_in_admin(superuser_client, devhost_course):
    learner = host.create_user("amy")
    host.enroll(learner, devhost_course)
    [event] = api.get_history(devhost_course, "amy").events
    url = reverse("admin:learner_mgmt_plugin_historyevent_change", args=[event.id])
    assert superuser_client.post(url, {"kind": "completed"}).status_code == 403
    assert superuser_client.get(reverse("admin:learner_mgmt_plugin_historyevent_add")).status_code == 403


def test_an_employee_id_is_edited_in_admin(superuser_client, devhost_course):
    learner = host.create_user("amy")
    host.enroll(learner, devhost_course)
    url = reverse("admin:learner_mgmt_plugin_learner_change", args=[learner.pk])
    assert superuser_client.post(url, {"employee_id": "E-42"}).status_code == 302
    assert api.get_learner(devhost_course, "amy").employee_id == "E-42"
