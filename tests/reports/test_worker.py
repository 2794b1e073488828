"""The bilan PDF task on a real Celery worker and Redis (broker db 13), not in eager mode."""

import signal
import threading
import time
from datetime import date

import pytest
from django.db import connection, connections

from reports import services
from reports.models import BilanJob
from reports.tasks import build_bilan_pdf
from tests.core.factories import MembershipFactory
from tests.funding.factories import OperationFactory
from tests.reports.celery_support import (
    XDIST_GROUP_CELERY,
    private_queue,
    wait_for,
    worker_process,
)
from tests.reports.factories import bulk_participants


pytestmark = [pytest.mark.celery_worker, XDIST_GROUP_CELERY]


@pytest.fixture
def queue(celery_app, monkeypatch):
    yield from private_queue(celery_app, monkeypatch, build_bilan_pdf, "bilans-test")


@pytest.fixture
def bilan(transactional_db):
    operation = OperationFactory(date_debut=date(2025, 1, 1), date_fin=date(2026, 12, 31))
    user = MembershipFactory(organisation=operation.organisation, role="coordinateur").user
    return operation, user


def _wait(job_pk, predicate, timeout, interval=0.02):
    return wait_for(BilanJob, job_pk, predicate, timeout, interval)


def test_pdf_is_built_by_a_real_worker_with_progress(celery_app, queue, bilan):
    from celery.contrib.testing.worker import start_worker

    operation, user = bilan
    bulk_participants(operation, 150, entree=date(2025, 3, 1))
    with start_worker(
        celery_app, pool="solo", perform_ping_check=False, loglevel="WARNING", shutdown_timeout=30, queues=[queue]
    ):
        job, created = services.bilan_job_launch(
            operation=operation, du=date(2025, 1, 1), au=date(2025, 12, 31), user=user
        )
        assert created
        job, seen = _wait(job.pk, lambda j: j.status in ("done", "failed"), timeout=120)
    assert job.status == "done", job.error
    assert job.progress == 100
    assert job.fichier.name.startswith("bilans/")
    progress_values = [p for _, p in seen]
    assert progress_values == sorted(progress_values)  # progress only goes up
    assert any(status == "running" and 0 < p < 100 for status, p in seen), seen  # intermediate steps were visible
    connections.close_all()


def test_concurrent_launches_produce_one_job(bilan):
    operation, user = bilan
    barrier = threading.Barrier(4)
    results = []

    def launch():
        barrier.wait()
        try:
            job, created = services.bilan_job_launch(
                operation=operation, du=date(2025, 1, 1), au=date(2025, 12, 31), user=user
            )
            results.append((job.pk, created))
        finally:
            connection.close()

    from unittest import mock

    with mock.patch("reports.services._queue"):
        threads = [threading.Thread(target=launch) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert len(results) == 4
    assert len({pk for pk, _ in results}) == 1
    assert sum(created for _, created in results) == 1
    assert BilanJob.objects.count() == 1


def test_a_killed_worker_does_not_lose_the_job(celery_app, queue, bilan, tmp_path):
    """acks_late: a worker killed mid-task never acknowledged the message; Redis gives it to the next worker."""
    operation, user = bilan
    bulk_participants(operation, 400, entree=date(2025, 3, 1))
    with (tmp_path / "worker.log").open("w") as log:
        first = worker_process(log, queue)
        try:
            job, _ = services.bilan_job_launch(
                operation=operation, du=date(2025, 1, 1), au=date(2025, 12, 31), user=user
            )
            job, _ = _wait(job.pk, lambda j: j.status == "running" and j.progress >= 5, timeout=120, interval=0.01)
            first.send_signal(signal.SIGKILL)
            first.wait(timeout=10)
            time.sleep(0.5)
            job.refresh_from_db()
            assert job.status == "running"  # stuck: nobody reports anymore, but the message is not lost
            assert job.attempts == 1
        finally:
            if first.poll() is None:
                first.kill()
                first.wait()
        second = worker_process(log, queue)
        try:
            job, _ = _wait(job.pk, lambda j: j.status in ("done", "failed"), timeout=120, interval=0.2)
        finally:
            second.terminate()
            second.wait(timeout=30)
    assert job.status == "done", (job.error, (tmp_path / "worker.log").read_text()[-3000:])
    assert job.attempts == 2
