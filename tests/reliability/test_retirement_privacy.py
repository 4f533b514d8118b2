"""
Privacy: when the LMS retires a user (``USER_RETIRE_LMS_MISC``; the development host sends its
stand-in, ``devhost.lms.api.retire_user``), the plugin erases them: no assignment, attempt, seat,
history or directory entry of theirs is left, and no report or file the plugin keeps names them by
username, email, employee ID or full name, whatever characters those are made of. The basic case is
``tests/api/test_retirement.py``; this covers what it does not.
"""

import pytest
from user_tasks.models import UserTaskArtifact

from devhost.lms import api as host
from learner_mgmt_plugin import api
from learner_mgmt_plugin.data import LearnerStatus
from learner_mgmt_plugin.models import BulkJob, BulkJobChunk
from test_utils.snapshots import learner_rows, snapshot

pytestmark = [pytest.mark.figure("Privacy: retirement"), pytest.mark.django_db]

HEADINGS = "email,username,employee_id,due_date"


def traces_of(user_id, *identifiers):
    """
    Where the plugin still holds the user: rows of theirs, and jobs (their input, reports, parameters
    and errors) naming any identifier.
    """
    reports = str(
        [*BulkJobChunk.objects.values_list("items", "result"), *BulkJob.objects.values_list("params", "error")]
    )
    named = [identifier for identifier in identifiers if identifier.lower() in reports.lower()]
    return learner_rows(user_id), named


@pytest.mark.parametrize(
    ("username", "email", "employee_id", "name"),
    [
        ("leaving", "leaving@example.com", "E-LEAVE", "Lena Ving"),
        ("zoë", "zoë@exämple.com", "É-1", "Zoë Ærø"),
        ("Мария", "мария@пример.рф", "Е-2", "Мария Иванова"),
    ],
    ids=["ascii", "latin", "cyrillic"],
)
def test_retirement_leaves_no_trace_whatever_the_identifiers_are_made_of(
    course,
    other_course,
    ilt_course,
    sessions,
    staff,
    make_learner,
    jobs_in_background,
    username,
    email,
    employee_id,
    name,
    cases,
):
    learner = make_learner(username, email=email, name=name)
    api.set_employee_ids({learner.pk: employee_id})
    api.assign_course(ilt_course, [username], actor=staff)
    api.change_session(ilt_course, username, actor=staff, session_id=sessions["upcoming"].id)
    api.assign_course(course, [username], actor=staff)
    # Reports naming the learner by each identifier: a mass action (by username and name), and an
    # import's failed rows (a finished job keeps only those).
    api.run_mass_action(course, "mark_complete", [username, "ghost"], actor=staff)
    rows = f"{email},,,2001-01-01\n,,{employee_id},2001-01-01\n"
    api.import_assignments(course, f"{HEADINGS}\n{rows}".encode(), actor=staff)
    # And a background job not run yet (it is queued once the test's transaction commits, which it
    # never does), whose input still names them.
    jobs_in_background(above=0, chunk_size=1)
    queued = api.submit_import(other_course, f"{HEADINGS}\n,{username},,\n".encode(), actor=staff)
    assert api.get_import(other_course, queued.id).state == "pending"
    # Before: rows of theirs in every table, and reports naming them by every identifier.
    rows, named = traces_of(learner.pk, username, email, employee_id, name)
    assert (set(rows), named) == (
        {"Assignment", "Attempt", "Seat", "HistoryEvent", "Learner"},
        [username, email, employee_id, name],
    )

    host.retire_user(learner)

    cases.tried()
    assert traces_of(learner.pk, username, email, employee_id, name) == ({}, [])
    # Their seat is free again; the others' reports keep what is theirs.
    assert api.get_session(ilt_course, sessions["upcoming"].id).seats_taken == 0
    assert "ghost" in str(list(BulkJobChunk.objects.values_list("result", flat=True)))


def test_retiring_twice_or_retiring_a_stranger_is_harmless(course, staff, make_learner, cases):
    learner = make_learner("twice")
    stranger = make_learner("stranger")
    keeper = make_learner("keeper")
    api.assign_course(course, ["twice", "keeper"], actor=staff)
    # A mass action's report naming both learners (and someone unknown), and history of both.
    api.run_mass_action(course, "mark_complete", ["twice", "keeper", "ghost"], actor=staff)
    host.retire_user(learner)
    cases.tried()
    assert traces_of(learner.pk, "twice") == ({}, [])
    # What is left to lose: the other learner's rows and history, and the report naming them.
    assert set(learner_rows(keeper.pk)) == {"Assignment", "Attempt", "HistoryEvent", "Learner"}
    assert traces_of(keeper.pk, "keeper")[1] == ["keeper"]
    after_first = snapshot(with_host=True)

    for name, retire in (
        ("retired again (host)", lambda: host.retire_user(learner)),
        ("retired again (plugin)", lambda: api.retire_learner(learner.pk)),
        ("a user the plugin does not know", lambda: host.retire_user(stranger)),
        ("an id nobody has", lambda: api.retire_learner(987654)),
    ):
        retire()
        cases.tried()
        assert snapshot(with_host=True) == after_first, name


def test_the_file_of_rows_not_imported_no_longer_names_a_retired_learner(
    course, staff, make_users, jobs_in_background, django_capture_on_commit_callbacks, cases
):
    # A background import (in two chunks) leaves the Non_Imported_List file as a django-user-tasks
    # artifact; a row naming the learner failed (a past due date), so the file names them.
    jobs_in_background(above=2, chunk_size=2)
    make_users(3)
    lines = [HEADINGS, ",learner1,,", ",learner2,,", "learner3@example.com,,,2001-01-01"]
    with django_capture_on_commit_callbacks(execute=True):
        api.submit_import(course, "\n".join(lines).encode(), actor=staff)
    artifact = UserTaskArtifact.objects.get(name="Non_Imported_List")
    assert "learner3@example.com" in artifact.file.read().decode()

    host.retire_user(host.User.objects.get(username="learner3"))

    cases.tried()
    artifact.refresh_from_db()
    with artifact.file.open() as file:
        assert "learner3@example.com" not in file.read().decode()


def test_retirement_keeps_other_learners_whole(course, staff, learner_in, cases):
    learner_in(course, LearnerStatus.STARTED, username="staying")
    leaving = learner_in(course, LearnerStatus.IN_PROGRESS, username="leaving")
    before = api.get_history(course, "staying")
    host.retire_user(leaving)
    cases.tried()
    assert api.get_history(course, "staying") == before
    assert api.list_learners(course).count == 1
