"""
The learner list: filters, search, ordering, paging, status counts, and a fixed query cost.
"""

import datetime

import pytest
from django.utils import timezone

from devhost.lms import api as host
from learner_mgmt_plugin import api
from learner_mgmt_plugin.data import Action, LearnerStatus
from learner_mgmt_plugin.exceptions import InvalidInput


@pytest.fixture
def roster(ilt_course, sessions, staff, learner_in, make_learner):
    """
    An ILT course with one learner per status, one of them required with a due date.
    """
    for status in LearnerStatus:
        learner_in(ilt_course, status, username=f"{status.value}")
    api.update_due_date(
        ilt_course, "in_progress", actor=staff, due_date=timezone.localdate() + datetime.timedelta(days=5)
    )
    api.set_employee_ids({api.get_learner(ilt_course, "started").user_id: "EMP-42"})
    return ilt_course


def usernames(page):
    return [row.username for row in page.results]


def test_rows_carry_what_the_table_shows(roster, staff, sessions):
    row = api.get_learner(roster, "enrolled", viewer=staff)
    assert (row.name, row.email, row.status_label, row.assigned_by) == (
        "Enrolled",
        "enrolled@example.com",
        "Enrolled",
        "staff",
    )
    assert row.session.title == "Upcoming"
    assert row.actions == (
        Action.UPDATE_DUE_DATE,
        Action.VIEW_HISTORY,
        Action.MARK_COMPLETE,
        Action.CHANGE_SESSION,
        Action.MARK_NO_SHOW,
        Action.MAKE_INSTRUCTOR,
        Action.UNASSIGN,
        Action.REMOVE,
    )
    assert api.get_learner(roster, "in_progress").status_label == "42% Completed"


def test_status_filter_and_counts(roster, staff):
    page = api.list_learners(roster, viewer=staff, status="completed")
    assert usernames(page) == ["completed"] and page.count == 1
    assert page.status_counts == {status.value: 1 for status in LearnerStatus}


@pytest.mark.parametrize(
    "search, found",
    [
        ("EMP-4", ["started"]),
        ("in_progress@example", ["in_progress"]),
        ("not_start", ["not_started"]),
        ("Completed", ["completed"]),
        ("nobody", []),
    ],
)
def test_search_by_name_username_email_and_employee_id(roster, staff, search, found):
    assert usernames(api.list_learners(roster, viewer=staff, search=search)) == found


def test_counts_follow_the_other_filters(roster, staff):
    page = api.list_learners(roster, viewer=staff, required=True)
    assert usernames(page) == ["in_progress"]
    assert page.status_counts["in_progress"] == 1 and sum(page.status_counts.values()) == 1


def test_session_filter(roster, staff, sessions):
    assert usernames(api.list_learners(roster, viewer=staff, session_id=sessions["upcoming"].id)) == ["enrolled"]
    assert usernames(api.list_learners(roster, viewer=staff, session_id=sessions["later"].id)) == []


@pytest.mark.parametrize(
    "ordering, first",
    [
        ("name", "completed"),
        ("-name", "started"),
        ("progress", "enrolled"),
        ("-progress", "completed"),
        ("status", "completed"),
        ("-status", "not_started"),
        ("due_date", "in_progress"),
        ("-assigned_at", "not_started"),
    ],
)
def test_ordering(roster, staff, ordering, first):
    assert usernames(api.list_learners(roster, viewer=staff, ordering=ordering))[0] == first


def test_paging(roster, staff):
    first, second = (api.list_learners(roster, viewer=staff, page=n, page_size=3) for n in (1, 2))
    assert (first.count, len(first.results), len(second.results)) == (5, 3, 2)
    assert not set(usernames(first)) & set(usernames(second))


@pytest.mark.parametrize(
    "arguments, field",
    [
        ({"status": "done"}, "status"),
        ({"ordering": "password"}, "ordering"),
        ({"page": 0}, "page"),
        ({"page_size": 501}, "page_size"),
        ({"page_size": 0}, "page_size"),
    ],
)
def test_bad_parameters_name_the_field(roster, staff, arguments, field):
    with pytest.raises(InvalidInput) as error:
        api.list_learners(roster, viewer=staff, **arguments)
    assert error.value.field == field


def test_overdue_is_marked(course, staff, make_learner):
    make_learner("late")
    api.assign_course(course, ["late"], actor=staff, due_date=timezone.localdate() + datetime.timedelta(days=1))
    assert api.get_learner(course, "late").overdue is False
    from learner_mgmt_plugin.models import Assignment  # pylint: disable=import-outside-toplevel

    Assignment.objects.update(due_date=timezone.localdate() - datetime.timedelta(days=1))
    assert api.get_learner(course, "late").overdue is True


@pytest.mark.parametrize("page_size", [10, 100, 500])
def test_a_page_costs_the_same_whatever_its_size(
    ilt_course, sessions, staff, make_users, page_size, django_assert_num_queries
):
    user_ids = make_users(500)
    api.assign_course(ilt_course, [f"learner{n}" for n in range(1, 501)], actor=staff)
    host.bulk_set_progress(ilt_course, {user_id: 0.5 for user_id in user_ids[:100]})
    api.run_mass_action(
        ilt_course,
        "change_session",
        [f"learner{n}" for n in range(400, 410)],
        actor=staff,
        session_id=sessions["upcoming"].id,
    )
    # Course settings, status counts, page ids, rows, seats; and from the development host the course
    # outline (two queries) and the course team roles (one).
    with django_assert_num_queries(8):
        page = api.list_learners(ilt_course, viewer=staff, search="learner", ordering="-progress", page_size=page_size)
    assert len(page.results) == page_size


def test_search_by_the_start_of_any_name_and_several_words(course, staff, make_learner):
    for username, name in (("ada", "Ada Lovelace"), ("byron", "Ada Byron"), ("grace", "Grace Hopper")):
        make_learner(username, name=name)
    api.assign_course(course, ["ada", "byron", "grace"], actor=staff)

    def found(search):
        return usernames(api.list_learners(course, viewer=staff, search=search, ordering="name"))

    assert found("ada") == ["byron", "ada"]
    assert found("lov") == ["ada"]
    assert found("ada by") == ["byron"]
    assert found("hopper grace") == ["grace"]
    assert found("ovelace") == []  # the start of a word, not any part of it


def test_a_learner_renamed_in_the_lms_sorts_by_the_new_name(course, staff, make_learner):
    from devhost.lms.models import UserProfile  # pylint: disable=import-outside-toplevel

    make_learner("amy", name="Amy Pond")
    make_learner("zoe", name="Zoe Heriot")
    api.assign_course(course, ["amy", "zoe"], actor=staff)
    UserProfile.objects.filter(user__username="zoe").update(name="Abigail Pettigrew")
    api.assign_course(course, ["zoe"], actor=staff)  # the next assignment refreshes what the plugin knows

    assert usernames(api.list_learners(course, viewer=staff, ordering="name")) == ["zoe", "amy"]
    assert usernames(api.list_learners(course, viewer=staff, search="pettigrew")) == ["zoe"]
