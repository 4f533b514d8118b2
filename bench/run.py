"""
Benchmarks of learner_mgmt_plugin (``make bench``; ``BENCH_DB=mariadb make bench``).

Builds a synthetic world in the development LMS (a database of its own: ``var/bench.sqlite3`` or the
MariaDB database ``learner_mgmt_bench``), then measures the real code paths:

- ``import_rows_per_s``: a CSV import of 100,000 rows through ``api.import_assignments``, end to end
  (parse, validate, resolve, assign, enroll, history, result and the failed-rows file); 2% of the rows
  fail, spread over every reason. ``peak_rss_mb`` is that import's peak resident memory: it runs in
  a fresh process of its own, as does the 10,000-row import ``import_scaling`` compares it with.
  Timing wrappers split its time between the plugin's database statements, the host's side of
  assigning and the plugin's Python (printed after the table).
- ``import_vs_naive``: against a per-row ORM loop (look the user up, get or create the assignment,
  create the attempt and the history row, one transaction per row) on a 2,000-row sample.
- ``import_vs_floor``: against raw multi-row INSERTs of the same rows into the same tables.
- ``list_p50_ms`` / ``list_p95_ms`` / ``list_queries``: the learner list of the 100,000-learner course
  through the REST view in-process, a page of 50 with a status filter, a search (a username, the
  start of an email or an employee ID, as course staff look someone up) and an ordering, 200
  requests; the queries are counted at page sizes 10 and 500 (they must be equal).
- ``summary_ms``: the course summary (counts per status, required, overdue, completions per week) of
  the 100,000-learner course, median of 20 calls through ``api.py``.
- ``mass_learners_per_s``: mass ``mark_complete`` then ``reset_progress`` over 10,000 learners through
  the background task.
- ``assign_learners_per_s``: review and assign of 10,000 learners named by identifier.

The figures above use the development LMS's fast, set-based enrollment. On MariaDB the benchmark then
switches it to the platform's cost (``DEVHOST_ENROLLMENT=platform``: one learner at a time, the
statements of ``CourseEnrollment.enroll`` and its receivers) for:

- ``platform_enroll_ms``: one enrollment at that cost, timed over learners enrolled one after another;
- ``platform_import_rows_per_s_1w`` and ``_2w``: the 100,000-row import submitted as a background job
  and run by one, then two, Celery worker processes (solo pool, Redis as the broker), from submission
  to the job's end; ``fanout_speedup`` is the second over the first. Printed after the table: how many
  cores were busy on average in each run (all processes: the share left idle bounds what a second
  worker can add), the statements seen waiting for a row lock (InnoDB's transactions sampled once a
  second), and a projection of the import's wall time at 1, 4, 8 and 16 workers from the one-worker
  run's chunk times.

``BENCH_SCALE`` (default 1) scales every size down (or up) for a quick run; ``BENCH_ONLY=platform``
measures only the ``platform_*`` figures and the fan-out. The last line printed is one JSON object of
the figures, also written to ``bench/results.json``.
"""

import collections
import datetime
import json
import multiprocessing
import os
import random
import re
import resource
import statistics
import sys
import time
from pathlib import Path
from unittest import mock

REPO = Path(__file__).resolve().parent.parent
SCALE = float(os.environ.get("BENCH_SCALE", "1"))
DATABASE = os.environ.get("BENCH_DB", "sqlite")
ONLY_PLATFORM = os.environ.get("BENCH_ONLY") == "platform"

IMPORT_ROWS = int(100_000 * SCALE)
SMALL_IMPORT_ROWS = int(10_000 * SCALE)
NAIVE_ROWS = max(200, int(2_000 * SCALE))
LEARNERS = int(10_000 * SCALE)
LIST_REQUESTS = 200
# Learners the platform-cost enrollment is timed on, one after another.
ENROLL_SAMPLE = max(50, int(1_000 * SCALE))
FAILING_SHARE = 0.02

