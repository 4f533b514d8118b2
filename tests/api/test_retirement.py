"""
A user the LMS retires is erased from the plugin's tables.
"""

from devhost.lms import api as host
from learner_mgmt_plugin import api
from learner_mgmt_plugin.data import LearnerStatus
from learner_mgmt_plugin.models import Assignment, Attempt, BulkJobChunk, HistoryEvent, Learner, RemovalAudit, Seat


def test_retirement_erases_the_learner_everywhere(course, ilt_course, sessions, staff, learner_in, make_learner):
    learner = learner_in(ilt_course, LearnerStatus.ENROLLED, username="leaving")
    api.assign_course(course, ["leaving"], actor=staff)
    api.set_employee_ids({learner.pk: "E-GONE"})
    api.run_mass_action(course, "mark_complete", ["leaving", "ghost"], actor=staff)
    api.import_assignments(
        course, b"email,username,employee_id,due_date\nleaving@example.com,,,2001-01-01\n", actor=staff
    )
    stayer = learner_in(course, LearnerStatus.STARTED, username="staying")
    api.remove_learner(course, "staying", actor=staff, scope="course", confirm=True)
    learner_in(course, LearnerStatus.STARTED, username="other")

    host.retire_user(learner)

    for model, field in (
        (Assignment, "learner_id"),
        (Seat, "learner_id"),
        (HistoryEvent, "learner_id"),
        (Learner, "user_id"),
        (Attempt, "assignment__learner_id"),
    ):
        assert not model.objects.filter(**{field: learner.pk}).exists(), model
    reports = str(list(BulkJobChunk.objects.values_list("result", "items")))
    assert "leaving" not in reports and "E-GONE" not in reports and "ghost" in reports
    # Others are untouched; the audit of an earlier removal keeps its ids.
    assert api.get_learner(course, "other").status == LearnerStatus.STARTED
    assert RemovalAudit.objects.filter(learner_id=stayer.pk).exists()
