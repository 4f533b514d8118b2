"""
A small world in which every endpoint of the REST API has something real to do, for the authorization
matrix and the CSRF tests: an ILT course with chapters, a quiz and SCORM content; a learner in every
status; a seat; a session without seats; an import with a failed row and a mass action.
"""

import contextlib
import datetime
import io

import attr
from django.db import transaction
from django.utils import timezone

from devhost.lms import api as host
from learner_mgmt_plugin import api, tasks
from test_utils.courses import ONE_LEAF, create_test_course
from test_utils.rest import BASE, in_days

COURSE = "course-v1:Matrix+ILT101+2026"
ELSEWHERE = "course-v1:Matrix+Other+2026"


@attr.s(frozen=True, auto_attribs=True)
class World:
    course: str
    elsewhere: str
    # The callers, by role.
    users: dict
    # Path parameters: learners by status, sessions and jobs.
    ids: dict


def build_world() -> World:
    """
    Build the world in the test database and return who and what is in it.
    """
    course, elsewhere = str(create_test_course(COURSE, "Matrix ILT")), str(create_test_course(ELSEWHERE, "Elsewhere"))
    api.update_course_settings(course, kind="ilt", credits="1")
    users = {
        "course_staff": host.create_user("team_staff", name="Team Staff"),
        "course_instructor": host.create_user("team_instructor", name="Team Instructor"),
        "other_course_staff": host.create_user("other_staff", name="Other Staff"),
        "platform_admin": host.create_user("platform_admin", name="Platform Admin", is_staff=True),
        # Signed in, with no role and no assignment anywhere.
        "outsider": host.create_user("outsider", name="Outsider"),
    }
    host.grant_role(users["course_staff"], course, "staff")
    host.grant_role(users["course_instructor"], course, "instructor")
    host.grant_role(users["other_course_staff"], elsewhere, "staff")
    actor = users["course_staff"]

    learners = {name: host.create_user(name, name=name.title()) for name in ("ann", "bob", "cat", "dee", "dan", "eve")}
    # ann, the learner who calls the API herself, is not started; bob has started; cat is completed
    # with a certificate, dee completed without one; dan is seated in a session; eve is a learner of
    # the other course only.
    users["learner"] = learners["ann"]
    api.assign_course(course, ["ann", "bob", "cat", "dee", "dan"], actor=actor)
    api.assign_course(elsewhere, ["eve", "ann"], actor=None)
    host.set_progress(learners["bob"], course, ONE_LEAF)
    api.mark_complete(course, "cat", actor=actor)
    api.mark_complete(course, "dee", actor=actor)
    api.remove_certificate(course, "dee", actor=actor)
    start = timezone.now() + datetime.timedelta(days=7)
    seated = api.create_session(course, title="Seated", start=start, end=start + datetime.timedelta(hours=2))
    empty = api.create_session(course, title="Empty", start=start, end=start + datetime.timedelta(hours=2))
    api.change_session(course, "dan", actor=actor, session_id=seated.id)
    imported = api.submit_import(course, b"email,username,employee_id,due_date\n,ann,,\n,ghost,,\n", actor=actor)
    mass = api.submit_mass_action(course, "mark_complete", ["ghost"], actor=actor)
    assignment = api.submit_assignment(course, ["ghost"], actor=actor)
    export = api.submit_learner_export(course, viewer=actor)
    tasks.enqueue(actor.pk, export.id)  # run now (Celery is eager here): its file is there to download
    elsewhere_start = timezone.now() + datetime.timedelta(days=3)
    other_session = api.create_session(
        elsewhere, title="Elsewhere", start=elsewhere_start, end=elsewhere_start + datetime.timedelta(hours=1)
    )
    other_import = api.submit_import(elsewhere, b"email,username,employee_id,due_date\n,ghost,,\n", actor=None)
    other_mass = api.submit_mass_action(elsewhere, "mark_complete", ["eve"], actor=None)
    other_assignment = api.submit_assignment(elsewhere, ["ghost"], actor=None)
    return World(
        course=course,
        elsewhere=elsewhere,
        users=users,
        ids={
            "session": seated.id,
            "empty_session": empty.id,
            "import": imported.id,
            "mass_action": mass.id,
            "assignment": assignment.id,
            "export": export.id,
            "other_session": other_session.id,
            "other_import": other_import.id,
            "other_mass_action": other_mass.id,
            "other_assignment": other_assignment.id,
        },
    )


def csv_upload(content: str | bytes, name="learners.csv"):
    """
    A file to send in a multipart request: ``content`` as it is if bytes, else encoded in UTF-8.
    """
    upload = io.BytesIO(content if isinstance(content, bytes) else content.encode())
    upload.name = name
    return upload


def future(days: int) -> str:
    return (timezone.now() + datetime.timedelta(days=days)).isoformat()


