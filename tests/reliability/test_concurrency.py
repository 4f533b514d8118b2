"""
Concurrency on MariaDB: conflicting operations on the same learners, sent at the same moment from
parallel connections (threads, each with its own database connection), end consistent:

- reset vs mark complete (single and mass actions): attempt numbers 1..n without gap or duplicate,
  one open attempt which is the current one, and every change that was reported done written to the
  history exactly once;
- the same import twice at once: one assignment and one attempt per learner, every row of both files
  imported or listed, one "assigned" event per learner;
- two seat changes into a session with one seat left: the capacity is never exceeded, and the one
  refused is refused cleanly.

A call may be refused (409: the other call changed the learner's status first; the session is full):
that is the right answer to a race. Anything else (an integrity error, a deadlock) is a failure.

The test database is shared with the threads, so these tests commit (``transaction=True``); they need
MariaDB (``make mariadb-test``) and are skipped on SQLite, which has no row locks.
"""

import datetime
import os
import threading
from collections import Counter

import pytest
from django.db import connection
from django.utils import timezone

from devhost.lms import api as host
from learner_mgmt_plugin import api
from learner_mgmt_plugin.data import HistoryKind
from learner_mgmt_plugin.exceptions import ActionNotAllowed, Conflict
from learner_mgmt_plugin.models import Assignment, Attempt, HistoryEvent, Seat
from test_utils.courses import ONE_LEAF

pytestmark = [
    pytest.mark.figure("Concurrency on MariaDB"),
    pytest.mark.mariadb,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(os.environ.get("DEVHOST_DB") != "mariadb", reason="needs MariaDB's row locks"),
]

COURSE = "course-v1:Race+Condition+2026"
# Refusals that are the right answer to a race.
REFUSALS = (ActionNotAllowed, Conflict)
NOT_ENDED = object()


def run_together(*calls):
    """
    Run the calls at the same moment, each in its own thread with its own database connection; return
    what each returned or raised.
    """
    barrier = threading.Barrier(len(calls))
    # Until its thread sets it: a call that never ended must not pass for one that returned None.
    outcomes = [NOT_ENDED] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            outcomes[index] = call()
        except Exception as error:  # pylint: disable=broad-exception-caught
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index, call)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    hung = [index for index, thread in enumerate(threads) if thread.is_alive()]
    assert not hung, f"calls {hung} did not end within 120 s (a deadlock?)"
    assert NOT_ENDED not in outcomes, outcomes
    return outcomes


def unexpected(outcomes):
    return [outcome for outcome in outcomes if isinstance(outcome, Exception) and not isinstance(outcome, REFUSALS)]


@pytest.fixture
def team():
    host.create_course(COURSE, title="Races", chapters=("One", "Two"), leaves_per_chapter=2)
    staff = host.create_user("race_staff")
    host.grant_role(staff, COURSE, "staff")
    return staff


def attempts_are_consistent():
    """
    What is wrong with the attempts of the course's assignments: numbers 1..n, one open attempt, the
    latest, and it is the current one.
    """
    problems = []
    for assignment in Assignment.objects.filter(course_key=COURSE):
        attempts = list(Attempt.objects.filter(assignment=assignment).order_by("number"))
        numbers = [attempt.number for attempt in attempts]
        open_attempts = [attempt.pk for attempt in attempts if attempt.closed_at is None]
        if numbers != list(range(1, len(numbers) + 1)):
            problems.append((assignment.learner_id, "numbers", numbers))
        if open_attempts != [attempts[-1].pk] or assignment.current_attempt_id != attempts[-1].pk:
            problems.append((assignment.learner_id, "current", open_attempts, assignment.current_attempt_id))
    return problems


def events(kind):
    return Counter(
        HistoryEvent.objects.filter(course_key=COURSE, kind=kind).values_list("learner__user__username", flat=True)
    )


def test_reset_and_mark_complete_racing_on_the_same_learners(team, cases):
    usernames = [f"racer{number}" for number in range(12)]
    ids = host.create_users({"username": name} for name in usernames)
    api.assign_course(COURSE, usernames, actor=team)
    host.bulk_set_progress(COURSE, dict.fromkeys(ids, ONE_LEAF))
    resets, completions = Counter(), Counter()
    failures = []

    def count(outcome, tally, username=None):
        if username is not None and not isinstance(outcome, Exception):
            tally[username] += 1
        elif hasattr(outcome, "done"):
            tally.update(outcome.done)

    for _round in range(8):
        # Two mass actions over everyone and two learners one by one, all at once.
        outcomes = run_together(
            lambda: api.run_mass_action(COURSE, "reset_progress", usernames, actor=team),
            lambda: api.run_mass_action(COURSE, "mark_complete", usernames, actor=team),
            lambda: api.reset_progress(COURSE, usernames[0], actor=team),
            lambda: api.mark_complete(COURSE, usernames[0], actor=team),
            lambda: api.mark_complete(COURSE, usernames[1], actor=team),
        )
        cases.tried(len(outcomes))
        failures += unexpected(outcomes)
        count(outcomes[0], resets)
        count(outcomes[1], completions)
        count(outcomes[2], resets, usernames[0])
        count(outcomes[3], completions, usernames[0])
        count(outcomes[4], completions, usernames[1])

    cases.failed(len(failures))
    assert not failures, failures
    assert attempts_are_consistent() == []
    # Every change reported done is in the history exactly once, and nothing else is.
    assert events(HistoryKind.PROGRESS_RESET) == resets
    assert events(HistoryKind.COMPLETED) == completions
    for assignment in Assignment.objects.filter(course_key=COURSE).select_related("current_attempt"):
        assert assignment.current_attempt.number == 1 + resets[assignment.learner.user.username]
        assert (assignment.status == "completed") == (assignment.current_attempt.completed_at is not None)


