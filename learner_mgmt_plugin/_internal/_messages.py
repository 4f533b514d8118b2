"""
Messages to learners, sent through edx-ace (the platform's messaging framework) by a Celery task once
the change that calls for them has committed: a message never goes out for a change that was rolled
back, and a mail server that fails never rolls back or half-applies a change. The task retries the
learners whose message was not delivered.

What a message says of the learner (address, name, language) and of the site (sender, platform name,
the course's URL) comes from the host; the words are the templates of ``message_types``.
"""

from __future__ import annotations

import datetime
import logging
import smtplib

from django.db import transaction
from edx_ace import ace
from edx_ace.recipient import Recipient
from edx_ace.signals import ACE_MESSAGE_SENT

from ..conf import app_settings
from ..host import get_host
from ..message_types import CourseAssigned, DueDateReminder, OverdueNotice, SessionNoShow

log = logging.getLogger(__name__)

# The messages, by the name the task is given.
MESSAGE_TYPES = {
    "course_assigned": CourseAssigned,
    "session_no_show": SessionNoShow,
    "due_date_reminder": DueDateReminder,
    "overdue_notice": OverdueNotice,
}


def queue(kind: str, course_key, user_ids, context: dict) -> None:
    """
    Once the current transaction commits, send the message ``kind`` to each of the users, in one task
    for all of them. ``context`` holds what the template needs beyond the learner and the site, as JSON
    values (dates as ISO text).
    """
    from .. import tasks  # pylint: disable=import-outside-toplevel  (tasks import api, which imports this)

    user_ids = list(user_ids)
    if not user_ids:
        return
    arguments = {"kind": kind, "course_key": str(course_key), "user_ids": user_ids, "context": context}
    transaction.on_commit(
        lambda: tasks.send_learner_messages.apply_async(kwargs=arguments, queue=app_settings.CELERY_QUEUE)
    )


def send(kind: str, course_key, user_ids, context: dict) -> list[int]:
    """
    Send the message ``kind`` to each of the users now, one message each in their language; return
    those it could not be delivered to. Users the host has no address for (inactive, or without an
    email) get none and are not counted as failures.
    """
    host = get_host()
    recipients = host.message_recipients(user_ids)
    site = host.message_site()
    shared = {**context, "platform_name": site.platform_name, "course_url": host.course_url(course_key)}
    if shared.get("due_date"):
        shared["due_date"] = datetime.date.fromisoformat(shared["due_date"])
    undelivered = []
    for user_id in user_ids:
        recipient = recipients.get(user_id)
        if recipient is None:
            continue
        # A message type per learner: edx-ace shares a type's options among the messages it personalizes.
        message_type = MESSAGE_TYPES[kind](context=shared)
        message_type.options["from_address"] = site.from_address
        message = message_type.personalize(
            Recipient(user_id, recipient.email), recipient.language, {"learner_name": recipient.name}
        )
        if not _deliver(message):
            undelivered.append(user_id)
    return undelivered


def _deliver(message) -> bool:
    """
    Send the message and tell whether a channel delivered it. ``ace.send`` keeps most failures to
    itself (a failed SMTP exchange, a missing template, a policy that denies it), so delivery is what
    its ``ACE_MESSAGE_SENT`` signal reports; a mail backend that cannot connect raises instead.
    """
    delivered = []

    def on_sent(sender, message, **kwargs):  # pylint: disable=unused-argument
        delivered.append(message["uuid"])

    ACE_MESSAGE_SENT.connect(on_sent, weak=False)
    try:
        ace.send(message)
    except (OSError, smtplib.SMTPException):
        log.exception("Learner management could not send message %s to user %s", message.name, message.recipient)
        return False
    finally:
        ACE_MESSAGE_SENT.disconnect(on_sent)
    if str(message.uuid) not in delivered:
        log.warning("Learner management message %s to user %s was not delivered", message.name, message.recipient)
        return False
    return True
