"""
The Open edX platform as the adapter's tests stand in for it: stand-ins with the real signatures of the
platform APIs the adapter calls (where Ulmo and Verawood differ, ``RELEASES`` has both), installed at
their module paths by the ``lms`` fixture, over in-memory rows of its models and a small course.

Used by ``tests/host/test_openedx.py`` and the contract tests ``tests/host/test_host_contract.py``;
they import its fixtures. Nothing here needs the development host or a database.
"""

import contextlib
import datetime
import json
import sys
import types
from collections import namedtuple
from types import SimpleNamespace
from unittest import mock

import pytest
from django.db.models import Max
from edx_django_utils.cache import TieredCache
from opaque_keys.edx.keys import CourseKey

from learner_mgmt_plugin.host import openedx
from learner_mgmt_plugin.host.openedx import OpenEdxHost

COURSE_KEY = CourseKey.from_string("course-v1:Org+Learn+2026")
OTHER_COURSE_KEY = CourseKey.from_string("course-v1:Org+Other+2026")
T0 = datetime.datetime(2026, 3, 1, 9, 0, tzinfo=datetime.UTC)


def at(minutes):
    return T0 + datetime.timedelta(minutes=minutes)


# Stand-ins with the real signatures of the platform APIs the adapter calls.


def enroll(user, course_key, mode=None, check_access=False, can_upgrade=False, enterprise_uuid=None):
    """common.djangoapps.student.models.CourseEnrollment.enroll (a classmethod)."""


def unenroll(user, course_id, skip_refund=False):
    """common.djangoapps.student.models.CourseEnrollment.unenroll (a classmethod)."""


def reset_student_attempts(
    course_id, student, module_state_key, requesting_user, delete_module=False, emit_signals_and_events=True
):
    """lms.djangoapps.instructor.enrollment.reset_student_attempts."""


def clear_learning_context_completion(user, context_key):
    """completion.models.BlockCompletion.objects.clear_learning_context_completion."""


def clear_user_course_grades(user_id, course_key):
    """lms.djangoapps.grades.api.clear_user_course_grades."""


def prefetch_course_grades(course_key, users):
    """lms.djangoapps.grades.api.prefetch_course_grades."""


def prefetch_course_and_subsection_grades(course_key, users):
    """lms.djangoapps.grades.api.prefetch_course_and_subsection_grades."""


def clear_prefetched_course_grades(course_key):
    """lms.djangoapps.grades.api.clear_prefetched_course_grades."""


class CourseGradeFactory:
    """lms.djangoapps.grades.api.CourseGradeFactory."""

    def read(
        self,
        user,
        course=None,
        collected_block_structure=None,
        course_structure=None,
        course_key=None,
        create_if_needed=True,
    ):
        """Read one user's course grade."""

    def iter(self, users, course=None, collected_block_structure=None, course_key=None, force_update=False):
        """Yield a GradeResult per user."""


GradeResult = namedtuple("GradeResult", ["student", "course_grade", "error"])


def create_or_update_certificate_allowlist_entry(user, course_key, notes, enabled=True):
    """lms.djangoapps.certificates.api.create_or_update_certificate_allowlist_entry."""


def get_certificate_for_user(username, course_key, format_results=True):
    """lms.djangoapps.certificates.api.get_certificate_for_user."""


def get_certificate_invalidation_entry(generated_certificate, invalidated_by=None, notes=None, active=None):
    """lms.djangoapps.certificates.api.get_certificate_invalidation_entry on Verawood: filtered by keywords."""


def get_certificate_invalidation_entry_ulmo(certificate):
    """lms.djangoapps.certificates.api.get_certificate_invalidation_entry on Ulmo: the one entry, active or not."""


def get_allowlist_entry(user, course_key):
    """lms.djangoapps.certificates.api.get_allowlist_entry."""


def remove_allowlist_entry(user, course_key):
    """lms.djangoapps.certificates.api.remove_allowlist_entry: invalidates the certificate, deletes the entry."""


def get_course_blocks(
    user,
    starting_block_usage_key,
    transformers=None,
    collected_block_structure=None,
    allow_start_dates_in_future=False,
    include_completion=False,
    include_has_scheduled_content=False,
):
    """lms.djangoapps.course_blocks.api.get_course_blocks: the course transformed for the user."""


