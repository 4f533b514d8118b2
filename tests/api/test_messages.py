"""
Messages to learners go through edx-ace, once the change has committed, in the learner's language,
from the site's sender; a mail server that fails never undoes a change, and the message is tried again.
"""

import datetime
import smtplib
from unittest import mock

import pytest
from django.utils import timezone

from devhost.lms import api as host
from devhost.lms.mail import OutboxEmailBackend
from learner_mgmt_plugin import api
from learner_mgmt_plugin.data import LearnerStatus


def in_days(days):
    return timezone.localdate() + datetime.timedelta(days=days)


@pytest.fixture
def amy(make_learner):
    return make_learner("amy", name="Amy Pond")


def test_an_assignment_message_is_the_platforms_email_in_the_learners_language(
    course, staff, amy, settings, django_capture_on_commit_callbacks
):
    settings.DEFAULT_FROM_EMAIL = "learning@acme.example"
    host.set_preference(amy, host.LANGUAGE_KEY, "fr")
    due = datetime.date(2031, 1, 5)

    with django_capture_on_commit_callbacks(execute=True):
        api.assign_course(course, ["amy"], actor=staff, due_date=due, message="Welcome aboard!")

    [message] = host.outbox(amy)
    assert (message.to_email, message.from_email) == ("amy@example.com", "learning@acme.example")
    assert message.subject == "You have been assigned a course: Learner Management 101"
    assert "Hello Amy Pond," in message.body and "Welcome aboard!" in message.body
    # The date in her language's format.
    assert "5 janvier 2031" in message.body
    assert f"http://127.0.0.1:8000/courses/{course}/course/" in message.body
    assert '<a href="http://127.0.0.1:8000/courses/' in message.html and "Welcome aboard!" in message.html


def test_nothing_is_sent_before_the_change_commits(course, staff, amy, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        api.assign_course(course, ["amy"], actor=staff, message="Hello")
        assert host.outbox(amy) == []

    for callback in callbacks:
        callback()
    assert len(host.outbox(amy)) == 1


def test_a_failing_mail_server_undoes_nothing_and_the_message_is_tried_again(
    course, staff, amy, django_capture_on_commit_callbacks
):
    real_send = OutboxEmailBackend.send_messages
    failures = [ConnectionRefusedError("mail server down"), smtplib.SMTPServerDisconnected("dropped")]

    def flaky(backend, messages):
        if failures:
            raise failures.pop(0)
        return real_send(backend, messages)

    with mock.patch.object(OutboxEmailBackend, "send_messages", flaky):
        with django_capture_on_commit_callbacks(execute=True):
            result = api.assign_course(course, ["amy"], actor=staff, message="Hello")

    assert result.assigned == ("amy",)
    assert api.get_learner(course, "amy").status == LearnerStatus.NOT_STARTED
    # Refused, then dropped (which edx-ace keeps to itself), then delivered, once.
    assert len(host.outbox(amy)) == 1


def test_a_message_that_is_never_delivered_is_given_up_on(course, staff, amy, django_capture_on_commit_callbacks):
    with mock.patch.object(OutboxEmailBackend, "send_messages", side_effect=ConnectionRefusedError("down")) as send:
        with django_capture_on_commit_callbacks(execute=True):
            api.assign_course(course, ["amy"], actor=staff, message="Hello")

    # The first try and five retries.
    assert send.call_count == 6
    assert api.get_learner(course, "amy").status == LearnerStatus.NOT_STARTED


def test_learners_without_an_address_get_nothing_and_hold_nobody_up(
    course, staff, amy, make_learner, django_capture_on_commit_callbacks
):
    make_learner("mute")
    host.User.objects.filter(username="mute").update(email="")

    with django_capture_on_commit_callbacks(execute=True):
        api.assign_course(course, ["amy", "mute"], actor=staff, due_date=in_days(9), message="Hi")

    assert [message.to_email for message in host.outbox()] == ["amy@example.com"]
