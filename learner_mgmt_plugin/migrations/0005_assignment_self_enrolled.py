from django.db import migrations, models
from django.db.models import Exists, OuterRef


def mark_self_enrollments(apps, schema_editor):
    """
    Assignments listed because the learner enrolled on their own, and nobody assigned since: their
    current attempt began with a self-enrollment and no one is recorded as having assigned them.
    """
    Assignment = apps.get_model("learner_mgmt_plugin", "Assignment")
    HistoryEvent = apps.get_model("learner_mgmt_plugin", "HistoryEvent")
    enrolled = HistoryEvent.objects.filter(
        kind="self_enrolled",
        course_key=OuterRef("course_key"),
        learner_id=OuterRef("learner_id"),
        attempt_number=OuterRef("current_attempt__number"),
    )
    Assignment.objects.filter(assigned_by__isnull=True).filter(Exists(enrolled)).update(self_enrolled=True)


class Migration(migrations.Migration):
    dependencies = [
        ("learner_mgmt_plugin", "0004_learner_bookings"),
    ]

    operations = [
        migrations.AddField(
            model_name="assignment",
            name="self_enrolled",
            field=models.BooleanField(db_default=False, default=False),
        ),
        migrations.RunPython(mark_self_enrollments, migrations.RunPython.noop),
    ]
