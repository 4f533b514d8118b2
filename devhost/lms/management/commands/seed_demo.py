"""
``manage.py seed_demo``: fill the development LMS with a demo of Learner Management.

Three courses, about 230 learners in every status, ILT sessions around today, a platform admin and a
course staff login, and a CSV file to try the import with. Everything goes through the host's Python
API and the plugin's own, as it would happen for real. Running it again changes nothing.

The self-paced course holds what learners are shown differently: a question bank giving each learner
two of its four questions, and a chapter for the supervisors cohort alone; its progress counts what
each learner is shown. It offers a certificate track (verified) beside audit. The site induction
course sets up no mode, so the LMS's default, audit, is all it offers: learners marked complete there
get no certificate, and the list says why.
"""

import datetime
import random

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from devhost.lms import api as host
from learner_mgmt_plugin import api

SELF_PACED = "course-v1:DemoX+Safety101+2026"
ILT = "course-v1:DemoX+Forklift201+2026"
INDUCTION = "course-v1:DemoX+Induction001+2026"
QUESTION_BANK = (
    ("What does a red safety sign mean?", "stop"),
    ("What does a blue safety sign mean?", "mandatory"),
    ("What does a green safety sign mean?", "safe"),
    ("What does a yellow safety sign mean?", "warning"),
)
IMPORT_SAMPLE = settings.BASE_DIR / "var" / "demo_import.csv"
LOGINS = (
    ("admin", "admin", "platform admin"),
    ("staff", "staff", "course staff of the demo courses"),
    ("learner", "learner", "a learner: their assignments at /learner_mgmt/my-learning/"),
)
QUIZ = (
    ("What colour is a fire exit sign?", "green"),
    ("How many steps are there in the lifting routine?", "5"),
    ("Who may switch off a machine guard?", "nobody"),
)


