"""The whole worker is killed (kill -9) in the middle of a background job: the job's heartbeat stops, the stale
job detector re-queues it, a new worker runs it to done once, and the broker's re-delivery of the original
message (after the visibility timeout) changes nothing.

A real Celery worker (solo pool: the task runs in the process that is killed) on a private redis-server,
sharing the test database: PostgreSQL only (.ci/run's third step)."""
import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone, translation

from poc.jobs import recover_stale, start_job
from poc.models import JobState
from review.models import Expert
from tests.factories import officer
from tests.review.factories import ExpertFactory

from .conftest import needs_redis_server

ROOT = Path(__file__).resolve().parents[2]
VISIBILITY = 5  # seconds, for the test: the broker hands an unacknowledged task on after this

pytestmark = [
    needs_redis_server,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
                       reason="needs PostgreSQL, so that a worker process shares the test database"),
]


def database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def start_worker(redis, tmp_path, name):
    log = tmp_path / f"{name}.log"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "0", "SECRET_KEY": "w" * 50,
           "DATABASE_URL": database_url(), "CELERY_BROKER_URL": redis.url, "CELERY_RESULT_BACKEND": redis.url,
           "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY), "CELERY_UNACKED_RESTORE_INTERVAL": "1",
           "CELERY_UNACKED_MUTEX_EXPIRE": str(VISIBILITY), "PRIVATE_MEDIA_ROOT": str(tmp_path / "private_media"),
           "LOG_FORMAT": "text"}
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "--without-gossip",
         "--without-mingle", "--without-heartbeat", "--loglevel=INFO", "-n", f"{name}@%h"],
        cwd=ROOT, env=env, stdout=open(log, "w"), stderr=subprocess.STDOUT)
    wait_for(lambda: "ready." in log.read_text(), 60, f"the worker {name} did not start: {log}")
    return process, log


def wait_for(condition, seconds, message):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(message)


def state(job):
    job.refresh_from_db()
    return job.state


def test_a_job_whose_worker_was_killed_is_requeued_and_done_once(private_redis, settings, tmp_path):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = private_redis.url
    staff = officer()
    ExpertFactory.create_batch(3)
    first, log = start_worker(private_redis, tmp_path, "first")
    replacement = None
    # Another session holds the experts' table: the job starts, claims itself, then waits on the table.
    blocker = psycopg.connect(database_url().replace("postgres://", "postgresql://"), autocommit=False)
    try:
        blocker.execute(f'LOCK TABLE "{Expert._meta.db_table}" IN ACCESS EXCLUSIVE MODE')
        with translation.override("en"):  # the job speaks its starter's language
            job = start_job(staff, "expert-pool-export", "review.tasks.export_expert_pool")
        wait_for(lambda: state(job) == JobState.RUNNING, 30, f"the job never started: {log.read_text()[-2000:]}")

        os.kill(first.pid, signal.SIGKILL)  # the whole worker, mid-job
        first.wait(10)
    finally:
        blocker.rollback()
        blocker.close()

    job.refresh_from_db()
    assert job.state == JobState.RUNNING and job.attempts == 1  # the user would see "running" forever

    started = time.monotonic()
    assert recover_stale(now=timezone.now() + timedelta(seconds=settings.JOB_STALE_AFTER + 1)) == {
        "requeued": 1, "failed": 0}
    job.refresh_from_db()
    assert job.state == JobState.QUEUED and job.message == "The server running this job stopped; the job was started again."
    try:
        replacement, log = start_worker(private_redis, tmp_path, "replacement")
        wait_for(lambda: state(job) == JobState.DONE, 60, f"the job was not done: {log.read_text()[-2000:]}")
        print(f"worker killed: the re-queued job was done {time.monotonic() - started:.1f} s after the detector ran")
        done = (job.result.name, job.finished_at, job.attempts)
        assert job.attempts == 2 and job.result

        # the original message, never acknowledged, comes back after the visibility timeout: nothing changes
        wait_for(lambda: log.read_text().count("succeeded") >= 2, VISIBILITY + 90,
                 f"the unacknowledged message was not re-delivered: {log.read_text()[-2000:]}")
        print(f"the killed worker's message was re-delivered {time.monotonic() - started:.1f} s after the detector ran")
        runs = [line for line in log.read_text().splitlines() if "export_expert_pool" in line and "succeeded" in line]
        assert sorted(line.rsplit(":", 1)[-1].strip() for line in runs) == ["False", "True"], runs
        job.refresh_from_db()
        assert (job.result.name, job.finished_at, job.attempts) == done and job.state == JobState.DONE
        assert len(list((tmp_path / "private_media" / "jobs" / str(staff.pk)).glob("*/*.xlsx"))) == 1
    finally:
        if replacement is not None:
            replacement.terminate()
            replacement.wait(15)
