"""
The development LMS host: a small Django project that plays the Open edX LMS for the demo and the tests.

It loads ``learner_mgmt_plugin`` exactly as the LMS does (the ``lms.djangoapp`` plugin entry point) and
gives it a host adapter, ``devhost.lms.adapter.DevLmsHost``, backed by the ``devhost.lms`` app's models.
"""

# Loaded with Django so that ``@shared_task`` tasks bind to this project's Celery app.
from .celery import app as celery_app

__all__ = ("celery_app",)
