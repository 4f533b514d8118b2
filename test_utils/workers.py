"""
Real Celery workers of the development host for the tests that need one: started as a separate
process on a queue of the test's own, with Redis as the broker and the test's MariaDB database.
"""

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from django.db import connection

from devhost import celery_app

REPO = Path(__file__).resolve().parents[1]


@contextlib.contextmanager
def real_broker(url):
    """
    Send this process's tasks to the broker at ``url`` instead of running them eagerly, for the block.

    The app's connection and producer pools are dropped on the way in and out: made by an earlier
    test's eager task, they would keep sending to that test's broker (``memory://``), where no worker
    ever looks.
    """

    def drop_pools():
        celery_app._pool = None  # pylint: disable=protected-access
        celery_app.amqp._producer_pool = None  # pylint: disable=protected-access

    eager, previous = celery_app.conf.task_always_eager, celery_app.conf.broker_url
    celery_app.conf.task_always_eager, celery_app.conf.broker_url = False, url
    drop_pools()
    try:
        yield
    finally:
        celery_app.conf.task_always_eager, celery_app.conf.broker_url = eager, previous
        drop_pools()


@contextlib.contextmanager
def redis_broker(url):
    """
    Redis at ``url`` (a database of the caller's own: it is emptied before and after) as the broker of
    this process's tasks for the block (``real_broker``); yields the connection to it. Fails the test
    if Redis does not answer.
    """
    broker = redis.Redis.from_url(url)
    try:
        broker.ping()
    except redis.ConnectionError as error:
        pytest.fail(f"Redis must run at {url} for this test ({error})")
    broker.flushdb()
    try:
        with real_broker(url):
            yield broker
    finally:
        broker.flushdb()
        broker.close()


class Worker:
    """
    One ``celery worker`` process (solo pool: the task runs in the process itself, so SIGKILL kills it
    mid-task), logging to ``log``, with ``environment`` added to this process's.
    """

    def __init__(self, queue, broker, log: Path, settings_module="devhost.settings", environment=None):
        self.log = log
        environment = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": settings_module,
            "DEVHOST_DB": "mariadb",
            "DEVHOST_DB_NAME": connection.settings_dict["NAME"],
            "DEVHOST_CELERY_EAGER": "false",
            "CELERY_BROKER_URL": broker,
            # The tasks the worker queues itself (messages after a chunk) go where it listens.
            "DEVHOST_CELERY_QUEUE": queue,
            **(environment or {}),
        }
        command = [sys.executable, "-m", "celery", "-A", "devhost", "worker", "-Q", queue, "--pool", "solo"]
        command += ["--loglevel", "INFO", "--without-heartbeat", "--without-mingle", "--without-gossip"]
        with open(log, "a", encoding="utf-8") as output:
            self.process = subprocess.Popen(command, cwd=REPO, env=environment, stdout=output, stderr=output)

    def alive(self) -> bool:
        return self.process.poll() is None

    def kill(self) -> None:
        """
        SIGKILL: no shutdown, no acknowledgement, no rollback but the database's own.
        """
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.alive():
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


def wait_until(condition, *, timeout, interval=0.2, what="the condition"):
    """
    Poll ``condition`` until it returns something true, and return that; AssertionError after ``timeout`` s.
    """
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        assert time.monotonic() < deadline, f"{what}: not after {timeout} s"
        time.sleep(interval)
