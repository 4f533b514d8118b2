"""
The development host's Celery app, configured from the Django settings prefixed ``CELERY_``.

Run a worker with ``celery -A devhost worker`` (and ``DEVHOST_CELERY_EAGER=false`` for the web process).
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "devhost.settings")

app = Celery("devhost")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
