"""
The shape of the test courses (``tests/conftest.py``): seven leaves, so one leaf is 14% and three are
42%.
"""

from devhost.lms import api as host

LEAVES = 7
ONE_LEAF = 1 / LEAVES
THREE_LEAVES = 3 / LEAVES


def create_test_course(key, title, modes=("audit", "verified")):
    """
    A course on the development host with two lesson chapters of two leaves, a SCORM chapter and a
    quiz chapter of two questions ("2 + 2 = ?", "Capital of France?"): seven leaves. By default it
    offers the audit and verified tracks, as a course with a certificate usually does.
    """
    return host.create_course(
        key,
        title=title,
        chapters=("Basics", "Practice"),
        leaves_per_chapter=2,
        quiz_questions=(("2 + 2 = ?", "4"), ("Capital of France?", "Paris")),
        scorm=True,
        modes=modes,
    )
