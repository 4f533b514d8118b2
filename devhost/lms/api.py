"""
Python API of the development LMS host: users, courses and learner activity.

The seeding command, the tests and the benchmarks build their worlds with it, and the host adapter
(``devhost.lms.adapter.DevLmsHost``) writes through it, so that both send the Open edX events the LMS
sends where it sends them:

- an enrollment created or re-activated (``CourseEnrollment.enroll``): ``COURSE_ENROLLMENT_CHANGED``
  then ``COURSE_ENROLLMENT_CREATED``; deactivated (``unenroll``): ``COURSE_ENROLLMENT_CHANGED`` then
  ``COURSE_UNENROLLMENT_COMPLETED``; changed otherwise (``update_enrollment``):
  ``COURSE_ENROLLMENT_CHANGED`` alone;
- a certificate issued: ``CERTIFICATE_CREATED``; revoked: ``CERTIFICATE_REVOKED``;
- a course team role granted: ``COURSE_ACCESS_ROLE_ADDED``;
- a learner's passing state changed by an answer: ``COURSE_PASSING_STATUS_UPDATED``;

and ``devhost.lms.signals.progress_changed`` once per learner whose completions changed.

Conventions: a ``course_key`` is a ``CourseKey`` or its string; a ``user`` is a User or a user id.
Functions taking ``user_ids`` work on many learners in a bounded number of queries, however many there
are, and send one event per learner, as the LMS does. Events are sent once the writes are done.

Example::

    from devhost.lms import api

    course_key = api.create_course(
        "course-v1:Demo+Safety+2025", title="Workplace safety", quiz_questions=[("2 + 2 = ?", "4")]
    )
    ada = api.create_user("ada", name="Ada Lovelace", employee_id="E-0001")
    api.enroll(ada, course_key)
    api.set_progress(ada, course_key, 0.5)
    api.answer_question(ada, course_key, 1, "4")
"""

from __future__ import annotations

import hashlib
import itertools
import math
import random
import uuid
from collections import defaultdict
from collections.abc import Iterable, Mapping

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.db.models import Case, IntegerField, Q, Sum, When
from django.urls import reverse
from django.utils import timezone
from opaque_keys.edx.keys import CourseKey, UsageKey
from openedx_events.learning.data import (
    CertificateData,
    CourseAccessRoleData,
    CourseData,
    CourseEnrollmentData,
    CoursePassingStatusData,
    UserData,
    UserPersonalData,
)
from openedx_events.learning.signals import (
    CERTIFICATE_CREATED,
    CERTIFICATE_REVOKED,
    COURSE_ACCESS_ROLE_ADDED,
    COURSE_ENROLLMENT_CHANGED,
    COURSE_ENROLLMENT_CREATED,
    COURSE_PASSING_STATUS_UPDATED,
    COURSE_UNENROLLMENT_COMPLETED,
)
from openedx_filters.learning.filters import CourseEnrollmentStarted, CourseUnenrollmentStarted

from .models import (
    COURSE_TEAM_ROLES,
    DEFAULT_MODE_SLUG,
    ENROLLED_TO_UNENROLLED,
    FORUM_ROLE_STUDENT,
    UNENROLLED_TO_ENROLLED,
    BlockCompletion,
    BlockVisit,
    CohortMembership,
    CourseAccessRole,
    CourseBlock,
    CourseEnrollment,
    CourseEnrollmentAllowed,
    CourseMode,
    CourseOverview,
    ForumRole,
    GeneratedCertificate,
    ItemBankSelection,
    ManualEnrollmentAudit,
    ManualEnrollmentAuditHistory,
    OutboxMessage,
    PersistentCourseGrade,
    ProblemState,
    ScormStatement,
    UserPreference,
    UserProfile,
    key_text,
)
from .signals import learner_activity, progress_changed, user_retired

User = get_user_model()

# Rows per INSERT statement: keeps a 100,000-learner insert well under MariaDB's packet limit.
BATCH_SIZE = 2000

_COMPLETION_FIELDS = ("user_id", "course_key", "block_key", "block_type", "completion", "modified")

_LESSON_NAMES = {CourseBlock.HTML: "Reading", CourseBlock.VIDEO: "Video"}


# Users


def create_user(username, *, email=None, name="", employee_id=None, is_active=True, is_staff=False, password=None):
    """
    Create a user and their profile and return the user. ``email`` defaults to
    ``<username>@example.com``; without a ``password`` the user cannot sign in. ``is_staff`` makes them
    a platform admin (global staff).
    """
    (user_id,) = create_users(
        [
            {
                "username": username,
                "email": email,
                "name": name,
                "employee_id": employee_id,
                "is_active": is_active,
                "is_staff": is_staff,
                "password": password,
            }
        ]
    )
    return User.objects.get(pk=user_id)


def create_users(specs: Iterable[Mapping]) -> list[int]:
    """
    Create many users and their profiles with bulk inserts; return their ids in order. Each spec is a
    mapping of ``create_user``'s arguments (``username`` required). Leave ``password`` out of large
    batches: hashing one costs a noticeable fraction of a second.
    """
    pairs = [_unsaved_user(**spec) for spec in specs]
    with transaction.atomic():
        # SQLite 3.35+ and MariaDB 10.5+ return the new ids, which the profiles need.
        User.objects.bulk_create([user for user, _ in pairs], batch_size=BATCH_SIZE)
        UserProfile.objects.bulk_create([profile for _, profile in pairs], batch_size=BATCH_SIZE)
    return [user.pk for user, _ in pairs]


def _unsaved_user(username, *, email=None, name="", employee_id=None, is_active=True, is_staff=False, password=None):
    user = User(
        username=username,
        email=email or f"{username}@example.com",
        is_active=is_active,
        is_staff=is_staff,
        password=make_password(password),
    )
    return user, UserProfile(user=user, name=name, employee_id=employee_id)


# Courses


