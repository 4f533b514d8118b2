"""
Employee IDs: the plugin's own mapping (loaded in bulk or edited in admin) or a host model.
"""

import pytest
from django.core.management import CommandError, call_command

from learner_mgmt_plugin import api
from learner_mgmt_plugin.exceptions import InvalidInput
from learner_mgmt_plugin.models import Learner


def test_loaded_from_a_file(tmp_path, make_learner, course, staff):
    amy, bob = make_learner("amy"), make_learner("bob")
    (tmp_path / "ids.csv").write_text("username,employee_id\namy,E-1\nbob,E-2\n", encoding="utf-8")
    call_command("load_employee_ids", str(tmp_path / "ids.csv"))

    assert dict(Learner.objects.values_list("user_id", "employee_id")) == {amy.pk: "E-1", bob.pk: "E-2"}
    assert [user.username for user in api.review_assignment(course, ["E-2"], viewer=staff).users] == ["bob"]


def test_a_file_naming_unknown_users_loads_nothing(tmp_path, make_learner):
    make_learner("amy")
    (tmp_path / "ids.csv").write_text("email,employee_id\namy@example.com,E-1\nghost@example.com,E-2\n")
    with pytest.raises(CommandError, match="ghost@example.com"):
        call_command("load_employee_ids", str(tmp_path / "ids.csv"))
    assert not Learner.objects.exists()


def test_an_id_held_twice_is_refused(make_learner):
    amy, bob = make_learner("amy"), make_learner("bob")
    with pytest.raises(InvalidInput):
        api.set_employee_ids({amy.pk: "E-1", bob.pk: "E-1"})
    api.set_employee_ids({amy.pk: "E-1"})
    # IDs may move between users in one call.
    api.set_employee_ids({amy.pk: "E-2", bob.pk: "E-1"})
    assert dict(Learner.objects.values_list("user_id", "employee_id")) == {amy.pk: "E-2", bob.pk: "E-1"}


def test_a_host_model_can_be_the_source(settings, make_learner, course, staff):
    settings.LEARNER_MGMT_EMPLOYEE_ID_SOURCE = "devhost_lms.UserProfile.employee_id"
    make_learner("amy", employee_id="HR-7")
    review = api.review_assignment(course, ["HR-7"], viewer=staff)
    assert [(user.username, user.employee_id) for user in review.users] == [("amy", "HR-7")]
    api.assign_course(course, ["HR-7"], actor=staff)
    assert api.get_learner(course, "amy").employee_id == "HR-7"
    assert [row.username for row in api.list_learners(course, search="HR-7").results] == ["amy"]
