"""
The learner's own side (SPEC section 9): their assignments with what a course card needs, and the
seats they book, change or cancel themselves in ILT courses.
"""

import datetime

import pytest
from django.utils import timezone
from django.utils.formats import date_format

from devhost.lms import api as host
from learner_mgmt_plugin import api
from learner_mgmt_plugin.data import CourseKind, HistoryKind, LearnerStatus, SeatState, TagVariant
from learner_mgmt_plugin.exceptions import Conflict, InvalidInput, NotFound, SessionNotFound
from learner_mgmt_plugin.models import Assignment, IltSession, Seat
from test_utils.snapshots import snapshot


def in_days(days):
    return timezone.localdate() + datetime.timedelta(days=days)


@pytest.fixture
def pat(course, other_course, ilt_course, staff, make_learner):
    """
    Pat: the self-paced course required and due in ten days, the other optional, the ILT course
    required without a date.
    """
    learner = make_learner("pat")
    api.assign_course(course, ["pat"], actor=staff, due_date=in_days(10), message="Before the audit.")
    api.assign_course(other_course, ["pat"], actor=staff, required=False)
    api.assign_course(ilt_course, ["pat"], actor=staff, required=True)
    return learner


class TestMyAssignments:
    def test_required_first_by_due_date_each_with_what_a_card_needs(self, course, other_course, ilt_course, pat):
        mine = api.list_my_assignments(pat)

        assert [item.course_key for item in mine] == [str(course), str(ilt_course), str(other_course)]
        first = mine[0]
        assert (first.course_title, first.kind, first.required, first.due_date) == (
            "Learner Management 101",
            CourseKind.SELF_PACED,
            True,
            in_days(10),
        )
        assert first.course_url.endswith(f"/courses/{course}/course/")
        assert first.tag.variant == TagVariant.REQUIRED
        assert first.tag.label == f"Required · Due {date_format(in_days(10), 'DATE_FORMAT')}"
        assert (first.status, first.status_label, first.message) == (
            LearnerStatus.NOT_STARTED,
            "Not Started",
            "Before the audit.",
        )
        assert [(item.tag.label, item.tag.variant) for item in mine[1:]] == [
            ("Required", TagVariant.REQUIRED),
            ("Optional", TagVariant.OPTIONAL),
        ]

    def test_overdue_outweighs_required(self, course, pat):
        # A due date that has passed (the API refuses to set one in the past).
        Assignment.objects.filter(course_key=course).update(due_date=in_days(-2))
        [item] = [item for item in api.list_my_assignments(pat) if item.course_key == str(course)]
        assert (item.overdue, item.tag.label, item.tag.variant) == (True, "Overdue", TagVariant.OVERDUE)

    def test_an_ilt_course_offers_the_upcoming_sessions_with_a_free_seat(
        self, ilt_course, sessions, staff, make_learner, pat
    ):
        # The one seat of "Tiny" is taken.
        make_learner("sam")
        api.assign_course(ilt_course, ["sam"], actor=staff)
        api.change_session(ilt_course, "sam", actor=staff, session_id=sessions["tiny"].id)

        [item] = [item for item in api.list_my_assignments(pat) if item.kind == CourseKind.ILT]

        assert (item.session, item.can_book) == (None, True)
        offers = [(offer.title, offer.seats_left) for offer in item.bookable_sessions]
        assert offers == [("Upcoming", 10), ("Later", None)]

    def test_costs_a_fixed_number_of_queries(self, pat, sessions, django_assert_max_num_queries):
        with django_assert_max_num_queries(6):
            assert len(api.list_my_assignments(pat)) == 3

    def test_a_course_the_learner_enrolled_in_on_their_own_is_theirs_once_assigned(self, course, staff, make_learner):
        learner = make_learner("sol")
        host.enroll(learner, course)
        # The course team sees them (optional, assigned by nobody); the learner has nothing assigned.
        assert api.get_learner(course, "sol").assigned_by is None
        assert api.list_my_assignments(learner) == []

        api.assign_course(course, ["sol"], actor=staff, required=True)

        [item] = api.list_my_assignments(learner)
        assert (item.course_key, item.required) == (str(course), True)

    def test_a_learner_with_nothing_assigned_has_an_empty_list(self, db, make_learner):
        assert api.list_my_assignments(make_learner("nobody")) == []


