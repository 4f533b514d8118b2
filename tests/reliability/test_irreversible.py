"""
Irreversible operations: removing a learner from a course (``remove`` with scope ``course`` or
``both``, one learner or a mass action) is refused without an explicit ``confirm: true`` and then
changes nothing; the removal audit record survives what it records; and the history has no way to be
updated or deleted but removal and retirement: not in the plugin's code, not through the REST API, not
in the Django admin (through the REST API: ``test_history_through_the_api.py``).
"""

import ast
import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

import learner_mgmt_plugin
from devhost.lms import api as host
from learner_mgmt_plugin import api
from learner_mgmt_plugin.data import LearnerStatus
from learner_mgmt_plugin.exceptions import ConfirmationRequired
from learner_mgmt_plugin.models import HistoryEvent, RemovalAudit
from test_utils.rest import course_url
from test_utils.snapshots import snapshot

pytestmark = [pytest.mark.figure("Irreversible operations"), pytest.mark.django_db]

# Bodies that do not confirm, and the refusal each gets: a confirmation asked for, or (for what is not a
# yes or a no) the field named as malformed.
NOT_CONFIRMED = [
    ({}, "confirmation_required"),
    ({"confirm": False}, "confirmation_required"),
    ({"confirm": None}, "invalid_input"),
    ({"confirm": "false"}, "confirmation_required"),
    ({"confirm": 0}, "confirmation_required"),
    ({"confirm": "no"}, "confirmation_required"),
    ({"confirm": ""}, "invalid_input"),
]


@pytest.fixture
def seated(ilt_course, learner_in):
    learner_in(ilt_course, LearnerStatus.ENROLLED, username="ann")
    learner_in(ilt_course, LearnerStatus.ENROLLED, username="bob")
    return ilt_course


@pytest.mark.parametrize("scope", ["course", "both"])
@pytest.mark.parametrize(("extra", "error"), NOT_CONFIRMED, ids=repr)
def test_remove_without_confirm_is_refused_and_changes_nothing(staff_client, seated, scope, extra, error, cases):
    before = snapshot(with_host=True)
    single = staff_client.post(course_url(seated, "learners/ann/remove/"), {"scope": scope, **extra}, format="json")
    mass = staff_client.post(
        course_url(seated, "mass-actions/"),
        {"action": "remove", "users": ["ann", "bob"], "scope": scope, **extra},
        format="json",
    )
    for response in (single, mass):
        cases.tried()
        assert (response.status_code, response.json()["error"]) == (400, error), response.content
        if error == "invalid_input":
            assert response.json()["field"] == "confirm"
    assert snapshot(with_host=True) == before
    # The same requests, confirmed, go through.
    confirmed = staff_client.post(
        course_url(seated, "mass-actions/"),
        {"action": "remove", "users": ["ann", "bob"], "scope": scope, "confirm": True},
        format="json",
    )
    assert confirmed.status_code == 200, confirmed.content
    assert sorted(confirmed.json()["done"]) == ["ann", "bob"]


@pytest.mark.parametrize("confirm", [False, None, "true", 1, "yes"])
def test_the_python_api_takes_only_true_as_confirmation(seated, staff, confirm, cases):
    before = snapshot(with_host=True)
    for remove in (
        lambda: api.remove_learner(seated, "ann", actor=staff, scope="course", confirm=confirm),
        lambda: api.run_mass_action(seated, "remove", ["ann", "bob"], actor=staff, scope="both", confirm=confirm),
    ):
        cases.tried()
        with pytest.raises(ConfirmationRequired):
            remove()
    assert snapshot(with_host=True) == before


