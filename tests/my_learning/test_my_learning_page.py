"""
The learner's My Learning page (``/learner_mgmt/my-learning/``): only the signed-in user's own
assignments, Required first, and the forms with which they book, change or cancel their seat.
"""

import datetime
import re

import pytest
from django.test import Client
from django.utils import timezone

from learner_mgmt_plugin import api
from learner_mgmt_plugin.data import HistoryKind
from learner_mgmt_plugin.models import Seat
from test_utils.snapshots import snapshot

pytestmark = pytest.mark.django_db

URL = "/learner_mgmt/my-learning/"


def session_url(course_key):
    return f"/learner_mgmt/my-learning/{course_key}/session/"


@pytest.fixture
def pat(course, other_course, ilt_course, staff, make_learner):
    learner = make_learner("pat")
    api.assign_course(other_course, ["pat"], actor=staff, required=False, message="Worth a look.")
    api.assign_course(course, ["pat"], actor=staff, due_date=timezone.localdate() + datetime.timedelta(days=5))
    api.assign_course(ilt_course, ["pat"], actor=staff)
    return learner


def titles(html):
    return re.findall(r'class="lm-course__title"[^>]*><a href="[^"]+">([^<]+)</a>', html)


def test_anonymous_users_are_sent_to_sign_in(client):
    response = client.get(URL)
    assert (response.status_code, response["Location"]) == (302, f"/login/?next={URL}")


def test_a_learner_sees_their_courses_required_first_with_tags_status_and_message(client, pat, make_learner):
    client.force_login(pat)
    html = client.get(URL).content.decode()

    assert titles(html) == ["Learner Management 101", "Instructor-led 101", "Learner Management 202"]
    assert re.search(r'lm-tag--required">Required · Due [^<]+<', html)
    assert 'lm-tag--optional">Optional<' in html
    assert "Worth a look." in html
    assert html.count('lm-badge--not_started">Not Started<') == 3
    # The ILT course: no seat yet, and the sessions to book.
    assert "You are not booked in a session." in html


def test_nobody_elses_assignments_and_staff_see_their_own(client, course, pat, staff, make_learner):
    other = make_learner("quinn")
    client.force_login(other)
    assert "No courses are assigned to you." in client.get(URL).content.decode()

    # Staff viewing the course as a learner (the LMS keeps that masquerade in the session, for the
    # courseware only): this page is still about themselves, whom nothing is assigned to.
    client.force_login(staff)
    session = client.session
    session["masquerade_settings"] = {str(course): {"role": "student", "user_name": "pat"}}
    session.save()
    html = client.get(URL).content.decode()
    assert "No courses are assigned to you." in html and "Learner Management 101" not in html
    # Nothing in the address names someone else.
    assert "Learner Management 101" not in client.get(URL, {"user": "pat", "username": "pat"}).content.decode()


def test_booking_changing_and_cancelling_from_the_page(client, ilt_course, sessions, pat):
    client.force_login(pat)
    html = client.get(URL).content.decode()
    assert "Book a session" in html and f'value="{sessions["upcoming"].id}"' in html
    assert f'value="{sessions["recent"].id}"' not in html  # never a past one

    response = client.post(session_url(ilt_course), {"action": "book", "session_id": sessions["upcoming"].id})

    assert response.status_code == 302
    assert response["Location"].startswith(URL + "#course-course-v1-testx-ilt101-2026")
    page = client.get(URL).content.decode()
    assert "You are booked in &#x27;Upcoming&#x27;." in page
    assert "<strong>Upcoming</strong>" in page and "Cancel my booking" in page and "Change to another session" in page
    assert api.get_history(ilt_course, "pat").events[0].kind == HistoryKind.SESSION_BOOKED

    client.post(session_url(ilt_course), {"action": "cancel"})
    assert "Your booking in Instructor-led 101 is cancelled." in client.get(URL).content.decode()
    assert not Seat.objects.filter(learner_id=pat.pk, current=True).exists()


def test_a_refused_booking_says_why_and_changes_nothing(client, ilt_course, sessions, staff, make_learner, pat):
    make_learner("sam")
    api.assign_course(ilt_course, ["sam"], actor=staff)
    api.change_session(ilt_course, "sam", actor=staff, session_id=sessions["tiny"].id)
    client.force_login(pat)
    before = snapshot()

    for data in ({"action": "book", "session_id": sessions["tiny"].id}, {"action": "book"}, {"action": "fly"}):
        assert client.post(session_url(ilt_course), data).status_code == 302
    page = client.get(URL).content.decode()

    assert "&#x27;Tiny&#x27; is full; choose another session." in page
    assert "Choose the session to book." in page
    assert "Choose to book a session or to cancel your booking." in page
    assert snapshot() == before


def test_forms_need_the_csrf_token(ilt_course, sessions, pat):
    client = Client(enforce_csrf_checks=True)
    client.force_login(pat)
    before = snapshot()
    response = client.post(session_url(ilt_course), {"action": "book", "session_id": sessions["upcoming"].id})
    assert response.status_code == 403
    assert snapshot() == before
