"""
Load held: the development host under gunicorn, 20 concurrent clients for 30 s against the learner
list and the per-learner actions of a 10,000-learner course. Zero errors; the p95 response time is
reported.

Each client signs in with its own session and, in a loop: reads a page of the list (filtered,
searched, ordered, any page), reads a learner's row and acts on them by status (mark complete, or
reset progress once completed: the learners it acts on are its own, so that every action is one
their status allows), sets a due date of any learner, and reads a learner's history. An error is any
answer but the expected one, or no answer.

The host runs on a MariaDB database of its own. Runs in its own CI stage: ``make load-test``.
"""

import os
import random
import statistics
import threading
import time
import traceback
from collections import defaultdict

import pytest
import requests

from test_utils.served import Gunicorn, ServedDatabase, signed_in

pytestmark = [
    pytest.mark.figure("Load held"),
    pytest.mark.load,
    pytest.mark.mariadb,
    pytest.mark.skipif(os.environ.get("DEVHOST_DB") != "mariadb", reason="the served host runs on MariaDB"),
]

CLIENTS = 20
DURATION = float(os.environ.get("LOAD_TEST_SECONDS", "30"))
LEARNERS = 10_000
COURSE = "course-v1:Load+Course10k+2026"
PASSWORD = "load-staff-password"

SEED = f"""
import datetime
from django.utils import timezone
from devhost.lms import api as host
from learner_mgmt_plugin import api

course = host.create_course(
    "{COURSE}", title="Ten thousand learners", chapters=("One", "Two", "Three"), leaves_per_chapter=3,
    quiz_questions=(("2 + 2 = ?", "4"),), scorm=True,
)
staff = host.create_user("load_staff", name="Load Staff", password="{PASSWORD}")
host.grant_role(staff, course, "staff")
usernames = [f"load{{number:05d}}" for number in range({LEARNERS})]
ids = host.create_users(
    {{"username": name, "name": f"Learner {{number}}"}} for number, name in enumerate(usernames)
)
api.set_employee_ids({{user_id: f"E-{{number:05d}}" for number, user_id in enumerate(ids)}})
api.assign_course(course, usernames, actor=staff, due_date=timezone.localdate() + datetime.timedelta(days=30))
# Every status: a fifth started, a fifth part-way, a tenth completed; the rest not started.
host.bulk_set_progress(
    course, {{user_id: 0.1 for user_id in ids[:2000]}} | {{user_id: 0.5 for user_id in ids[2000:4000]}}
)
api.run_mass_action(course, "mark_complete", usernames[4000:5000], actor=staff)
print(json.dumps({{"usernames": usernames}}))
"""

STATUSES = ["not_started", "started", "in_progress", "completed"]
ORDERINGS = ["name", "-name", "username", "progress", "-progress", "due_date", "assigned_at", "status"]


