"""
Telling the plugin's own changes apart from the host's.

When the plugin enrolls, unenrolls, clears state or issues certificates through the host, the host
answers with the same events a learner's own actions send. While the plugin is changing a course,
its receivers ignore those echoes instead of applying them twice.
"""

from contextlib import contextmanager
from contextvars import ContextVar

_changing: ContextVar[frozenset] = ContextVar("learner_mgmt_changing_courses", default=frozenset())


@contextmanager
def changing(course_key):
    """
    Mark the course as being changed by the plugin in this thread or task for the duration.
    """
    token = _changing.set(_changing.get() | {str(course_key)})
    try:
        yield
    finally:
        _changing.reset(token)


def is_changing(course_key) -> bool:
    """
    Whether the plugin itself is changing this course right now (so a host event is its own echo).
    """
    return str(course_key) in _changing.get()