def create_course(
    course_key,
    *,
    title="",
    chapters=("Introduction", "Core concepts", "Wrap-up"),
    leaves_per_chapter=2,
    quiz_questions=(),
    scorm=False,
    passing_grade=0.5,
    modes=(),
    cohort_chapters=(),
    staff_only_chapters=(),
    question_bank=None,
) -> CourseKey:
    """
    Create a course and its content and return its key. The content is, in order: a chapter per title
    in ``chapters`` with ``leaves_per_chapter`` leaves (readings and videos in turn); a chapter of as
    many leaves per ``(title, cohort)`` of ``cohort_chapters``, which only that cohort's members see,
    and per title of ``staff_only_chapters``, which only the course team sees; if ``scorm``, a "SCORM
    package" chapter holding one SCORM block; if ``quiz_questions`` (pairs of question and correct
    answer) are given, a "Quiz" chapter with one graded problem per question; and if ``question_bank``
    (``(max_count, questions)``) is given, a "Question bank" chapter holding an item bank of one graded
    problem per question, of which each learner is given ``max_count``. A learner passes with at least
    ``passing_grade`` (0 to 1) of the graded problems they see answered correctly.

    ``modes`` are the enrollment modes the course offers (slugs, e.g. ``("audit", "verified")``); a
    course set up with none offers only the LMS's default mode, audit, which earns no certificate.
    """
    course_key = _course_key(course_key)
    lesson_types = itertools.islice(itertools.cycle((CourseBlock.HTML, CourseBlock.VIDEO)), leaves_per_chapter)
    lessons = [
        (block_type, f"{_LESSON_NAMES[block_type]} {number}", "", "")
        for number, block_type in enumerate(lesson_types, start=1)
    ]
    # (title, leaves, fields of the chapter block, (max_count of the item bank holding the leaves, or None))
    content = [(chapter_title, lessons, {}, None) for chapter_title in chapters]
    content += [(chapter_title, lessons, {"group": cohort}, None) for chapter_title, cohort in cohort_chapters]
    content += [
        (chapter_title, lessons, {"visible_to_staff_only": True}, None) for chapter_title in staff_only_chapters
    ]
    if scorm:
        content.append(("SCORM package", [(CourseBlock.SCORM, "SCORM package", "", "")], {}, None))
    if quiz_questions:
        content.append(("Quiz", _problems(quiz_questions), {}, None))
    if question_bank:
        max_count, questions = question_bank
        content.append(("Question bank", _problems(questions), {}, max_count))

    course = CourseOverview(id=course_key, display_name=title or str(course_key), lowest_passing_grade=passing_grade)
    positions = itertools.count()
    chapter_blocks, bank_blocks, leaf_blocks = [], [], []
    for chapter_number, (chapter_title, leaves, fields, max_count) in enumerate(content, start=1):
        chapter = CourseBlock(
            course=course,
            usage_key=course_key.make_usage_key(CourseBlock.CHAPTER, f"chapter_{chapter_number}"),
            block_type=CourseBlock.CHAPTER,
            display_name=chapter_title,
            position=next(positions),
            **fields,
        )
        chapter_blocks.append(chapter)
        bank = None
        if max_count is not None:
            bank = CourseBlock(
                course=course,
                chapter=chapter,
                usage_key=course_key.make_usage_key(CourseBlock.ITEM_BANK, f"bank_{chapter_number}"),
                block_type=CourseBlock.ITEM_BANK,
                display_name=chapter_title,
                position=next(positions),
                max_count=max_count,
            )
            bank_blocks.append(bank)
        leaf_blocks.extend(
            CourseBlock(
                course=course,
                chapter=chapter,
                bank=bank,
                usage_key=course_key.make_usage_key(block_type, f"{block_type}_{chapter_number}_{leaf_number}"),
                block_type=block_type,
                display_name=display_name,
                position=next(positions),
                graded=block_type == CourseBlock.PROBLEM,
                question=question,
                correct_answer=answer,
            )
            for leaf_number, (block_type, display_name, question, answer) in enumerate(leaves, start=1)
        )
    with transaction.atomic():
        course.save(force_insert=True)
        CourseMode.objects.bulk_create(
            CourseMode(course=course, mode_slug=slug, mode_display_name=slug.replace("-", " ").title())
            for slug in modes
        )
        CourseBlock.objects.bulk_create(chapter_blocks)
        CourseBlock.objects.bulk_create(bank_blocks)
        CourseBlock.objects.bulk_create(leaf_blocks)
        # Studio seeds a new course's forum roles (seed_permissions_roles); enrollments join its Student role.
        ForumRole.objects.create(course_key=course_key, name=FORUM_ROLE_STUDENT)
    return course_key


def _problems(questions):
    return [
        (CourseBlock.PROBLEM, f"Question {number}", question, answer)
        for number, (question, answer) in enumerate(questions, start=1)
    ]


def add_to_cohort(course_key, cohort: str, users: Iterable):
    """
    Put the users (users or ids) in the course's cohort named ``cohort``, moving them out of any other:
    a learner belongs to one cohort of a course at most, as in the LMS.
    """
    course_key, user_ids = _course_key(course_key), [_user_id(user) for user in users]
    with transaction.atomic():
        CohortMembership.objects.filter(course_key=course_key, user_id__in=user_ids).delete()
        CohortMembership.objects.bulk_create(
            CohortMembership(user_id=user_id, course_key=course_key, name=cohort) for user_id in user_ids
        )


def course_modes(course_key) -> list[str]:
    """
    The enrollment modes the course offers, as the LMS's ``CourseMode.modes_for_course`` lists them:
    the default mode alone for a course that set up none.
    """
    slugs = list(
        CourseMode.objects.filter(course_id=_course_key(course_key)).order_by("pk").values_list("mode_slug", flat=True)
    )
    return slugs or [DEFAULT_MODE_SLUG]