def get_block_structure_manager(course_key):
    """openedx.core.djangoapps.content.block_structure.api.get_block_structure_manager."""


class BlockStructureManager:
    """openedx.core.djangoapps.content.block_structure.manager.BlockStructureManager."""

    def get_collected(self, user=None):
        """The course's collected block structure."""


def bulk_fetch_enrollment_states(users, course_key):
    """common.djangoapps.student.models.CourseEnrollment.bulk_fetch_enrollment_states (a classmethod)."""


def get_enrollment(user, course_key, select_related=None):
    """common.djangoapps.student.models.CourseEnrollment.get_enrollment (a classmethod)."""


class ManualEnrollmentAudit:
    """common.djangoapps.student.models.ManualEnrollmentAudit."""

    @classmethod
    def create_manual_enrollment_audit(cls, user, email, state_transition, reason, enrollment=None, role=None):
        """Record an enrollment change made by ``user``."""


# common.djangoapps.student.models' state transitions of ManualEnrollmentAudit.
UNENROLLED_TO_ENROLLED = "from unenrolled to enrolled"
ENROLLED_TO_UNENROLLED = "from enrolled to unenrolled"


def allow_access(course, user, level, send_email=True):
    """lms.djangoapps.instructor.access.allow_access."""


class CourseOverview:
    """openedx.core.djangoapps.content.course_overviews.models.CourseOverview."""

    @classmethod
    def get_from_id(cls, course_id):
        """The course's overview."""


def get_instructor_dashboard_url(course_key):
    """lms.djangoapps.instructor.views.instructor_dashboard.get_instructor_dashboard_url (Verawood only)."""


def legacy_instructor_dashboard():
    """lms.djangoapps.instructor.toggles.legacy_instructor_dashboard (Verawood only)."""


def anonymous_id_for_user(user, course_id):
    """common.djangoapps.student.models.anonymous_id_for_user."""


def get_scores(course_id, student_id):
    """submissions.api.get_scores: the student's latest scores by item id, reset ones left out."""


def reset_score(student_id, course_id, item_id, clear_state=False, emit_signal=True):
    """submissions.api.reset_score."""


def get_value(val_name, default=None, **kwargs):
    """openedx.core.djangoapps.site_configuration.helpers.get_value: the site's configuration, else the default."""


def get_learning_mfe_home_url(course_key, url_fragment=None, params=None):
    """openedx.features.course_experience.url_helpers.get_learning_mfe_home_url."""


def bulk_cache_cohorts(course_key, users):
    """openedx.core.djangoapps.course_groups.cohorts.bulk_cache_cohorts."""


class BulkRoleCache:
    """common.djangoapps.student.roles.BulkRoleCache."""

    @classmethod
    def prefetch(cls, users):
        """Fill the request cache with the users' roles."""


class BulkCourseTags:
    """openedx.core.djangoapps.user_api.course_tag.api.BulkCourseTags."""

    @classmethod
    def prefetch(cls, course_id, users):
        """Fill the request cache with the users' course tags (split test groups)."""


class PlatformCourseMode:
    """common.djangoapps.course_modes.models.CourseMode."""

    @classmethod
    def modes_for_course_dict(cls, course_id=None, modes=None, **kwargs):
        """The course's unexpired modes by slug; the default mode alone for a course without modes."""

    @classmethod
    def is_eligible_for_certificate(cls, mode_slug, status=None):
        """Every mode but audit."""


# What differs between the releases the adapter supports, by release: the platform's members by path.
RELEASES = {
    "ulmo": {
        (
            "lms.djangoapps.certificates.api",
            "get_certificate_invalidation_entry",
        ): get_certificate_invalidation_entry_ulmo,
    },
    "verawood": {
        ("lms.djangoapps.certificates.api", "get_certificate_invalidation_entry"): get_certificate_invalidation_entry,
        # The instructor dashboard MFE became the default, with a way back (openedx-platform#38396).
        ("lms.djangoapps.instructor.views.instructor_dashboard", "get_instructor_dashboard_url"): (
            get_instructor_dashboard_url
        ),
        ("lms.djangoapps.instructor.toggles", "legacy_instructor_dashboard"): legacy_instructor_dashboard,
    },
}