def test_marking_the_same_learner_complete_twice_at_once_completes_once(team, cases):
    host.create_users({"username": f"twice{number}"} for number in range(6))
    api.assign_course(COURSE, [f"twice{number}" for number in range(6)], actor=team)
    for number in range(6):
        outcomes = run_together(*[lambda name=f"twice{number}": api.mark_complete(COURSE, name, actor=team)] * 3)
        cases.tried(len(outcomes))
        assert not unexpected(outcomes), outcomes
        assert sum(not isinstance(outcome, Exception) for outcome in outcomes) == 1
    assert set(events(HistoryKind.COMPLETED).values()) == {1}


@pytest.mark.parametrize("known", [False, True], ids=["new-learners", "known-learners"])
def test_the_same_import_twice_at_once(team, known, cases):
    # Only learners not assigned yet can race (once assigned, an import updates them): each round
    # imports a file of its own learners three times at once.
    rounds, size = 6, 15
    other = host.create_course("course-v1:Race+Elsewhere+2026", title="Elsewhere")
    for round_number in range(rounds):
        usernames = [f"imported{round_number}_{number}" for number in range(size)]
        host.create_users({"username": name} for name in usernames)
        if known:
            # In the plugin's directory already (assigned another course), so that nothing else
            # serialises the imports before they assign this course.
            api.assign_course(other, usernames, actor=team)
        data = ("email,username,employee_id,due_date\n" + "".join(f",{name},,\n" for name in usernames)).encode()
        outcomes = run_together(*[lambda data=data: api.import_assignments(COURSE, data, actor=team)] * 3)
        cases.tried(len(outcomes))
        failures = unexpected(outcomes)
        cases.failed(len(failures))
        assert not failures, failures
        for result in outcomes:
            assert result.imported + result.failed == size, result
        # One of them assigned each learner; the others updated the same assignment.
        assert sorted(result.assigned for result in outcomes) == [0, 0, size]

    everyone = [f"imported{round_number}_{number}" for round_number in range(rounds) for number in range(size)]
    assert Assignment.objects.filter(course_key=COURSE).count() == len(everyone)
    assert attempts_are_consistent() == []
    assert set(Attempt.objects.filter(assignment__course_key=COURSE).values_list("number", flat=True)) == {1}
    assert events(HistoryKind.ASSIGNED) == Counter(everyone)
    assert events(HistoryKind.ASSIGNMENT_UPDATED) == Counter(everyone * 2)


def test_two_seat_changes_into_a_session_with_one_seat_left(team, cases):
    api.update_course_settings(COURSE, kind="ilt")
    usernames = ["holder"] + [f"seeker{number}" for number in range(8)]
    host.create_users({"username": name} for name in usernames)
    api.assign_course(COURSE, usernames, actor=team)
    start = timezone.now() + datetime.timedelta(days=5)
    session = api.create_session(COURSE, title="Two seats", start=start, end=start, capacity=2)
    other = api.create_session(COURSE, title="Roomy", start=start, end=start)
    api.change_session(COURSE, "holder", actor=team, session_id=session.id)
    seekers = usernames[1:]

    for pair in range(0, len(seekers), 2):
        first, second = seekers[pair : pair + 2]
        outcomes = run_together(
            lambda first=first: api.change_session(COURSE, first, actor=team, session_id=session.id),
            lambda second=second: api.change_session(COURSE, second, actor=team, session_id=session.id),
            lambda pair=(second, first): api.run_mass_action(
                COURSE, "change_session", list(pair), actor=team, session_id=session.id
            ),
        )
        cases.tried(len(outcomes))
        assert not unexpected(outcomes), outcomes
        taken = Seat.objects.filter(session_id=session.id, current=True).count()
        assert taken == 2, taken
        # Exactly one of the two got the last seat: move them on, so the next pair races for it again.
        seated = Seat.objects.filter(session_id=session.id, current=True).exclude(learner__user__username="holder")
        (winner,) = seated.values_list("learner__user__username", flat=True)
        api.change_session(COURSE, winner, actor=team, session_id=other.id)

    assert api.get_session(COURSE, session.id).seats_taken == 1
    # Each seat change written once: a "session changed" event per seat ever taken.
    assert sum(events(HistoryKind.SESSION_CHANGED).values()) == Seat.objects.filter(course_key=COURSE).count()


def test_learners_booking_the_last_seat_at_once_never_exceed_the_capacity(team, cases):
    api.update_course_settings(COURSE, kind="ilt")
    usernames = [f"booker{number}" for number in range(6)]
    learners = {user.username: user for user in (host.create_user(name) for name in usernames)}
    api.assign_course(COURSE, usernames, actor=team)
    start = timezone.now() + datetime.timedelta(days=5)
    session = api.create_session(COURSE, title="Last seats", start=start, end=start, capacity=2)

    outcomes = run_together(
        *(lambda user=user: api.book_my_session(user, COURSE, session.id) for user in learners.values())
    )

    cases.tried(len(outcomes))
    assert not unexpected(outcomes), outcomes
    booked = [outcome for outcome in outcomes if not isinstance(outcome, Exception)]
    refused = [outcome for outcome in outcomes if isinstance(outcome, Conflict)]
    assert (len(booked), len(refused)) == (2, 4), outcomes
    assert {str(error) for error in refused} == {"'Last seats' is full; choose another session."}
    assert Seat.objects.filter(session_id=session.id, current=True).count() == 2
    # Each booking written once, as the learner's own act.
    assert sum(events(HistoryKind.SESSION_BOOKED).values()) == 2