def is_eligible_for_certificate(mode_slug: str) -> bool:
    """
    Whether the LMS issues certificates in this mode (``CourseMode.is_eligible_for_certificate``): in
    every mode but audit.
    """
    return mode_slug != "audit"


def _default_mode(course_key) -> str:
    """
    The mode ``CourseEnrollment.enroll`` picks when given none (the enrollments API's
    ``_default_course_mode``): the default mode if the course offers it, else audit, else honor.
    """
    offered = course_modes(course_key)
    return next((slug for slug in (DEFAULT_MODE_SLUG, "audit", "honor") if slug in offered), DEFAULT_MODE_SLUG)


def leaf_keys(course_key) -> list[UsageKey]:
    """
    Usage keys of the course's leaf blocks, in course order (every learner's and those only some see).
    """
    return list(_leaf_types(_course_key(course_key)))


# The blocks learners are shown

_BLOCK_FIELDS = (
    "pk",
    "chapter_id",
    "bank_id",
    "block_type",
    "key",
    "display_name",
    "graded",
    "question",
    "max_count",
    "visible_to_staff_only",
    "group",
)


def course_blocks(course_key) -> list:
    """
    Every block of the course in course order (one query), as named rows of ``CourseBlock`` fields
    whose ``key`` is the usage key's text.
    """
    return list(
        CourseBlock.objects.filter(course_id=_course_key(course_key))
        .order_by("position")
        .annotate(key=key_text("usage_key"))
        .values_list(*_BLOCK_FIELDS, named=True)
    )


def learner_blocks(course_key, user_ids: Iterable[int], blocks=None) -> dict[int, list]:
    """
    The blocks (chapters, item banks and leaves) each user is shown, in course order: what the
    platform's ``get_course_blocks`` leaves of the course for them. Staff-only blocks are for the course
    team alone; a block with a group is for the members of that cohort (and the course team); of an
    item bank's leaves each user is shown those selected for them (``ItemBankSelection``), which are
    chosen and kept the first time, for the course team too. What a block holds follows it. ``blocks``
    are the course's (``course_blocks``) if the caller has them already.

    A fixed number of queries whatever the number of users, and none beyond the blocks for a course
    whose content every learner sees.
    """
    course_key, user_ids = _course_key(course_key), list(user_ids)
    blocks = course_blocks(course_key) if blocks is None else blocks
    banks = [block for block in blocks if block.block_type == CourseBlock.ITEM_BANK]
    if not banks and not any(block.visible_to_staff_only or block.group for block in blocks):
        return dict.fromkeys(user_ids, blocks)
    team = set(
        CourseAccessRole.objects.filter(
            course_key=course_key, user_id__in=user_ids, role__in=COURSE_TEAM_ROLES
        ).values_list("user_id", flat=True)
    )
    cohorts = dict(
        CohortMembership.objects.filter(course_key=course_key, user_id__in=user_ids).values_list("user_id", "name")
    )
    selected = _bank_selections(course_key, banks, blocks, user_ids)
    by_pk = {block.pk: block for block in blocks}

    def shown(block, user_id):
        if user_id in team:
            return True
        return not block.visible_to_staff_only and (not block.group or cohorts.get(user_id) == block.group)

    visible = {}
    for user_id in user_ids:
        visible[user_id] = [
            block
            for block in blocks
            if all(shown(by_pk[pk], user_id) for pk in (block.chapter_id, block.bank_id) if pk)
            and shown(block, user_id)
            and (block.bank_id is None or block.key in selected[user_id][block.bank_id])
        ]
    return visible


def _bank_selections(course_key, banks, blocks, user_ids) -> dict[int, dict[int, set[str]]]:
    """
    The leaves (usage key texts) each user was given in each item bank (by the bank's pk). Those not
    chosen yet are chosen now and kept: ``max_count`` of the bank's leaves, drawn with a seed of the
    user and the bank, as the platform draws them.
    """
    selected = defaultdict(dict)
    if not banks:
        return selected
    leaves = {bank.pk: [block.key for block in blocks if block.bank_id == bank.pk] for bank in banks}
    bank_of_key = {bank.key: bank for bank in banks}
    for user_id, bank_key, chosen in ItemBankSelection.objects.filter(
        course_key=course_key, user_id__in=user_ids
    ).values_list("user_id", key_text("block_key"), "selected"):
        if bank_key in bank_of_key:
            selected[user_id][bank_of_key[bank_key].pk] = set(chosen)
    new = []
    for user_id in user_ids:
        for bank in banks:
            if bank.pk in selected[user_id]:
                continue
            pool = leaves[bank.pk]
            chosen = set(random.Random(f"{user_id}:{bank.key}").sample(pool, min(bank.max_count, len(pool))))
            selected[user_id][bank.pk] = chosen
            in_course_order = [key for key in pool if key in chosen]
            new.append(
                ItemBankSelection(user_id=user_id, course_key=course_key, block_key=bank.key, selected=in_course_order)
            )
    # Two computations at once choose the same leaves (the seed): whichever stores them first wins.
    ItemBankSelection.objects.bulk_create(new, batch_size=BATCH_SIZE, ignore_conflicts=True)
    return selected


def completed_leaf_keys(user, course_key) -> list[UsageKey]:
    """
    Usage keys of the leaves the user has completed in the course.
    """
    return list(
        BlockCompletion.objects.filter(
            user_id=_user_id(user), course_key=_course_key(course_key), completion__gte=1.0
        ).values_list("block_key", flat=True)
    )


def visible_leaf_keys(user, course_key) -> list[UsageKey]:
    """
    Usage keys of the leaves the user is shown in the course (``learner_blocks``), in course order.
    """
    user_id = _user_id(user)
    blocks = learner_blocks(course_key, [user_id])[user_id]
    return [UsageKey.from_string(block.key) for block in blocks if block.block_type in CourseBlock.LEAF_TYPES]


# Enrollment


