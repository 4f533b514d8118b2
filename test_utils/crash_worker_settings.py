"""
Settings of the Celery workers the crash-safety test kills (``tests/reliability/test_crash_safety.py``):
the development host's, with Redis handing an unacknowledged task to a worker again a few seconds after
its worker died instead of after an hour (kombu's default ``visibility_timeout``), and
``CRASH_TEST_PARALLEL_CHUNKS`` lanes per job.
"""

import os

from devhost.settings import *  # noqa: F403  (the development host's settings, and only these changes)

CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": int(os.environ.get("CRASH_TEST_VISIBILITY_TIMEOUT", "5")),
    # Look for abandoned tasks every second (kombu's defaults: every 10 s, scanning every 10th time).
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}
LEARNER_MGMT_JOB_PARALLEL_CHUNKS = int(os.environ.get("CRASH_TEST_PARALLEL_CHUNKS", "4"))
