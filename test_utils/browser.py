"""
What the browser tests (``tests/browser/``) share: the demo world they act in and the ways they find
their way around the Learner Management page.
"""

import datetime
import json

from django.utils import timezone

from devhost.lms import api as host
from learner_mgmt_plugin import api
from learner_mgmt_plugin.models import Assignment

SELF_PACED = "course-v1:DemoX+Safety101+2026"
ILT = "course-v1:DemoX+Forklift201+2026"
QUIZ = (("What colour is a fire exit sign?", "green"), ("Who may switch off a machine guard?", "nobody"))


def _course(key, title, chapters):
    host.create_course(
        key,
        title=title,
        chapters=chapters,
        leaves_per_chapter=3,
        quiz_questions=QUIZ,
        scorm=True,
        modes=("audit", "verified"),
    )
    return key


LEARNERS = (
    # username, full name, employee ID
    ("ana.costa", "Ana Costa", "E-1001"),
    ("ben.okafor", "Ben Okafor", "E-1002"),
    ("chloe.lopez", "Chloe Lopez", "E-1003"),
    ("dev.patel", "Dev Patel", "E-1004"),
    ("elif.kaya", "Elif Kaya", "E-1005"),
    ("femi.adams", "Femi Adams", "E-1006"),
    ("grace.weber", "Grace Weber", "E-1007"),
    ("hiro.tanaka", "Hiro Tanaka", "E-1008"),
    ("ines.rossi", "Ines Rossi", "E-1009"),
    ("jon.eriksen", "Jon Eriksen", "E-1010"),
    ("kemal.haddad", "Kemal Haddad", "E-1011"),
    ("lena.fischer", "Lena Fischer", "E-1012"),
)


class World:
    """
    What the tests act on: ``admin`` (platform admin), ``staff`` (course staff of both courses), the
    learners by username, and the two courses.
    """

    self_paced = SELF_PACED
    ilt = ILT

    def __init__(self):
        self.admin = host.create_user("admin", name="Ada Admin", is_staff=True)
        self.staff = host.create_user("staff", name="Sam Staff")
        for key, title, chapters in (
            (SELF_PACED, "Workplace Safety", ("Introduction", "Hazards", "Lifting")),
            (ILT, "Forklift Operation", ("Before the session", "Checklists")),
        ):
            _course(key, title, chapters)
            host.grant_role(self.staff, key, "staff")
        api.update_course_settings(SELF_PACED, credits="2")
        api.update_course_settings(ILT, kind="ilt", credits="4")
        ids = host.create_users(
            {"username": username, "name": name, "email": f"{username}@example.com"} for username, name, _ in LEARNERS
        )
        api.set_employee_ids({user_id: employee_id for user_id, (_, _, employee_id) in zip(ids, LEARNERS)})
        self.users = dict(zip([username for username, _, _ in LEARNERS], ids))
        self.sessions = {}

    def leaves(self, course_key):
        return len(host.leaf_keys(course_key))

    def self_paced_learners(self):
        """
        The self-paced course's learners: two of each status, one overdue, one completed by an admin
        with a certificate; quiz answers and SCORM activity for those who got that far. Kemal enrolled
        in the audit track on his own before he was assigned the course: he earns no certificate.
        """
        names = list(self.users)
        host.enroll(self.users["kemal.haddad"], SELF_PACED, mode="audit")
        soon = timezone.localdate() + datetime.timedelta(days=21)
        api.assign_course(SELF_PACED, names[:8], actor=self.staff, due_date=soon, message="Due before the audit.")
        api.assign_course(SELF_PACED, names[8:12], actor=self.admin, required=False)
        leaves = self.leaves(SELF_PACED)
        host.bulk_set_progress(
            SELF_PACED,
            {
                self.users["ben.okafor"]: 1 / leaves,
                self.users["chloe.lopez"]: 1 / leaves,
                self.users["dev.patel"]: 5 / leaves,
                self.users["elif.kaya"]: 8 / leaves,
                self.users["femi.adams"]: 1.0,
                self.users["ines.rossi"]: 4 / leaves,
            },
        )
        for username in ("dev.patel", "elif.kaya", "femi.adams"):
            for number, (_question, answer) in enumerate(QUIZ, start=1):
                host.answer_question(self.users[username], SELF_PACED, number, answer if number == 1 else "not sure")
            host.record_scorm_statement(
                self.users[username], SELF_PACED, "completed", "Safety walk-through", "score 80"
            )
        api.mark_complete(SELF_PACED, "grace.weber", actor=self.staff)
        # Overdue: a due date that has passed (the API refuses to set one in the past).
        Assignment.objects.filter(course_key=SELF_PACED, learner__user__username="ana.costa").update(
            due_date=timezone.localdate() - datetime.timedelta(days=3)
        )

    def ilt_sessions(self):
        """
        The ILT course's sessions: ended 120 days ago (beyond the retroactive window), 30 days ago
        (within it), next week (20 seats) and next month (one seat).
        """
        now = timezone.now().replace(minute=0, second=0, microsecond=0)

        def session(title, days, capacity, location):
            start = now + datetime.timedelta(days=days)
            end = start + datetime.timedelta(hours=3)
            values = {"title": title, "start": start, "end": end, "capacity": capacity, "location": location}
            return api.create_session(ILT, **values, instructor="staff").id

        self.sessions = {
            "old": session("Spring intake", -120, 20, "Warehouse B"),
            "recent": session("Autumn intake", -30, 25, "Warehouse B"),
            "next_week": session("Next week's practical", 7, 20, "Yard 2"),
            "next_month": session("Next month", 30, 1, "https://meet.example.com/forklift"),
        }
        return self.sessions

    def ilt_learners(self):
        """
        The ILT course's learners: hiro and ines enrolled next week, jon and kemal not seated, lena
        completed (attended the recent session).
        """
        self.ilt_sessions()
        names = ["hiro.tanaka", "ines.rossi", "jon.eriksen", "kemal.haddad", "lena.fischer"]
        api.assign_course(ILT, names, actor=self.staff, due_date=timezone.localdate() + datetime.timedelta(days=60))
        api.run_mass_action(ILT, "change_session", names[:2], actor=self.staff, session_id=self.sessions["next_week"])
        api.change_session(ILT, "lena.fischer", actor=self.staff, session_id=self.sessions["recent"])
        api.mark_complete(ILT, "lena.fischer", actor=self.staff)


