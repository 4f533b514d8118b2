"""
The status rules, the action matrix (checked cell by cell against SPEC section 3) and the terms of an assignment.
"""

import datetime

import pytest

from learner_mgmt_plugin import rules
from learner_mgmt_plugin.data import Action, AssignmentTerms, CourseKind, LearnerStatus, MassAction, TagVariant
from test_utils.spec import CO, EN, IP, NS, SPEC_TABLE, ST

A = Action


# A context in which every condition beyond the status holds, for the action at hand.
def permissive(action):
    return rules.ActionContext(
        course_kind=CourseKind.ILT,
        has_quiz=True,
        has_scorm=True,
        viewer_is_admin=True,
        learner_is_staff=False,
        has_certificate=action == A.REMOVE_CERTIFICATE,
        certificate_url="https://lms.example.com/certificates/c0ffee" if action == A.VIEW_CERTIFICATE else "",
    )


@pytest.mark.parametrize("action", list(SPEC_TABLE))
@pytest.mark.parametrize("status", list(LearnerStatus))
def test_every_cell_of_the_matrix(action, status):
    assert rules.is_allowed(action, status, permissive(action)) is (status in SPEC_TABLE[action])


def test_the_menu_never_offers_the_mass_only_action():
    for status in LearnerStatus:
        assert A.MARK_INCOMPLETE not in rules.allowed_actions(status, permissive(A.MARK_INCOMPLETE))
    assert rules.is_allowed(A.MARK_INCOMPLETE, CO, permissive(A.MARK_INCOMPLETE))
    assert not rules.is_allowed(A.MARK_INCOMPLETE, IP, permissive(A.MARK_INCOMPLETE))


def test_a_mass_action_says_why_it_passes_a_learner_by_from_their_status_and_its_label():
    assert rules.mass_skip_reason(MassAction.MARK_COMPLETE, CO, 100) == (
        "Already completed: Mark as Complete does not apply."
    )
    assert rules.mass_skip_reason(MassAction.MARK_INCOMPLETE, IP, 42) == (
        "In progress (42% completed): Mark as Incomplete does not apply."
    )
    assert rules.mass_skip_reason(MassAction.RESET_PROGRESS, NS, 0) == "Not started yet: Reset progress does not apply."
    assert rules.mass_skip_reason(MassAction.CHANGE_SESSION, ST, 5) == (
        "Already started: Add/Change Session does not apply."
    )
    assert rules.mass_skip_reason(MassAction.RESET_PROGRESS, EN, 0) == (
        "Seated in a session: Reset progress does not apply."
    )


def context(**changes):
    base = dict(
        course_kind=CourseKind.SELF_PACED,
        has_quiz=False,
        has_scorm=False,
        viewer_is_admin=False,
        learner_is_staff=False,
        has_certificate=False,
        certificate_url="",
    )
    return rules.ActionContext(**{**base, **changes})


@pytest.mark.parametrize(
    "ctx, offered",
    [
        (context(), False),
        (context(has_scorm=True), False),
        (context(viewer_is_admin=True), False),
        (context(has_scorm=True, viewer_is_admin=True), True),
    ],
)
def test_scorm_activity_only_for_admins_in_scorm_courses(ctx, offered):
    assert (A.VIEW_SCORM_ACTIVITY in rules.allowed_actions(ST, ctx)) is offered


def test_quiz_insights_only_with_a_quiz_chapter():
    assert A.VIEW_QUIZ_INSIGHTS not in rules.allowed_actions(IP, context())
    assert A.VIEW_QUIZ_INSIGHTS in rules.allowed_actions(IP, context(has_quiz=True))


def test_make_instructor_hidden_for_course_staff():
    assert A.MAKE_INSTRUCTOR in rules.allowed_actions(NS, context())
    assert A.MAKE_INSTRUCTOR not in rules.allowed_actions(NS, context(learner_is_staff=True))


def test_change_session_only_in_ilt_courses():
    assert A.CHANGE_SESSION not in rules.allowed_actions(NS, context())
    assert A.CHANGE_SESSION in rules.allowed_actions(NS, context(course_kind=CourseKind.ILT))


def test_certificate_action_is_whichever_applies():
    without = rules.allowed_actions(CO, context())
    with_certificate = rules.allowed_actions(CO, context(has_certificate=True))
    assert A.GENERATE_CERTIFICATE in without and A.REMOVE_CERTIFICATE not in without
    assert A.REMOVE_CERTIFICATE in with_certificate and A.GENERATE_CERTIFICATE not in with_certificate


def test_a_certificate_is_viewed_where_the_lms_has_its_page():
    assert A.VIEW_CERTIFICATE not in rules.allowed_actions(CO, context(has_certificate=True))
    viewable = context(has_certificate=True, certificate_url="https://lms.example.com/certificates/c0ffee")
    assert A.VIEW_CERTIFICATE in rules.allowed_actions(CO, viewable)


def facts(**changes):
    base = dict(completed=False, started=False, progress=0, ilt=False, seated=False)
    return rules.StatusFacts(**{**base, **changes})


