"""
``manage.py lms load_employee_ids FILE.csv``: load employee IDs into the plugin's own mapping.

The file has the headings ``username,employee_id`` (or ``email,employee_id``); an empty employee ID
clears it. Either every row is loaded or, at the first problem, none is.
"""

import csv

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from learner_mgmt_plugin import api
from learner_mgmt_plugin.exceptions import InvalidInput


class Command(BaseCommand):
    help = "Load employee IDs from a CSV file with the headings username,employee_id (or email,employee_id)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Path of the CSV file (UTF-8).")

    def handle(self, *args, **options):
        try:
            with open(options["file"], encoding="utf-8-sig", newline="") as handle:
                rows = list(csv.DictReader(handle))
        except (OSError, UnicodeDecodeError, csv.Error) as error:
            raise CommandError(f"Cannot read {options['file']}: {error}") from error
        if not rows:
            raise CommandError("The file has no rows.")
        key = "username" if "username" in rows[0] else "email"
        if key not in rows[0] or "employee_id" not in rows[0]:
            raise CommandError("The headings must be username,employee_id or email,employee_id.")
        wanted = {row[key].strip(): row["employee_id"] for row in rows}
        users = dict(get_user_model().objects.filter(**{f"{key}__in": wanted}).values_list(key, "pk"))
        unknown = sorted(set(wanted) - set(users))
        if unknown:
            raise CommandError(f"No user has the {key} {', '.join(unknown[:10])}; nothing was loaded.")
        try:
            loaded = api.set_employee_ids({users[identifier]: value for identifier, value in wanted.items()})
        except InvalidInput as error:
            raise CommandError(f"{error.message} Nothing was loaded.") from error
        self.stdout.write(f"Loaded {loaded} employee IDs for {len(wanted)} users.")