def get_certificate_url(user_id=None, course_id=None, uuid=None, user_certificate=None):
    """lms.djangoapps.certificates.api.get_certificate_url: the web certificate's path under the LMS."""


def generate_certificate_task(user, course_key, generation_mode=None):
    """lms.djangoapps.certificates.api.generate_certificate_task."""


def create_certificate_invalidation_entry(certificate, user_requesting_invalidation, notes):
    """lms.djangoapps.certificates.api.create_certificate_invalidation_entry."""


class GeneratedCertificate:
    """lms.djangoapps.certificates.models.GeneratedCertificate."""

    status = "downloadable"
    verify_uuid = "0123456789abcdef0123456789abcdef"

    def invalidate(self, mode=None, source=None):
        """Mark the certificate unavailable."""


class CertificateInvalidation:
    """lms.djangoapps.certificates.models.CertificateInvalidation."""

    def deactivate(self):
        """Lift the invalidation."""


class CourseRole:
    """common.djangoapps.student.roles.CourseStaffRole / CourseInstructorRole."""

    def __init__(self, course_key):
        """A course's role."""

    def has_user(self, user, check_user_activation=True):
        """Whether the user holds the role."""

    def add_users(self, *users):
        """Give the role to the users."""

    def users_with_role(self):
        """A queryset of the users holding the role."""


class GlobalStaff:
    """common.djangoapps.student.roles.GlobalStaff."""

    def has_user(self, user):
        """Whether the user is global staff."""


class ModuleStore:
    """What xmodule.modulestore.django.modulestore() returns."""

    def get_course(self, course_key, depth=0, **kwargs):
        """The course block, or None."""


def modulestore():
    """xmodule.modulestore.django.modulestore."""


def display_name_with_default(block):
    """xmodule.block_metadata_utils.display_name_with_default."""


class XBlockCompletionMode:
    """xblock.completable.XBlockCompletionMode: a block's mode is its ``completion_mode``, completable by default."""

    COMPLETABLE = "completable"
    AGGREGATOR = "aggregator"
    EXCLUDED = "excluded"

    @classmethod
    def get_mode(cls, block_class):
        return getattr(block_class, "completion_mode", cls.COMPLETABLE)


class StudentModuleDoesNotExist(Exception):
    """lms.djangoapps.courseware.models.StudentModule.DoesNotExist."""


class CourseEnrollmentException(Exception):
    """common.djangoapps.student.models.CourseEnrollmentException, base of the enrollment refusals."""


class Rows:
    """
    Enough of a Django queryset over in-memory rows for the adapter's queries.
    """

    def __init__(self, rows=()):
        self.rows = list(rows)

    @staticmethod
    def _matches(row, lookups):
        for lookup, value in lookups.items():
            field, _, operator = lookup.partition("__")
            actual = getattr(row, field)
            if operator == "icontains":
                matched = str(value).lower() in str(actual).lower()
            else:
                matched = actual in value if operator == "in" else actual == value
            if not matched:
                return False
        return True

    def filter(self, **lookups):
        return Rows(row for row in self.rows if self._matches(row, lookups))

    def exclude(self, **lookups):
        return Rows(row for row in self.rows if not self._matches(row, lookups))

    def order_by(self, field):
        name = field.lstrip("-")
        return Rows(sorted(self.rows, key=lambda row: getattr(row, name), reverse=field.startswith("-")))

    def values_list(self, *fields, flat=False):
        if flat:
            return [getattr(row, fields[0]) for row in self.rows]
        return [tuple(getattr(row, field) for field in fields) for row in self.rows]

    def values(self, *fields):
        return GroupedRows(self.rows, fields)

    def get(self, **lookups):
        (row,) = self.filter(**lookups).rows
        return row

    def first(self):
        return self.rows[0] if self.rows else None

    def __iter__(self):
        return iter(self.rows)


