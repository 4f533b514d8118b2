"""
Crash safety: a background import and a background mass action whose Celery worker is killed with
SIGKILL mid-job, twice, and started again, finish with every learner applied exactly once and a
complete report.

A real worker (solo pool, so the kill lands mid-task), Redis as the broker, the test's MariaDB
database shared with the worker. The task acknowledges late: the killed worker leaves it
unacknowledged in Redis, which hands it to the next worker once the broker's visibility timeout has
passed (5 s here, ``test_utils/crash_worker_settings.py``, instead of an hour). Small chunks make the
jobs long enough to kill part-way. Exactly once is read from the plugin's tables (history events per
learner, assignments, attempts), the host's, and the job's report.

Runs in its own CI stage: ``make crash-test`` (``pytest -m crash tests/reliability``).
"""

import os
import signal
import uuid
from collections import Counter

import pytest
from django.conf import settings
from django.db import connection
from user_tasks.models import UserTaskStatus

from devhost.lms import api as host
from devhost.lms.models import BlockCompletion, CourseEnrollment, OutboxMessage
from learner_mgmt_plugin import api, tasks
from learner_mgmt_plugin.data import HistoryKind
from learner_mgmt_plugin.models import Assignment, Attempt, BulkJob, BulkJobChunk, HistoryEvent
from test_utils.courses import ONE_LEAF
from test_utils.rest import client_as, course_url
from test_utils.workers import Worker, redis_broker, wait_until
from test_utils.world import csv_upload

pytestmark = [
    pytest.mark.figure("Crash safety"),
    pytest.mark.crash,
    pytest.mark.mariadb,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(os.environ.get("DEVHOST_DB") != "mariadb", reason="the workers share the test's MariaDB"),
]

BROKER = "redis://127.0.0.1:6379/14"
COURSE = "course-v1:Crash+Safety+2026"
LEARNERS = 1200
CHUNK_SIZE = 4
# Where in each job the worker running it is killed (share of the chunks applied).
KILL_AT = (0.25, 0.6)


@pytest.fixture
def broker(settings):
    """
    Redis on a database of these tests' own, emptied, and a queue of each test's own.
    """
    settings.LEARNER_MGMT_CELERY_QUEUE = f"learner-mgmt-crash-{uuid.uuid4().hex[:8]}"
    settings.LEARNER_MGMT_CHUNK_SIZE = CHUNK_SIZE
    with redis_broker(BROKER) as connection:
        yield connection


@pytest.fixture
def workers(broker, settings, tmp_path):
    """
    ``workers(lanes=1)`` starts another worker on the test's queue, running each job in ``lanes`` lanes
    at most; all are stopped at the end, and their logs printed (pytest shows them when the test failed).
    """
    started = []

    def start(lanes=1):
        log = tmp_path / f"worker-{len(started) + 1}.log"
        worker = Worker(
            settings.LEARNER_MGMT_CELERY_QUEUE,
            BROKER,
            log,
            settings_module="test_utils.crash_worker_settings",
            environment={"CRASH_TEST_PARALLEL_CHUNKS": str(lanes)},
        )
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()
        print(f"--- {worker.log.name}\n{worker.output()[-5000:]}")


@pytest.fixture
def team():
    host.create_course(COURSE, title="Crash safety", chapters=("One", "Two"), leaves_per_chapter=2)
    staff = host.create_user("crash_staff")
    host.grant_role(staff, COURSE, "staff")
    client = client_as(staff)
    usernames = [f"crash{number:04d}" for number in range(LEARNERS)]
    ids = host.create_users({"username": name} for name in usernames)
    return staff, client, dict(zip(usernames, ids))


def broker_queue_empty(broker):
    """
    Whether the test's queue holds no task, waiting or unacknowledged (as a callable to wait for).
    """
    return lambda: broker.llen(settings.LEARNER_MGMT_CELERY_QUEUE) == 0 and broker.hlen("unacked") == 0


def done_chunks(job_id) -> int:
    return BulkJobChunk.objects.filter(job_id=job_id, done_at__isnull=False).count()