def enroll(user, course_key, *, mode=None):
    """
    Enroll the user in the course or re-activate their enrollment (see ``bulk_enroll``).
    """
    return bulk_enroll(course_key, [_user_id(user)], mode=mode)


def bulk_enroll(course_key, user_ids: Iterable[int], *, mode=None, enrolled_by=None, reason="") -> dict[int, str]:
    """
    Make sure each user has an active enrollment in the course, in ``mode`` (None: the mode the LMS
    gives by default, see ``_default_mode``). Each enrollment created or re-activated sends what
    ``CourseEnrollment.enroll`` sends: ``COURSE_ENROLLMENT_CHANGED``, then ``COURSE_ENROLLMENT_CREATED``;
    active ones are left alone. As in the LMS, the openedx-filters step ``CourseEnrollmentStarted`` may
    refuse a learner (it sees the mode asked for, None included): those are returned with the reason.
    With a ``reason``, each enrollment made is recorded as the instructor dashboard records its own
    (``ManualEnrollmentAudit``, by ``enrolled_by``, a user id or None). Raises
    ``CourseOverview.DoesNotExist`` for an unknown course.

    With ``settings.DEVHOST_ENROLLMENT == "platform"`` the same is done one learner at a time, at the
    platform's per-learner cost (``devhost.lms.platform_enrollment``).
    """
    course = CourseOverview.objects.get(pk=_course_key(course_key))
    user_ids = set(user_ids)
    if settings.DEVHOST_ENROLLMENT == "platform":
        from . import platform_enrollment  # pylint: disable=import-outside-toplevel  (it builds on this module)

        return platform_enrollment.enroll_each(course, user_ids, mode=mode, enrolled_by=enrolled_by, reason=reason)
    refused = _refused_enrollments(course.id, user_ids, mode)
    user_ids -= refused.keys()
    mode = mode or _default_mode(course.id)
    now = timezone.now()
    db_now = connection.ops.adapt_datetimefield_value(now)
    with transaction.atomic():
        existing = {
            user_id: (is_active, created)
            for user_id, is_active, created in CourseEnrollment.objects.filter(
                course_key=course.id, user_id__in=user_ids
            ).values_list("user_id", "is_active", "created")
        }
        new = user_ids - existing.keys()
        _insert_rows(
            CourseEnrollment,
            ("user_id", "course_key", "is_active", "mode", "created"),
            [(user_id, str(course.id), True, mode, db_now) for user_id in new],
        )
        reactivated = {user_id: (mode, created) for user_id, (is_active, created) in existing.items() if not is_active}
        CourseEnrollment.objects.filter(course_key=course.id, user_id__in=reactivated).update(is_active=True, mode=mode)
        if reason:
            _audit(course.id, new | reactivated.keys(), enrolled_by, UNENROLLED_TO_ENROLLED, reason, now)
    enrolled = {**dict.fromkeys(new, (mode, now)), **reactivated}
    _send_enrollment_events((COURSE_ENROLLMENT_CHANGED, COURSE_ENROLLMENT_CREATED), course, enrolled)
    return refused


def update_enrollment(user, course_key, *, is_active=None, mode=None):
    """
    Change the user's enrollment in the course as ``CourseEnrollment.update_enrollment`` does, without
    ``enroll``/``unenroll`` (the enrollment API and Django admin change enrollments this way): no
    filter runs, and only ``COURSE_ENROLLMENT_CHANGED`` is sent (``COURSE_UNENROLLMENT_COMPLETED`` too
    when it deactivates), and only if something changed.
    """
    course = CourseOverview.objects.get(pk=_course_key(course_key))
    enrollment = CourseEnrollment.objects.get(course_key=course.id, user_id=_user_id(user))
    changed = (is_active is not None and is_active != enrollment.is_active) or (
        mode is not None and mode != enrollment.mode
    )
    if not changed:
        return
    enrollment.is_active = enrollment.is_active if is_active is None else is_active
    enrollment.mode = mode or enrollment.mode
    enrollment.save(update_fields=["is_active", "mode"])
    state = {enrollment.user_id: (enrollment.mode, enrollment.created)}
    deactivated = is_active is False
    signals = (
        (COURSE_ENROLLMENT_CHANGED, COURSE_UNENROLLMENT_COMPLETED) if deactivated else (COURSE_ENROLLMENT_CHANGED,)
    )
    _send_enrollment_events(signals, course, state, is_active=enrollment.is_active)


def _audit(course_key, user_ids, actor_id, transition, reason, now):
    """
    Record the enrollment changes of the users as made by ``actor_id`` (``ManualEnrollmentAudit``).
    """
    rows = CourseEnrollment.objects.filter(course_key=course_key, user_id__in=list(user_ids)).values_list(
        "pk", "user__email"
    )
    ManualEnrollmentAudit.objects.bulk_create(
        [
            ManualEnrollmentAudit(
                enrollment_id=pk,
                enrolled_by_id=actor_id,
                enrolled_email=email,
                time_stamp=now,
                state_transition=transition,
                reason=reason,
            )
            for pk, email in rows
        ],
        batch_size=BATCH_SIZE,
    )


def _refused_enrollments(course_key, user_ids, mode) -> dict[int, str]:
    """
    Run the enrollment filter the LMS runs for each learner, when a pipeline is configured for it.
    """
    if not settings.OPEN_EDX_FILTERS_CONFIG.get(CourseEnrollmentStarted.filter_type):
        return {}
    refused = {}
    for user in User.objects.filter(pk__in=user_ids):
        try:
            CourseEnrollmentStarted.run_filter(user=user, course_key=course_key, mode=mode)
        except CourseEnrollmentStarted.PreventEnrollment as error:
            refused[user.pk] = str(error)
    return refused


def unenroll(user, course_key):
    """
    Deactivate the user's enrollment in the course (see ``bulk_unenroll``).
    """
    return bulk_unenroll(course_key, [_user_id(user)])


