"""
Tests of ``DEVHOST_ENROLLMENT=platform``: the development host enrolling one learner at a time at the
platform's per-learner cost, with the same outcome as its set-based (``fast``) enrollment.
"""

import pytest
from openedx_events.learning import signals

from devhost.lms import api
from devhost.lms.models import (
    CourseEnrollment,
    CourseEnrollmentAllowed,
    CourseEnrollmentHistory,
    ForumRole,
    ManualEnrollmentAudit,
    ManualEnrollmentAuditHistory,
    Schedule,
)
from test_utils.filters import RefuseBlockedUsers, filters_config

pytestmark = pytest.mark.django_db

ENROLLMENT_CHANGED = signals.COURSE_ENROLLMENT_CHANGED.event_type
ENROLLMENT_CREATED = signals.COURSE_ENROLLMENT_CREATED.event_type

# Statements per learner newly enrolled with a reason (devhost.lms.platform_enrollment's docstring):
# 2 enrollment SELECTs; SAVEPOINT, INSERT enrollment, INSERT history, forum role SELECT and INSERT,
# course SELECT, 3 schedule INSERTs, RELEASE; enrollment-allowed UPDATE; enrollment UPDATE, INSERT
# history, forum role SELECT and INSERT; user and profile SELECT; 2 audit INSERTs.
PER_LEARNER = 20


@pytest.fixture
def platform_enrollment(settings):
    settings.DEVHOST_ENROLLMENT = "platform"


def enroll_blocked_and_others(course_key, make_users, settings, actor, blocked_name):
    """
    Enroll (with a reason, as the plugin's adapter does) one learner already active, one inactive, one
    refused by the enrollment filter and two new ones; return the refusals and what was stored.
    """
    settings.OPEN_EDX_FILTERS_CONFIG = filters_config(CourseEnrollmentStarted=RefuseBlockedUsers)
    active, inactive, new, newer = make_users(4)
    blocked = api.create_user(blocked_name).pk
    api.bulk_enroll(course_key, [active, inactive])
    api.unenroll(inactive, course_key)

    refused = api.bulk_enroll(
        course_key, [active, inactive, new, newer, blocked], mode="honor", enrolled_by=actor, reason="Assigned"
    )

    enrollments = CourseEnrollment.objects.filter(course_key=course_key).order_by("user_id")
    audits = ManualEnrollmentAudit.objects.filter(enrollment__course_key=course_key).order_by("enrollment__user_id")
    return (
        refused,
        list(enrollments.values_list("user_id", "is_active", "mode")),
        list(
            audits.values_list("enrollment__user_id", "enrolled_by_id", "enrolled_email", "state_transition", "reason")
        ),
    )


def test_the_platform_path_stores_and_refuses_what_the_fast_path_does(
    devhost_course, make_users, settings, captured_events
):
    actor = api.create_user("admin", is_staff=True).pk
    fast = enroll_blocked_and_others(devhost_course, make_users, settings, actor, "blocked_bo")
    fast_events = [(kind, payload["enrollment"]) for kind, payload in captured_events]
    other_course = api.create_course("course-v1:TestX+Other+2025")
    captured_events.clear()

    settings.DEVHOST_ENROLLMENT = "platform"
    platform = enroll_blocked_and_others(other_course, make_users, settings, actor, "blocked_cy")
    platform_events = [(kind, payload["enrollment"]) for kind, payload in captured_events]

    def renumbered(result, events):
        # The second run's learners are the first run's, numbered four users on.
        (refused, enrollments, audits) = result
        first = min(user_id for user_id, *_ in enrollments)
        return (
            {user_id - first: reason for user_id, reason in refused.items()},
            [(user_id - first, *rest) for user_id, *rest in enrollments],
            [(user_id - first, actor_id, *rest) for user_id, actor_id, _, *rest in audits],
            # Learner by learner, not set by set: the same events, in another order across learners.
            sorted((data.user.id - first, kind, data.mode, data.is_active) for kind, data in events),
        )

    assert renumbered(platform, platform_events) == renumbered(fast, fast_events)
    refused, enrollments, audits = platform
    assert list(refused.values()) == ["Enrollment is closed for this learner."]
    assert [(active, mode) for _, active, mode in enrollments] == [(True, "audit")] + [(True, "honor")] * 3
    assert {(transition, reason) for *_, transition, reason in audits} == {("from unenrolled to enrolled", "Assigned")}
    assert [kind for kind, _ in platform_events[-6:]] == [ENROLLMENT_CHANGED, ENROLLMENT_CREATED] * 3


