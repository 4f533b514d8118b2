"""
A real Celery worker, with Redis as its broker, runs a large import submitted over the REST API:
upload, poll the status, download the rows that were not imported.

The worker is another process, so it needs a database it can share with the test: the test runs on
MariaDB (``make mariadb-test``, which CI runs) and is skipped on SQLite.
"""

import csv
import io
import os
import uuid

import pytest

from devhost.lms import api as host
from test_utils.rest import client_as
from test_utils.workers import Worker, redis_broker, wait_until
from test_utils.world import csv_upload

BROKER = "redis://127.0.0.1:6379/15"
ROWS = 3000

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        os.environ.get("DEVHOST_DB") != "mariadb", reason="the worker shares the test database: MariaDB only"
    ),
]


@pytest.fixture
def worker(settings, tmp_path):
    """
    A worker on a queue of this test's own (so that no stray message reaches it or is left behind),
    with Redis as the broker of the test's tasks too; its log is printed at the end (pytest shows it
    when the test failed).
    """
    queue = f"learner-mgmt-test-{uuid.uuid4().hex[:8]}"
    settings.LEARNER_MGMT_CELERY_QUEUE = queue
    with redis_broker(BROKER):
        started = Worker(queue, BROKER, tmp_path / "worker.log")
        try:
            yield started
        finally:
            started.stop()
            print(started.output()[-5000:])


def test_a_worker_imports_a_large_file(worker):
    course = host.create_course("course-v1:TestX+Worker+2026", title="Worker course")
    staff = host.create_user("staff")
    host.grant_role(staff, course, "staff")
    host.create_users({"username": f"learner{number}"} for number in range(ROWS - 100))
    lines = ["email,username,employee_id,due_date"]
    lines += [f"learner{number}@example.com,,," for number in range(ROWS - 100)]
    lines += [f"ghost{number}@example.com,,," for number in range(100)]
    client = client_as(staff)
    base = f"/api/learner_mgmt/v1/courses/{course}/"

    response = client.post(base + "assignments/import/", {"file": csv_upload("\n".join(lines))}, format="multipart")
    assert response.status_code == 202, response.content
    status_url = response.json()["status_url"]

    def ended():
        assert worker.alive(), worker.output()
        status = client.get(status_url).json()
        return status if status["state"] in ("succeeded", "failed") else None

    status = wait_until(ended, timeout=180, interval=0.5, what="the end of the import")
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
