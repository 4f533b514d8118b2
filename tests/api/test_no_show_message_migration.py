"""
Migration 0008 moves a no-show's message to the learner out of ``reason`` (now the course team's
reason) into the event's details, and back when it is unapplied.
"""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

APP = "learner_mgmt_plugin"


@pytest.mark.django_db(transaction=True)
def test_the_message_moves_to_the_details_and_back(make_learner):
    learner = make_learner("ned")
    executor = MigrationExecutor(connection)
    executor.migrate([(APP, "0007_summary_indexes")])
    old_apps = executor.loader.project_state([(APP, "0007_summary_indexes")]).apps
    old_apps.get_model(APP, "Learner").objects.create(user_id=learner.pk, username="ned")
    old = old_apps.get_model(APP, "HistoryEvent")
    old.objects.create(learner_id=learner.pk, course_key="course-v1:X+Y+Z", kind="no_show", reason="Book again")
    old.objects.create(learner_id=learner.pk, course_key="course-v1:X+Y+Z", kind="no_show", reason="")
    old.objects.create(learner_id=learner.pk, course_key="course-v1:X+Y+Z", kind="assigned", reason="Welcome")

    executor = MigrationExecutor(connection)
    executor.migrate([(APP, "0008_reasons")])
    new = executor.loader.project_state([(APP, "0008_reasons")]).apps.get_model(APP, "HistoryEvent")
    moved = list(new.objects.order_by("pk").values_list("kind", "reason", "details"))
    assert moved == [("no_show", "", {"message": "Book again"}), ("no_show", "", {}), ("assigned", "Welcome", {})]

    executor = MigrationExecutor(connection)
    executor.migrate([(APP, "0007_summary_indexes")])
    back = list(old.objects.order_by("pk").values_list("kind", "reason", "details"))
    assert back == [("no_show", "Book again", {}), ("no_show", "", {}), ("assigned", "Welcome", {})]
    MigrationExecutor(connection).migrate(executor.loader.graph.leaf_nodes())