def bulk_unenroll(course_key, user_ids: Iterable[int], *, unenrolled_by=None, reason="") -> dict[int, str]:
    """
    Deactivate each user's active enrollment in the course, sending what ``CourseEnrollment.unenroll``
    sends for each: ``COURSE_ENROLLMENT_CHANGED``, then ``COURSE_UNENROLLMENT_COMPLETED``; users without
    one are left alone. As in the LMS, the openedx-filters step ``CourseUnenrollmentStarted`` may refuse
    a learner, whose enrollment then stays active: those are returned with the reason. With a
    ``reason``, each unenrollment is recorded as ``bulk_enroll`` records enrollments.
    """
    course = CourseOverview.objects.get(pk=_course_key(course_key))
    with transaction.atomic():
        enrollments = CourseEnrollment.objects.filter(course_key=course.id, user_id__in=list(user_ids), is_active=True)
        refused = _refused_unenrollments(enrollments)
        active = {
            user_id: (mode, created)
            for user_id, mode, created in enrollments.exclude(user_id__in=refused).values_list(
                "user_id", "mode", "created"
            )
        }
        CourseEnrollment.objects.filter(course_key=course.id, user_id__in=active).update(is_active=False)
        if reason:
            _audit(course.id, active, unenrolled_by, ENROLLED_TO_UNENROLLED, reason, timezone.now())
    _send_enrollment_events((COURSE_ENROLLMENT_CHANGED, COURSE_UNENROLLMENT_COMPLETED), course, active, is_active=False)
    return refused


def _refused_unenrollments(enrollments) -> dict[int, str]:
    """
    Run the unenrollment filter the LMS runs for each enrollment, when a pipeline is configured for it.
    """
    if not settings.OPEN_EDX_FILTERS_CONFIG.get(CourseUnenrollmentStarted.filter_type):
        return {}
    refused = {}
    for enrollment in enrollments.select_related("user"):
        try:
            CourseUnenrollmentStarted.run_filter(enrollment=enrollment)
        except CourseUnenrollmentStarted.PreventUnenrollment as error:
            refused[enrollment.user_id] = str(error)
    return refused


def _send_enrollment_events(signals, course, enrollments, *, is_active=True):
    """
    Send each of ``signals``, in order, for each of ``enrollments``, a dict of (mode, creation date) by
    user id.
    """
    users = _user_data(enrollments)
    course_data = _course_data(course)
    for user_id, (mode, created) in enrollments.items():
        data = CourseEnrollmentData(
            user=users[user_id], course=course_data, mode=mode, is_active=is_active, creation_date=created
        )
        for signal in signals:
            signal.send_event(enrollment=data)


# Learner activity


def complete_blocks(user, course_key, block_keys: Iterable, *, completion: float = 1.0):
    """
    Record the user's completion of leaf blocks (usage keys or their strings) in the course: whole
    (1.0) by default, or in part (a video partly watched), which the LMS keeps as activity and does not
    count as progress. As edx-completion does, a block's record takes the completion last submitted.
    """
    if not 0.0 < completion <= 1.0:
        raise ValueError(f"A completion is above 0.0 and at most 1.0, not {completion}")
    course_key, user_id = _course_key(course_key), _user_id(user)
    block_types = _leaf_types(course_key)
    keys = {UsageKey.from_string(str(key)) for key in block_keys}
    if not keys <= block_types.keys():
        raise ValueError(f"Not leaf blocks of {course_key}: {sorted(map(str, keys - block_types.keys()))}")
    with transaction.atomic():
        if completion == 1.0:
            changed = _save_completions(user_id, course_key, {key: block_types[key] for key in keys})
        else:
            for key in keys:
                BlockCompletion.objects.update_or_create(
                    user_id=user_id,
                    course_key=course_key,
                    block_key=key,
                    defaults={"block_type": block_types[key], "completion": completion, "modified": timezone.now()},
                )
            changed = bool(keys)
    _send_progress_changed(course_key, [user_id] if changed else [])


def visit(user, course_key, block_key=None):
    """
    The user opens a block of the course, its first section unless given: the courseware saves their
    state of it (the section's position), which is activity and not progress, and says so.
    """
    course_key, user_id = _course_key(course_key), _user_id(user)
    blocks = CourseBlock.objects.filter(course_id=course_key)
    block = (
        blocks.get(usage_key=UsageKey.from_string(str(block_key)))
        if block_key is not None
        else blocks.filter(block_type=CourseBlock.CHAPTER).order_by("position").first()
    )
    BlockVisit.objects.update_or_create(
        user_id=user_id, course_key=course_key, block_key=block.usage_key, defaults={"modified": timezone.now()}
    )
    _send_activity(course_key, user_id)


def set_progress(user, course_key, fraction: float):
    """
    Set the user's progress in the course to ``fraction``, rounded up to whole leaves (see
    ``bulk_set_progress``).
    """
    bulk_set_progress(course_key, {_user_id(user): fraction})


