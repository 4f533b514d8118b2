"""
Reminders before the due date and the overdue notice (``api.send_reminders`` and
``send_learner_mgmt_reminders``): to required learners who have not completed, as the course's settings
ask, at most once per learner, attempt, reminder and due date, re-armed by a new due date, recorded in
the history and in the learner's row.
"""

import datetime
import types

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from devhost.lms import api as host
from learner_mgmt_plugin import api
from learner_mgmt_plugin._internal import _reminders
from learner_mgmt_plugin.data import HistoryKind
from learner_mgmt_plugin.exceptions import InvalidInput
from learner_mgmt_plugin.models import Assignment, ReminderSent
from learner_mgmt_plugin.settings import common

TODAY = datetime.date(2027, 3, 10)


def days(number):
    return TODAY + datetime.timedelta(days=number)


@pytest.fixture
def reminded(course, staff, make_learner):
    """
    ``reminded(username, due_date)``: a learner assigned the course as required, due on that day, in
    a course that reminds 7 and 1 days before and sends an overdue notice.
    """
    api.update_course_settings(course, reminder_days=[1, 7], overdue_notice=True)

    def make(username, due_date):
        make_learner(username)
        # Due on that day, as if the course team had set it on a day before TODAY.
        api.assign_course(course, [username], actor=staff, required=True)
        Assignment.objects.filter(learner__user__username=username).update(due_date=due_date)

    return make


def send(day, django_capture_on_commit_callbacks, **kwargs):
    with django_capture_on_commit_callbacks(execute=True):
        return api.send_reminders(today=day, **kwargs)


def reminders_of(course, username):
    return [
        (event.kind, event.details)
        for event in api.get_history(course, username).events
        if event.kind in (HistoryKind.REMINDER_SENT, HistoryKind.OVERDUE_NOTICE_SENT)
    ]


def test_each_reminder_goes_once_on_its_day(course, reminded, django_capture_on_commit_callbacks):
    reminded("ann", days(7))
    ann = api.get_learner(course, "ann")
    assert api.get_course_settings(course).reminder_days == (7, 1)

    sent = send(TODAY, django_capture_on_commit_callbacks)
    assert (sent.reminders, sent.overdue_notices, sent.courses) == (1, 0, 1)
    [message] = host.outbox(ann.user_id)
    assert message.subject == "Reminder: Learner Management 101 is due in 7 days"
    assert "Please complete it by" in message.body
    # Again the same day, and the days after, until the next reminder's day: nothing more.
    for day in (TODAY, days(1), days(5)):
        assert send(day, django_capture_on_commit_callbacks).reminders == 0
    assert send(days(6), django_capture_on_commit_callbacks).reminders == 1
    assert send(days(7), django_capture_on_commit_callbacks).reminders == 0
    assert [details["days_before"] for _kind, details in reminders_of(course, "ann")] == [1, 7]
    assert len(host.outbox(ann.user_id)) == 2
    assert api.get_learner(course, "ann").last_reminder_at is not None


def test_the_overdue_notice_goes_once_the_day_after(course, reminded, django_capture_on_commit_callbacks):
    reminded("ann", days(-1))
    assert send(TODAY, django_capture_on_commit_callbacks).overdue_notices == 1
    assert send(days(1), django_capture_on_commit_callbacks).overdue_notices == 0
    assert reminders_of(course, "ann") == [(HistoryKind.OVERDUE_NOTICE_SENT, {"due_date": days(-1).isoformat()})]
    assert host.outbox(api.get_learner(course, "ann").user_id)[-1].subject == (
        "Overdue: Learner Management 101 was due on March 9, 2027"
    )


def test_a_run_that_missed_days_sends_the_closest_reminder_only(course, reminded, django_capture_on_commit_callbacks):
    reminded("ann", days(1))
    reminded("bob", days(-30))  # overdue for a month: too late for the notice
    sent = send(TODAY, django_capture_on_commit_callbacks)
    assert (sent.reminders, sent.overdue_notices) == (1, 0)
    assert [details["days_before"] for _kind, details in reminders_of(course, "ann")] == [1]


def test_a_new_due_date_rearms_the_reminders(course, staff, reminded, django_capture_on_commit_callbacks):
    reminded("ann", days(1))
    assert send(TODAY, django_capture_on_commit_callbacks).reminders == 1
    Assignment.objects.filter(learner__user__username="ann").update(due_date=days(8))
    assert send(days(7), django_capture_on_commit_callbacks).reminders == 1
    assert [details for _kind, details in reminders_of(course, "ann")][0] == {
        "days_before": 1,
        "due_date": days(8).isoformat(),
    }


def test_only_required_learners_who_have_not_completed(course, staff, reminded, django_capture_on_commit_callbacks):
    reminded("ann", days(7))
    reminded("done", days(7))
    host.set_progress(api.get_learner(course, "done").user_id, course, 1.0)
    reminded("optional", days(7))
    api.update_due_date(course, "optional", actor=staff, due_date=None)
    reminded("gone", days(7))
    api.unassign(course, "gone", actor=staff)
    assert send(TODAY, django_capture_on_commit_callbacks).reminders == 1
    assert list(ReminderSent.objects.values_list("attempt__assignment__learner__user__username", flat=True)) == ["ann"]