# Finding one's way around the page


def row(page, username):
    """
    The learner list's row of ``username``.
    """
    return page.locator(f"tr[data-username='{username}']")


def open_menu(page, username):
    """
    Open the 3-dot menu of ``username``'s row and return the menu.
    """
    row(page, username).get_by_role("button", name="Actions for").click()
    menu = page.get_by_role("menu")
    menu.wait_for()
    return menu


def menu_labels(page, username):
    """
    The labels of ``username``'s menu (opened, read, closed again with Escape).
    """
    menu = open_menu(page, username)
    labels = menu.get_by_role("menuitem").all_inner_texts()
    page.keyboard.press("Escape")
    return labels


def choose(page, username, label):
    """
    Choose ``label`` in the menu of ``username`` and return the dialog it opens.
    """
    open_menu(page, username).get_by_role("menuitem", name=label, exact=True).click()
    dialog = page.get_by_role("dialog")
    dialog.wait_for()
    return dialog


def live_message(page):
    """
    What the page last announced in its polite live region.
    """
    return page.locator("[data-lm=live]")


def selection_count(page):
    """
    The mass-action bar's count of the learners selected ("Learners selected: N").
    """
    return page.locator("[data-lm=selection-count]")


def choose_twice_while_held(page, url, choose):
    """
    Call ``choose`` (what opens a dialog) twice while the answers of requests to ``url`` (a pattern)
    are held back, then let them through: how many such requests the page made.
    """
    held = []
    page.route(url, lambda route: held.append(route))
    for _ in range(2):
        choose()
    for route in held:
        route.continue_()
    page.unroute(url)
    return len(held)


def server_today(page) -> datetime.date:
    """
    The server's date the page was rendered with (its configuration's ``today``): the date the page's
    own checks go by, whatever the browser's clock says, read rather than recomputed so that a test
    running across midnight agrees with it.
    """
    config = page.locator('script[type="application/json"]').first.text_content()
    return datetime.date.fromisoformat(json.loads(config)["today"])