def bulk_set_progress(course_key, fractions: Mapping[int, float]):
    """
    Set each user's progress (a fraction, by user id): the first leaves they are shown
    (``learner_blocks``), in course order, are complete, as few as reach the fraction, and the others
    not. Completions kept keep their time; part-done blocks stay part-done unless completed.
    """
    course_key = _course_key(course_key)
    # Keys as text in this loop over many learners: opaque keys are slow to parse and to hash.
    shown = learner_blocks(course_key, fractions)
    leaves = {}
    wanted = {}
    for user_id, fraction in fractions.items():
        in_order = [block.key for block in shown[user_id] if block.block_type in CourseBlock.LEAF_TYPES]
        # Rounded first so that 0.3 of 10 leaves is 3, not the 4 its float product would give.
        wanted[user_id] = set(in_order[: math.ceil(round(fraction * len(in_order), 6))])
    for blocks in {id(blocks): blocks for blocks in shown.values()}.values():
        leaves.update((block.key, block.block_type) for block in blocks if block.block_type in CourseBlock.LEAF_TYPES)
    db_now = connection.ops.adapt_datetimefield_value(timezone.now())
    with transaction.atomic():
        done, part_done = defaultdict(dict), defaultdict(dict)
        for pk, user_id, block_key, completion in BlockCompletion.objects.filter(
            course_key=course_key, user_id__in=wanted
        ).values_list("pk", "user_id", key_text("block_key"), "completion"):
            (done if completion >= 1.0 else part_done)[user_id][block_key] = pk
        stale = {
            pk: user_id for user_id, blocks in done.items() for key, pk in blocks.items() if key not in wanted[user_id]
        }
        finished = {
            pk: user_id for user_id, blocks in part_done.items() for key, pk in blocks.items() if key in wanted[user_id]
        }
        missing = [
            (user_id, str(course_key), key, leaves[key], 1.0, db_now)
            for user_id, keys in wanted.items()
            for key in keys
            if key not in done[user_id] and key not in part_done[user_id]
        ]
        BlockCompletion.objects.filter(pk__in=stale).delete()
        BlockCompletion.objects.filter(pk__in=finished).update(completion=1.0, modified=timezone.now())
        _insert_rows(BlockCompletion, _COMPLETION_FIELDS, missing)
    _send_progress_changed(course_key, set(stale.values()) | set(finished.values()) | {row[0] for row in missing})


def answer_question(user, course_key, question, answer: str) -> bool:
    """
    Record the user's answer to a quiz question, given by its number in the course (from 1) or its
    usage key, and return whether it is correct (case and surrounding space ignored). Counts an
    attempt, completes the problem and regrades the learner, sending ``COURSE_PASSING_STATUS_UPDATED``
    when they start or stop passing.
    """
    course_key, user_id = _course_key(course_key), _user_id(user)
    course = CourseOverview.objects.get(pk=course_key)
    problems = list(CourseBlock.objects.filter(course=course, graded=True).order_by("position"))
    problems_by_reference = {}
    for number, block in enumerate(problems, start=1):
        problems_by_reference[number] = problems_by_reference[str(block.usage_key)] = block
    try:
        problem = problems_by_reference[question if isinstance(question, int) else str(question)]
    except KeyError:
        raise ValueError(f"{course_key} has no quiz question {question}") from None
    correct = answer.strip().casefold() == problem.correct_answer.strip().casefold()
    now = timezone.now()
    with transaction.atomic():
        state, _ = ProblemState.objects.get_or_create(
            user_id=user_id, course_key=course_key, block_key=problem.usage_key
        )
        state.answer, state.correct, state.earned, state.modified = answer, correct, float(correct), now
        state.attempts += 1
        state.save()
        changed = _save_completions(user_id, course_key, {problem.usage_key: problem.block_type})
        now_passing = _regrade(course, user_id)
    _send_activity(course_key, user_id)
    _send_progress_changed(course_key, [user_id] if changed else [])
    if now_passing is not None:
        COURSE_PASSING_STATUS_UPDATED.send_event(
            course_passing_status=CoursePassingStatusData(
                is_passing=now_passing, course=_course_data(course), user=_user_data([user_id])[user_id]
            )
        )
    return correct


def record_scorm_statement(user, course_key, verb: str, activity: str, result: str = "", *, timestamp=None):
    """
    Record a SCORM/xAPI statement of the user in the course: ``verb`` (e.g. "completed"), ``activity``
    (the statement's object) and ``result``; ``timestamp`` defaults to now. The SCORM block saves it as
    the learner's state of the block, which is activity.
    """
    course_key, user_id = _course_key(course_key), _user_id(user)
    ScormStatement.objects.create(
        user_id=user_id,
        course_key=course_key,
        verb=verb,
        object=activity,
        result=result,
        timestamp=timestamp or timezone.now(),
    )
    _send_activity(course_key, user_id)


def clear_learner_state(course_key, user_ids: Iterable[int]):
    """
    Delete each user's completions, problem state, SCORM statements and grade in the course, as the
    LMS's course reset does. Sends nothing: the caller asked for it.
    """
    course_key, user_ids = _course_key(course_key), list(user_ids)
    with transaction.atomic():
        # An item bank's selection is state of the bank, which the reset clears as the platform's does
        # (the next draw, seeded by learner and bank, gives the same leaves again).
        for model in (
            BlockCompletion,
            BlockVisit,
            ProblemState,
            ScormStatement,
            PersistentCourseGrade,
            ItemBankSelection,
        ):
            model.objects.filter(course_key=course_key, user_id__in=user_ids).delete()


def _leaf_types(course_key) -> dict[UsageKey, str]:
    """
    Block type of each leaf of the course, by usage key, in course order.
    """
    return dict(
        CourseBlock.objects.filter(course_id=course_key, block_type__in=CourseBlock.LEAF_TYPES)
        .order_by("position")
        .values_list("usage_key", "block_type")
    )


def _save_completions(user_id, course_key, block_types) -> bool:
    """
    Complete those of the user's blocks (block type by usage key) that are not complete yet (a part-done
    one's record is completed); return whether there were any.
    """
    records = dict(
        BlockCompletion.objects.filter(user_id=user_id, course_key=course_key, block_key__in=block_types).values_list(
            "block_key", "completion"
        )
    )
    complete = {key for key, completion in records.items() if completion >= 1.0}
    part_done = [key for key in records if key not in complete]
    if part_done:
        BlockCompletion.objects.filter(user_id=user_id, course_key=course_key, block_key__in=part_done).update(
            completion=1.0, modified=timezone.now()
        )
    db_now = connection.ops.adapt_datetimefield_value(timezone.now())
    _insert_rows(
        BlockCompletion,
        _COMPLETION_FIELDS,
        [
            (user_id, str(course_key), str(key), block_type, 1.0, db_now)
            for key, block_type in block_types.items()
            if key not in records
        ],
    )
    return len(complete) < len(block_types)


