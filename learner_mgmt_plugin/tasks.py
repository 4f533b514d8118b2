"""
Celery tasks: the background runs of imports and mass actions, the messages to learners and the daily
reminders.

A job's run is a django-user-tasks task: its status records the progress (one step per chunk) and,
for an import with failed rows, the ``Non_Imported_List_YYYY-MM-DD.csv`` as an artifact (the LMS
mounts no user task API of its own, only Studio does; the plugin's REST API serves both). It starts
up to ``LEARNER_MGMT_JOB_PARALLEL_CHUNKS - 1`` lane tasks that apply the job's chunks beside it, on
whichever workers of the queue are free, then applies chunks itself, waits for the lanes' last ones
and closes the job. Tasks take primitive arguments only, acknowledge late and retry on database
hiccups (a deadlock among them): a chunk is applied once, whichever lanes claim it, so redelivery
never applies anything twice. Each run claims chunks under its task's id, which a redelivered task
keeps: it takes its chunk back at once; a chunk whose lane is gone for good is claimed again once
the claim expires.
"""

import inspect
import logging

from celery import shared_task
from django.db import InterfaceError, OperationalError
from django.utils import timezone
from edx_django_utils.monitoring import set_code_owner_attribute
from user_tasks.models import UserTaskStatus
from user_tasks.tasks import UserTask

from . import api
from .conf import app_settings

log = logging.getLogger(__name__)


class LearnerMgmtJobTask(UserTask):  # pylint: disable=abstract-method
    """
    A Learner Management job as a user task: named after it, with one step per chunk.
    """

    @classmethod
    def arguments_as_dict(cls, *args, **kwargs):
        # set_code_owner_attribute wraps the task function: name its arguments from the function itself.
        return inspect.getcallargs(inspect.unwrap(cls.run), None, *args, **kwargs)

    @staticmethod
    def calculate_total_steps(arguments_dict):
        return api.job_progress(arguments_dict["job_id"]).total_steps

    @classmethod
    def generate_name(cls, arguments_dict):
        job = api.job_progress(arguments_dict["job_id"])
        return f"Learner Management {job.kind.value.replace('_', ' ')} in {job.course_key}"

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        # Celery calls this once the task has failed for good: on an error, or when the retries on
        # database errors ran out. The job is marked failed, or it would show as running forever.
        log.error("Learner management job %s failed: %r", kwargs.get("job_id"), exc)
        api.fail_job(kwargs["job_id"])
        super().on_failure(exc, task_id, args, kwargs, einfo)


# A job's tasks: acknowledged once done (a worker lost mid-task leaves it to be delivered again) and
# retried on database errors, a deadlock among them.
JOB_TASK_OPTIONS = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": (OperationalError, InterfaceError),
    "retry_backoff": True,
    "max_retries": 5,
}


@shared_task(base=LearnerMgmtJobTask, bind=True, **JOB_TASK_OPTIONS)
@set_code_owner_attribute
def run_job(self, user_id, job_id):  # pylint: disable=unused-argument
    """
    Run a job (user_id is whoever submitted it, for django-user-tasks), with lanes beside it the first
    time. Database errors are retried; ``on_failure`` marks the job failed once the task has failed
    for good.
    """
    lanes = api.start_job(job_id)
    # Run in-process (eagerly), a lane would run to its end before this line returns: nothing to share.
    for _lane in range(0 if self.request.is_eager else lanes):
        run_job_lane.apply_async(kwargs={"job_id": job_id}, queue=app_settings.CELERY_QUEUE)
    status = self.status

    def show_progress(done):
        UserTaskStatus.objects.filter(pk=status.pk).update(completed_steps=done, modified=timezone.now())

    api.run_job(job_id, on_progress=show_progress, user_task=status, lane=self.request.id)


@shared_task(bind=True, ignore_result=True, **JOB_TASK_OPTIONS)
@set_code_owner_attribute
def run_job_lane(self, job_id):
    """
    Apply chunks of a running job until none is left to claim. A lane that fails for good leaves its
    chunk to the job's own run, which claims it once the lane's claim has expired.
    """
    api.run_job_lane(job_id, lane=self.request.id)


def enqueue(user_id, job_id):
    """
    Queue a job run on the queue ``LEARNER_MGMT_CELERY_QUEUE`` names (the LMS's default one if None).
    """
    run_job.apply_async(kwargs={"user_id": user_id, "job_id": job_id}, queue=app_settings.CELERY_QUEUE)


@shared_task(ignore_result=True)
@set_code_owner_attribute
def send_reminders():
    """
    The task of the Celery beat entry ``LEARNER_MGMT_REMINDERS_SCHEDULE`` sets up: send the reminders
    and overdue notices owed today (``send_learner_mgmt_reminders`` does the same).
    """
    sent = api.send_reminders()
    log.info("Learner management sent %s reminders and %s overdue notices", sent.reminders, sent.overdue_notices)


# How often a message that was not delivered is tried again, and how long the first wait is (doubled
# each time). A message that is never delivered (a policy of the site denies it) stops there.
MESSAGE_RETRIES = 5
MESSAGE_RETRY_SECONDS = 60


@shared_task(bind=True, acks_late=True, ignore_result=True, max_retries=MESSAGE_RETRIES)
@set_code_owner_attribute
def send_learner_messages(self, kind, course_key, user_ids, context):
    """
    Send the message ``kind`` to each of the users (through edx-ace); try again later, for those it
    could not be delivered to, until the retries run out. The retry is scheduled rather than raised:
    nothing failed that its caller (the change that called for the message) should hear of.
    """
    undelivered = api.send_learner_messages(kind, course_key, user_ids, context)
    if not undelivered:
        return
    if self.request.retries >= self.max_retries:
        log.error("Learner management gave up sending %s in %s to users %s", kind, course_key, undelivered)
        return
    arguments = {"kind": kind, "course_key": course_key, "user_ids": undelivered, "context": context}
    return self.retry(kwargs=arguments, countdown=MESSAGE_RETRY_SECONDS * 2**self.request.retries, throw=False)