class GroupedRows:
    """
    ``rows.values(*fields)``: what ``annotate`` aggregates by (the aggregates the adapter uses: Max).
    """

    def __init__(self, rows, fields):
        self.rows, self.fields = rows, fields

    def annotate(self, **aggregates):
        groups = {}
        for row in self.rows:
            groups.setdefault(tuple(getattr(row, field) for field in self.fields), []).append(row)
        results = []
        for key, members in groups.items():
            values = dict(zip(self.fields, key, strict=True))
            for name, aggregate in aggregates.items():
                assert isinstance(aggregate, Max), aggregate
                values[name] = max(getattr(member, aggregate.source_expressions[0].name) for member in members)
            results.append(SimpleNamespace(**values))
        return Rows(results)


def user(user_id, username, email="", is_active=True):
    return SimpleNamespace(id=user_id, username=username, email=email, is_active=is_active, is_authenticated=True)


ADA = user(1, "ada", "ada@example.com")
BOB = user(2, "bob", "bob@example.com")
CYD = user(3, "cyd", "cyd@example.com", is_active=False)
DEE = user(4, "dee")
STAFF = user(9, "staff", "staff@example.com")


class Block:
    """
    A course block as the modulestore hands it out.
    """

    def __init__(self, block_type, block_id, title, children=(), completion_mode=None, **fields):
        self.location = COURSE_KEY.make_usage_key(block_type, block_id)
        self.display_name = title
        self.children = list(children)
        if completion_mode:
            self.completion_mode = completion_mode
        for name, value in fields.items():
            setattr(self, name, value)

    def get_children(self):
        return self.children

    @property
    def usage_id(self):
        return str(self.location)


def aggregator(block_type, block_id, title, children, **fields):
    return Block(block_type, block_id, title, children, completion_mode=XBlockCompletionMode.AGGREGATOR, **fields)


INTRO = Block("html", "intro", "Introduction")
PRACTICE = Block("problem", "practice", "Practice problem")
FORUM = Block("discussion", "forum", "Forum", completion_mode=XBlockCompletionMode.EXCLUDED)
Q1 = Block("problem", "q1", "What is 2 + 2?")
Q2 = Block("problem", "q2", "Pick the primes")
SCORM = Block("scorm", "package", "Safety training")
SECRET = Block("problem", "secret", "Staff-only answer key", visible_to_staff_only=True)

WELCOME = aggregator(
    "chapter",
    "welcome",
    "Welcome",
    [
        aggregator(
            "sequential",
            "basics",
            "Basics",
            [
                aggregator("vertical", "unit1", "Unit 1", [INTRO, PRACTICE, FORUM, SECRET]),
            ],
        ),
    ],
)
QUIZ = aggregator(
    "chapter",
    "quiz",
    "Final quiz",
    [
        aggregator("sequential", "exam", "Exam", [aggregator("vertical", "unit2", "Unit 2", [Q1, Q2])], graded=True),
    ],
)
TRAINING = aggregator(
    "chapter",
    "training",
    "Training",
    [
        aggregator("sequential", "scorm-seq", "SCORM", [aggregator("vertical", "unit3", "Unit 3", [SCORM])]),
    ],
)
STAFF_NOTES = aggregator("chapter", "notes", "Staff notes", [], visible_to_staff_only=True)
COURSE = aggregator("course", "course", "Learning to learn", [WELCOME, QUIZ, TRAINING, STAFF_NOTES])

CHAPTER_IDS = {chapter: str(chapter.location) for chapter in (WELCOME, QUIZ, TRAINING)}


class Structure:
    """
    What get_course_blocks hands out: the blocks of the course a learner is shown. The platform's
    transformers leave out staff-only blocks, and the test says which others it leaves out for the
    learner (bank problems not selected for them, content their groups do not reach), with all they hold.
    """

    def __init__(self, course, hidden=()):
        self.root_block_usage_key = course.location
        self.blocks = {}

        def add(block):
            if block in hidden or getattr(block, "visible_to_staff_only", False):
                return
            self.blocks[block.location] = block
            for child in block.children:
                add(child)

        add(course)

    def get_children(self, usage_key):
        return [child.location for child in self.blocks[usage_key].children if child.location in self.blocks]

    def get_xblock_field(self, usage_key, field_name, default=None):
        return getattr(self.blocks[usage_key], field_name, default)