class Client(threading.Thread):
    """
    One client: its own signed-in session, its own learners to act on, its timings and errors.
    """

    def __init__(self, base_url, number, usernames):
        super().__init__()
        self.base = f"{base_url}/api/learner_mgmt/v1/courses/{COURSE}/"
        self.session = signed_in(base_url, "load_staff", PASSWORD)
        # The session's connection idles from here until the client starts.
        self.signed_in_at = time.monotonic()
        self.random = random.Random(number)
        self.everyone = usernames
        self.own = usernames[number::CLIENTS]
        self.stop_at = 0.0
        self.timings = defaultdict(list)
        self.errors = []
        self.sent = 0

    def request(self, kind, method, path, expected=200, **kwargs):
        self.sent += 1
        started = time.perf_counter()
        try:
            response = self.session.request(method, self.base + path, timeout=60, **kwargs)
        except requests.RequestException as error:
            self.errors.append((kind, path, repr(error)))
            return None
        self.timings[kind].append(time.perf_counter() - started)
        if response.status_code != expected:
            self.errors.append((kind, path, response.status_code, response.text[:300]))
            return None
        return response.json() if response.content else None

    def run(self):
        try:
            self.work()
        except Exception as error:  # pylint: disable=broad-exception-caught
            # Lost with the thread otherwise: an exception in the client is an error of the run.
            self.errors.append(("client", "", repr(error), traceback.format_exc()))

    def work(self):
        while time.monotonic() < self.stop_at:
            pick = self.random
            params = {"page": pick.randint(1, 200), "page_size": pick.choice([25, 50, 100])}
            params["ordering"] = pick.choice(ORDERINGS)
            if pick.random() < 0.3:
                params["status"] = pick.choice(STATUSES)
            if pick.random() < 0.2:
                params["search"] = f"load0{pick.randint(0, 99):02d}"
            self.request("list", "get", "learners/", params=params)

            learner = pick.choice(self.own)
            row = self.request("row", "get", f"learners/{learner}/")
            if row is not None:
                action = "reset-progress" if row["status"] == "completed" else "mark-complete"
                self.request("action", "post", f"learners/{learner}/{action}/")

            due = (time.time() // 86400 + pick.randint(1, 300)) * 86400
            due_date = time.strftime("%Y-%m-%d", time.gmtime(due))
            self.request(
                "due_date", "post", f"learners/{pick.choice(self.everyone)}/due-date/", json={"due_date": due_date}
            )
            self.request("history", "get", f"learners/{pick.choice(self.everyone)}/history/")


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def test_twenty_clients_for_thirty_seconds_on_ten_thousand_learners(tmp_path, cases):
    database = ServedDatabase("load")
    database.create()
    seeded_in = time.monotonic()
    usernames = database.run_python(SEED)["usernames"]
    seeded_in = time.monotonic() - seeded_in
    server = Gunicorn(database, tmp_path / "gunicorn.log", workers=4, threads=5)
    try:
        # Every client signs in first (a password hash each), then all start together.
        clients = [Client(server.base_url, number, usernames) for number in range(CLIENTS)]
        started = time.monotonic()
        # Closing an idle connection as its client sends on it resets it: the test holds only if no
        # connection idles as long as the server keeps one open.
        idle = started - min(client.signed_in_at for client in clients)
        assert idle < server.KEEPALIVE / 2, f"connections idled {idle:.0f} s, kept open {server.KEEPALIVE} s"
        for client in clients:
            client.stop_at = started + DURATION
            client.start()
        for client in clients:
            client.join(timeout=DURATION + 120)
        elapsed = time.monotonic() - started
        # A client still at work long after its time is up hangs: not a client that did fine.
        hung = [number for number, client in enumerate(clients) if client.is_alive()]
        assert not hung, f"clients {hung} still running {DURATION + 120:.0f} s after their start"
    finally:
        server.stop()
        database.drop()

    timings = defaultdict(list)
    for client in clients:
        for kind, values in client.timings.items():
            timings[kind] += values
    everything = [value for values in timings.values() for value in values]
    errors = [error for client in clients for error in client.errors]
    cases.tried(sum(client.sent for client in clients))
    cases.failed(len(errors))
    if everything:
        cases.note("p95", f"{percentile(everything, 0.95) * 1000:.0f} ms")
        cases.note("p50", f"{statistics.median(everything) * 1000:.0f} ms")
        cases.note("throughput", f"{len(everything) / elapsed:.0f} req/s")
        cases.note(
            "p95 by kind",
            {kind: f"{percentile(values, 0.95) * 1000:.0f} ms" for kind, values in sorted(timings.items())},
        )
    cases.note("seeded in", f"{seeded_in:.0f} s")
    cases.note("longest idle connection", f"{idle:.1f} s (keep-alive {server.KEEPALIVE} s)")
    assert not errors, errors[:20]
    idle = [number for number, client in enumerate(clients) if not client.sent]
    assert not idle, f"clients {idle} made no request"
    assert server.server_errors() == []
    assert all(timings[kind] for kind in ("list", "row", "action", "due_date", "history"))
