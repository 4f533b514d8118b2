"""
Imports, mass actions and assignments as jobs: inline or in the background with the same result, each chunk
applied exactly once however often a run is retried or interrupted.
"""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.db import OperationalError, transaction
from django.utils import timezone
from user_tasks.models import UserTaskArtifact, UserTaskStatus

from devhost.lms import api as host
from devhost.lms.models import ManualEnrollmentAudit
from learner_mgmt_plugin import api, tasks
from learner_mgmt_plugin._internal import _assigning, _jobs
from learner_mgmt_plugin.data import HistoryKind, JobState, LearnerStatus
from learner_mgmt_plugin.exceptions import NotFound
from learner_mgmt_plugin.host import get_host
from learner_mgmt_plugin.models import BulkJob, BulkJobChunk, HistoryEvent

HEADINGS = "email,username,employee_id,due_date"


def csv_of(usernames, extra=()):
    return "\n".join((HEADINGS, *(f",{name},," for name in usernames), *extra)).encode()


@pytest.fixture
def small_chunks(jobs_in_background):
    jobs_in_background(above=4, chunk_size=3)


@pytest.fixture
def learners(make_users):
    make_users(10)
    return [f"learner{number}" for number in range(1, 11)]


def test_a_small_import_runs_inline(course, staff, learners, small_chunks):
    job = api.submit_import(course, csv_of(learners[:4]), actor=staff)
    assert (job.state, job.completed_steps, job.total_steps) == (JobState.SUCCEEDED, 2, 2)
    assert job.import_result.imported == 4
    assert api.get_import(course, job.id) == job


def test_a_large_import_runs_in_the_background_with_the_same_result(
    course, other_course, staff, learners, small_chunks, django_capture_on_commit_callbacks
):
    data = csv_of(learners, extra=[",ghost,,", f",{learners[0]},,"])
    inline = api.import_assignments(other_course, data, actor=staff)

    with django_capture_on_commit_callbacks(execute=True):
        queued = api.submit_import(course, data, actor=staff)
    assert (queued.state, queued.completed_steps, queued.total_steps) == (JobState.PENDING, 0, 4)

    done = api.get_import(course, queued.id)
    assert (done.state, done.completed_steps) == (JobState.SUCCEEDED, 4)
    assert done.import_result == inline
    assert [(failure.row, failure.reason) for failure in inline.failures] == [
        (12, "Username not found"),
        (13, "Duplicate of row 2."),
    ]
    # django-user-tasks has the progress and the file of rows not imported.
    status = UserTaskStatus.objects.get()
    assert (status.state, status.completed_steps, status.total_steps, status.user) == ("Succeeded", 4, 4, staff)
    artifact = UserTaskArtifact.objects.get(status=status)
    assert artifact.file.read().decode() == api.non_imported_file(course, queued.id)[1]


