"""
``GET courses/{course_id}/summary/``: the course's learners at a glance (counts per status, required
and optional, overdue, the required learners' completion rate, completions per week), in a fixed
number of queries.
"""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from learner_mgmt_plugin import api
from learner_mgmt_plugin.data import LearnerStatus
from learner_mgmt_plugin.models import Assignment, Attempt
from test_utils.rest import course_url

S = LearnerStatus


def monday_of(moment):
    day = timezone.localdate(moment)
    return day - datetime.timedelta(days=day.weekday())


def test_the_figures_of_a_course(staff_client, course, learner_in):
    for username, status in (("ann", S.NOT_STARTED), ("bob", S.COMPLETED), ("carl", S.COMPLETED), ("dan", S.STARTED)):
        learner_in(course, status, username=username)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    # Ann's due date passed (set where the API would refuse a past date); Bob is required too.
    Assignment.objects.filter(learner__username="ann").update(required=True, due_date=yesterday)
    Assignment.objects.filter(learner__username="bob").update(required=True)
    # Carl completed seventeen days ago.
    carl = Attempt.objects.get(assignment__learner__username="carl")
    carl.completed_at = timezone.now() - datetime.timedelta(days=17)
    carl.save()
    bob = Attempt.objects.get(assignment__learner__username="bob")

    summary = staff_client.get(course_url(course, "summary/")).json()

    assert summary["status_counts"] == {"not_started": 1, "started": 1, "in_progress": 0, "enrolled": 0, "completed": 2}
    figures = ("learners", "required", "optional", "overdue", "required_completed", "required_completion_rate")
    assert {name: summary[name] for name in figures} == {
        "learners": 4,
        "required": 2,
        "optional": 2,
        "overdue": 1,
        "required_completed": 1,
        "required_completion_rate": 50.0,
    }
    weeks = summary["completions_per_week"]
    assert len(weeks) == 12
    assert weeks[-1]["week_start"] == monday_of(bob.completed_at).isoformat()
    by_week = {week["week_start"]: week["completions"] for week in weeks}
    assert by_week[monday_of(carl.completed_at).isoformat()] == 1
    assert by_week[monday_of(bob.completed_at).isoformat()] == 1
    assert sum(by_week.values()) == 2


def test_a_course_without_learners(staff_client, course):
    summary = staff_client.get(course_url(course, "summary/")).json()
    assert (summary["learners"], summary["required_completion_rate"]) == (0, None)
    assert [week["completions"] for week in summary["completions_per_week"]] == [0] * 12


def test_the_same_queries_for_more_learners(course, staff, make_learner, learner_in):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            api.get_course_summary(course, viewer=staff)
        return len(captured)

    learner_in(course, S.COMPLETED, username="first")
    few = queries()
    for number in range(6):
        make_learner(f"more{number}")
    api.assign_course(course, [f"more{number}" for number in range(6)], actor=staff)
    assert queries() == few


def test_the_list_export_and_mass_selection_filter_the_overdue(staff_client, course, learner_in):
    for username, status in (("ann", S.NOT_STARTED), ("bob", S.COMPLETED), ("dan", S.STARTED)):
        learner_in(course, status, username=username)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    # Ann and Bob were due yesterday; Bob completed, so only Ann is overdue.
    Assignment.objects.filter(learner__username__in=["ann", "bob"]).update(required=True, due_date=yesterday)

    listed = staff_client.get(course_url(course, "learners/"), {"overdue": "true"}).json()
    assert [row["username"] for row in listed["results"]] == ["ann"]
    assert all(row["overdue"] for row in listed["results"])
    others = staff_client.get(course_url(course, "learners/"), {"overdue": "false", "ordering": "username"}).json()
    assert [row["username"] for row in others["results"]] == ["bob", "dan"]
    export = b"".join(staff_client.get(course_url(course, "learners/export/"), {"overdue": "true"}).streaming_content)
    assert [line.split(",")[1] for line in export.decode().splitlines()[1:]] == ["ann"]
    report = staff_client.post(
        course_url(course, "mass-actions/"),
        {"action": "update_due_date", "filter": {"overdue": True}, "due_date": None},
        format="json",
    ).json()
    assert report["done"] == ["ann"]
    assert api.get_learner(course, "ann").overdue is False
