"""
Certificates as the LMS issues them: learners are enrolled in a mode that earns one, a learner whose
mode earns none is told so plainly, and an attempt records what the LMS did, not what was asked.
"""

import pytest

from devhost.lms import api as host
from devhost.lms.adapter import DevLmsHost
from devhost.lms.models import CourseEnrollment, GeneratedCertificate
from learner_mgmt_plugin import api
from learner_mgmt_plugin.data import CertificateOutcome, CertificateStatus, HistoryKind, LearnerStatus
from learner_mgmt_plugin.exceptions import Conflict
from test_utils.courses import create_test_course
from test_utils.snapshots import snapshot

AUDIT_NOTE = "No certificate: the learner is enrolled in the audit track, which earns no certificate."


def enrolled_mode(course_key, user):
    return CourseEnrollment.objects.get(course_key=course_key, user=user).mode


@pytest.mark.parametrize(
    ("offered", "configured", "mode"),
    [
        # A course with a certificate track: the learner gets it, one needing no ID check first.
        (("audit", "verified"), None, "verified"),
        (("audit", "verified", "honor"), None, "honor"),
        # A course that offers only audit (or sets up no mode): the LMS's default.
        (("audit",), None, "audit"),
        ((), None, "audit"),
        # LEARNER_MGMT_ENROLLMENT_MODE, where the course offers it.
        (("audit", "verified"), "audit", "audit"),
        (("audit", "verified"), "professional", "verified"),
    ],
)
def test_assigned_learners_are_enrolled_in_a_mode_that_earns_a_certificate(
    staff, make_learner, settings, offered, configured, mode
):
    settings.LEARNER_MGMT_ENROLLMENT_MODE = configured
    course = create_test_course("course-v1:TestX+Modes+2026", "Modes", modes=offered)
    host.grant_role(staff, course, "staff")
    learner = make_learner("amy")

    api.assign_course(course, ["amy"], actor=staff)

    assert enrolled_mode(course, learner) == mode


def test_a_learner_already_enrolled_keeps_their_mode(course, staff, make_learner):
    learner = make_learner("amy")
    host.enroll(learner, course, mode="audit")  # on their own, in the course's default track

    api.assign_course(course, ["amy"], actor=staff, due_date=None)

    assert enrolled_mode(course, learner) == "audit"


@pytest.fixture
def auditor(course, staff, make_learner):
    """
    Amy, who enrolled in the audit track on her own before the course team assigned her the course.
    """
    learner = make_learner("amy")
    host.enroll(learner, course, mode="audit")
    api.assign_course(course, ["amy"], actor=staff)
    return learner


def test_marking_an_audit_learner_complete_says_why_there_is_no_certificate(course, staff, auditor):
    row = api.mark_complete(course, "amy", actor=staff)

    assert row.status == LearnerStatus.COMPLETED
    assert (row.certificate.status, row.certificate.mode, row.certificate.note) == (
        CertificateStatus.NOT_ELIGIBLE,
        "audit",
        AUDIT_NOTE,
    )
    [event] = [event for event in api.get_history(course, "amy").events if event.kind.startswith("certificate")]
    assert (event.kind, event.details) == (
        HistoryKind.CERTIFICATE_REQUESTED,
        {"status": "not_eligible", "mode": "audit"},
    )
    assert not GeneratedCertificate.objects.exists()
    # Nothing to remove; asking again stays possible once the learner changes track.
    assert "generate_certificate" in row.actions and "remove_certificate" not in row.actions


def test_generating_the_certificate_of_an_audit_learner_is_refused_plainly(course, staff, auditor):
    api.mark_complete(course, "amy", actor=staff)
    before = snapshot(with_host=True)

    with pytest.raises(Conflict) as error:
        api.generate_certificate(course, "amy", actor=staff)

    assert str(error.value) == AUDIT_NOTE
    assert snapshot(with_host=True) == before


def test_a_certificate_the_lms_is_still_generating_is_requested_until_it_is_issued(
    course, staff, make_learner, monkeypatch
):
    # The LMS generates certificates in a task of its own: when asked, it has not made one yet.
    def generating(self, course_key, user_ids):
        return {user_id: CertificateOutcome(CertificateStatus.REQUESTED, "verified") for user_id in user_ids}

    learner = make_learner("amy")
    api.assign_course(course, ["amy"], actor=staff)
    with monkeypatch.context() as patched:
        patched.setattr(DevLmsHost, "generate_certificates", generating)
        row = api.mark_complete(course, "amy", actor=staff)
    assert (row.certificate.status, row.certificate.note) == (
        CertificateStatus.REQUESTED,
        "The LMS is generating the certificate.",
    )
    assert "remove_certificate" in row.actions

    host.issue_certificates(course, [learner.pk])  # the LMS's task runs: CERTIFICATE_CREATED

    row = api.get_learner(course, "amy")
    assert (row.certificate.status, row.certificate.note) == (CertificateStatus.GENERATED, "")
    kinds = [event.kind for event in api.get_history(course, "amy").events]
    assert kinds[:2] == [HistoryKind.CERTIFICATE_GENERATED, HistoryKind.CERTIFICATE_REQUESTED]


def test_a_learner_in_a_certificate_track_gets_a_generated_one(course, staff, make_learner):
    learner = make_learner("amy")
    api.assign_course(course, ["amy"], actor=staff)

    row = api.mark_complete(course, "amy", actor=staff)

    assert (row.certificate.status, row.certificate.mode, row.certificate.note) == (
        CertificateStatus.GENERATED,
        "verified",
        "",
    )
    assert GeneratedCertificate.objects.get(user=learner).status == "downloadable"


def test_a_generated_certificate_is_viewed_on_its_lms_page(course, staff, make_learner, client):
    make_learner("amy", name="Amy Pond")
    api.assign_course(course, ["amy"], actor=staff)

    row = api.mark_complete(course, "amy", actor=staff)

    assert "view_certificate" in row.actions
    assert row.certificate.url.startswith("http://127.0.0.1:8000/certificates/")
    page = client.get(row.certificate.url.removeprefix("http://127.0.0.1:8000"))
    assert page.status_code == 200 and "Amy Pond" in page.content.decode()
    [attempt] = api.get_history(course, "amy").attempts
    assert attempt.certificate_url == row.certificate.url

    row = api.remove_certificate(course, "amy", actor=staff)

    assert (row.certificate.url, "view_certificate" in row.actions) == ("", False)
    assert client.get(page.request["PATH_INFO"]).status_code == 404


def test_a_certificate_the_lms_issues_later_gets_its_page(course, staff, make_learner, monkeypatch):
    def generating(self, course_key, user_ids):
        return {user_id: CertificateOutcome(CertificateStatus.REQUESTED, "verified") for user_id in user_ids}

    learner = make_learner("amy")
    api.assign_course(course, ["amy"], actor=staff)
    with monkeypatch.context() as patched:
        patched.setattr(DevLmsHost, "generate_certificates", generating)
        assert api.mark_complete(course, "amy", actor=staff).certificate.url == ""

    host.issue_certificates(course, [learner.pk])

    row = api.get_learner(course, "amy")
    assert row.certificate.url.startswith("http://127.0.0.1:8000/certificates/")
    assert "view_certificate" in row.actions