def test_the_file_of_rows_not_imported_is_replaced_only_when_its_rewrite_commits(
    course, staff, learners, small_chunks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        queued = api.submit_import(course, csv_of(learners, extra=[",ghost,,"]), actor=staff)
    artifact = UserTaskArtifact.objects.get()
    first = artifact.file.name
    storage = artifact.file.storage

    with pytest.raises(RuntimeError), transaction.atomic():
        _jobs.save_non_imported_artifact(queued.id, artifact.status)
        raise RuntimeError("A later step of the same change fails.")
    artifact.refresh_from_db()
    assert artifact.file.name == first and storage.exists(first)

    with django_capture_on_commit_callbacks(execute=True):
        _jobs.save_non_imported_artifact(queued.id, artifact.status)
    artifact.refresh_from_db()
    assert artifact.file.name != first and not storage.exists(first)
    assert artifact.file.read().decode() == api.non_imported_file(course, queued.id)[1]


def test_a_large_mass_action_runs_in_the_background(
    course, staff, learners, small_chunks, django_capture_on_commit_callbacks
):
    api.assign_course(course, learners, actor=staff)
    with django_capture_on_commit_callbacks(execute=True):
        queued = api.submit_mass_action(course, "mark_complete", learners + ["ghost"], actor=staff)
    assert queued.state == JobState.PENDING

    done = api.get_mass_action(course, queued.id)
    assert done.state == JobState.SUCCEEDED
    assert sorted(done.mass_action_result.done) == sorted(learners)
    assert [fail.username for fail in done.mass_action_result.failed] == ["ghost"]
    assert api.list_learners(course).status_counts[LearnerStatus.COMPLETED] == 10


def test_a_user_deactivated_before_a_background_assignment_runs_is_not_enrolled(
    course, staff, learners, small_chunks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as queueing:
        queued = api.submit_assignment(course, learners, actor=staff)
    assert (queued.state, queued.total_steps) == (JobState.PENDING, 4)
    get_user_model().objects.filter(username=learners[4]).update(is_active=False)
    for queue_the_task in queueing:  # the submission commits; its task runs now
        queue_the_task()

    result = api.get_assignment(course, queued.id).assignment_result
    assert result.assigned == tuple(learners[:4] + learners[5:])
    assert [(failure.identifier, failure.reason) for failure in result.failed] == [
        (learners[4], str(_assigning.DEACTIVATED))
    ]
    user_id = get_user_model().objects.get(username=learners[4]).pk
    assert host.enrollment_modes(course, [user_id]) == {}


def test_an_interrupted_run_resumes_without_applying_anything_twice(course, staff, learners, small_chunks, monkeypatch):
    real_import_chunk = _assigning.import_chunk
    calls = []

    def crash_on_the_second_chunk(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("worker lost")
        return real_import_chunk(*args, **kwargs)

    monkeypatch.setattr(_assigning, "import_chunk", crash_on_the_second_chunk)
    job = BulkJob.objects.get(pk=_queued_import(course, staff, csv_of(learners + [learners[1]])).id)
    with pytest.raises(RuntimeError):
        api.run_job(job.pk)
    assert api.job_progress(job.pk).completed_steps == 1

    monkeypatch.setattr(_assigning, "import_chunk", real_import_chunk)
    first = api.run_job(job.pk)
    again = api.run_job(job.pk)

    assert first == again and first.state == JobState.SUCCEEDED
    result = first.import_result
    assert (result.imported, [(f.row, f.reason) for f in result.failures]) == (10, [(12, "Duplicate of row 3.")])
    assigned = HistoryEvent.objects.filter(course_key=course, kind=HistoryKind.ASSIGNED)
    assert assigned.count() == 10 and assigned.values("learner").distinct().count() == 10


def test_a_chunks_learners_are_enrolled_ahead_of_its_transaction_once_whatever_stops_it(
    course, staff, learners, small_chunks, monkeypatch
):
    def crash(*args, **kwargs):
        raise RuntimeError("worker lost")

    monkeypatch.setattr(_assigning, "import_chunk", crash)
    job_id = _queued_import(course, staff, csv_of(learners)).id
    with pytest.raises(RuntimeError):
        api.run_job(job_id)
    # The first chunk's learners were enrolled, each in a transaction of the LMS's, before it crashed;
    # nothing of the plugin's was written.
    user_ids = list(get_user_model().objects.filter(username__in=learners).order_by("pk").values_list("pk", flat=True))
    assert sorted(host.enrollment_modes(course, user_ids)) == user_ids[:3]
    assert not HistoryEvent.objects.exists()

    monkeypatch.undo()
    assert api.run_job(job_id).import_result.imported == 10
    assert sorted(host.enrollment_modes(course, user_ids)) == user_ids
    enrolled = ManualEnrollmentAudit.objects.filter(enrollment__course_key=course)
    assert enrolled.count() == 10 and enrolled.values("enrollment").distinct().count() == 10


def test_a_chunk_under_a_live_claim_is_left_to_its_lane_and_taken_over_once_the_claim_expires(
    course, staff, learners, small_chunks
):
    job_id = _queued_import(course, staff, csv_of(learners)).id
    api.start_job(job_id)
    held = _jobs._claim(BulkJob.objects.get(pk=job_id), "another-lane")

    api.run_job_lane(job_id, lane="this-lane")
    assert list(BulkJobChunk.objects.filter(job_id=job_id, done_at__isnull=True)) == [held]

    BulkJobChunk.objects.filter(pk=held.pk).update(claimed_until=timezone.now() - datetime.timedelta(seconds=1))
    api.run_job_lane(job_id, lane="this-lane")
    assert api.run_job(job_id).import_result.imported == 10


def test_a_lane_delivered_again_takes_its_own_claim_back_at_once(course, staff, learners, small_chunks):
    job_id = _queued_import(course, staff, csv_of(learners)).id
    api.start_job(job_id)
    _jobs._claim(BulkJob.objects.get(pk=job_id), "task-1")  # then the worker running task-1 died

    api.run_job_lane(job_id, lane="task-1")
    assert api.job_progress(job_id).completed_steps == 4


def test_two_lanes_on_the_same_chunk_apply_it_once(course, staff, learners, small_chunks):
    job_id = _queued_import(course, staff, csv_of(learners)).id
    api.start_job(job_id)
    job = BulkJob.objects.get(pk=job_id)
    first = _jobs._claim(job, "slow-lane")
    BulkJobChunk.objects.filter(pk=first.pk).update(claimed_until=timezone.now() - datetime.timedelta(seconds=1))
    second = _jobs._claim(job, "next-lane")
    assert second == first

    ctx = _jobs.load_course(course)
    with _jobs.changing(ctx.course_key):  # as a lane runs
        _jobs._apply(ctx, job, first.pk, _jobs._resolve_import(job, first.items))
        _jobs._apply(ctx, job, second.pk, _jobs._resolve_import(job, second.items))
    assert HistoryEvent.objects.filter(kind=HistoryKind.ASSIGNED).count() == 3


def test_enrolling_ahead_that_fails_is_left_to_the_chunks_transaction(
    course, staff, learners, small_chunks, monkeypatch
):
    adapter = get_host()
    real_enroll = adapter.enroll
    calls = []

    def deadlock_ahead(*args, **kwargs):
        calls.append(args[1])  # the users
        if not transaction.get_connection().in_atomic_block:
            raise OperationalError(1213, "Deadlock found when trying to get lock")
        return real_enroll(*args, **kwargs)

    monkeypatch.setattr(type(adapter), "enroll", lambda self, *args, **kwargs: deadlock_ahead(*args, **kwargs))
    job = api.run_job(_queued_import(course, staff, csv_of(learners)).id)

    assert job.import_result.imported == 10
    assert len(calls) == 8  # four chunks: refused ahead, then enrolled in the chunk's transaction
    user_ids = get_user_model().objects.filter(username__in=learners).values_list("pk", flat=True)
    assert len(host.enrollment_modes(course, user_ids)) == 10


def _queued_import(course, staff, data):
    # Submitted but not run: its run is in our hands.
    return api.submit_import(course, data, actor=staff)


def test_jobs_of_other_courses_and_unknown_ids_are_not_found(course, other_course, staff, learners, small_chunks):
    job = api.submit_import(course, csv_of(learners[:2]), actor=staff)
    for course_key, job_id in ((other_course, job.id), (course, "not-a-uuid"), (course, "0" * 32)):
        with pytest.raises(NotFound):
            api.get_import(course_key, job_id)
    with pytest.raises(NotFound):
        api.get_mass_action(course, job.id)
    with pytest.raises(NotFound):
        api.non_imported_file(course, job.id)  # nothing failed


def test_a_failing_inline_run_is_marked_failed(course, staff, learners, small_chunks, monkeypatch):
    monkeypatch.setattr(_assigning, "import_chunk", lambda *args, **kwargs: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        api.submit_import(course, csv_of(learners[:2]), actor=staff)
    job = BulkJob.objects.get()
    assert (job.state, job.error) == (JobState.FAILED, _jobs.FAILED_MESSAGE)


@pytest.mark.parametrize("error", [ZeroDivisionError("division by zero"), OperationalError(2013, "Lost connection")])
def test_a_background_run_that_fails_for_good_is_marked_failed_without_its_detail(
    course, staff, learners, small_chunks, monkeypatch, error
):
    calls = []

    def fail(*args, **kwargs):
        calls.append(1)
        raise error

    monkeypatch.setattr(_assigning, "import_chunk", fail)
    queued = _queued_import(course, staff, csv_of(learners))
    # As a worker runs it; a database error is retried, so it fails for good on the last retry.
    last_try = tasks.run_job.max_retries if isinstance(error, OperationalError) else 0
    outcome = tasks.run_job.apply(kwargs={"user_id": staff.pk, "job_id": str(queued.id)}, retries=last_try, throw=False)

    assert outcome.failed()
    done = api.get_import(course, queued.id)
    assert (done.state, done.error) == (JobState.FAILED, _jobs.FAILED_MESSAGE)
    assert str(error) not in done.error
    assert len(calls) == 1


def test_starting_a_job_marks_the_duplicates_of_the_whole_file_in_its_chunks_and_allows_lanes_once(
    course, staff, learners, small_chunks, settings
):
    settings.LEARNER_MGMT_JOB_PARALLEL_CHUNKS = 3
    # Row 5 names learner3 again, in the chunk after row 4's; row 12 names learner1 again, by email, in the last.
    data = csv_of(learners, extra=[f"{learners[0]}@example.com,,,"]).replace(b",learner4,,", b",learner3,,")
    job = BulkJob.objects.get(pk=_queued_import(course, staff, data).id)

    assert (_jobs.start(job.pk), _jobs.start(job.pk)) == (2, 0)
    job.refresh_from_db()
    problems = [(row[0], row[-1]) for chunk in job.chunks.order_by("index") for row in chunk.items if row[-1]]
    assert problems == [(5, "Duplicate of row 4."), (12, "Duplicate of row 2.")]
    assert job.state == JobState.RUNNING


def test_a_lane_applies_chunks_and_leaves_closing_the_job_to_its_own_run(course, staff, learners, small_chunks):
    job_id = _queued_import(course, staff, csv_of(learners)).id
    api.start_job(job_id)

    api.run_job_lane(job_id)
    assert (api.job_progress(job_id).state, api.job_progress(job_id).completed_steps) == (JobState.RUNNING, 4)
    progress = []
    done = api.run_job(job_id, on_progress=progress.append)

    assert (done.state, done.import_result.imported, progress) == (JobState.SUCCEEDED, 10, [4])
    assert HistoryEvent.objects.filter(kind=HistoryKind.ASSIGNED).count() == 10
    api.run_job_lane(job_id)  # delivered again once the job is done: nothing happens
    assert HistoryEvent.objects.filter(kind=HistoryKind.ASSIGNED).count() == 10
