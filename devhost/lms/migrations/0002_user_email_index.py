"""
Index auth_user.email, as the LMS does.

edx-platform's student app creates a unique index on auth_user (email); without one here, every lookup
by email (imports, assignment by email, search) scanned the whole user table. The index here is not
unique, so that tests can still create the duplicate emails the plugin must cope with on sites that
lack the constraint.
"""

from django.conf import settings
from django.db import migrations, models

EMAIL_INDEX = models.Index(fields=["email"], name="devhost_auth_user_email")


def add_email_index(apps, schema_editor):
    schema_editor.add_index(apps.get_model(settings.AUTH_USER_MODEL), EMAIL_INDEX)


def remove_email_index(apps, schema_editor):
    schema_editor.remove_index(apps.get_model(settings.AUTH_USER_MODEL), EMAIL_INDEX)


class Migration(migrations.Migration):
    # MySQL cannot create an index inside a transaction.
    atomic = False

    dependencies = [
        ("devhost_lms", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [migrations.RunPython(add_email_index, remove_email_index)]