TARGETS = {
    "import_rows_per_s": ">= 10000",
    "import_vs_naive": ">= 50",
    "import_vs_floor": ">= 0.4",
    "import_scaling": ">= 0.8",
    "list_p50_ms": "<= 30",
    "list_p95_ms": "<= 60",
    "list_queries": "constant",
    "summary_ms": "<= 200",
    "mass_learners_per_s": ">= 2000",
    "assign_learners_per_s": ">= 5000",
    "peak_rss_mb": "<= 400",
    "platform_enroll_ms": "measured",
    "platform_import_rows_per_s_1w": "measured",
    "platform_import_rows_per_s_2w": "measured",
    "fanout_speedup": ">= 1.5",
}


def configure_environment():
    """
    Point the development host at the benchmark's own database, empty.
    """
    sys.path.insert(0, str(REPO))
    os.environ["DJANGO_SETTINGS_MODULE"] = "devhost.settings"
    # Tasks are queued, as in the LMS, to an in-process broker no worker reads: what the benchmarks time
    # is the work itself, not the learner messages it leaves to the workers (they go out one by one,
    # through edx-ace). The background runs of jobs are applied in-process where measured.
    os.environ["DEVHOST_CELERY_EAGER"] = "false"
    os.environ["CELERY_BROKER_URL"] = "memory://"
    # As in production: no query log kept in memory.
    os.environ["DEVHOST_DEBUG"] = "false"
    if DATABASE == "mariadb":
        os.environ["DEVHOST_DB"] = "mariadb"
        os.environ["DEVHOST_DB_NAME"] = "learner_mgmt_bench"
    else:
        os.environ["DEVHOST_DB"] = "sqlite"
        os.environ["DEVHOST_SQLITE_PATH"] = str(REPO / "var" / "bench.sqlite3")