def _send_activity(course_key, user_id):
    learner_activity.send(sender=BlockVisit, user_id=user_id, course_key=course_key)


def _send_progress_changed(course_key, user_ids):
    for user_id in sorted(user_ids):
        progress_changed.send(sender=BlockCompletion, user_id=user_id, course_key=course_key)


def _regrade(course, user_id) -> bool | None:
    """
    Store the user's grade in the course (the share of the graded problems they are shown answered
    correctly); return their new passing state if it changed, else None.
    """
    problems = [block.key for block in learner_blocks(course.id, [user_id])[user_id] if block.graded]
    earned = ProblemState.objects.filter(user_id=user_id, course_key=course.id, block_key__in=problems).aggregate(
        total=Sum("earned")
    )["total"]
    percent = (earned or 0.0) / len(problems) if problems else 0.0
    passed = percent >= course.lowest_passing_grade
    grade, created = PersistentCourseGrade.objects.get_or_create(user_id=user_id, course_key=course.id)
    was_passing = grade.passed and not created
    grade.percent_grade, grade.passed, grade.modified = percent, passed, timezone.now()
    grade.save()
    return passed if passed != was_passing else None


# Certificates


def enrollment_modes(course_key, user_ids: Iterable[int]) -> dict[int, str]:
    """
    The mode of each user's enrollment in the course, active or not, by user id (the LMS's
    ``CourseEnrollment.enrollment_mode_for_user``, which certificates go by); users never enrolled are
    left out.
    """
    return dict(
        CourseEnrollment.objects.filter(course_key=_course_key(course_key), user_id__in=list(user_ids)).values_list(
            "user_id", "mode"
        )
    )


def issue_certificates(course_key, user_ids: Iterable[int]) -> set[int]:
    """
    Issue the course certificate to each enrolled user whose enrollment mode earns one (not audit),
    whatever their grade, as the LMS does for learners on its certificate allowlist: create it or make
    a revoked one downloadable again, sending ``CERTIFICATE_CREATED`` for each. Return those who hold a
    downloadable certificate now; the others are refused. Certificates are made at once, as the LMS's
    generation task does when Celery runs eagerly.
    """
    course = CourseOverview.objects.get(pk=_course_key(course_key))
    now = timezone.now()
    db_now = connection.ops.adapt_datetimefield_value(now)
    with transaction.atomic():
        modes = {
            user_id: mode
            for user_id, mode in enrollment_modes(course.id, user_ids).items()
            if is_eligible_for_certificate(mode)
        }
        certificates = GeneratedCertificate.objects.filter(course_key=course.id, user_id__in=modes)
        statuses = dict(certificates.values_list("user_id", "status"))
        new = modes.keys() - statuses.keys()
        _insert_rows(
            GeneratedCertificate,
            ("user_id", "course_key", "status", "mode", "verify_uuid", "created_date", "modified_date"),
            [
                (
                    user_id,
                    str(course.id),
                    GeneratedCertificate.DOWNLOADABLE,
                    modes[user_id],
                    uuid.uuid4().hex,
                    db_now,
                    db_now,
                )
                for user_id in new
            ],
        )
        revoked = {
            user_id: status for user_id, status in statuses.items() if status == GeneratedCertificate.UNAVAILABLE
        }
        certificates.filter(user_id__in=revoked).update(status=GeneratedCertificate.DOWNLOADABLE, modified_date=now)
    previous = {**dict.fromkeys(new, ""), **revoked}
    _send_certificate_events(CERTIFICATE_CREATED, course, modes, previous, GeneratedCertificate.DOWNLOADABLE)
    return set(modes)


def certificate_pages(course_key, user_ids: Iterable[int]) -> dict[int, str]:
    """
    The path of the page of each user's downloadable certificate in the course (``/certificates/<uuid>``,
    as the LMS's ``get_certificate_url`` gives it), by user id.
    """
    return {
        user_id: reverse("certificate", kwargs={"verify_uuid": verify_uuid})
        for user_id, verify_uuid in GeneratedCertificate.objects.filter(
            course_key=_course_key(course_key), user_id__in=list(user_ids), status=GeneratedCertificate.DOWNLOADABLE
        ).values_list("user_id", "verify_uuid")
    }


def revoke_certificates(course_key, user_ids: Iterable[int]):
    """
    Make each user's downloadable certificate in the course unavailable, sending ``CERTIFICATE_REVOKED``
    for each. The host never issues certificates on its own, so they stay revoked until issued again.
    """
    course = CourseOverview.objects.get(pk=_course_key(course_key))
    with transaction.atomic():
        modes = dict(
            GeneratedCertificate.objects.filter(
                course_key=course.id, user_id__in=list(user_ids), status=GeneratedCertificate.DOWNLOADABLE
            ).values_list("user_id", "mode")
        )
        GeneratedCertificate.objects.filter(course_key=course.id, user_id__in=modes).update(
            status=GeneratedCertificate.UNAVAILABLE, modified_date=timezone.now()
        )
    previous = dict.fromkeys(modes, GeneratedCertificate.DOWNLOADABLE)
    _send_certificate_events(CERTIFICATE_REVOKED, course, modes, previous, GeneratedCertificate.UNAVAILABLE)


def _send_certificate_events(signal, course, modes, previous_statuses, current_status):
    """
    Send ``signal`` for the certificate of each user of ``previous_statuses`` (status before, by user id).
    """
    users = _user_data(previous_statuses)
    course_data = _course_data(course)
    for user_id, previous_status in previous_statuses.items():
        signal.send_event(
            certificate=CertificateData(
                user=users[user_id],
                course=course_data,
                mode=modes[user_id],
                grade="",
                download_url="",
                name=users[user_id].pii.name,
                current_status=current_status,
                previous_status=previous_status,
            )
        )


# Course team and permissions


