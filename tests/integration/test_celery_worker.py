"""
A real Celery worker, with Redis as its broker, runs a large import submitted over the REST API:
upload, poll the status, download the rows that were not imported.

The worker is another process, so it needs a database it can share with the test: the test runs on
MariaDB (``make mariadb-test``, which CI runs) and is skipped on SQLite.
"""

import csv
import io
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import redis
from django.db import connection
from rest_framework.test import APIClient

from devhost.lms import api as host
from test_utils.workers import real_broker

REPO = Path(__file__).resolve().parents[2]
BROKER = "redis://127.0.0.1:6379/15"
ROWS = 3000

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        os.environ.get("DEVHOST_DB") != "mariadb", reason="the worker shares the test database: MariaDB only"
    ),
]


@pytest.fixture
def queue(settings):
    """
    A queue of this test's own, so that no stray message reaches the worker or is left behind.
    """
    name = f"learner-mgmt-test-{uuid.uuid4().hex[:8]}"
    settings.LEARNER_MGMT_CELERY_QUEUE = name
    return name


@pytest.fixture
def broker():
    try:
        redis.Redis.from_url(BROKER).ping()
    except redis.ConnectionError as error:
        pytest.fail(f"Redis must run on 127.0.0.1:6379 for this test ({error})")
    with real_broker(BROKER):
        yield


@pytest.fixture
def worker(queue, broker):
    environment = {
        **os.environ,
        "DEVHOST_DB": "mariadb",
        "DEVHOST_DB_NAME": connection.settings_dict["NAME"],
        "DEVHOST_CELERY_EAGER": "false",
        "CELERY_BROKER_URL": BROKER,
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "devhost",
            "worker",
            "-Q",
            queue,
            "--pool",
            "solo",
            "--loglevel",
            "INFO",
        ],
        cwd=REPO,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    yield process
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


def test_a_worker_imports_a_large_file(worker):
    course = host.create_course("course-v1:TestX+Worker+2026", title="Worker course")
    staff = host.create_user("staff")
    host.grant_role(staff, course, "staff")
    host.create_users({"username": f"learner{number}"} for number in range(ROWS - 100))
    lines = ["email,username,employee_id,due_date"]
    lines += [f"learner{number}@example.com,,," for number in range(ROWS - 100)]
    lines += [f"ghost{number}@example.com,,," for number in range(100)]
    client = APIClient()
    client.force_authenticate(staff)
    base = f"/api/learner_mgmt/v1/courses/{course}/"

    upload = io.BytesIO("\n".join(lines).encode())
    upload.name = "learners.csv"
    response = client.post(base + "assignments/import/", {"file": upload}, format="multipart")
    assert response.status_code == 202, response.content
    status_url = response.json()["status_url"]

    deadline = time.monotonic() + 180
    while (status := client.get(status_url).json())["state"] not in ("succeeded", "failed"):
        assert worker.poll() is None, worker.stdout.read()
        assert time.monotonic() < deadline, f"still {status} after 3 minutes"
        time.sleep(0.5)

    assert status["state"] == "succeeded", status
    assert (status["imported"], status["failed"]) == (ROWS - 100, 100)
    assert status["completed_steps"] == status["total_steps"] == 2
    assert "failures" not in status  # 50 or more: only the download
    download = client.get(status["download_url"])
    assert download.status_code == 200
    rows = list(csv.reader(io.StringIO(download.content.decode())))
    assert rows[0] == ["row", "email", "username", "employee_id", "reason"]
    assert [row[1] for row in rows[1:]] == [f"ghost{number}@example.com" for number in range(100)]
    assert client.get(base + "learners/", {"page_size": 1}).json()["count"] == ROWS - 100
