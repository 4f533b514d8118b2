"""
``manage.py lms send_learner_mgmt_reminders [--date YYYY-MM-DD] [--course COURSE_ID]``: send the
reminders before the due date and the overdue notices owed today, as each course's settings ask.

Run it once a day (cron, a Kubernetes CronJob, or the Celery beat entry ``LEARNER_MGMT_REMINDERS_SCHEDULE``
sets up), as the platform runs its own scheduled mail. Running it again, or after a crash, sends
nothing twice.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError

from learner_mgmt_plugin import api
from learner_mgmt_plugin.exceptions import InvalidInput


def _date(text):
    try:
        return datetime.date.fromisoformat(text)
    except ValueError as error:
        raise CommandError(f"{text!r} is not a date (YYYY-MM-DD).") from error


class Command(BaseCommand):
    help = "Send the due date reminders and overdue notices owed today to required learners."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Send what is owed on this day (YYYY-MM-DD) instead of today.")
        parser.add_argument("--course", help="Only this course (course-v1:...).")

    def handle(self, *args, **options):
        today = _date(options["date"]) if options["date"] else None
        try:
            sent = api.send_reminders(today=today, course_key=options["course"])
        except InvalidInput as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Sent {sent.reminders} reminders and {sent.overdue_notices} overdue notices in {sent.courses} courses."
        )