def grant_role(user, course_key, role: str):
    """
    Give the user a course team role (``staff`` or ``instructor``), sending ``COURSE_ACCESS_ROLE_ADDED``
    if they did not hold it.
    """
    if role not in COURSE_TEAM_ROLES:
        raise ValueError(f"Unknown course role {role!r}; the host knows {COURSE_TEAM_ROLES}.")
    course_key, user_id = _course_key(course_key), _user_id(user)
    _, created = CourseAccessRole.objects.get_or_create(user_id=user_id, course_key=course_key, role=role)
    if created:
        COURSE_ACCESS_ROLE_ADDED.send_event(
            course_access_role_data=CourseAccessRoleData(
                user=_user_data([user_id])[user_id], org_key=course_key.org, course_key=course_key, role=role
            )
        )


def can_manage_course(user, course_key) -> bool:
    """
    Whether the requesting user may use the course's instructor dashboard: an active user who is a
    platform admin or holds a course team role in it.
    """
    if is_platform_admin(user):
        return True
    return (
        bool(user.is_active)
        and CourseAccessRole.objects.filter(
            user_id=user.pk, course_key=_course_key(course_key), role__in=COURSE_TEAM_ROLES
        ).exists()
    )


def is_platform_admin(user) -> bool:
    """
    Whether the requesting user is an active platform admin (global staff or superuser).
    """
    return bool(user.is_active and (user.is_staff or user.is_superuser))


# Messages


def search_users(text: str, limit: int) -> list[int]:
    """
    Ids of up to ``limit`` active users whose name, username or email contains ``text`` (ignoring
    case); those whose username or email starts with it first.
    """
    matching = User.objects.filter(is_active=True).filter(
        Q(username__icontains=text) | Q(email__icontains=text) | Q(profile__name__icontains=text)
    )
    starts = Q(username__istartswith=text) | Q(email__istartswith=text)
    ranked = matching.annotate(rank=Case(When(starts, then=0), default=1, output_field=IntegerField()))
    return list(ranked.order_by("rank", "username").values_list("pk", flat=True)[:limit])


def retire_user(user):
    """
    Retire a user in the order of the LMS's retirement pipeline: first the apps that hold data about
    them erase it (``user_retired``, as ``USER_RETIRE_LMS_MISC`` asks them to), then the account is
    deactivated and its username, email and name replaced with retired values.
    """
    user = User.objects.get(pk=_user_id(user))
    with transaction.atomic():
        user_retired.send(sender=retire_user, user=user)
        # The retirement pipeline deletes what the user's email was allowed to enroll in.
        CourseEnrollmentAllowed.objects.filter(email=user.email).delete()

        # As user_util.get_retired_username/email: a salted SHA-256 of the lowercased original.
        def retired(value):
            return hashlib.sha256(f"{settings.SECRET_KEY}{value.lower()}".encode()).hexdigest()

        retired_email = f"{settings.RETIRED_EMAIL_PREFIX}{retired(user.email)}@{settings.RETIRED_EMAIL_DOMAIN}"
        user.username = f"{settings.RETIRED_USERNAME_PREFIX}{retired(user.username)}"
        user.email = retired_email
        user.is_active = False
        user.set_unusable_password()
        user.save()
        UserProfile.objects.filter(user=user).update(name="", employee_id=None)
        # ManualEnrollmentAudit.retire_manual_enrollments: the records stay, without the address.
        ManualEnrollmentAudit.objects.filter(enrollment__user=user).update(enrolled_email=user.email)
        enrollment_ids = CourseEnrollment.objects.filter(user=user).values_list("pk", flat=True)
        ManualEnrollmentAuditHistory.objects.filter(enrollment_id__in=enrollment_ids).update(enrolled_email=user.email)


# The preference a user's language is kept under (``openedx.core.djangoapps.lang_pref.LANGUAGE_KEY``).
LANGUAGE_KEY = "pref-lang"


def set_preference(user, key: str, value: str):
    """
    Set one of the user's preferences, e.g. ``set_preference(ada, LANGUAGE_KEY, "fr")``.
    """
    UserPreference.objects.update_or_create(user_id=_user_id(user), key=key, defaults={"value": value})


def outbox(user=None) -> list[OutboxMessage]:
    """
    Email sent to the user (or to anyone), oldest first, as the host's email backend kept it
    (``devhost.lms.mail``).
    """
    messages = OutboxMessage.objects.order_by("created", "pk")
    if user is not None:
        messages = messages.filter(user_id=_user_id(user))
    return list(messages)


# Bulk writes


def _insert_rows(model, fields, rows):
    """
    Insert ``rows``, tuples of database-ready values of ``fields``, into ``model``'s table with
    multi-row INSERT statements: about a third of ``bulk_create``'s time on MariaDB, since Django
    would prepare every value of every row on its own where the callers convert shared values once.
    """
    quote = connection.ops.quote_name
    columns = ", ".join(quote(model._meta.get_field(name).column) for name in fields)
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"
    rows = list(rows)
    # In a transaction (the caller's, without a savepoint of its own): outside one, SQLite would commit
    # (and sync to disk) every row on its own.
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH_SIZE):
            cursor.executemany(sql, rows[start : start + BATCH_SIZE])


# Event data


def _user_data(user_ids) -> dict[int, UserData]:
    """
    Open edX event data of the given users, by user id (one query).
    """
    return {
        user_id: UserData(
            id=user_id, is_active=is_active, pii=UserPersonalData(username=username, email=email, name=name or "")
        )
        for user_id, is_active, username, email, name in User.objects.filter(pk__in=list(user_ids)).values_list(
            "pk", "is_active", "username", "email", "profile__name"
        )
    }


def _course_data(course) -> CourseData:
    return CourseData(course_key=course.id, display_name=course.display_name)


def _course_key(value) -> CourseKey:
    return value if isinstance(value, CourseKey) else CourseKey.from_string(value)


def _user_id(user) -> int:
    return getattr(user, "pk", user)