def platform_modules(modules):
    """
    Fake modules at the given dotted paths (and their parents), holding the given members.
    """
    fake = {}
    for path, members in modules.items():
        parts = path.split(".")
        for depth in range(1, len(parts) + 1):
            name = ".".join(parts[:depth])
            fake.setdefault(name, types.ModuleType(name))
        for member, value in members.items():
            setattr(fake[path], member, value)
    for name, module in fake.items():
        parent, _, child = name.rpartition(".")
        if parent and not hasattr(fake[parent], child):
            setattr(fake[parent], child, module)
    return fake


@pytest.fixture(autouse=True)
def empty_cache():
    TieredCache.dangerous_clear_all_tiers()
    yield
    TieredCache.dangerous_clear_all_tiers()


@pytest.fixture
def users():
    """
    The Django users the adapter finds, by patching the user model it asks for.
    """
    with user_model() as model:
        yield model


@contextlib.contextmanager
def user_model():
    """
    The user model the adapter asks Django for, over in-memory users (Ada, Bob, Cyd, Dee, Staff).
    """
    model = SimpleNamespace(objects=Rows([ADA, BOB, CYD, DEE, STAFF]))
    with mock.patch.object(openedx, "get_user_model", return_value=model):
        yield model


@pytest.fixture(params=sorted(RELEASES))
def release(request):
    """
    The release the platform's stand-ins are of: every test runs against each.
    """
    return request.param


@pytest.fixture
def lms(users, release):  # pylint: disable=redefined-outer-name,unused-argument
    """
    The platform's stand-ins of ``release``, installed at their module paths for the test.
    """
    with installed(release) as platform:
        yield platform


