from datetime import date, timedelta

import pytest
from django.db import IntegrityError, OperationalError, transaction
from django.utils import timezone

from reports import services
from reports.models import BilanJob
from reports.tasks import build_bilan_pdf
from tests.core.factories import MembershipFactory


pytestmark = pytest.mark.django_db

DU, AU = date(2025, 1, 1), date(2025, 12, 31)


@pytest.fixture
def user(operation):
    return MembershipFactory(organisation=operation.organisation, role="coordinateur").user


def _job(operation, **extra):
    return BilanJob.objects.create(organisation=operation.organisation, operation=operation, du=DU, au=AU, **extra)


def test_launch_creates_one_job_and_queues_it_after_commit(operation, user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        job, created = services.bilan_job_launch(operation=operation, du=DU, au=AU, user=user)
    assert created
    assert (job.status, job.progress, job.organisation, job.created_by) == ("pending", 0, operation.organisation, user)
    assert len(job.celery_task_id) == 32
    assert len(callbacks) == 1
    again, created = services.bilan_job_launch(operation=operation, du=DU, au=AU, user=user)
    assert (again.pk, created) == (job.pk, False)
    other_period, created = services.bilan_job_launch(operation=operation, du=DU, au=date(2025, 6, 30), user=user)
    assert created
    assert other_period.pk != job.pk


def test_database_refuses_two_active_jobs_for_the_same_bilan(operation):
    _job(operation)
    with pytest.raises(IntegrityError), transaction.atomic():
        _job(operation, status=BilanJob.Status.RUNNING)
    _job(operation, status=BilanJob.Status.DONE)  # finished jobs may pile up
    _job(operation, status=BilanJob.Status.FAILED)


def test_run_reports_progress_and_heartbeat(operation, monkeypatch):
    job = _job(operation)
    seen = []

    def fake_render(op, du, au, progress=None):
        progress(40, "Budget et participants")
        row = BilanJob.objects.get(pk=job.pk)
        seen.append((row.status, row.progress, row.message, row.heartbeat_at is not None))
        progress(120, "trop")  # clamped
        seen.append(BilanJob.objects.get(pk=job.pk).progress)
        return b"%PDF-1.7 fake"

    monkeypatch.setattr("reports.pdf.render_bilan_pdf", fake_render)
    build_bilan_pdf.delay(job.pk)
    job.refresh_from_db()
    assert seen == [("running", 40, "Budget et participants", True), 100]
    assert (job.status, job.progress, job.message) == ("done", 100, "PDF prêt")
    with job.fichier.open("rb") as handle:
        assert handle.read() == b"%PDF-1.7 fake"
    assert job.started_at <= job.finished_at
    assert job.celery_task_id


def test_real_render_progress_sequence(operation, monkeypatch):
    job = _job(operation)
    recorded = []
    original = services.bilan_job_progress

    def spy(*, job_id, progress, message):
        recorded.append(progress)
        original(job_id=job_id, progress=progress, message=message)

    monkeypatch.setattr(services, "bilan_job_progress", spy)
    build_bilan_pdf.delay(job.pk)
    job.refresh_from_db()
    assert recorded == [5, 20, 30, 40, 55, 90, 95, 98]
    assert job.status == "done"
    with job.fichier.open("rb") as handle:
        assert handle.read(5) == b"%PDF-"


def test_a_bug_fails_the_job_with_the_reason(operation, monkeypatch):
    job = _job(operation)

    def broken(*args, **kwargs):
        raise ValueError("tableau vide")

    monkeypatch.setattr("reports.pdf.render_bilan_pdf", broken)
    assert build_bilan_pdf.delay(job.pk).get() is None
    job.refresh_from_db()
    assert job.status == "failed"
    assert job.error == "ValueError : tableau vide"
    assert job.can_relaunch


@pytest.fixture
def no_eager_propagation(monkeypatch):
    # Eager tasks re-raise celery.exceptions.Retry when exceptions propagate; a worker would requeue instead.
    monkeypatch.setitem(build_bilan_pdf.app.conf, "task_eager_propagates", False)


def test_transient_error_is_retried(operation, monkeypatch, no_eager_propagation):
    job = _job(operation)
    calls = []

    def flaky(op, du, au, progress=None):
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("connexion perdue")
        return b"%PDF-1.7 ok"

    monkeypatch.setattr("reports.pdf.render_bilan_pdf", flaky)
    build_bilan_pdf.apply(args=[job.pk])
    job.refresh_from_db()
    assert len(calls) == 2
    assert job.status == "done"


def test_transient_errors_exhausting_retries_fail_the_job(operation, monkeypatch, no_eager_propagation):
    job = _job(operation)

    calls = []

    def down(*args, **kwargs):
        calls.append(1)
        raise OperationalError("base indisponible")

    monkeypatch.setattr("reports.pdf.render_bilan_pdf", down)
    result = build_bilan_pdf.apply(args=[job.pk])
    assert isinstance(result.result, OperationalError)
    assert len(calls) == 1 + build_bilan_pdf.max_retries
    job.refresh_from_db()
    assert job.status == "failed"
    assert "base indisponible" in job.error


def test_redelivered_task_restarts_a_running_job_and_skips_a_done_one(operation, monkeypatch):
    monkeypatch.setattr("reports.pdf.render_bilan_pdf", lambda *a, **k: b"%PDF-1.7")
    job = _job(operation, status=BilanJob.Status.RUNNING, progress=60, attempts=1, heartbeat_at=timezone.now())
    build_bilan_pdf.delay(job.pk)  # what acks_late + reject_on_worker_lost do after a worker death
    job.refresh_from_db()
    assert (job.status, job.attempts) == ("done", 2)
    finished = job.finished_at
    build_bilan_pdf.delay(job.pk)
    job.refresh_from_db()
    assert job.finished_at == finished


def test_staleness_detection():
    now = timezone.now()
    job = BilanJob(status=BilanJob.Status.RUNNING, created_at=now, heartbeat_at=now - timedelta(minutes=4))
    assert not job.is_interrupted
    assert job.is_polling
    job.heartbeat_at = now - timedelta(minutes=6)
    assert job.is_interrupted
    assert job.display_status == "Interrompu"
    assert job.can_relaunch
    assert not job.is_polling
    pending = BilanJob(status=BilanJob.Status.PENDING, created_at=now - timedelta(minutes=31))
    assert pending.is_interrupted
    assert not BilanJob(status=BilanJob.Status.DONE, created_at=now - timedelta(days=3)).is_interrupted


def test_relaunch_only_failed_or_interrupted(operation, user, django_capture_on_commit_callbacks):
    running = _job(operation, status=BilanJob.Status.RUNNING, heartbeat_at=timezone.now())
    same, created = services.bilan_job_relaunch(job=running, user=user)
    assert (same.pk, created) == (running.pk, False)
    BilanJob.objects.filter(pk=running.pk).update(heartbeat_at=timezone.now() - timedelta(hours=1))
    with django_capture_on_commit_callbacks() as callbacks:
        new, created = services.bilan_job_relaunch(job=running, user=user)
    running.refresh_from_db()
    assert created
    assert new.pk != running.pk
    assert running.status == "failed"
    assert "interrompue" in running.error
    assert len(callbacks) == 1
