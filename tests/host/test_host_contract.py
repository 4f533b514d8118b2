"""
The host port's contract, held by both adapters: each scenario here runs against the development LMS
(``DevLmsHost`` over its database) and against the Open edX adapter over the platform's stand-ins, of
Ulmo and of Verawood (``test_utils.openedx_platform``), set up to behave as the platform does. What a
course team sees must not depend on which of them the plugin runs on, so the two cannot drift apart.

A scenario builds its world through a ``Platform`` (users, a course, enrollments, cohorts, completions,
the site's enrollment filters) and then asks only the port.
"""

from types import SimpleNamespace

import pytest
from opaque_keys.edx.keys import CourseKey

from devhost.lms import api as devhost
from devhost.lms.adapter import DevLmsHost
from learner_mgmt_plugin.data import CertificateOutcome, CertificateStatus, CourseMode, MessageRecipient
from learner_mgmt_plugin.host.openedx import OpenEdxHost
from test_utils.filters import RefuseBlockedUsers, RefuseUnenrollingBlockedUsers, filters_config
from test_utils.openedx_platform import (  # noqa: F401  (fixtures)
    COURSE_KEY,
    RELEASES,
    Block,
    CourseEnrollmentException,
    Rows,
    Structure,
    aggregator,
    completion,
    empty_cache,
    installed,
    student_module,
    user,
    user_model,
)
from test_utils.openedx_platform import at as moment

# The development LMS keeps its world in the database; the stand-ins need none.
pytestmark = pytest.mark.django_db

REFUSED = "Enrollment is closed for this learner."
KEPT = "Mandatory training: this learner stays enrolled."
BANK_QUESTIONS = (("Red means?", "stop"), ("Green means?", "go"))


class DevPlatform:
    """
    The development LMS: the world is its database.
    """

    def __init__(self, settings):
        self.host = DevLmsHost()
        self.settings = settings
        self.course_key = None

    def user(self, username, *, active=True, email=True, language=None):
        user_id = devhost.create_user(username, name=username.title(), is_active=active).pk
        if not email:
            devhost.User.objects.filter(pk=user_id).update(email="")
        if language:
            devhost.set_preference(user_id, devhost.LANGUAGE_KEY, language)
        return user_id

    def course(self, modes=()):
        """
        "Basics" (two lessons), "Leaders" (two lessons, the managers cohort only), "Question bank"
        (one of two problems for each learner).
        """
        self.course_key = devhost.create_course(
            str(COURSE_KEY),
            title="Contract",
            chapters=("Basics",),
            leaves_per_chapter=2,
            cohort_chapters=(("Leaders", "managers"),),
            question_bank=(1, BANK_QUESTIONS),
            modes=modes,
        )
        return self.course_key

    def enrollment(self, user_id):
        row = devhost.CourseEnrollment.objects.filter(user_id=user_id, course_key=self.course_key).first()
        return (row.mode, row.is_active) if row else None

    def add_to_cohort(self, user_id, cohort):
        devhost.add_to_cohort(self.course_key, cohort, [user_id])

    def complete_everything_shown(self, user_id):
        devhost.set_progress(user_id, self.course_key, 1.0)

    def complete_chapter(self, user_id, title):
        blocks = devhost.learner_blocks(self.course_key, [user_id])[user_id]
        chapter = next(block for block in blocks if block.display_name == title and block.block_type == "chapter")
        devhost.complete_blocks(
            user_id,
            self.course_key,
            [block.key for block in blocks if block.chapter_id == chapter.pk and block.block_type != "itembank"],
        )

    def open_first_section(self, user_id):
        devhost.visit(user_id, self.course_key)

    def watch_part_of_first_lesson(self, user_id):
        devhost.complete_blocks(user_id, self.course_key, devhost.leaf_keys(self.course_key)[:1], completion=0.5)

    def refuse_blocked(self):
        self.settings.OPEN_EDX_FILTERS_CONFIG = filters_config(
            CourseEnrollmentStarted=RefuseBlockedUsers, CourseUnenrollmentStarted=RefuseUnenrollingBlockedUsers
        )