@pytest.mark.parametrize(
    "learner, threshold, status",
    [
        (facts(), 0, NS),
        (facts(started=True), 0, ST),
        (facts(started=True, progress=1), 0, IP),
        (facts(started=True, progress=10), 10, ST),
        (facts(started=True, progress=11), 10, IP),
        (facts(ilt=True, seated=True), 0, EN),
        (facts(ilt=True, seated=True, started=True, progress=50), 0, EN),
        (facts(ilt=False, seated=True), 0, NS),
        (facts(completed=True, ilt=True, seated=True, progress=30), 0, CO),
        (facts(completed=True), 0, CO),
    ],
)
def test_status_is_the_first_rule_that_matches(learner, threshold, status):
    assert rules.derive_status(learner, threshold) == status


@pytest.mark.parametrize(
    "status, progress, label",
    [
        (CO, 100, "Completed"),
        (EN, 0, "Enrolled"),
        (IP, 42, "42% Completed"),
        (ST, 0, "Started"),
        (NS, 0, "Not Started"),
    ],
)
def test_status_labels_are_the_seed_pages(status, progress, label):
    assert rules.status_label(status, progress) == label


def test_each_kind_has_the_statuses_its_rules_can_give_in_the_order_a_learner_goes_through_them():
    assert rules.STATUSES_BY_KIND == {
        CourseKind.SELF_PACED: (NS, ST, IP, CO),
        CourseKind.ILT: (NS, ST, IP, EN, CO),
    }


TODAY = datetime.date(2026, 12, 3)
DUE = datetime.date(2027, 1, 15)
LATER = datetime.date(2027, 2, 1)
PASSED = datetime.date(2026, 11, 1)


@pytest.mark.parametrize(
    ("required", "due_date", "terms"),
    [
        (None, None, (False, None)),
        (True, None, (True, None)),
        (None, DUE, (True, DUE)),
        (True, DUE, (True, DUE)),
    ],
)
def test_a_new_learner_gets_the_terms_as_asked_optional_unless_said_or_dated(required, due_date, terms):
    given = rules.first_terms(required, due_date, "Hello")
    assert (given.required, given.due_date, given.message) == (*terms, "Hello")


@pytest.mark.parametrize(
    ("current", "asked", "new_attempt", "terms"),
    [
        # Left out, kept: no silent change.
        ((True, DUE, "Old"), (None, None, ""), False, (True, DUE, "Old")),
        ((False, None, "Old"), (None, None, ""), False, (False, None, "Old")),
        # "Required" without a date keeps the date; a new date replaces it; a new message replaces it.
        ((True, DUE, "Old"), (True, None, ""), False, (True, DUE, "Old")),
        ((True, DUE, "Old"), (True, LATER, "New"), False, (True, LATER, "New")),
        # A date makes an optional course required; "optional" drops the date.
        ((False, None, ""), (None, DUE, ""), False, (True, DUE, "")),
        ((True, DUE, ""), (False, None, ""), False, (False, None, "")),
        # A new attempt keeps a date still to come and drops one that has passed, staying required.
        ((True, DUE, ""), (None, None, ""), True, (True, DUE, "")),
        ((True, PASSED, ""), (None, None, ""), True, (True, None, "")),
        ((True, PASSED, ""), (None, LATER, ""), True, (True, LATER, "")),
        # On the same attempt a passed date stays until someone changes it.
        ((True, PASSED, ""), (None, None, ""), False, (True, PASSED, "")),
    ],
)
def test_a_current_learner_keeps_what_the_assignment_leaves_out(current, asked, new_attempt, terms):
    given = rules.renewed_terms(AssignmentTerms(*current), *asked, new_attempt=new_attempt, today=TODAY)
    assert (given.required, given.due_date, given.message) == terms


def test_changed_terms_name_the_fields_that_differ():
    current = AssignmentTerms(True, DUE, "Old")
    assert rules.changed_terms(current, AssignmentTerms(True, DUE, "Old")) == ()
    assert rules.changed_terms(current, AssignmentTerms(False, None, "Old")) == ("required", "due_date")
    assert rules.changed_terms(current, AssignmentTerms(True, DUE, "New")) == ("message",)


@pytest.mark.parametrize(
    ("required", "due_date", "overdue", "tag"),
    [
        (True, None, False, ("Required", TagVariant.REQUIRED)),
        (True, DUE, False, ("Required · Due Jan. 15, 2027", TagVariant.REQUIRED)),
        (False, None, False, ("Optional", TagVariant.OPTIONAL)),
        (True, PASSED, True, ("Overdue", TagVariant.OVERDUE)),
    ],
)
def test_the_tag_a_learner_sees(required, due_date, overdue, tag):
    given = rules.assignment_tag(required, due_date, overdue)
    assert (given.label, given.variant) == tag


@pytest.mark.parametrize("status", list(LearnerStatus))
def test_learners_book_their_own_seat_in_ilt_courses_until_they_complete(status):
    assert rules.can_book_own_seat(CourseKind.ILT, status) is (status != LearnerStatus.COMPLETED)
    assert rules.can_book_own_seat(CourseKind.SELF_PACED, status) is False
