"""
Schemathesis against the OpenAPI schema the development host serves: every operation, with
generated valid and invalid requests (path parameters mostly drawn from the seeded courses, learners,
sessions and jobs, so that requests reach the code behind them), signed in as a platform admin with the
session and its CSRF token. Zero 5xx answers and zero schema violations (status codes, content types,
headers and bodies as documented).

The host runs under gunicorn on a MariaDB database of its own, seeded with ``manage.py seed_demo`` and
a finished import and mass action. Runs in its own CI stage: ``make schema-test``.
"""

import json
import os
import subprocess
import sys
from collections import Counter

import pytest

from test_utils.served import Gunicorn, ServedDatabase, signed_in

pytestmark = [
    pytest.mark.figure("Schemathesis"),
    pytest.mark.schemathesis,
    pytest.mark.mariadb,
    pytest.mark.skipif(os.environ.get("DEVHOST_DB") != "mariadb", reason="the served host runs on MariaDB"),
]

CHECKS = [
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
]
EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "40"))
SEED = int(os.environ.get("SCHEMATHESIS_SEED", "2026"))

# What the seeded host holds, for schemathesis to use as path parameters.
SEEDED = """
from django.contrib.auth import get_user_model
from devhost.lms.management.commands.seed_demo import ILT, IMPORT_SAMPLE, SELF_PACED
from learner_mgmt_plugin import api

staff = get_user_model().objects.get(username="staff")
learners = {
    course: [row.username for row in api.list_learners(course, page_size=500, ordering="username").results]
    for course in (SELF_PACED, ILT)
}
imported = api.submit_import(SELF_PACED, IMPORT_SAMPLE.read_bytes(), actor=staff)
mass = api.submit_mass_action(ILT, "mark_complete", learners[ILT][:5] + ["ghost"], actor=staff)
print(json.dumps({
    "courses": [SELF_PACED, ILT],
    "learners": learners[SELF_PACED][::4] + learners[ILT][::4],
    "jobs": [imported.id, mass.id],
    "sessions": [session.id for course in (SELF_PACED, ILT) for session in api.list_sessions(course)],
}))
"""


def config(seeded) -> str:
    """
    schemathesis.toml: each path parameter drawn from what the host holds most of the time, generated
    otherwise (unknown ids must answer 404, malformed ones 400).
    """

    def values(items):
        return json.dumps([str(item) for item in items])

    return f"""
[dictionaries.courses]
values = {values(seeded["courses"])}
[dictionaries.learners]
values = {values(seeded["learners"])}
[dictionaries.jobs]
values = {values(seeded["jobs"])}
[dictionaries.sessions]
values = {values(seeded["sessions"])}

[parameters]
"path.course_id" = {{ dictionary = "courses", probability = 0.9 }}
"path.username" = {{ dictionary = "learners", probability = 0.8 }}
"path.job_id" = {{ dictionary = "jobs", probability = 0.7 }}
"path.session_id" = {{ dictionary = "sessions", probability = 0.7 }}
"""


def test_schemathesis_finds_no_server_error_and_no_schema_violation(tmp_path, cases):
    database = ServedDatabase("schemathesis")
    database.create()
    database.manage("seed_demo")
    seeded = database.run_python(SEEDED)
    server = Gunicorn(database, tmp_path / "gunicorn.log", workers=2, threads=4)
    try:
        session = signed_in(server.base_url, "admin", "admin")
        (tmp_path / "schemathesis.toml").write_text(config(seeded))
        report_path = tmp_path / "schemathesis.json"
        cookie = "; ".join(f"{name}={value}" for name, value in session.cookies.items())
        command = [sys.executable, "-m", "schemathesis.cli", "--config-file", str(tmp_path / "schemathesis.toml")]
        command += ["run", f"{server.base_url}/api/learner_mgmt/v1/schema/", "--checks", ",".join(CHECKS)]
        command += ["-H", f"Cookie: {cookie}", "-H", f"X-CSRFToken: {session.cookies['csrftoken']}"]
        command += ["--max-examples", str(EXAMPLES), "--seed", str(SEED), "--workers", "2", "--no-color"]
        command += ["--phases", "examples,coverage,fuzzing", "--report", "json", "--report-json-path", str(report_path)]
        run = subprocess.run(command, capture_output=True, text=True, timeout=1500, check=False)
        print(run.stdout[-20000:], run.stderr[-5000:])
        report = json.loads(report_path.read_text())
    finally:
        server.stop()
        database.drop()

    tested = report["test_cases"]
    cases.tried(tested["generated"])
    cases.failed(tested["with_failures"] + len(report["errors"]))
    answers = Counter(
        line.split()[-2]
        for line in (tmp_path / "gunicorn.log").read_text().splitlines()
        if line.split()[-1:] and line.split()[-1].endswith("ms")
    )
    cases.note("operations", f"{report['operations']['tested']}/{report['operations']['total']}")
    cases.note("answers by status", dict(sorted(answers.items())))
    assert report["operations"]["tested"] == report["operations"]["total"]
    assert tested["with_failures"] == 0 and not report["errors"], json.dumps(
        report["failures"] + report["errors"], indent=1
    )[:20000]
    assert not any(status.startswith("5") for status in answers), answers
    assert server.server_errors() == []
