"""
Fixtures shared by the test suites: the development host's world (courses, users, events) and the
plugin's (courses with sessions, a course team, learners in every status, the signals sent).
"""

import contextlib
import datetime
import itertools
from unittest import mock

import pytest
from django.utils import timezone
from openedx_events.tooling import OpenEdxPublicSignal
from rest_framework.test import APIClient

from devhost.lms import api as host
from learner_mgmt_plugin import api
from learner_mgmt_plugin.data import LearnerStatus
from learner_mgmt_plugin.signals import signals
from test_utils.courses import ONE_LEAF, THREE_LEAVES, create_test_course


@pytest.fixture
def captured_events():
    """
    The Open edX events sent during the test, as ``(event_type, payload)`` pairs in the order sent;
    ``payload`` maps each data name of the event to its value (``{"enrollment": CourseEnrollmentData}``).
    Meanwhile the events reach no other receiver: plugin receivers do not react to them.
    """
    sent = []

    def record(signal, sender, **kwargs):  # pylint: disable=unused-argument
        sent.append((signal.event_type, {name: kwargs[name] for name in signal.init_data}))

    with contextlib.ExitStack() as stack:
        for signal in OpenEdxPublicSignal.all_events():
            stack.enter_context(mock.patch.object(signal, "receivers", []))
            signal.connect(record, weak=False)
        yield sent


@pytest.fixture
def devhost_course(db):  # pylint: disable=unused-argument
    """
    Key of a development-host course "Host 101" of the test courses' shape (``create_test_course``).
    """
    return create_test_course("course-v1:TestX+Host101+2025", "Host 101")


@pytest.fixture
def make_users(db):  # pylint: disable=unused-argument
    """
    ``make_users(count, **fields)`` creates users on the development host and returns their ids. They
    are named ``learner<n>`` / "Learner <n>"; ``fields`` (arguments of ``devhost.lms.api.create_user``)
    apply to all of them.
    """
    numbers = itertools.count(1)

    def make(count, **fields):
        return host.create_users(
            {"username": f"learner{number}", "name": f"Learner {number}", **fields}
            for number in itertools.islice(numbers, count)
        )

    return make


@pytest.fixture(autouse=True)
def outbox_email(settings):
    """
    Email goes to the development LMS's outbox, as it does outside the tests: Django's test set-up
    replaces the email backend with its own in-memory one.
    """
    settings.EMAIL_BACKEND = "devhost.lms.mail.OutboxEmailBackend"


@pytest.fixture(autouse=True)
def meaningful_progress_threshold(settings):
    """
    Progress up to 20% counts as "Started", above it as "XX% Completed".
    """
    settings.LEARNER_MGMT_MEANINGFUL_PROGRESS_THRESHOLD = 20


@pytest.fixture
def course(db):
    """
    A self-paced course with two lesson chapters, a SCORM chapter and a quiz chapter (seven leaves).
    """
    return create_test_course("course-v1:TestX+LM101+2026", "Learner Management 101")


@pytest.fixture
def other_course(db):
    return create_test_course("course-v1:TestX+LM202+2026", "Learner Management 202")


@pytest.fixture
def ilt_course(db):
    """
    The same content delivered in sessions.
    """
    key = create_test_course("course-v1:TestX+ILT101+2026", "Instructor-led 101")
    api.update_course_settings(key, kind="ilt", credits="1.5")
    return key


@pytest.fixture
def sessions(ilt_course):
    """
    Sessions of the ILT course: upcoming (room for 10), recent (ended 30 days ago), old (ended 120 days
    ago) and tiny (upcoming, one seat).
    """
    now = timezone.now()

    def session(title, days, capacity=None):
        start = now + datetime.timedelta(days=days)
        return api.create_session(
            ilt_course,
            title=title,
            start=start,
            end=start + datetime.timedelta(hours=2),
            capacity=capacity,
            location="Room 1",
        )

    return {
        "upcoming": session("Upcoming", 7, capacity=10),
        "later": session("Later", 14),
        "recent": session("Recent", -30),
        "old": session("Old", -120),
        "tiny": session("Tiny", 3, capacity=1),
    }


@pytest.fixture
def staff(course, other_course, ilt_course):
    """
    A member of the course team of the three courses.
    """
    user = host.create_user("staff", name="Stella Staff")
    for key in (course, other_course, ilt_course):
        host.grant_role(user, key, "staff")
    return user


@pytest.fixture
def staff_client(staff):
    """
    An API client signed in as a member of the course team of the test courses.
    """
    client = APIClient()
    client.force_authenticate(staff)
    return client


@pytest.fixture
def jobs_in_background(settings, tmp_path):
    """
    Call with ``above`` and ``chunk_size``: imports of more than ``above`` rows, and mass actions on and
    assignments of more than ``above`` learners, then run as background jobs in chunks of
    ``chunk_size``, keeping their files in a temporary media root.
    """

    def configure(*, above, chunk_size):
        settings.LEARNER_MGMT_CHUNK_SIZE = chunk_size
        settings.LEARNER_MGMT_IMPORT_BACKGROUND_ROWS = above
        settings.LEARNER_MGMT_MASS_ACTION_BACKGROUND_SIZE = above
        settings.LEARNER_MGMT_ASSIGNMENT_BACKGROUND_SIZE = above
        settings.MEDIA_ROOT = str(tmp_path)

    return configure


@pytest.fixture
def admin(db):
    return host.create_user("admin", name="Ada Admin", is_staff=True)


@pytest.fixture
def make_learner(db):
    """
    ``make_learner(username, **fields)``: a user on the host, not yet assigned.
    """

    def make(username, **fields):
        fields.setdefault("name", username.title())
        return host.create_user(username, **fields)

    return make


@pytest.fixture
def learner_in(make_learner, staff, sessions):
    """
    ``learner_in(course_key, status, username=...)``: a learner put into ``status`` the way it happens
    for real (assigned; progress from the host; seated; completed on their own).
    """

    def make(course_key, status, username=None):
        username = username or f"{status.value}_learner"
        user = make_learner(username)
        api.assign_course(course_key, [username], actor=staff)
        if status == LearnerStatus.STARTED:
            host.set_progress(user, course_key, ONE_LEAF)
        elif status == LearnerStatus.IN_PROGRESS:
            host.set_progress(user, course_key, THREE_LEAVES)
        elif status == LearnerStatus.ENROLLED:
            api.change_session(course_key, username, actor=staff, session_id=sessions["upcoming"].id)
        elif status == LearnerStatus.COMPLETED:
            host.set_progress(user, course_key, 1.0)
        row = api.get_learner(course_key, username)
        assert row.status == status, row
        return user

    return make


@pytest.fixture
def sent_signals():
    """
    The plugin's signals sent during the test, as (signal name, kwargs) in order.
    """
    sent = []
    names = {value: name for name, value in vars(signals).items() if isinstance(value, signals.Signal)}

    def record(signal, sender, **kwargs):
        sent.append((names[signal], kwargs))

    for signal in names:
        signal.connect(record, weak=False, dispatch_uid=f"test-{names[signal]}")
    yield sent
    for signal in names:
        signal.disconnect(dispatch_uid=f"test-{names[signal]}")


@pytest.fixture
def superuser_client(client, db):  # pylint: disable=unused-argument
    """
    A Django test client signed in (a session, as in the Django admin) as a superuser, "root".
    """
    user = host.create_user("root", is_staff=True)
    user.is_superuser = True
    user.save()
    client.force_login(user)
    return client
