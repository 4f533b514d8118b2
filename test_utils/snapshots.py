"""
Snapshots of the plugin's tables (and, on request, the host's), to show that a refused request changed
nothing.
"""

from devhost.lms import models as host_models
from learner_mgmt_plugin import models

PLUGIN_MODELS = (
    models.CourseConfig,
    models.Learner,
    models.Assignment,
    models.Attempt,
    models.AttemptSnapshot,
    models.IltSession,
    models.Seat,
    models.HistoryEvent,
    models.RemovalAudit,
    models.BulkJob,
    models.BulkJobChunk,
)

# What the plugin changes in the host: enrollments, course team roles, certificates, learner state
# and messages.
HOST_MODELS = (
    host_models.CourseEnrollment,
    host_models.CourseAccessRole,
    host_models.GeneratedCertificate,
    host_models.BlockCompletion,
    host_models.ProblemState,
    host_models.PersistentCourseGrade,
    host_models.OutboxMessage,
)


def snapshot(*, with_host=False):
    """
    Every row of every plugin table (and of the host tables the plugin writes to, ``with_host``).
    """
    tables = PLUGIN_MODELS + (HOST_MODELS if with_host else ())
    return {model.__name__: sorted(model.objects.values_list()) for model in tables}


# The plugin's tables holding rows of a learner, and the field naming the learner's user id in each.
LEARNER_FIELDS = {
    models.Assignment: "learner_id",
    models.Attempt: "assignment__learner_id",
    models.Seat: "learner_id",
    models.HistoryEvent: "learner_id",
    models.Learner: "user_id",
}


def learner_rows(user_id, *tables):
    """
    How many rows of the learner ``user_id`` each of ``tables`` (by default every table of
    ``LEARNER_FIELDS``) holds, by model name, for the tables holding any.
    """
    counts = {
        model.__name__: model.objects.filter(**{LEARNER_FIELDS[model]: user_id}).count()
        for model in tables or LEARNER_FIELDS
    }
    return {name: count for name, count in counts.items() if count}