class OpenEdxPlatform:
    """
    The Open edX platform's stand-ins, behaving as the platform does for what the scenarios ask: the
    world is their in-memory rows, and the course's block structure as each learner is shown it.
    """

    def __init__(self, lms, users):
        self.host = OpenEdxHost()
        self.lms = lms
        self.users = users.objects.rows
        self.users.clear()
        self.cohorts = {}
        self.refusing = False
        self.modes = ()
        self.certificates = {}
        lms.CourseEnrollment.objects = Rows()
        lms.BlockCompletion.objects.rows = []
        lms.StudentModule.objects = Rows()
        lms.UserPreference.objects = Rows()
        lms.UserProfile.objects = Rows()
        lms.CourseEnrollment.enroll.side_effect = self._enroll
        lms.CourseEnrollment.unenroll.side_effect = self._unenroll
        lms.get_course_blocks.side_effect = lambda user, key, **options: Structure(self.tree, self._hidden(user.id))
        lms.get_certificate_for_user.side_effect = lambda username, course_key, format_results=True: (
            self.certificates.get(username)
        )
        lms.generate_certificate_task.side_effect = self._generate
        lms.CourseMode.modes_for_course_dict.side_effect = lambda course_id: dict.fromkeys(self.modes or ("audit",))

    def user(self, username, *, active=True, email=True, language=None):
        user_id = len(self.users) + 1
        self.users.append(user(user_id, username, f"{username}@example.com" if email else "", is_active=active))
        self.lms.UserProfile.objects.rows.append(SimpleNamespace(user_id=user_id, name=username.title()))
        if language:
            self.lms.UserPreference.objects.rows.append(
                SimpleNamespace(user_id=user_id, key="pref-lang", value=language)
            )
        return user_id

    def course(self, modes=()):
        self.modes = modes
        self.lms.CourseOverview.objects.rows.append(SimpleNamespace(id=COURSE_KEY, display_name="Contract"))
        self.lessons = {
            title: [Block("html", f"{title.lower()}{n}", f"Lesson {n}") for n in (1, 2)]
            for title in ("Basics", "Leaders")
        }
        self.problems = [Block("problem", f"q{n}", question) for n, (question, _) in enumerate(BANK_QUESTIONS, 1)]

        def chapter(title, children, **fields):
            slug = title.lower().replace(" ", "-")
            unit = aggregator("vertical", f"{slug}-unit", title, children)
            return aggregator(
                "chapter", slug, title, [aggregator("sequential", f"{slug}-seq", title, [unit], **fields)]
            )

        bank = aggregator("itembank", "bank", "Question bank", self.problems)
        self.chapters = {
            "Basics": chapter("Basics", self.lessons["Basics"]),
            "Leaders": chapter("Leaders", self.lessons["Leaders"]),
            "Question bank": chapter("Question bank", [bank], graded=True),
        }
        self.tree = aggregator("course", "course", "Contract", list(self.chapters.values()))
        return COURSE_KEY

    def _hidden(self, user_id):
        # The platform's transforms for the learner: the cohort chapter unless they are in the cohort,
        # and the bank's problem not selected for them (the selection: one problem, by learner).
        hidden = {self.problems[user_id % 2]}
        if self.cohorts.get(user_id) != "managers":
            hidden.add(self.chapters["Leaders"])
        return hidden

    def _user(self, user_id):
        return next(person for person in self.users if person.id == user_id)

    def _enroll(self, person, course_key, mode=None, **options):
        if self.refusing and person.username.startswith("blocked"):
            raise CourseEnrollmentException(REFUSED)  # EnrollmentNotAllowed
        rows = self.lms.CourseEnrollment.objects.rows
        rows[:] = [row for row in rows if row.user_id != person.id]
        rows.append(SimpleNamespace(user_id=person.id, course_id=course_key, mode=mode or "audit", is_active=True))
        return rows[-1]

    def _unenroll(self, person, course_id, skip_refund=False):
        if self.refusing and person.username.startswith("blocked"):
            raise CourseEnrollmentException(KEPT)  # UnenrollmentNotAllowed
        for row in self.lms.CourseEnrollment.objects.rows:
            if row.user_id == person.id:
                row.is_active = False

    def _generate(self, person, course_key, generation_mode=None):
        # Celery eager, as the development LMS: the allowlisted learner's certificate is made at once.
        self.certificates[person.username] = SimpleNamespace(
            status="downloadable", username=person.username, verify_uuid=f"{person.id:032x}"
        )
        return True

    def enrollment(self, user_id):
        row = next((row for row in self.lms.CourseEnrollment.objects.rows if row.user_id == user_id), None)
        return (row.mode, row.is_active) if row else None

    def add_to_cohort(self, user_id, cohort):
        self.cohorts[user_id] = cohort

    def _complete(self, user_id, blocks):
        self.lms.BlockCompletion.objects.rows += [
            completion(self._user(user_id), block, 1.0, moment(1)) for block in blocks
        ]

    def complete_everything_shown(self, user_id):
        shown = Structure(self.tree, self._hidden(user_id)).blocks.values()
        self._complete(user_id, [block for block in shown if not block.children])

    def complete_chapter(self, user_id, title):
        self._complete(user_id, self.lessons[title])

    def open_first_section(self, user_id):
        # The courseware saves the learner's position in the section's sequence.
        sequence = self.chapters["Basics"].children[0]
        self.lms.StudentModule.objects.rows.append(student_module(self._user(user_id), sequence, {"position": 1}))

    def watch_part_of_first_lesson(self, user_id):
        self.lms.BlockCompletion.objects.rows.append(
            completion(self._user(user_id), self.lessons["Basics"][0], 0.5, moment(2))
        )

    def refuse_blocked(self):
        self.refusing = True


@pytest.fixture(params=["devhost", *(f"openedx-{release}" for release in sorted(RELEASES))])
def platform(request, settings):
    """
    The scenario's platform: the development LMS, or Open edX's stand-ins of one release.
    """
    if request.param == "devhost":
        yield DevPlatform(settings)
        return
    with user_model() as users, installed(request.param.removeprefix("openedx-")) as lms:
        yield OpenEdxPlatform(lms, users)


