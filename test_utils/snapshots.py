"""
Snapshots of the plugin's tables, to show that a refused request changed nothing.
"""

from learner_mgmt_plugin import models

PLUGIN_MODELS = (
    models.CourseConfig,
    models.Learner,
    models.Assignment,
    models.Attempt,
    models.IltSession,
    models.Seat,
    models.HistoryEvent,
    models.RemovalAudit,
)


def snapshot():
    """
    Every row of every plugin table.
    """
    return {model.__name__: sorted(model.objects.values_list()) for model in PLUGIN_MODELS}