def other_database_sessions() -> int:
    """
    How many connections the test database has besides the test's own: the workers'.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE DB = DATABASE() AND ID <> CONNECTION_ID()"
        )
        return cursor.fetchone()[0]


def run_with_kills(job_id, workers, broker, cases) -> list[int]:
    """
    Let workers run the job, killing the one at work at each point of ``KILL_AT``; return the chunks
    applied at each kill. Checks that a kill stops all work and leaves the task to be redelivered.
    """
    total = BulkJob.objects.get(pk=job_id).total_steps
    at_kills = []
    for share in KILL_AT:
        worker = workers()
        wait_until(
            lambda share=share: done_chunks(job_id) >= share * total, timeout=240, what=f"{share:.0%} of the chunks"
        )
        worker.kill()
        at_kill = done_chunks(job_id)
        assert worker.process.returncode == -signal.SIGKILL and not worker.alive()
        # Once the server has dropped the dead worker's connections, nothing of its work can still
        # commit: at most the chunk whose commit was under way when it died.
        wait_until(lambda: other_database_sessions() == 0, timeout=60, what="the killed worker's connections closed")
        at_kills.append(done_chunks(job_id))
        assert at_kills[-1] - at_kill <= 1, "work went on after the kill"
        assert BulkJob.objects.get(pk=job_id).state == "running"
        assert broker.hlen("unacked") == 1, "the killed worker's task should wait, unacknowledged, in Redis"
        cases.add("SIGKILLs", 1)
    last = workers()
    wait_until(
        lambda: BulkJob.objects.get(pk=job_id).state in ("succeeded", "failed"), timeout=240, what="the job's end"
    )
    assert "run_job" in last.output() and "received" in last.output().lower(), "the last worker was not redelivered"
    assert 0 < at_kills[0] < at_kills[-1] < total
    return at_kills


def import_file(usernames):
    """
    (the CSV text, its number of rows) naming every user, with rows that fail spread over the file: 30
    unknown users, and 20 second mentions of a user (by email; the first mention is by username).
    """
    rows = [f",{name},," for name in usernames]
    for number in range(30):
        rows.insert(number * 40, f",ghost{number},,")
    for number in range(20):
        rows.insert(number * 60 + 7, f"{usernames[number * 50]}@example.com,,,")
    return "email,username,employee_id,due_date\n" + "\n".join(rows) + "\n", len(rows)


def submit_import(client, text, course=COURSE) -> str:
    response = client.post(course_url(course, "assignments/import/"), {"file": csv_upload(text)}, format="multipart")
    assert response.status_code == 202, response.content
    return response.json()["id"]


def test_an_import_survives_its_worker_being_killed(team, workers, broker, cases):
    staff, client, users = team
    usernames = list(users)
    text, row_count = import_file(usernames)

    job_id = submit_import(client, text)
    kills = run_with_kills(job_id, workers, broker, cases)

    status = client.get(course_url(COURSE, f"imports/{job_id}/")).json()
    assert status["state"] == "succeeded", status
    assert status["completed_steps"] == status["total_steps"] == -(-row_count // CHUNK_SIZE)
    assert (status["imported"], status["failed"]) == (LEARNERS, 50)
    # The report lists each failed row once, with its reason.
    failed_rows = client.get(status["download_url"]).content.decode().splitlines()[1:]
    assert len(failed_rows) == 50 and len(set(failed_rows)) == 50
    reasons = Counter(row.rsplit(",", 1)[1].split(" of row")[0] for row in failed_rows)
    assert reasons == {"Username not found": 30, "Duplicate": 20}

    assert_assigned_once(users)
    # Messages are queued once a chunk commits, as tasks of their own, which the workers run when the
    # job leaves them time: each learner notified at most once. A kill between a chunk's commit and its
    # queuing the messages may lose that chunk's: no more.
    wait_until(broker_queue_empty(broker), timeout=120, what="the learner messages sent")
    notified = Counter(OutboxMessage.objects.values_list("user_id", flat=True))
    assert max(notified.values()) == 1
    assert len(notified) >= LEARNERS - len(KILL_AT) * CHUNK_SIZE
    assert UserTaskStatus.objects.get().state == UserTaskStatus.SUCCEEDED
    cases.tried(LEARNERS)
    cases.note("import chunks applied when killed", kills)


def test_a_mass_action_survives_its_worker_being_killed(team, workers, broker, cases):
    staff, client, users = team
    usernames = list(users)
    api.assign_course(COURSE, usernames, actor=staff)
    host.bulk_set_progress(COURSE, dict.fromkeys(users.values(), ONE_LEAF))

    response = client.post(
        course_url(COURSE, "mass-actions/"), {"action": "reset_progress", "users": usernames}, format="json"
    )
    assert response.status_code == 202, response.content
    job_id = response.json()["id"]
    kills = run_with_kills(job_id, workers, broker, cases)

    status = client.get(course_url(COURSE, f"mass-actions/{job_id}/")).json()
    assert status["state"] == "succeeded", status
    assert status["completed_steps"] == status["total_steps"] == LEARNERS // CHUNK_SIZE
    # The report names every learner once, as done.
    assert sorted(status["done"]) == usernames
    assert (status["skipped"], status["failed"]) == ([], [])

    # Each learner reset exactly once: attempts 1 (closed) and 2 (current, not started), one "progress
    # reset" event, and their progress cleared in the host.
    resets = Counter(
        HistoryEvent.objects.filter(course_key=COURSE, kind=HistoryKind.PROGRESS_RESET).values_list(
            "learner_id", flat=True
        )
    )
    assert resets == Counter(users.values())
    numbers = Counter(Attempt.objects.filter(assignment__course_key=COURSE).values_list("number", flat=True))
    assert numbers == {1: LEARNERS, 2: LEARNERS}
    current = Assignment.objects.filter(course_key=COURSE).values_list("current_attempt__number", "status")
    assert set(current) == {(2, "not_started")}
    assert not BlockCompletion.objects.filter(course_key=COURSE).exists()
    assert UserTaskStatus.objects.get().state == UserTaskStatus.SUCCEEDED
    cases.tried(LEARNERS)
    cases.note("mass action chunks applied when killed", kills)


def assert_assigned_once(users):
    """
    Each of ``users`` (username: id) assigned exactly once: one assignment, one attempt, one "assigned"
    event, one active enrollment, and nobody else.
    """
    assert Assignment.objects.filter(course_key=COURSE).count() == len(users)
    assert set(Attempt.objects.filter(assignment__course_key=COURSE).values_list("number", flat=True)) == {1}
    assert Attempt.objects.filter(assignment__course_key=COURSE).count() == len(users)
    assigned = Counter(
        HistoryEvent.objects.filter(course_key=COURSE, kind=HistoryKind.ASSIGNED).values_list("learner_id", flat=True)
    )
    assert assigned == Counter(users.values())
    assert CourseEnrollment.objects.filter(course_key=COURSE, is_active=True).count() == len(users)


def workers_that_ran(started, task) -> int:
    return sum(f"learner_mgmt_plugin.tasks.{task}[" in worker.output() for worker in started)


def test_an_import_fanned_out_over_three_workers_survives_losing_two_and_reports_as_one_worker_would(
    team, workers, broker, cases
):
    staff, client, users = team
    usernames = list(users)
    text, row_count = import_file(usernames)
    # The same file imported inline, in one pass, into a course of its own: the report to match.
    host.create_course(f"{COURSE}x", title="One pass", chapters=("One",), leaves_per_chapter=1)
    one_pass = api.import_assignments(f"{COURSE}x", text.encode(), actor=host.create_user("admin", is_staff=True))

    job_id = submit_import(client, text)
    total = BulkJob.objects.get(pk=job_id).total_steps
    started = [workers(lanes=3) for _ in range(3)]
    # All three at work on the job at once: the job's run and two lanes, each on a worker of its own.
    wait_until(lambda: workers_that_ran(started, "run_job_lane") == 2, timeout=120, what="two lanes started")
    assert workers_that_ran(started, "run_job") == 1
    for share in KILL_AT:
        wait_until(lambda share=share: done_chunks(job_id) >= share * total, timeout=240, what=f"{share:.0%} done")
        busy = next(worker for worker in started if worker.alive())
        busy.kill()
        cases.add("SIGKILLs", 1)
    started.append(workers(lanes=3))
    wait_until(lambda: BulkJob.objects.get(pk=job_id).state in ("succeeded", "failed"), timeout=240, what="the end")

    status = client.get(course_url(COURSE, f"imports/{job_id}/")).json()
    assert status["state"] == "succeeded", status
    assert status["completed_steps"] == status["total_steps"] == -(-row_count // CHUNK_SIZE)
    assert (status["imported"], status["failed"]) == (one_pass.imported, len(one_pass.failures)) == (LEARNERS, 50)
    failed_rows = client.get(status["download_url"]).content.decode().splitlines()[1:]
    assert [row.split(",")[0] for row in failed_rows] == [str(failure.row) for failure in one_pass.failures]
    assert [row.rsplit(",", 1)[1] for row in failed_rows] == [failure.reason for failure in one_pass.failures]
    assert_assigned_once(users)

    # A lane and the job's run delivered again once the job is done change nothing.
    events = HistoryEvent.objects.count()
    tasks.run_job_lane.apply_async(kwargs={"job_id": job_id}, queue=settings.LEARNER_MGMT_CELERY_QUEUE)
    tasks.run_job.apply_async(kwargs={"user_id": staff.pk, "job_id": job_id}, queue=settings.LEARNER_MGMT_CELERY_QUEUE)
    wait_until(broker_queue_empty(broker), timeout=120, what="the late deliveries run")
    assert (HistoryEvent.objects.count(), BulkJob.objects.get(pk=job_id).state) == (events, "succeeded")
    assert_assigned_once(users)
    cases.tried(LEARNERS)


def test_two_imports_of_the_same_course_at_once_assign_each_learner_once(team, workers, broker, cases, settings):
    staff, client, users = team
    settings.LEARNER_MGMT_IMPORT_BACKGROUND_ROWS = 100
    usernames = list(users)
    half = LEARNERS // 2
    # Two files sharing a third of their learners, imported at the same time by two workers, two lanes each.
    files = [usernames[: half + half // 3], usernames[half - half // 3 :]]
    job_ids = [
        submit_import(client, "email,username,employee_id,due_date\n" + "".join(f",{name},,\n" for name in names))
        for names in files
    ]
    started = [workers(lanes=2) for _ in range(2)]
    for job_id in job_ids:
        wait_until(lambda job_id=job_id: BulkJob.objects.get(pk=job_id).finished_at, timeout=240, what="the end")

    for job_id, names in zip(job_ids, files):
        status = client.get(course_url(COURSE, f"imports/{job_id}/")).json()
        assert (status["state"], status["imported"], status["failed"]) == ("succeeded", len(names), 0), status
    assert_assigned_once(users)
    # The two jobs ran at the same time, each on a worker of its own.
    assert workers_that_ran(started, "run_job") == 2
    cases.tried(LEARNERS)