def test_each_learner_leaves_the_rows_the_platform_writes(devhost_course, make_users, platform_enrollment):
    actor = api.create_user("admin", is_staff=True).pk
    (user_id,) = make_users(1)
    CourseEnrollmentAllowed.objects.create(email="learner1@example.com", course_key=devhost_course)

    api.bulk_enroll(devhost_course, [user_id], enrolled_by=actor, reason="Assigned")

    enrollment = CourseEnrollment.objects.get(user_id=user_id, course_key=devhost_course)
    history = CourseEnrollmentHistory.objects.filter(id=enrollment.pk).order_by("history_date")
    assert list(history.values_list("history_type", "is_active", "mode", "history_user_id")) == [
        ("+", False, "audit", actor),
        ("~", True, "audit", actor),
    ]
    assert CourseEnrollmentAllowed.objects.get().user_id == user_id
    assert list(
        ForumRole.objects.get(course_key=devhost_course, name="Student").users.values_list("pk", flat=True)
    ) == [user_id]
    assert Schedule.objects.get(enrollment=enrollment).experience.experience_type == 0
    audit = ManualEnrollmentAudit.objects.get(enrollment=enrollment)
    assert ManualEnrollmentAuditHistory.objects.filter(id=audit.pk, enrolled_email="learner1@example.com").exists()


def test_reenrolling_an_inactive_enrollment_reactivates_it(
    devhost_course, make_users, captured_events, platform_enrollment
):
    (user_id,) = make_users(1)
    api.enroll(user_id, devhost_course)
    created = CourseEnrollment.objects.get(user_id=user_id).created
    api.unenroll(user_id, devhost_course)
    captured_events.clear()

    api.enroll(user_id, devhost_course, mode="honor")

    enrollment = CourseEnrollment.objects.get(user_id=user_id)
    assert (enrollment.is_active, enrollment.mode, enrollment.created) == (True, "honor", created)
    assert [(kind, payload["enrollment"].creation_date) for kind, payload in captured_events] == [
        (ENROLLMENT_CHANGED, created),
        (ENROLLMENT_CREATED, created),
    ]
    # Reactivated, not created again: no second schedule, a third history row ("+", "~", then "~").
    assert Schedule.objects.filter(enrollment=enrollment).count() == 1
    history = CourseEnrollmentHistory.objects.filter(id=enrollment.pk).order_by("history_date")
    assert list(history.values_list("history_type", flat=True)) == [
        "+",
        "~",
        "~",
    ]


@pytest.mark.usefixtures("captured_events")  # the plugin's receivers of the events query too
class TestQueries:
    @staticmethod
    def count_queries(course_key, user_ids, django_assert_num_queries, expected):
        with django_assert_num_queries(expected) as captured:
            api.bulk_enroll(course_key, user_ids, mode="audit", enrolled_by=None, reason="Assigned")
        return len(captured)

    @pytest.mark.parametrize("count", [1, 3])
    def test_the_platform_path_costs_a_fixed_number_of_queries_per_learner(
        self, devhost_course, make_users, count, django_assert_num_queries, platform_enrollment
    ):
        user_ids = make_users(count)

        # course, users, active enrollments, then each learner's statements
        self.count_queries(devhost_course, user_ids, django_assert_num_queries, 3 + PER_LEARNER * count)

        assert CourseEnrollment.objects.filter(course_key=devhost_course, is_active=True).count() == count

    @pytest.mark.parametrize("count", [1, 3])
    def test_the_fast_path_stays_constant(self, devhost_course, make_users, count, django_assert_num_queries):
        # course, savepoint pair, existing enrollments, insert, audit rows and insert, users for the events
        self.count_queries(devhost_course, make_users(count), django_assert_num_queries, 8)
