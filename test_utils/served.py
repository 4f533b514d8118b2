"""
The development host served for real, for the tests that talk to it over HTTP (the load test and
schemathesis): a MariaDB database of its own, migrated and seeded by ``manage.py`` in a subprocess,
served by gunicorn, and signed-in HTTP sessions.

Nothing here touches the test database of pytest-django: the served host has its database, made
afresh for each run (``lm_served_<name>``) and dropped afterwards.
"""

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import requests

REPO = Path(__file__).resolve().parents[1]


def _server():
    # Imported here: the MariaDB driver is installed only for the runs on MariaDB.
    import MySQLdb  # pylint: disable=import-outside-toplevel

    return MySQLdb.connect(host="127.0.0.1", port=3306, user="root", passwd="")


class ServedDatabase:
    """
    A MariaDB database for a served development host: ``create()`` makes it empty, ``manage()`` runs
    ``manage.py`` commands on it, ``drop()`` drops it.
    """

    def __init__(self, name):
        self.name = f"lm_served_{name}"
        self.environment = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "devhost.settings",
            "DEVHOST_DB": "mariadb",
            "DEVHOST_DB_NAME": self.name,
            # As in production: no query log kept per request, no debug pages.
            "DEVHOST_DEBUG": "false",
            # A fixed key: every gunicorn worker must accept the sessions signed by the others.
            "DEVHOST_SECRET_KEY": "served-devhost-test-key-7c1d",
        }

    def create(self):
        connection = _server()
        with connection.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS `{self.name}`")
            cursor.execute(f"CREATE DATABASE `{self.name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
        connection.close()
        self.manage("migrate", "--no-input", quiet=True)

    def drop(self):
        connection = _server()
        with connection.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS `{self.name}`")
        connection.close()

    def manage(self, *arguments, quiet=False) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", *arguments],
            cwd=REPO,
            env=self.environment,
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, f"manage.py {' '.join(arguments)} failed:\n{result.stdout}\n{result.stderr}"
        return "" if quiet else result.stdout

    def run_python(self, code: str):
        """
        Run Python ``code`` in a process set up as the host (Django ready); return what it prints as JSON.
        """
        script = "import django, json\ndjango.setup()\n" + code
        result = subprocess.run(
            [sys.executable, "-c", script], cwd=REPO, env=self.environment, capture_output=True, text=True, check=False
        )
        assert result.returncode == 0, f"{result.stdout}\n{result.stderr}"
        return json.loads(result.stdout.strip().splitlines()[-1])


class Gunicorn:
    """
    The development host under gunicorn (``workers`` processes of ``threads`` threads), logging to ``log``.
    It listens on a port the system picks (it binds port 0, so no other process can take the port
    between its choice and the bind), read from its log.

    Idle connections are kept open for ``KEEPALIVE`` seconds. Gunicorn's default, 2 s, is for clients
    that do not reuse connections for long; these tests' clients pool them, as a proxy in front of the
    LMS does, and one whose connection idled about 2 s (while the others signed in) sent its next
    request just as gunicorn closed it: the server reset the connection. A server must keep an idle
    connection open longer than its clients leave one idle, so ``KEEPALIVE`` exceeds every idle gap of
    the tests (nginx's default, 75 s, which is also longer than a cloud load balancer's 60 s).
    """

    KEEPALIVE = 75

    def __init__(self, database: ServedDatabase, log: Path, *, workers=4, threads=4):
        self.log = log
        command = [sys.executable, "-m", "gunicorn", "devhost.wsgi:application", "--bind", "127.0.0.1:0"]
        command += ["--workers", str(workers), "--threads", str(threads), "--timeout", "120"]
        command += ["--keep-alive", str(self.KEEPALIVE)]
        command += ["--access-logfile", "-", "--access-logformat", "%(m)s %(U)s %(s)s %(M)sms"]
        with open(log, "a", encoding="utf-8") as output:
            self.process = subprocess.Popen(command, cwd=REPO, env=database.environment, stdout=output, stderr=output)
        try:
            self.port = self._await(self._listening_port, "gunicorn listening")
            self.base_url = f"http://127.0.0.1:{self.port}"
            self._await(self._answers, "gunicorn answering")
        except BaseException:
            self.stop()
            raise

    def _listening_port(self) -> int | None:
        listening = re.search(r"Listening at: http://127\.0\.0\.1:(\d+) ", self.log.read_text(errors="replace"))
        return listening and int(listening.group(1))

    def _answers(self) -> bool:
        try:
            return requests.get(f"{self.base_url}/api/learner_mgmt/v1/schema/", timeout=5).status_code == 200
        except requests.ConnectionError:
            return False

    def _await(self, condition, what, timeout=60):
        deadline = time.monotonic() + timeout
        while not (value := condition()):
            assert self.process.poll() is None, f"gunicorn exited:\n{self.log.read_text()}"
            assert time.monotonic() < deadline, f"{what}: not after {timeout} s\n{self.log.read_text()}"
            time.sleep(0.3)
        return value

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()

    def server_errors(self) -> list[str]:
        """
        The lines of gunicorn's log that tell of a 5xx or a worker's failure.
        """
        return [
            line
            for line in self.log.read_text(encoding="utf-8", errors="replace").splitlines()
            if re.search(r" 5\d\d \d+ms$|WORKER TIMEOUT|Traceback|Worker .* (was sent|exited)", line)
        ]


def signed_in(base_url, username, password) -> requests.Session:
    """
    A session signed in through the host's sign-in page, sending the CSRF token with every request, as
    the LMS's pages do.
    """
    session = requests.Session()
    session.get(f"{base_url}/login/", timeout=30)
    token = session.cookies["csrftoken"]
    response = session.post(
        f"{base_url}/login/",
        data={"username": username, "password": password, "csrfmiddlewaretoken": token},
        headers={"Referer": f"{base_url}/login/"},
        allow_redirects=False,
        timeout=30,
    )
    assert response.status_code == 302, f"could not sign in as {username}: {response.status_code}"
    session.headers["X-CSRFToken"] = session.cookies["csrftoken"]
    return session
