"""
Fixtures shared by the test suites.
"""

import contextlib
import itertools
from unittest import mock

import pytest
from openedx_events.tooling import OpenEdxPublicSignal

from devhost.lms import api as devhost_api


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
    Key of a development-host course "Host 101": chapters "Basics" and "Practice" of two lessons each,
    a "SCORM package" chapter, and a "Quiz" chapter asking "2 + 2 = ?" ("4") and "Capital of France?"
    ("Paris"); seven leaves in all, passing grade 0.5.
    """
    return devhost_api.create_course(
        "course-v1:TestX+Host101+2025",
        title="Host 101",
        chapters=("Basics", "Practice"),
        leaves_per_chapter=2,
        quiz_questions=(("2 + 2 = ?", "4"), ("Capital of France?", "Paris")),
        scorm=True,
    )


@pytest.fixture
def make_users(db):  # pylint: disable=unused-argument
    """
    ``make_users(count, **fields)`` creates users on the development host and returns their ids. They
    are named ``learner<n>`` / "Learner <n>"; ``fields`` (arguments of ``devhost.lms.api.create_user``)
    apply to all of them.
    """
    numbers = itertools.count(1)

    def make(count, **fields):
        return devhost_api.create_users(
            {"username": f"learner{number}", "name": f"Learner {number}", **fields}
            for number in itertools.islice(numbers, count)
        )

    return make