class Command(BaseCommand):
    help = "Seed the development LMS with Learner Management demo data (idempotent)."

    def handle(self, *args, **options):
        if not get_user_model().objects.filter(username="admin").exists():
            with transaction.atomic():
                self._seed(random.Random(2026))
        self._print_logins()

    def _seed(self, rng):
        admin = host.create_user("admin", name="Ada Admin", is_staff=True, password="admin")
        staff = host.create_user("staff", name="Sam Staff", password="staff")
        host.create_course(
            SELF_PACED,
            title="Workplace Safety",
            chapters=("Introduction", "Hazards", "Lifting", "Emergencies"),
            leaves_per_chapter=3,
            quiz_questions=QUIZ,
            scorm=True,
            modes=("audit", "verified"),
            cohort_chapters=(("Leading a safe team", "supervisors"),),
            question_bank=(2, QUESTION_BANK),
        )
        host.create_course(
            ILT,
            title="Forklift Operation (instructor-led)",
            chapters=("Before the session", "Checklists"),
            leaves_per_chapter=3,
            quiz_questions=QUIZ,
            scorm=True,
            modes=("honor",),
        )
        host.create_course(INDUCTION, title="Site Induction", chapters=("Welcome", "Your site"), leaves_per_chapter=2)
        for course_key in (SELF_PACED, ILT, INDUCTION):
            host.grant_role(staff, course_key, "staff")
        api.update_course_settings(SELF_PACED, credits="2")
        api.update_course_settings(ILT, kind="ilt", credits="4")

        names = _names(rng, 235)
        user_ids = host.create_users(
            {"username": username, "name": name, "email": f"{username}@example.com", "is_active": index < 230}
            for index, (username, name) in enumerate(names)
        )
        api.set_employee_ids({user_id: f"E-{index + 1:04d}" for index, user_id in enumerate(user_ids)})
        usernames = [username for username, _ in names]
        self._seed_self_paced(rng, staff, admin, usernames[:120], user_ids[:120])
        self._seed_ilt(rng, staff, usernames[120:200], user_ids[120:200])
        self._seed_induction(staff, usernames[200:230], user_ids[200:230])
        self._seed_learner_login(staff)
        self._write_import_sample(usernames)

    def _seed_self_paced(self, rng, staff, admin, usernames, user_ids):
        # A few enrolled in the audit track on their own before they were assigned the course: marked
        # complete later, they earn no certificate, and the list says why.
        host.bulk_enroll(SELF_PACED, user_ids[108:112], mode="audit")
        # A quarter are supervisors: they alone are shown the chapter on leading a team.
        host.add_to_cohort(SELF_PACED, "supervisors", user_ids[::4])
        soon = timezone.localdate() + datetime.timedelta(days=21)
        api.assign_course(SELF_PACED, usernames[:80], actor=staff, due_date=soon, message="Due before the audit.")
        api.assign_course(SELF_PACED, usernames[80:], actor=admin, required=False)
        leaves = len(host.leaf_keys(SELF_PACED))
        # Started: they opened the course, or watched part of its first video, and have no progress yet.
        first_video = next(block.key for block in host.course_blocks(SELF_PACED) if block.block_type == "video")
        for user_id in user_ids[20:33]:
            host.visit(user_id, SELF_PACED)
        for user_id in user_ids[33:45]:
            host.complete_blocks(user_id, SELF_PACED, [first_video], completion=rng.choice((0.2, 0.4, 0.6)))
        progress = {}
        for user_id in user_ids[45:90]:
            progress[user_id] = rng.randint(3, leaves - 1) / leaves  # XX% Completed
        for user_id in user_ids[90:105]:
            progress[user_id] = 1.0  # Completed on their own
        host.bulk_set_progress(SELF_PACED, progress)
        for user_id in user_ids[45:105]:
            for number, (_question, answer) in enumerate(QUIZ, start=1):
                host.answer_question(user_id, SELF_PACED, number, answer if rng.random() < 0.7 else "not sure")
            host.record_scorm_statement(user_id, SELF_PACED, "experienced", "Safety walk-through")
            host.record_scorm_statement(
                user_id, SELF_PACED, "completed", "Safety walk-through", f"score {rng.randint(60, 100)}"
            )
        api.run_mass_action(SELF_PACED, "mark_complete", usernames[105:115], actor=staff)  # Completed by admin
        for username in usernames[90:95]:
            api.generate_certificate(SELF_PACED, username, actor=staff)

    def _seed_ilt(self, rng, staff, usernames, user_ids):
        now = timezone.now().replace(minute=0, second=0, microsecond=0)

        def session(title, days, capacity, location):
            start = now + datetime.timedelta(days=days)
            return api.create_session(
                ILT,
                title=title,
                start=start,
                end=start + datetime.timedelta(hours=3),
                capacity=capacity,
                location=location,
                instructor="staff",
            ).id

        session("Spring intake (closed)", -120, 20, "Warehouse B")  # beyond the retroactive window
        recent = session("Autumn intake", -30, 25, "Warehouse B")
        today = session("Today's practical", 0, 15, "Yard 2")
        next_week = session("Next week", 7, 20, "https://meet.example.com/forklift")
        session("Next month", 30, 10, "Warehouse B")

        api.assign_course(ILT, usernames, actor=staff, due_date=timezone.localdate() + datetime.timedelta(days=60))
        api.run_mass_action(ILT, "change_session", usernames[:20], actor=staff, session_id=recent)
        api.run_mass_action(ILT, "mark_complete", usernames[:15], actor=staff)  # attended, Completed
        api.run_mass_action(ILT, "change_session", usernames[20:32], actor=staff, session_id=today)
        api.run_mass_action(ILT, "change_session", usernames[32:50], actor=staff, session_id=next_week)
        for username in usernames[15:20]:
            api.mark_no_show(ILT, username, actor=staff, message="We missed you; please book another session.")
        leaves = len(host.leaf_keys(ILT))
        host.bulk_set_progress(ILT, {user_id: rng.randint(1, 4) / leaves for user_id in user_ids[50:62]})

    def _seed_induction(self, staff, usernames, user_ids):
        api.assign_course(
            INDUCTION, usernames, actor=staff, due_date=timezone.localdate() + datetime.timedelta(days=14)
        )
        leaves = len(host.leaf_keys(INDUCTION))
        host.bulk_set_progress(INDUCTION, {user_id: 1 / leaves for user_id in user_ids[10:20]})
        # Marked complete in a course whose only track, audit, earns no certificate.
        api.run_mass_action(INDUCTION, "mark_complete", usernames[:10], actor=staff)

    def _seed_learner_login(self, staff):
        # A learner to sign in as: the safety course required and due soon, the forklift course to book
        # a session of, the induction optional.
        learner = host.create_user("learner", name="Lee Learner", password="learner")
        soon = timezone.localdate() + datetime.timedelta(days=10)
        api.assign_course(SELF_PACED, ["learner"], actor=staff, due_date=soon, message="Due before the audit.")
        api.assign_course(ILT, ["learner"], actor=staff, required=True)
        api.assign_course(INDUCTION, ["learner"], actor=staff, required=False)
        host.visit(learner, SELF_PACED)

    def _write_import_sample(self, usernames):
        sample = IMPORT_SAMPLE
        rows = [
            "email,username,employee_id,due_date",
            f"{usernames[115]}@example.com,,,",
            f",{usernames[116]},,",
            ",,E-0118,",
            "someone.new@example.com,,,",
            ",,E-9999,",
            f"{usernames[231]}@example.com,,,",
            f",{usernames[116]},,",
            f"{usernames[119]}@example.com,,,2001-01-01",
        ]
        sample.write_text("\n".join(rows) + "\n", encoding="utf-8")

    def _print_logins(self):
        self.stdout.write("Learner Management demo: http://127.0.0.1:8000/")
        for username, password, role in LOGINS:
            self.stdout.write(f"  {username} / {password}  ({role})")
        self.stdout.write(f"  A CSV to import (good and failing rows): {IMPORT_SAMPLE}")


FIRST = (
    "Ana",
    "Ben",
    "Chloe",
    "Dev",
    "Elif",
    "Femi",
    "Grace",
    "Hiro",
    "Ines",
    "Jon",
    "Kemal",
    "Lena",
    "Mei",
    "Nia",
    "Omar",
    "Priya",
    "Quinn",
    "Rosa",
    "Sven",
    "Tara",
    "Uma",
    "Victor",
    "Wen",
    "Yara",
    "Zoe",
)
LAST = (
    "Adams",
    "Bakker",
    "Costa",
    "Dubois",
    "Eriksen",
    "Fischer",
    "Garcia",
    "Haddad",
    "Ivanova",
    "Jensen",
    "Kowalski",
    "Lopez",
    "Moreau",
    "Nakamura",
    "Okafor",
    "Patel",
    "Rossi",
    "Schmidt",
    "Tanaka",
    "Weber",
)


def _names(rng, count):
    """
    ``count`` distinct (username, full name) pairs.
    """
    pairs = [(first, last) for first in FIRST for last in LAST]
    rng.shuffle(pairs)
    return [(f"{first}.{last}".lower(), f"{first} {last}") for first, last in pairs[:count]]