def test_removing_a_seat_only_needs_no_confirmation(staff_client, seated, cases):
    cases.tried()
    response = staff_client.post(course_url(seated, "learners/ann/remove/"), {"scope": "session"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == LearnerStatus.NOT_STARTED


def test_the_removal_audit_survives_the_removal_reassignment_retirement_and_the_admin(
    staff_client, seated, staff, superuser_client, cases
):
    ann = get_user_model().objects.get(username="ann")
    response = staff_client.post(
        course_url(seated, "learners/ann/remove/"), {"scope": "both", "confirm": True}, format="json"
    )
    assert response.status_code == 204
    assert not HistoryEvent.objects.filter(learner_id=ann.pk, course_key=seated).exists()
    audit = RemovalAudit.objects.get()
    assert (audit.actor_id, audit.learner_id, str(audit.course_key), audit.scope) == (
        staff.pk,
        ann.pk,
        str(seated),
        "both",
    )
    record = snapshot()["RemovalAudit"]

    # Assigned and removed again: a second record; the first is untouched.
    api.assign_course(seated, ["ann"], actor=staff)
    api.remove_learner(seated, "ann", actor=staff, scope="course", confirm=True)
    assert set(record) < set(snapshot()["RemovalAudit"])
    # Retirement erases the learner but keeps the audit (ids only).
    host.retire_user(ann)
    assert set(record) < set(snapshot()["RemovalAudit"])
    # The admin shows it and can neither change nor delete it.
    for name in ("change", "delete"):
        cases.tried()
        url = reverse(f"admin:learner_mgmt_plugin_removalaudit_{name}", args=[audit.pk])
        assert superuser_client.post(url, {"post": "yes", "scope": "session"}).status_code == 403
    cases.tried()
    changelist = reverse("admin:learner_mgmt_plugin_removalaudit_changelist")
    superuser_client.post(changelist, {"action": "delete_selected", "_selected_action": [audit.pk], "post": "yes"})
    assert set(record) < set(snapshot()["RemovalAudit"])


# The history: append-only.


def test_a_saved_history_event_cannot_be_saved_again(seated, cases):
    cases.tried()
    event = HistoryEvent.objects.first()
    event.reason = "rewritten"
    with pytest.raises(ValueError, match="append-only"):
        event.save()


PLUGIN = Path(learner_mgmt_plugin.__file__).parent
# Where the history may be deleted: removal from a course and retirement.
HISTORY_DELETERS = {("_actions.py", "remove"), ("_retirement.py", "retire")}
# Writes a queryset or a related manager has that change or delete rows.
WRITES = ("delete", "update", "bulk_update", "update_or_create")


def functions(tree):
    """
    (qualified name, node) of every function and method of a module, nested ones included, and
    ("<module>", its top-level statements that are neither).
    """
    found = []

    def visit(node, prefix):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                name = f"{prefix}{child.name}"
                if not isinstance(child, ast.ClassDef):
                    found.append((name, child))
                visit(child, f"{name}.")

    visit(tree, "")
    top = [node for node in tree.body if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)]
    return found + [("<module>", ast.Module(body=top, type_ignores=[]))]


def history_mutations():
    """
    (file, function, what) of every function of the plugin's code that may update or delete history
    events: one that mentions them (``HistoryEvent``, a ``.history`` related manager, their table or
    model name in a string) and calls a write (``.delete()``, ``.update()``...) on anything, so that a
    queryset kept in a variable is caught too; one that deletes learners, which their history cascades
    from; raw SQL updating or deleting their table.
    """
    found = set()
    for path in PLUGIN.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for name, function in functions(ast.parse(path.read_text())):
            nodes = list(ast.walk(function))
            texts = [node.value for node in nodes if isinstance(node, ast.Constant) and isinstance(node.value, str)]
            mentions_history = any(
                (isinstance(node, ast.Name) and re.fullmatch(r"_?HistoryEvent", node.id))
                or (isinstance(node, ast.Attribute) and node.attr in ("history", "HistoryEvent"))
                for node in nodes
            ) or any(re.search(r"(?i)historyevent", text) for text in texts)
            mentions_learners = any(
                (isinstance(node, ast.Name) and re.fullmatch(r"_?Learner", node.id))
                or (isinstance(node, ast.Attribute) and node.attr == "Learner")
                for node in nodes
            )
            for node in nodes:
                if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                    if (mentions_history and node.func.attr in WRITES) or (
                        mentions_learners and node.func.attr == "delete"
                    ):
                        found.add((path.name, name, ast.unparse(node)))
            for text in texts:
                if re.search(r"(?i)\b(update|delete)\b.*historyevent", text):
                    found.add((path.name, name, text))
    return found


def test_only_removal_and_retirement_delete_history_in_the_plugins_code(cases):
    mutations = history_mutations()
    cases.tried(len(mutations))
    assert {(file, function) for file, function, _call in mutations} <= HISTORY_DELETERS, mutations
    # Both are there (the scan finds what it looks for).
    assert {(file, function) for file, function, _call in mutations} == HISTORY_DELETERS


def test_the_admin_cannot_change_or_delete_history(superuser_client, seated, cases):
    event = HistoryEvent.objects.first()
    before = snapshot()
    for name, data in (("change", {"reason": "rewritten"}), ("delete", {"post": "yes"})):
        cases.tried()
        url = reverse(f"admin:learner_mgmt_plugin_historyevent_{name}", args=[event.pk])
        assert superuser_client.post(url, data).status_code == 403
    cases.tried()
    changelist = reverse("admin:learner_mgmt_plugin_historyevent_changelist")
    superuser_client.post(changelist, {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"})
    assert snapshot() == before


def test_the_admin_cannot_delete_a_learner_and_with_them_their_history(superuser_client, seated, cases):
    # History events cascade from the learner directory entry: deleting one in the admin would delete
    # the learner's history in every course, which only retirement may do.
    ann = get_user_model().objects.get(username="ann")
    before = snapshot()
    cases.tried()
    url = reverse("admin:learner_mgmt_plugin_learner_delete", args=[ann.pk])
    response = superuser_client.post(url, {"post": "yes"})
    assert response.status_code == 403
    cases.tried()
    changelist = reverse("admin:learner_mgmt_plugin_learner_changelist")
    superuser_client.post(changelist, {"action": "delete_selected", "_selected_action": [ann.pk], "post": "yes"})
    assert snapshot() == before