@attr.s(frozen=True, auto_attribs=True)
class Endpoint:
    """
    One endpoint and a request that makes it do its work: ``path`` under the course (``{session}``,
    ``{import}``... from ``World.ids``), a JSON ``body`` or a ``multipart`` one (a function of nothing,
    since a file is read once), what it answers the course team when the request goes through, whether
    that changes anything, and whether only platform admins may call it.
    """

    method: str
    path: str
    success: int
    body: dict | None = None
    multipart: object = None
    changes: bool = False
    admin_only: bool = False

    @property
    def name(self) -> str:
        return f"{self.method.upper()} {self.path}"

    def url(self, course, ids) -> str:
        return f"{BASE}/courses/{course}/{self.path.format(**ids)}"

    def call(self, client, course, ids, **extra):
        """
        Send the request as ``client`` to ``course``; ``extra`` goes to the test client (headers).
        """
        url = self.url(course, ids)
        if self.multipart is not None:
            return getattr(client, self.method)(url, self.multipart(), format="multipart", **extra)
        return getattr(client, self.method)(url, with_ids(self.body, ids), format="json", **extra)


# Every per-course endpoint of SPEC section 7 (and the user search of the assignment dialog).
COURSE_ENDPOINTS = [
    Endpoint("get", "learners/", 200),
    Endpoint("get", "learners/export/", 200),
    Endpoint("get", "summary/", 200),
    Endpoint("get", "history/export/", 200),
    Endpoint("get", "learners/ann/", 200),
    Endpoint("post", "learners/ann/due-date/", 200, body={"due_date": in_days(30)}, changes=True),
    Endpoint("post", "learners/bob/reset-progress/", 200, changes=True),
    Endpoint("post", "learners/ann/mark-complete/", 200, changes=True),
    Endpoint("post", "learners/ann/change-session/", 200, body={"session_id": "{session}"}, changes=True),
    Endpoint("post", "learners/dan/mark-no-show/", 200, body={"message": "We missed you."}, changes=True),
    Endpoint("post", "learners/ann/make-instructor/", 200, changes=True),
    Endpoint("post", "learners/ann/unassign/", 204, changes=True),
    Endpoint("post", "learners/ann/remove/", 204, body={"scope": "course", "confirm": True}, changes=True),
    Endpoint("post", "learners/dee/certificate/", 200, changes=True),
    Endpoint("delete", "learners/cat/certificate/", 200, changes=True),
    Endpoint("get", "learners/ann/history/", 200),
    Endpoint("get", "learners/ann/chapters/", 200),
    Endpoint("get", "learners/ann/quizzes/", 200),
    Endpoint("get", "learners/ann/quizzes/?format=xlsx", 200),
    Endpoint("get", "learners/bob/scorm-activity/", 200, admin_only=True),
    Endpoint("get", "users/?search=an", 200),
    Endpoint("post", "assignments/review/", 200, body={"users": ["ann", "eve", "nobody"]}),
    Endpoint("post", "assignments/", 200, body={"users": ["eve"], "due_date": in_days(30)}, changes=True),
    Endpoint("get", "assignments/jobs/{assignment}/", 200),
    Endpoint("get", "assignments/sample-csv/", 200),
    Endpoint(
        "post",
        "assignments/import/",
        200,
        multipart=lambda: {"file": csv_upload("email,username,employee_id,due_date\n,eve,,\n")},
        changes=True,
    ),
    Endpoint("get", "imports/{import}/", 200),
    Endpoint("get", "imports/{import}/non-imported/", 200),
    Endpoint("post", "mass-actions/", 200, body={"action": "mark_complete", "users": ["ann", "bob"]}, changes=True),
    Endpoint("get", "mass-actions/{mass_action}/", 200),
    Endpoint("post", "exports/", 202, body={"format": "xlsx", "status": "completed"}, changes=True),
    Endpoint("get", "exports/{export}/", 200),
    Endpoint("get", "exports/{export}/file/", 200),
    Endpoint("get", "sessions/", 200),
    Endpoint(
        "post",
        "sessions/",
        201,
        body={"title": "Added", "start": future(20), "end": future(21), "capacity": 5},
        changes=True,
    ),
    Endpoint("get", "sessions/{session}/", 200),
    Endpoint("patch", "sessions/{session}/", 200, body={"title": "Renamed", "capacity": 3}, changes=True),
    Endpoint("delete", "sessions/{empty_session}/", 204, changes=True),
    Endpoint("get", "settings/", 200),
    Endpoint("patch", "settings/", 200, body={"credits": 2.5}, changes=True),
]


def with_ids(body, ids):
    """
    The body with ``"{name}"`` values replaced by the world's ids.
    """
    if body is None:
        return None
    return {
        key: ids[value[1:-1]] if isinstance(value, str) and value[1:-1] in ids else value for key, value in body.items()
    }


@contextlib.contextmanager
def rolled_back():
    """
    A savepoint rolled back at the end of the block: what runs in it leaves the database as it was.
    """
    with transaction.atomic():
        yield
        transaction.set_rollback(True)