def test_a_course_without_modes_offers_the_default_audit_track_which_earns_no_certificate(platform):
    course = platform.course()
    assert platform.host.course_modes(course) == (CourseMode("audit", False),)


def test_the_modes_a_course_offers_and_which_earn_a_certificate(platform):
    course = platform.course(modes=("audit", "verified"))
    assert platform.host.course_modes(course) == (CourseMode("audit", False), CourseMode("verified", True))


def test_enrolling_in_a_mode_leaves_active_enrollments_and_reports_refusals(platform):
    course = platform.course(modes=("audit", "verified"))
    amy, blocked = platform.user("amy"), platform.user("blocked_bo")
    platform.refuse_blocked()

    assert platform.host.enroll(course, [amy, blocked], "verified", actor_id=None) == {blocked: REFUSED}
    assert platform.host.enroll(course, [amy], "audit", actor_id=None) == {}

    assert (platform.enrollment(amy), platform.enrollment(blocked)) == (("verified", True), None)


def test_unenrolling_reports_refusals_and_leaves_those_enrolled(platform):
    course = platform.course(modes=("verified",))
    amy = platform.user("amy")
    platform.host.enroll(course, [amy], "verified", actor_id=None)
    blocked = platform.user("blocked_bo")
    platform.host.enroll(course, [blocked], "verified", actor_id=None)
    platform.refuse_blocked()

    assert platform.host.unenroll(course, [amy, blocked], actor_id=None) == {blocked: KEPT}
    assert (platform.enrollment(amy), platform.enrollment(blocked)) == (("verified", False), ("verified", True))


def test_certificates_follow_the_learners_track(platform):
    course = platform.course(modes=("audit", "verified"))
    verified, auditor, stranger = platform.user("vera"), platform.user("aud"), platform.user("stranger")
    platform.host.enroll(course, [verified], "verified", actor_id=None)
    platform.host.enroll(course, [auditor], "audit", actor_id=None)

    outcomes = platform.host.generate_certificates(course, [verified, auditor, stranger])

    page = outcomes[verified].url
    assert outcomes == {
        verified: CertificateOutcome(CertificateStatus.GENERATED, "verified", page),
        auditor: CertificateOutcome(CertificateStatus.NOT_ELIGIBLE, "audit"),
        stranger: CertificateOutcome(CertificateStatus.DECLINED, ""),
    }
    # The certificate's page in the LMS, which certificate_urls gives too.
    assert page.startswith("http://127.0.0.1:8000/certificates/")
    assert platform.host.certificate_urls(course, [verified, auditor, stranger]) == {verified: page}


def test_progress_chapters_and_quizzes_count_what_each_learner_is_shown(platform):
    course = platform.course()
    amy, max_ = platform.user("amy"), platform.user("max")
    platform.add_to_cohort(max_, "managers")

    platform.complete_everything_shown(amy)
    platform.complete_chapter(max_, "Basics")

    # Amy: two lessons and her one problem. Max: the two Leaders lessons too.
    assert platform.host.progress(course, [amy, max_]) == {amy: 1.0, max_: pytest.approx(2 / 5)}
    chapters = platform.host.chapter_progress(course, [amy, max_])
    assert [(chapter.title, chapter.progress) for chapter in chapters[amy]] == [("Basics", 100), ("Question bank", 100)]
    assert [(chapter.title, chapter.progress) for chapter in chapters[max_]] == [
        ("Basics", 100),
        ("Leaders", 0),
        ("Question bank", 0),
    ]
    [quiz] = platform.host.quiz_results(course, [amy])[amy]
    assert quiz.title == "Question bank" and len(quiz.questions) == 1


def test_a_visit_and_a_part_done_block_are_activity_not_progress(platform):
    course = platform.course()
    visitor, watcher, idle = platform.user("vic"), platform.user("wes"), platform.user("ida")

    platform.open_first_section(visitor)
    platform.watch_part_of_first_lesson(watcher)

    assert platform.host.progress(course, [visitor, watcher, idle]) == {}
    assert set(platform.host.last_activity(course, [visitor, watcher, idle])) == {visitor, watcher}
    chapters = platform.host.chapter_progress(course, [watcher])[watcher]
    assert [chapter.progress for chapter in chapters] == [0, 0]


def test_course_titles_are_read_at_once_and_unknown_courses_left_out(platform):
    course = platform.course()
    unknown = CourseKey.from_string("course-v1:Nobody+Nothing+2026")

    assert platform.host.course_titles([course, unknown]) == {course: "Contract"}


def test_messages_go_to_active_learners_with_an_address_in_their_language(platform):
    platform.course()
    amy = platform.user("amy", language="fr")
    bob, gone, mute = platform.user("bob"), platform.user("gone", active=False), platform.user("mute", email=False)

    assert platform.host.message_recipients([amy, bob, gone, mute]) == {
        amy: MessageRecipient(email="amy@example.com", name="Amy", language="fr"),
        bob: MessageRecipient(email="bob@example.com", name="Bob", language=None),
    }