def recreate_database():
    if DATABASE == "mariadb":
        import MySQLdb  # pylint: disable=import-outside-toplevel

        connection = MySQLdb.connect(host="127.0.0.1", user="root", password="")
        cursor = connection.cursor()
        cursor.execute("DROP DATABASE IF EXISTS learner_mgmt_bench")
        cursor.execute("CREATE DATABASE learner_mgmt_bench CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
        connection.close()
    else:
        (REPO / "var").mkdir(exist_ok=True)
        Path(os.environ["DEVHOST_SQLITE_PATH"]).unlink(missing_ok=True)


def setup_django():
    import django  # pylint: disable=import-outside-toplevel

    django.setup()


# The world


def course_key(name):
    return f"course-v1:Bench+{name}+2026"


def build_world():
    """
    Users, employee IDs, courses and a course team; the users of the failing rows.
    """
    from django.core.management import call_command  # pylint: disable=import-outside-toplevel

    from devhost.lms import api as host  # pylint: disable=import-outside-toplevel
    from learner_mgmt_plugin import api  # pylint: disable=import-outside-toplevel

    call_command("migrate", verbosity=0)
    staff = host.create_user("bench_staff", name="Bench Staff")
    for name in ("Import", "SmallImport", "Naive", "Floor", "Mass", "Assign", "Fanout1w", "Fanout2w"):
        key = host.create_course(course_key(name), title=name, quiz_questions=(("2 + 2 = ?", "4"),), scorm=True)
        host.grant_role(staff, key, "staff")
    user_ids = []
    for start in range(0, IMPORT_ROWS, 10_000):
        user_ids += host.create_users(
            {"username": f"user{number}", "name": f"User {number}", "email": f"user{number}@example.com"}
            for number in range(start, min(start + 10_000, IMPORT_ROWS))
        )
    host.create_users({"username": f"inactive{number}", "is_active": False} for number in range(100))
    for start in range(0, len(user_ids), 20_000):
        api.set_employee_ids({user_id: f"E{user_id:07d}" for user_id in user_ids[start : start + 20_000]})
    return staff, user_ids


def import_csv(rows, first_user=0, failing_share=FAILING_SHARE):
    """
    An assignment file of ``rows`` rows naming users by email, username or employee ID in turn, of
    which ``failing_share`` fail, spread over every reason a row can fail for.
    """
    from django.contrib.auth import get_user_model  # pylint: disable=import-outside-toplevel

    from devhost.lms.models import UserProfile  # noqa: F401  pylint: disable=import-outside-toplevel

    ids = dict(get_user_model().objects.filter(username__startswith="user").values_list("username", "pk"))
    # A due date years ahead, whenever the benchmark runs.
    due = (datetime.date.today() + datetime.timedelta(days=4 * 365)).isoformat()
    failing = [
        lambda n: f"ghost{n}@example.com,,,",  # email not found
        lambda n: f",,X{n},",  # employee ID not found
        lambda n: f",ghost{n},,",  # username not found
        lambda n: f"inactive{n % 100}@example.com,,,",  # deactivated
        lambda n: f",,,{due}",  # no identifier
        lambda n: "user0@example.com,user1,,",  # different users
        lambda n: f",user{first_user},,",  # duplicate of an earlier row
        lambda n: f"user{n}@example.com,,,31/12/2030",  # not a date
        lambda n: f"user{n}@example.com,,,2001-01-01",  # in the past
        lambda n: f"user{n}@example.com,,",  # too few values
    ]
    every = int(1 / failing_share) if failing_share else rows + 1
    lines = ["email,username,employee_id,due_date"]
    user = first_user
    for number in range(rows):
        if number % every == every - 1:
            lines.append(failing[(number // every) % len(failing)](number))
            continue
        username = f"user{user}"
        lines.append((f"{username}@example.com,,,", f",{username},,", f",,E{ids[username]:07d},{due}")[user % 3])
        user += 1
    return ("\n".join(lines) + "\n").encode()


# Measurements


class TimeSplit:
    """
    Where a run's time goes: the plugin's own database statements (on MySQL the escaping of its
    multi-row INSERTs, which ``insert_rows`` does before the statement, counts as Python),
    the host's side (every call through the host port, with its own statements and the Open edX events
    it sends), and the rest, the plugin's Python. Timing wrappers only: nothing runs differently.
    """

    def __init__(self):
        self.statements = 0.0
        self.statement_count = 0
        self.host = 0.0
        self._host_depth = 0

    def _time_statement(self, execute, sql, params, many, context):
        if self._host_depth:
            return execute(sql, params, many, context)
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.statements += time.perf_counter() - started
            self.statement_count += 1

    def _timed_host_call(self, method):
        def call(*args, **kwargs):
            self._host_depth += 1
            started = time.perf_counter()
            try:
                return method(*args, **kwargs)
            finally:
                self._host_depth -= 1
                if not self._host_depth:
                    self.host += time.perf_counter() - started

        return call

    def __enter__(self):
        from django.db import connection  # pylint: disable=import-outside-toplevel

        from learner_mgmt_plugin.host import get_host  # pylint: disable=import-outside-toplevel
        from learner_mgmt_plugin.host.base import LmsHost  # pylint: disable=import-outside-toplevel

        host = get_host()
        for name in vars(LmsHost):
            if not name.startswith("_"):
                setattr(host, name, self._timed_host_call(getattr(host, name)))
        self._wrapping = connection.execute_wrapper(self._time_statement)
        self._wrapping.__enter__()
        return self

    def __exit__(self, *exc_info):
        self._wrapping.__exit__(*exc_info)


def _import_in_fresh_process(queue, course, rows):
    configure_environment()
    setup_django()
    from django.contrib.auth import get_user_model  # pylint: disable=import-outside-toplevel

    from learner_mgmt_plugin import api  # pylint: disable=import-outside-toplevel

    staff = get_user_model().objects.get(username="bench_staff")
    data = import_csv(rows)
    with TimeSplit() as split:
        started = time.perf_counter()
        result = api.import_assignments(course, data, actor=staff)
        api.non_imported_csv(result)
        elapsed = time.perf_counter() - started
    queue.put(
        {
            "rows": rows,
            "seconds": elapsed,
            "imported": result.imported,
            "failed": result.failed,
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "statements_seconds": split.statements,
            "statements": split.statement_count,
            "host_seconds": split.host,
        }
    )


def measure_import(course, rows):
    """
    Import ``rows`` rows in a process of its own: (rows/s, the run's figures).
    """
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=_import_in_fresh_process, args=(queue, course, rows))
    process.start()
    figures = queue.get()
    process.join()
    assert figures["imported"] + figures["failed"] == rows, figures
    return rows / figures["seconds"], figures


def measure_naive(staff, rows):
    """
    The per-row loop a plain Django view would write: one transaction and several queries per row.
    """
    from django.contrib.auth import get_user_model  # pylint: disable=import-outside-toplevel
    from django.db import transaction  # pylint: disable=import-outside-toplevel
    from django.utils import timezone  # pylint: disable=import-outside-toplevel
    from opaque_keys.edx.keys import CourseKey  # pylint: disable=import-outside-toplevel

    from learner_mgmt_plugin.models import Assignment, Attempt, HistoryEvent, Learner  # pylint: disable=import-outside-toplevel

    key = CourseKey.from_string(course_key("Naive"))
    user_model = get_user_model()
    identifiers = [line.split(",") for line in import_csv(rows, failing_share=0).decode().splitlines()[1:]]
    started = time.perf_counter()
    for email, username, employee_id, _due in identifiers:
        with transaction.atomic():
            if email:
                user = user_model.objects.filter(email=email).first()
            elif username:
                user = user_model.objects.filter(username=username).first()
            else:
                user = user_model.objects.filter(pk=Learner.objects.get(employee_id=employee_id).pk).first()
            learner, _ = Learner.objects.get_or_create(user=user)
            assignment, _ = Assignment.objects.get_or_create(
                learner=learner, course_key=key, defaults={"assigned_by": staff, "assigned_at": timezone.now()}
            )
            attempt = Attempt.objects.create(assignment=assignment, number=1)
            Assignment.objects.filter(pk=assignment.pk).update(current_attempt=attempt)
            HistoryEvent.objects.create(learner=learner, course_key=key, kind="assigned", attempt_number=1, actor=staff)
    return rows / (time.perf_counter() - started)


def measure_floor(staff, user_ids):
    """
    Raw multi-row INSERTs of the import's rows into the same tables: what the database alone costs.
    """
    from django.db import connection, transaction  # pylint: disable=import-outside-toplevel
    from django.utils import timezone  # pylint: disable=import-outside-toplevel

    from learner_mgmt_plugin.models import Assignment, Attempt, HistoryEvent  # pylint: disable=import-outside-toplevel

    key = course_key("Floor")
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    quote = connection.ops.quote_name

    def insert(model, fields, rows):
        columns = ", ".join(quote(model._meta.get_field(name).column) for name in fields)
        sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"
        with connection.cursor() as cursor:
            for start in range(0, len(rows), 1000):
                cursor.executemany(sql, rows[start : start + 1000])

    started = time.perf_counter()
    with transaction.atomic():
        insert(
            Assignment,
            (
                "learner",
                "course_key",
                "required",
                "due_date",
                "assigned_by",
                "assigned_at",
                "message",
                "active",
                "status",
                "progress",
                "learner_name",
            ),
            [
                (user_id, key, False, None, staff.pk, now, "", True, "not_started", 0, f"User {user_id}")
                for user_id in user_ids
            ],
        )
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT id, learner_id FROM {quote(Assignment._meta.db_table)} WHERE course_key = %s", [key]
            )
            assignment_ids = [row[0] for row in cursor.fetchall()]
        insert(
            Attempt,
            ("assignment", "number", "progress", "credits_awarded"),
            [(pk, 1, 0, 0) for pk in assignment_ids],
        )
        insert(
            HistoryEvent,
            ("learner", "course_key", "kind", "attempt_number", "actor", "created", "details", "reason"),
            [(user_id, key, "assigned", 1, staff.pk, now, "{}", "") for user_id in user_ids],
        )
    return len(user_ids) / (time.perf_counter() - started)


def measure_list(staff, user_ids):
    """
    Learner list requests through the REST view in-process: (p50 ms, p95 ms, queries at 10 and 500).
    """
    from django.db import connection  # pylint: disable=import-outside-toplevel
    from django.test.utils import CaptureQueriesContext  # pylint: disable=import-outside-toplevel
    from rest_framework.test import APIRequestFactory, force_authenticate  # pylint: disable=import-outside-toplevel

    from learner_mgmt_plugin.rest_api.v1.views import LearnersView  # pylint: disable=import-outside-toplevel

    view = LearnersView.as_view()
    factory = APIRequestFactory()
    key = course_key("Import")

    def get(**params):
        request = factory.get(f"/api/learner_mgmt/v1/courses/{key}/learners/", params)
        force_authenticate(request, staff)
        response = view(request, course_id=key)
        assert response.status_code == 200, response.data
        return response

    statuses = ("in_progress", "not_started", "completed", "started")
    orderings = ("-progress", "name", "due_date", "-assigned_at")
    # What course staff type to find someone: a username, the start of an email, an employee ID.
    picks = random.Random(7).sample(range(IMPORT_ROWS), LIST_REQUESTS)
    searches = [
        (f"user{pick}", f"user{pick}@", f"E{user_ids[pick]:07d}")[number % 3] for number, pick in enumerate(picks)
    ]
    timings = []
    for number, search in enumerate(searches):
        started = time.perf_counter()
        get(status=statuses[number % 4], search=search, ordering=orderings[number % 4], page_size=50)
        timings.append((time.perf_counter() - started) * 1000)
    queries = {}
    for size in (10, 500):
        with CaptureQueriesContext(connection) as captured:
            get(status="not_started", ordering="name", page_size=size)
        queries[size] = len(captured.captured_queries)
    timings.sort()
    return statistics.median(timings), timings[int(len(timings) * 0.95) - 1], queries


def measure_summary(staff):
    """
    Milliseconds of the course summary of the 100,000-learner course the import made (median of 20).
    """
    from learner_mgmt_plugin import api  # pylint: disable=import-outside-toplevel

    times = []
    for _ in range(20):
        started = time.perf_counter()
        api.get_course_summary(course_key("Import"), viewer=staff)
        times.append(time.perf_counter() - started)
    return 1000 * statistics.median(times)


def measure_mass_actions(staff, user_ids):
    """
    Mass mark_complete then reset_progress over the learners through the background task: learners/s.
    """
    from django.contrib.auth import get_user_model  # pylint: disable=import-outside-toplevel

    from learner_mgmt_plugin import api, tasks  # pylint: disable=import-outside-toplevel
    from learner_mgmt_plugin._internal import _jobs, _mass  # pylint: disable=import-outside-toplevel
    from learner_mgmt_plugin._internal._course import load_course  # pylint: disable=import-outside-toplevel

    key = course_key("Mass")
    usernames = list(get_user_model().objects.filter(pk__in=user_ids).values_list("username", flat=True))
    api.assign_course(key, usernames, actor=staff)
    ctx = load_course(key, staff)
    started = time.perf_counter()
    for action in ("mark_complete", "reset_progress"):
        plan = _mass.plan_mass_action(ctx, action, today=datetime.date.today())
        job = _jobs.create_mass_action(ctx, plan, usernames, actor_id=staff.pk)
        tasks.run_job.apply(kwargs={"user_id": staff.pk, "job_id": str(job.pk)}).get()
        assert len(api.get_mass_action(key, job.pk).mass_action_result.done) == len(usernames)
    return 2 * len(usernames) / (time.perf_counter() - started)


def measure_assign(staff, user_ids):
    """
    Review then assign of learners named by email, username or employee ID in turn: learners/s.
    """
    from django.contrib.auth import get_user_model  # pylint: disable=import-outside-toplevel

    from learner_mgmt_plugin import api  # pylint: disable=import-outside-toplevel

    users = get_user_model().objects.filter(pk__in=user_ids).values_list("pk", "username", "email")
    identifiers = [(email, username, f"E{pk:07d}")[pk % 3] for pk, username, email in users]
    key = course_key("Assign")
    started = time.perf_counter()
    review = api.review_assignment(key, identifiers, viewer=staff)
    result = api.assign_course(key, identifiers, actor=staff, required=True)
    elapsed = time.perf_counter() - started
    assert len(review.users) == len(result.assigned) == len(identifiers)
    return len(identifiers) / elapsed


FANOUT_BROKER = "redis://127.0.0.1:6379/13"
FANOUT_QUEUE = "learner-mgmt-bench"


def busy_cores():
    """
    A reading of the machine's CPU time, for ``cores_busy``: (seconds busy on all cores, seconds on the
    clock). From the kernel's counters in ``/proc/stat``: every state but idle and waiting for I/O
    counts as busy.
    """
    counters = [int(ticks) for ticks in Path("/proc/stat").read_text().split()[1:11]]
    idle, iowait = counters[3:5]
    return (sum(counters[:8]) - idle - iowait) / os.sysconf("SC_CLK_TCK"), time.monotonic()


def cores_busy(since):
    """
    Cores kept busy on average since the ``busy_cores()`` reading ``since``: the workers, the database,
    the broker and this process together.
    """
    (busy_before, clock_before), (busy_now, clock_now) = since, busy_cores()
    return (busy_now - busy_before) / (clock_now - clock_before)


def lock_waits():
    """
    The statements waiting for a row lock right now (InnoDB), each cut before its values or conditions.
    """
    from django.db import connection  # pylint: disable=import-outside-toplevel

    with connection.cursor() as cursor:
        cursor.execute("SELECT trx_query FROM information_schema.INNODB_TRX WHERE trx_state = 'LOCK WAIT'")
        return [re.split(r"\b(?:VALUES|WHERE)\b", query or "?")[0].strip()[:100] for (query,) in cursor.fetchall()]


class FanoutRun(collections.namedtuple("FanoutRun", "rows_per_s chunk_seconds cores waits")):
    """
    A fan-out run: rows/s from submission to the job's end, the seconds between the ends of consecutive
    chunks, the cores busy on average, and how many of the one-second samples saw each statement
    waiting for a row lock.
    """


def measure_fanout(staff, workers) -> FanoutRun:
    """
    The large import through the background task on ``workers`` worker processes (Celery, Redis as the
    broker), the development LMS enrolling at the platform's cost (``DEVHOST_ENROLLMENT=platform``).
    """
    from django.test import override_settings  # pylint: disable=import-outside-toplevel

    from learner_mgmt_plugin import api  # pylint: disable=import-outside-toplevel
    from learner_mgmt_plugin.models import BulkJob  # pylint: disable=import-outside-toplevel
    from test_utils.workers import Worker, redis_broker, wait_until  # pylint: disable=import-outside-toplevel

    key = course_key(f"Fanout{workers}w")
    data = import_csv(IMPORT_ROWS)
    logs = REPO / "var" / "bench-workers"
    logs.mkdir(parents=True, exist_ok=True)
    environment = {"DEVHOST_ENROLLMENT": "platform", "DEVHOST_DEBUG": "false"}
    # Celery takes CELERY_BROKER_URL from the environment before its configuration.
    broker_environment = mock.patch.dict(os.environ, {"CELERY_BROKER_URL": FANOUT_BROKER})
    with broker_environment, redis_broker(FANOUT_BROKER), override_settings(LEARNER_MGMT_CELERY_QUEUE=FANOUT_QUEUE):
        started_workers = [
            Worker(FANOUT_QUEUE, FANOUT_BROKER, logs / f"{workers}w-{number}.log", environment=environment)
            for number in range(workers)
        ]
        try:
            started, cpu, waits = time.perf_counter(), busy_cores(), collections.Counter()
            job_id = api.submit_import(key, data, actor=staff).id

            def finished():
                waits.update(lock_waits())
                return BulkJob.objects.get(pk=job_id).finished_at

            wait_until(finished, timeout=6 * 3600, interval=1, what="end")
            elapsed, busy = time.perf_counter() - started, cores_busy(cpu)
        finally:
            for worker in started_workers:
                worker.stop()
    job = BulkJob.objects.get(pk=job_id)
    assert job.state == "succeeded", job.error
    done = sorted(job.chunks.values_list("done_at", flat=True))
    between = [(later - earlier).total_seconds() for earlier, later in zip(done, done[1:])]
    return FanoutRun(IMPORT_ROWS / elapsed, between, busy, waits)


def measure_platform_enroll(user_ids):
    """
    Milliseconds one enrollment costs the development LMS at the platform's cost, learner by learner, each
    committed on its own as a job enrolls its chunk's learners ahead of the chunk's transaction.
    """
    from django.test import override_settings  # pylint: disable=import-outside-toplevel

    from devhost.lms import api as host  # pylint: disable=import-outside-toplevel

    key = host.create_course(course_key("Enroll"), title="Enroll")
    with override_settings(DEVHOST_ENROLLMENT="platform"):
        started = time.perf_counter()
        host.bulk_enroll(key, user_ids)
    return 1000 * (time.perf_counter() - started) / len(user_ids)


def print_cores(fanout):
    """
    How busy the machine's cores were in the fan-out runs, and the speed-up that leaves two workers.
    """
    cores = os.cpu_count()
    one, two = fanout[1].cores, fanout[2].cores
    print(
        f"  cores busy on average (of {cores}; workers, database and broker together): {one:.2f} with one worker, "
        f"{two:.2f} with two. The CPU the one-worker run left idle bounds two workers' speed-up at about "
        f"{min(2, cores / one):.2f}x, were the database to need no more CPU per row with two writers."
    )


def print_lock_waits(fanout):
    """
    The statements the fan-out runs' samples saw waiting for a row lock, most often first.
    """
    for workers, run in fanout.items():
        waits = ", ".join(f"{count} x {statement}" for statement, count in run.waits.most_common(3)) or "none"
        print(f"  row-lock waits seen with {workers} worker(s) (samples, one a second): {waits}")


def print_projection(chunk_seconds, one_worker_seconds):
    """
    The large import's wall time at more workers, projected from the one-worker run's chunk times.
    """
    # Seconds between the starts of consecutive chunks: one fewer than the chunks.
    chunks, chunk = len(chunk_seconds) + 1, statistics.median(chunk_seconds)
    serial = max(0.0, one_worker_seconds - chunk * chunks)
    print(
        f"  projection (not a measurement) of the {IMPORT_ROWS}-row import at the platform's enrollment cost, from "
        f"the one-worker run: {chunks} chunks of {chunk:.1f} s (median) after {serial:.1f} s of submission and "
        "preparation, assuming the database keeps up with every worker:"
    )
    for workers in (1, 4, 8, 16):
        print(f"    {workers:2d} workers: {serial + chunk * -(-chunks // workers):7.0f} s")


def print_time_split(run):
    """
    Where the large import's time went (TimeSplit).
    """
    seconds = run["seconds"]
    parts = (
        (f"the plugin's {run['statements']} database statements", run["statements_seconds"]),
        ("the host's side: enrollments, names, notifications, Open edX events", run["host_seconds"]),
        ("the plugin's Python", seconds - run["statements_seconds"] - run["host_seconds"]),
    )
    print(f"  where the {run['rows']}-row import's {seconds:.1f} s went:")
    for name, part in parts:
        print(f"    {part:6.1f} s {100 * part / seconds:4.0f}%  {name}")


def main():
    configure_environment()
    recreate_database()
    setup_django()
    print(f"learner_mgmt_plugin benchmarks on {DATABASE}, scale {SCALE:g}", flush=True)
    print("  enrollment: the development LMS's fast path; platform_* figures: DEVHOST_ENROLLMENT=platform", flush=True)
    started = time.perf_counter()
    staff, user_ids = build_world()
    print(f"  world built: {len(user_ids)} users in {time.perf_counter() - started:.0f} s", flush=True)

    figures, details = ({}, None) if ONLY_PLATFORM else fast_path_figures(staff, user_ids)
    fanout = {}
    if DATABASE == "mariadb":
        enroll_ms = measure_platform_enroll(user_ids[:ENROLL_SAMPLE])
        fanout = {workers: measure_fanout(staff, workers) for workers in (1, 2)}
    if fanout:
        figures |= {
            "platform_enroll_ms": round(enroll_ms, 2),
            "platform_import_rows_per_s_1w": round(fanout[1].rows_per_s),
            "platform_import_rows_per_s_2w": round(fanout[2].rows_per_s),
            "fanout_speedup": round(fanout[2].rows_per_s / fanout[1].rows_per_s, 2),
        }
    print(f"\n  {'figure':<30}{'measured':>12}   target")
    for name, value in figures.items():
        print(f"  {name:<30}{json.dumps(value):>12}   {TARGETS[name]}")
    print(f"  total {time.perf_counter() - started:.0f} s")
    if details:
        print_fast_path_details(details)
    if fanout:
        print_cores(fanout)
        print_lock_waits(fanout)
        print_projection(fanout[1].chunk_seconds, IMPORT_ROWS / fanout[1].rows_per_s)
    else:
        print("  the fan-out figures (platform_*, fanout_speedup) need BENCH_DB=mariadb, Redis and Celery workers")
    (REPO / "bench" / "results.json").write_text(json.dumps(figures) + "\n")
    print(json.dumps(figures))


def fast_path_figures(staff, user_ids):
    """
    The figures of the development LMS's fast enrollment path, and the details printed after the table.
    """
    import_rate, import_run = measure_import(course_key("Import"), IMPORT_ROWS)
    small_rate, _small_run = measure_import(course_key("SmallImport"), SMALL_IMPORT_ROWS)
    naive_rate = measure_naive(staff, NAIVE_ROWS)
    floor_rate = measure_floor(staff, user_ids[:IMPORT_ROWS])
    list_p50, list_p95, list_queries = measure_list(staff, user_ids)
    summary_ms = measure_summary(staff)
    mass_rate = measure_mass_actions(staff, user_ids[:LEARNERS])
    assign_rate = measure_assign(staff, user_ids[LEARNERS : 2 * LEARNERS])
    details = {"naive_rate": naive_rate, "floor_rate": floor_rate, "import_run": import_run}
    figures = {
        "import_rows_per_s": round(import_rate),
        "import_vs_naive": round(import_rate / naive_rate, 1),
        "import_vs_floor": round(import_rate / floor_rate, 2),
        "import_scaling": round(import_rate / small_rate, 2),
        "list_p50_ms": round(list_p50, 1),
        "list_p95_ms": round(list_p95, 1),
        "list_queries": list_queries[10] if list_queries[10] == list_queries[500] else list_queries,
        "summary_ms": round(summary_ms, 1),
        "mass_learners_per_s": round(mass_rate),
        "assign_learners_per_s": round(assign_rate),
        "peak_rss_mb": round(import_run["peak_rss_mb"]),
    }
    return figures, details


def print_fast_path_details(details):
    print(
        f"  naive loop {details['naive_rate']:.0f} rows/s, raw INSERT floor {details['floor_rate']:.0f} rows/s, "
        f"{IMPORT_ROWS}-row import {details['import_run']['seconds']:.1f} s"
    )
    print_time_split(details["import_run"])


if __name__ == "__main__":
    main()