class TestBooking:
    def test_booking_seats_the_learner_as_their_own_act(
        self, ilt_course, sessions, pat, sent_signals, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            item = api.book_my_session(pat, ilt_course, sessions["upcoming"].id)

        assert (item.status, item.session.title) == (LearnerStatus.ENROLLED, "Upcoming")
        assert "Upcoming" not in [offer.title for offer in item.bookable_sessions]
        event = api.get_history(ilt_course, "pat").events[0]
        assert (event.kind, event.actor) == (HistoryKind.SESSION_BOOKED, "pat")
        assert event.details["session_title"] == "Upcoming"
        assert ("SESSION_CHANGED", True) in [
            (name, kwargs["details"].get("by_learner")) for name, kwargs in sent_signals
        ]

    def test_changing_moves_the_seat_and_cancelling_frees_it(self, ilt_course, sessions, pat):
        api.book_my_session(pat, ilt_course, sessions["upcoming"].id)
        item = api.book_my_session(pat, ilt_course, sessions["later"].id)
        assert item.session.title == "Later"
        assert Seat.objects.filter(learner_id=pat.pk, current=True).count() == 1

        item = api.cancel_my_session(pat, ilt_course)

        assert (item.session, item.status) == (None, LearnerStatus.NOT_STARTED)
        assert Seat.objects.get(learner_id=pat.pk, session_id=sessions["later"].id).state == SeatState.CANCELLED
        assert api.get_history(ilt_course, "pat").events[0].kind == HistoryKind.SESSION_CANCELLED

    def test_a_learner_marked_no_show_can_book_again(self, ilt_course, sessions, staff, pat):
        api.book_my_session(pat, ilt_course, sessions["upcoming"].id)
        api.mark_no_show(ilt_course, "pat", actor=staff)

        item = api.book_my_session(pat, ilt_course, sessions["later"].id)

        assert (item.status, item.session.title) == (LearnerStatus.ENROLLED, "Later")

    @pytest.mark.parametrize(
        ("session", "message"),
        [
            ("recent", "'Recent' has already started; choose an upcoming session."),
            ("tiny", "'Tiny' is full; choose another session."),
        ],
    )
    def test_past_and_full_sessions_are_refused_and_nothing_changes(
        self, ilt_course, sessions, staff, make_learner, pat, session, message
    ):
        make_learner("sam")
        api.assign_course(ilt_course, ["sam"], actor=staff)
        api.change_session(ilt_course, "sam", actor=staff, session_id=sessions["tiny"].id)
        before = snapshot()

        with pytest.raises(Conflict) as refused:
            api.book_my_session(pat, ilt_course, sessions[session].id)

        assert refused.value.message == message
        assert snapshot() == before

    def test_a_session_that_has_started_but_not_ended_is_refused_too(self, ilt_course, pat):
        now = timezone.now()
        running = IltSession.objects.create(
            course_key=ilt_course,
            title="Now",
            start=now - datetime.timedelta(hours=1),
            end=now + datetime.timedelta(hours=1),
        )
        with pytest.raises(Conflict):
            api.book_my_session(pat, ilt_course, running.pk)

    def test_what_cannot_be_booked(self, course, ilt_course, other_course, sessions, staff, make_learner, pat):
        with pytest.raises(Conflict) as no_sessions:
            api.book_my_session(pat, course, sessions["upcoming"].id)
        assert no_sessions.value.message == "This course has no sessions to book."

        with pytest.raises(NotFound):
            api.book_my_session(make_learner("stranger"), ilt_course, sessions["upcoming"].id)
        with pytest.raises(SessionNotFound):
            api.book_my_session(pat, ilt_course, 987654)
        with pytest.raises(InvalidInput):
            api.book_my_session(pat, ilt_course, "upcoming")
        with pytest.raises(Conflict) as nothing_booked:
            api.cancel_my_session(pat, ilt_course)
        assert nothing_booked.value.message == "You have no session booked in this course."

        api.mark_complete(ilt_course, "pat", actor=staff)
        with pytest.raises(Conflict) as completed:
            api.book_my_session(pat, ilt_course, sessions["upcoming"].id)
        assert completed.value.message == "You have completed this course: there is no session left to book."
        [item] = [item for item in api.list_my_assignments(pat) if item.kind == CourseKind.ILT]
        assert (item.can_book, item.bookable_sessions) == (False, ())

    def test_a_seat_in_a_session_that_has_started_cannot_be_cancelled(self, ilt_course, sessions, staff, pat):
        api.change_session(ilt_course, "pat", actor=staff, session_id=sessions["recent"].id)
        with pytest.raises(Conflict) as refused:
            api.cancel_my_session(pat, ilt_course)
        assert refused.value.message == "'Recent' has already started; ask the course team to change it."
