"""
The development LMS's email backend: a real Django email backend (what edx-ace's ``django_email``
channel sends through) that keeps each message in the outbox (``OutboxMessage``) instead of
delivering it, one row per recipient address, with the user who has that address.
"""

from django.contrib.auth import get_user_model
from django.core.mail.backends.base import BaseEmailBackend

from .models import OutboxMessage


class OutboxEmailBackend(BaseEmailBackend):
    """
    Keeps every message sent in the development LMS's outbox.
    """

    def send_messages(self, email_messages):
        addresses = {address for message in email_messages for address in message.recipients()}
        users = dict(get_user_model().objects.filter(email__in=addresses).values_list("email", "pk"))
        OutboxMessage.objects.bulk_create(
            OutboxMessage(
                user_id=users.get(address),
                to_email=address,
                from_email=message.from_email,
                subject=message.subject,
                body=message.body,
                html=next(
                    (content for content, kind in getattr(message, "alternatives", ()) if kind == "text/html"), ""
                ),
            )
            for message in email_messages
            for address in message.recipients()
        )
        return len(email_messages)