def test_a_new_attempt_is_reminded_again(course, staff, reminded, django_capture_on_commit_callbacks):
    reminded("ann", days(1))
    host.set_progress(api.get_learner(course, "ann").user_id, course, 0.2)
    assert send(TODAY, django_capture_on_commit_callbacks).reminders == 1
    api.reset_progress(course, "ann", actor=staff)
    assert send(TODAY, django_capture_on_commit_callbacks).reminders == 1
    assert sorted(ReminderSent.objects.values_list("attempt__number", flat=True)) == [1, 2]


def test_courses_without_reminders_send_none(course, staff, make_learner, django_capture_on_commit_callbacks):
    make_learner("ann")
    api.assign_course(course, ["ann"], actor=staff, due_date=timezone.localdate() + datetime.timedelta(days=1))
    sent = send(None, django_capture_on_commit_callbacks)
    assert (sent.reminders, sent.overdue_notices, sent.courses) == (0, 0, 0)


def test_the_queries_do_not_grow_with_the_learners(course, reminded, django_capture_on_commit_callbacks):
    def queries_of_a_run(day):
        with CaptureQueriesContext(connection) as captured:
            api.send_reminders(today=day)
        return len(captured)

    reminded("ann", days(7))
    one = queries_of_a_run(TODAY)
    for number in range(6):
        reminded(f"more{number}", days(8))
    assert queries_of_a_run(days(1)) == one


def test_the_command(course, reminded, capsys):
    reminded("ann", days(7))
    call_command("send_learner_mgmt_reminders", "--date", TODAY.isoformat(), "--course", str(course))
    assert capsys.readouterr().out.strip() == "Sent 1 reminders and 0 overdue notices in 1 courses."
    with pytest.raises(CommandError, match="is not a date"):
        call_command("send_learner_mgmt_reminders", "--date", "tomorrow")
    with pytest.raises(CommandError):
        call_command("send_learner_mgmt_reminders", "--course", "not-a-course")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"reminder_days": [0]}, "reminder_days"),
        ({"reminder_days": [400]}, "reminder_days"),
        ({"reminder_days": [1, 2, 3, 4, 5, 6]}, "reminder_days"),
        ({"reminder_days": ["7"]}, "reminder_days"),
        ({"reminder_days": 7}, "reminder_days"),
        ({"overdue_notice": "yes"}, "overdue_notice"),
    ],
)
def test_malformed_reminder_settings_are_refused(course, changes, field):
    with pytest.raises(InvalidInput) as refused:
        api.update_course_settings(course, **changes)
    assert refused.value.field == field
    assert api.get_course_settings(course).reminder_days == ()


def test_the_celery_beat_entry_is_set_up_only_when_asked_for():
    settings = types.SimpleNamespace(CELERY_BEAT_SCHEDULE={"other": {"task": "x"}})
    common.plugin_settings(settings)
    assert set(settings.CELERY_BEAT_SCHEDULE) == {"other"}
    settings.LEARNER_MGMT_REMINDERS_SCHEDULE = {"hour": 7, "minute": 30}
    settings.LEARNER_MGMT_CELERY_QUEUE = "edx.lms.core.default"
    common.plugin_settings(settings)
    entry = settings.CELERY_BEAT_SCHEDULE[common.REMINDERS_BEAT_ENTRY]
    assert entry["task"] == "learner_mgmt_plugin.tasks.send_reminders"
    assert (entry["schedule"].hour, entry["schedule"].minute) == ({7}, {30})
    assert entry["options"] == {"queue": "edx.lms.core.default"}
    assert "other" in settings.CELERY_BEAT_SCHEDULE


def test_a_run_that_crashes_halfway_sends_the_rest_next_time_and_nothing_twice(
    course, reminded, monkeypatch, django_capture_on_commit_callbacks
):
    for username in ("ann", "bob", "cid"):
        reminded(username, days(1))
    queued = []
    real_queue = _reminders._messages.queue

    def queue_then_crash(kind, course_key, user_ids, context):
        if queued:
            raise RuntimeError("the worker died")
        queued.append(list(user_ids))
        real_queue(kind, course_key, user_ids, context)

    monkeypatch.setattr(_reminders._messages, "queue", queue_then_crash)
    with pytest.raises(RuntimeError), django_capture_on_commit_callbacks(execute=True):
        _reminders.run(TODAY, batch_size=1)
    # The first batch committed, the second rolled back whole: no record of a reminder it did not send.
    assert ReminderSent.objects.count() == 1
    monkeypatch.setattr(_reminders._messages, "queue", real_queue)
    with django_capture_on_commit_callbacks(execute=True):
        assert _reminders.run(TODAY, batch_size=1).reminders == 2
    assert ReminderSent.objects.count() == 3
    for username in ("ann", "bob", "cid"):
        assert len(host.outbox(api.get_learner(course, username).user_id)) == 1
