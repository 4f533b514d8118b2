"""
Tests of how the development host is put together: plugin loading, settings and Celery.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings

from devhost import celery_app
from devhost import urls as devhost_urls
from devhost.lms.signals import progress_changed

REPO = Path(__file__).resolve().parents[2]


def test_the_plugin_is_loaded_as_the_lms_loads_it():
    labels = [config.label for config in apps.get_app_configs()]

    assert labels.index("learner_mgmt_plugin") > labels.index("devhost_lms")
    assert settings.LEARNER_MGMT_HOST_ADAPTER == "devhost.lms.adapter.DevLmsHost"
    # Only the plugin's own settings module gives this default: its plugin_settings ran.
    assert settings.LEARNER_MGMT_RETROACTIVE_DAYS == 90


def test_the_plugin_urls_are_mounted():
    assert "learner_mgmt_plugin" in {getattr(pattern, "namespace", None) for pattern in devhost_urls.urlpatterns}


def test_the_plugin_hears_progress_through_the_adapter():
    assert any("learner_mgmt_plugin" in str(key) for key, *_ in progress_changed.receivers)


def test_celery_runs_tasks_in_process_by_default():
    assert celery_app.conf.task_always_eager is True
    assert celery_app.conf.broker_url == "memory://"


@pytest.mark.parametrize(
    "environment, expected",
    [
        ({}, "django.db.backends.sqlite3 var/devhost.sqlite3 False True memory://"),
        (
            {"DEVHOST_DB": "mariadb", "DEVHOST_DB_NAME": "other", "DEVHOST_CELERY_EAGER": "false"},
            "django.db.backends.mysql other False False redis://127.0.0.1:6379/0",
        ),
    ],
)
def test_database_and_celery_come_from_the_environment(environment, expected):
    script = (
        "from devhost import settings as s; db = s.DATABASES['default']; "
        "print(db['ENGINE'], str(db['NAME']).replace(str(s.BASE_DIR) + '/', ''), db['ATOMIC_REQUESTS'], "
        "s.CELERY_TASK_ALWAYS_EAGER, s.CELERY_BROKER_URL)"
    )
    clean = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("DEVHOST_") and name != "CELERY_BROKER_URL"
    }

    output = subprocess.run(
        [sys.executable, "-c", script],
        cwd=REPO,
        env={**clean, **environment},
        capture_output=True,
        text=True,
        check=True,
    ).stdout

    assert output.strip() == expected