@contextlib.contextmanager
def installed(release):
    """
    The platform's stand-ins of ``release`` (a key of ``RELEASES``), installed at their module paths
    while the block runs; yields their namespace, which tests set up as the platform's state.
    """
    # The release's own members, autospecced, by (module, member); the platform's namespace holds them too.
    differing = {place: mock.create_autospec(function) for place, function in RELEASES[release].items()}
    store = mock.create_autospec(ModuleStore, instance=True)
    store.get_course.side_effect = lambda course_key, depth=0: COURSE if course_key == COURSE_KEY else None
    completions = Rows()
    completions.clear_learning_context_completion = mock.create_autospec(clear_learning_context_completion)
    platform = SimpleNamespace(
        CourseEnrollment=SimpleNamespace(
            objects=Rows(),
            enroll=mock.create_autospec(enroll),
            unenroll=mock.create_autospec(unenroll),
            bulk_fetch_enrollment_states=mock.create_autospec(bulk_fetch_enrollment_states),
            get_enrollment=mock.create_autospec(get_enrollment),
        ),
        ManualEnrollmentAudit=mock.create_autospec(ManualEnrollmentAudit),
        UserPreference=SimpleNamespace(objects=Rows()),
        site_configuration={},
        get_value=mock.create_autospec(get_value),
        get_learning_mfe_home_url=mock.create_autospec(
            get_learning_mfe_home_url,
            side_effect=lambda course_key, url_fragment=None, params=None: (
                f"https://learning.example.com/course/{course_key}/{url_fragment}"
            ),
        ),
        allow_access=mock.create_autospec(allow_access),
        CourseOverview=mock.create_autospec(CourseOverview),
        get_course_blocks=mock.create_autospec(get_course_blocks),
        anonymous_id_for_user=mock.create_autospec(
            anonymous_id_for_user, side_effect=lambda user, course_id: f"anonymous-{user.username}"
        ),
        submissions=SimpleNamespace(
            get_scores=mock.create_autospec(get_scores, return_value={}),
            reset_score=mock.create_autospec(reset_score),
        ),
        get_block_structure_manager=mock.create_autospec(get_block_structure_manager),
        bulk_cache_cohorts=mock.create_autospec(bulk_cache_cohorts),
        BulkRoleCache=mock.create_autospec(BulkRoleCache),
        BulkCourseTags=mock.create_autospec(BulkCourseTags),
        UserProfile=SimpleNamespace(objects=Rows()),
        StudentModule=SimpleNamespace(objects=Rows(), DoesNotExist=StudentModuleDoesNotExist),
        BlockCompletion=SimpleNamespace(objects=completions),
        reset_student_attempts=mock.create_autospec(reset_student_attempts),
        clear_user_course_grades=mock.create_autospec(clear_user_course_grades),
        prefetch_course_grades=mock.create_autospec(prefetch_course_grades),
        prefetch_course_and_subsection_grades=mock.create_autospec(prefetch_course_and_subsection_grades),
        clear_prefetched_course_grades=mock.create_autospec(clear_prefetched_course_grades),
        CourseGradeFactory=mock.create_autospec(CourseGradeFactory),
        create_or_update_certificate_allowlist_entry=mock.create_autospec(create_or_update_certificate_allowlist_entry),
        get_certificate_for_user=mock.create_autospec(get_certificate_for_user, return_value=None),
        **{member: stand_in for (_module, member), stand_in in differing.items()},
        get_allowlist_entry=mock.create_autospec(get_allowlist_entry, return_value=None),
        remove_allowlist_entry=mock.create_autospec(remove_allowlist_entry, return_value=True),
        CourseMode=mock.create_autospec(PlatformCourseMode),
        generate_certificate_task=mock.create_autospec(generate_certificate_task, return_value=True),
        create_certificate_invalidation_entry=mock.create_autospec(create_certificate_invalidation_entry),
        get_certificate_url=mock.create_autospec(
            get_certificate_url,
            side_effect=lambda user_id=None, course_id=None, uuid=None, user_certificate=None: f"/certificates/{uuid}",
        ),
        CourseStaffRole=mock.create_autospec(CourseRole),
        CourseInstructorRole=mock.create_autospec(CourseRole),
        GlobalStaff=mock.create_autospec(GlobalStaff),
        CAN_ENROLL="instructor.enroll",
        store=store,
        modulestore=mock.create_autospec(modulestore, return_value=store),
        display_name_with_default=mock.create_autospec(
            display_name_with_default,
            side_effect=lambda block: block.display_name,
        ),
    )
    # Each learner is shown the course less what ``hidden`` (by user id) leaves out for them.
    platform.hidden = {}
    collected = Structure(COURSE)
    platform.get_block_structure_manager.return_value = mock.create_autospec(BlockStructureManager, instance=True)
    platform.get_block_structure_manager.return_value.get_collected.return_value = collected
    platform.get_course_blocks.side_effect = lambda user, starting_block_usage_key, **options: Structure(
        COURSE, platform.hidden.get(user.id, ())
    )
    platform.CourseMode.modes_for_course_dict.return_value = {"audit": None, "verified": None}
    platform.get_certificate_invalidation_entry.return_value = None
    platform.get_value.side_effect = lambda val_name, default=None, **kwargs: platform.site_configuration.get(
        val_name, default
    )
    # An enrollment stands for the user and course it is of.
    platform.CourseEnrollment.enroll.side_effect = lambda user, course_key, **options: ("enrollment", user.id)
    platform.CourseEnrollment.get_enrollment.side_effect = lambda user, course_key, **options: ("enrollment", user.id)
    platform.CourseOverview.get_from_id.side_effect = lambda course_id: SimpleNamespace(id=course_id)
    platform.CourseOverview.objects = Rows()
    platform.CourseMode.is_eligible_for_certificate.side_effect = lambda mode_slug, status=None: mode_slug != "audit"
    platform.GlobalStaff.return_value.has_user.return_value = False
    platform.CourseStaffRole.return_value.users_with_role.return_value = Rows()
    platform.CourseInstructorRole.return_value.users_with_role.return_value = Rows()
    platform.CourseGradeFactory.return_value.iter.side_effect = lambda found, course_key=None: [
        GradeResult(learner, platform.grades.get(learner.id), None) for learner in found
    ]
    platform.grades = {}
    members = {
        "common.djangoapps.student.models": {
            "CourseEnrollment": platform.CourseEnrollment,
            "UserProfile": platform.UserProfile,
            "CourseEnrollmentException": CourseEnrollmentException,
            "anonymous_id_for_user": platform.anonymous_id_for_user,
            "ManualEnrollmentAudit": platform.ManualEnrollmentAudit,
            "UNENROLLED_TO_ENROLLED": UNENROLLED_TO_ENROLLED,
            "ENROLLED_TO_UNENROLLED": ENROLLED_TO_UNENROLLED,
        },
        "lms.djangoapps.instructor.access": {"allow_access": platform.allow_access},
        "openedx.core.djangoapps.lang_pref": {"LANGUAGE_KEY": "pref-lang"},
        "openedx.core.djangoapps.user_api.models": {"UserPreference": platform.UserPreference},
        "openedx.core.djangoapps.site_configuration.helpers": {"get_value": platform.get_value},
        "openedx.features.course_experience.url_helpers": {
            "get_learning_mfe_home_url": platform.get_learning_mfe_home_url
        },
        "openedx.core.djangoapps.content.course_overviews.models": {"CourseOverview": platform.CourseOverview},
        "submissions": {"api": platform.submissions},
        "common.djangoapps.student.roles": {
            "CourseStaffRole": platform.CourseStaffRole,
            "CourseInstructorRole": platform.CourseInstructorRole,
            "GlobalStaff": platform.GlobalStaff,
            "BulkRoleCache": platform.BulkRoleCache,
        },
        "lms.djangoapps.course_blocks.api": {"get_course_blocks": platform.get_course_blocks},
        "openedx.core.djangoapps.content.block_structure.api": {
            "get_block_structure_manager": platform.get_block_structure_manager
        },
        "openedx.core.djangoapps.course_groups.cohorts": {"bulk_cache_cohorts": platform.bulk_cache_cohorts},
        "openedx.core.djangoapps.user_api.course_tag.api": {"BulkCourseTags": platform.BulkCourseTags},
        "lms.djangoapps.instructor.permissions": {"CAN_ENROLL": platform.CAN_ENROLL},
        "lms.djangoapps.instructor.enrollment": {"reset_student_attempts": platform.reset_student_attempts},
        "lms.djangoapps.courseware.models": {"StudentModule": platform.StudentModule},
        "lms.djangoapps.grades.api": {
            name: getattr(platform, name)
            for name in (
                "CourseGradeFactory",
                "clear_user_course_grades",
                "prefetch_course_grades",
                "prefetch_course_and_subsection_grades",
                "clear_prefetched_course_grades",
            )
        },
        "lms.djangoapps.certificates.api": {
            name: getattr(platform, name)
            for name in (
                "create_or_update_certificate_allowlist_entry",
                "get_certificate_for_user",
                "generate_certificate_task",
                "create_certificate_invalidation_entry",
                "get_certificate_url",
                "get_allowlist_entry",
                "remove_allowlist_entry",
            )
        },
        "common.djangoapps.course_modes.models": {"CourseMode": platform.CourseMode},
        "completion.models": {"BlockCompletion": platform.BlockCompletion},
        "xmodule.modulestore.django": {"modulestore": platform.modulestore},
        "xmodule.block_metadata_utils": {"display_name_with_default": platform.display_name_with_default},
        "xblock.completable": {"XBlockCompletionMode": XBlockCompletionMode},
    }
    for (module, member), stand_in in differing.items():
        members.setdefault(module, {})[member] = stand_in
    with mock.patch.dict(sys.modules, platform_modules(members)):
        yield platform


@pytest.fixture
def no_platform():
    """
    A Python where none of the platform's packages can be imported.
    """
    blocked = {name: None for name in ("lms", "common", "openedx", "xmodule", "xblock", "completion")}
    with mock.patch.dict(sys.modules, blocked):
        yield


@pytest.fixture
def host():
    return OpenEdxHost()


def completion(learner, block, value, modified):
    return SimpleNamespace(
        user_id=learner.id, context_key=COURSE_KEY, block_key=block.location, completion=value, modified=modified
    )


def student_module(learner, block, state, modified=T0):
    return SimpleNamespace(
        student_id=learner.id,
        course_id=COURSE_KEY,
        module_type=block.location.block_type,
        module_state_key=block.location,
        state=json.dumps(state),
        modified=modified,
    )
