"""
What each learner is shown on the development host, as the platform's block transformers decide it:
item banks give each learner ``max_count`` of their problems, a cohort-only chapter is for that
cohort, a staff-only chapter for the course team. Progress, chapters and quizzes count only that.
"""

import pytest

from devhost.lms import api
from devhost.lms.adapter import DevLmsHost
from devhost.lms.models import BlockCompletion, ItemBankSelection

pytestmark = pytest.mark.django_db

BANK = (("Red means?", "stop"), ("Green means?", "go"), ("Amber means?", "wait"), ("Blue means?", "info"))


@pytest.fixture
def course():
    """
    "Basics" (2 lessons, everyone), "Leading a team" (2 lessons, the managers cohort), "Staff notes"
    (2 lessons, course team only) and a question bank of 4 problems, 2 for each learner.
    """
    return api.create_course(
        "course-v1:TestX+Shown+2026",
        title="Shown",
        chapters=("Basics",),
        leaves_per_chapter=2,
        cohort_chapters=(("Leading a team", "managers"),),
        staff_only_chapters=("Staff notes",),
        question_bank=(2, BANK),
    )


@pytest.fixture
def people(course):
    learner, manager, teacher = (api.create_user(name).pk for name in ("lea", "max", "tea"))
    api.add_to_cohort(course, "managers", [manager])
    api.grant_role(teacher, course, "staff")
    return learner, manager, teacher


def chapter_titles(host, course, user_id):
    return [chapter.title for chapter in host.chapter_progress(course, [user_id])[user_id]]


def test_each_learner_is_shown_what_their_groups_and_bank_give_them(course, people):
    learner, manager, teacher = people
    shown = api.learner_blocks(course, [learner, manager, teacher])

    def leaves(user_id):
        return [block.display_name for block in shown[user_id] if block.block_type in ("html", "video", "problem")]

    assert leaves(learner)[:2] == ["Reading 1", "Video 2"] and len(leaves(learner)) == 4
    assert len(leaves(manager)) == 6
    # The course team sees every chapter, staff-only ones included, but no more of the bank.
    assert len(leaves(teacher)) == 8
    banked = {user_id: [block.question for block in shown[user_id] if block.bank_id] for user_id in people}
    assert all(len(questions) == 2 for questions in banked.values())


def test_a_bank_selection_is_made_once_and_kept_until_a_reset(course, people):
    learner, _, _ = people
    first = api.learner_blocks(course, [learner])[learner]

    assert api.learner_blocks(course, [learner])[learner] == first
    [selection] = ItemBankSelection.objects.filter(user_id=learner)
    assert len(selection.selected) == 2

    api.clear_learner_state(course, [learner])
    assert not ItemBankSelection.objects.exists()


def test_progress_counts_only_what_the_learner_is_shown(course, people):
    host = DevLmsHost()
    learner, manager, _ = people

    api.set_progress(learner, course, 1.0)
    api.set_progress(manager, course, 0.5)

    assert host.progress(course, [learner, manager]) == {learner: 1.0, manager: 0.5}
    # All of the learner's four leaves are complete, none of those they are not shown.
    completed = set(BlockCompletion.objects.filter(user_id=learner).values_list("block_key", flat=True))
    assert completed == set(api.visible_leaf_keys(learner, course)) and len(completed) == 4


def test_chapters_and_quizzes_are_those_the_learner_is_shown(course, people):
    host = DevLmsHost()
    learner, manager, teacher = people

    assert chapter_titles(host, course, learner) == ["Basics", "Question bank"]
    assert chapter_titles(host, course, manager) == ["Basics", "Leading a team", "Question bank"]
    assert chapter_titles(host, course, teacher) == ["Basics", "Leading a team", "Staff notes", "Question bank"]
    [quiz] = host.quiz_results(course, [learner])[learner]
    selected = {block.question for block in api.learner_blocks(course, [learner])[learner] if block.bank_id}
    assert {question.question for question in quiz.questions} == selected and len(selected) == 2


def test_the_grade_is_over_the_problems_the_learner_is_shown(course, people):
    learner, _, _ = people
    mine = [block for block in api.learner_blocks(course, [learner])[learner] if block.graded]
    answers = dict(BANK)

    for problem in mine:
        api.answer_question(learner, course, problem.key, answers[problem.question])

    # Both of their two problems right: 100%, though the bank holds four.
    assert DevLmsHost().passing_user_ids(course, [learner]) == {learner}


def test_the_course_team_outline_leaves_out_staff_only_chapters(course):
    outline = DevLmsHost().course_outline(course)

    assert [(chapter.title, chapter.is_quiz) for chapter in outline.chapters] == [
        ("Basics", False),
        ("Leading a team", False),
        ("Question bank", True),
    ]


@pytest.mark.parametrize("count", [3, 60])
def test_working_it_out_costs_the_same_for_any_number_of_learners(
    course, people, make_users, count, django_assert_num_queries
):
    user_ids = make_users(count)
    # blocks, course team, cohorts, bank selections, insert of the new ones
    with django_assert_num_queries(5):
        api.learner_blocks(course, user_ids)
    # The selections are kept: the second time, no insert.
    with django_assert_num_queries(4):
        api.learner_blocks(course, user_ids)
