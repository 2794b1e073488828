"""The CSF pack on a real Celery worker and Redis (db 13): progress, and a worker killed mid-job."""

import signal
from datetime import date

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connections

from reports import services
from reports.models import CsfPack
from reports.tasks import build_csf_pack
from tests.core.factories import MembershipFactory
from tests.funding.factories import OperationFactory
from tests.reports.celery_support import (
    XDIST_GROUP_CELERY,
    private_queue,
    wait_for,
    worker_process,
)
from tests.reports.csf_fixtures import PDF, csf_world
from tests.reports.factories import bulk_participants
from youth.models import Document


pytestmark = [pytest.mark.celery_worker, XDIST_GROUP_CELERY]


@pytest.fixture
def queue(celery_app, monkeypatch):
    yield from private_queue(celery_app, monkeypatch, build_csf_pack, "csf-test")


@pytest.fixture
def world(transactional_db):
    operation = OperationFactory(date_debut=date(2024, 1, 1), date_fin=date(2026, 12, 31))
    user = MembershipFactory(organisation=operation.organisation, role="coordinateur").user
    return operation, user


def _many(operation, n):
    """``n`` participants, each with three eligibility proofs (one stored file shared, enough to take time)."""
    participations = bulk_participants(operation, n, entree=date(2025, 2, 1))
    name = default_storage.save("jeunes/preuve.pdf", ContentFile(PDF * 2000))
    Document.objects.bulk_create(
        [
            Document(
                organisation=operation.organisation,
                jeune_id=p.jeune_id,
                kind=kind,
                fichier=name,
                obtenu_le=date(2025, 1, 1),
            )
            for p in participations
            for kind in ("piece_identite", "attestation_neet", "justificatif_domicile")
        ]
    )


def _wait(pk, predicate, timeout, interval=0.02):
    return wait_for(CsfPack, pk, predicate, timeout, interval)


def _launch(operation, user, n=500):
    return services.csf_pack_launch(
        operation=operation,
        du=date(2025, 1, 1),
        au=date(2025, 12, 31),
        user=user,
        nb_participants=n,
        nb_depenses=n,
        graine=3,
    )


def test_pack_is_built_by_a_real_worker_with_progress(celery_app, queue, world):
    from celery.contrib.testing.worker import start_worker

    operation, user = world
    csf_world(operation)
    _many(operation, 60)
    with start_worker(
        celery_app, pool="solo", perform_ping_check=False, loglevel="WARNING", shutdown_timeout=30, queues=[queue]
    ):
        pack = _launch(operation, user)
        pack, seen = _wait(pack.pk, lambda p: p.status in ("done", "failed"), timeout=120)
    assert pack.status == "done", pack.error
    assert pack.fichier.name.startswith("controles/")
    assert pack.pieces_manquantes > 0
    progress = [p for _, p in seen]
    assert progress == sorted(progress)
    assert any(status == "running" and 0 < p < 100 for status, p in seen), seen
    connections.close_all()


def test_a_killed_worker_does_not_lose_the_pack(celery_app, queue, world, tmp_path, settings):
    operation, user = world
    _many(operation, 400)
    with (tmp_path / "worker.log").open("w") as log:
        first = worker_process(log, queue, settings.MEDIA_ROOT)
        try:
            pack = _launch(operation, user)
            pack, _ = _wait(pack.pk, lambda p: p.status == "running" and p.progress >= 5, timeout=120, interval=0.005)
            first.send_signal(signal.SIGKILL)
            first.wait(timeout=10)
            pack.refresh_from_db()
            assert pack.status == "running"  # stuck: nobody reports any more, but the message is not lost
            assert pack.attempts == 1
        finally:
            if first.poll() is None:
                first.kill()
                first.wait()
        second = worker_process(log, queue, settings.MEDIA_ROOT)
        try:
            pack, _ = _wait(pack.pk, lambda p: p.status in ("done", "failed"), timeout=120, interval=0.2)
        finally:
            second.terminate()
            second.wait(timeout=30)
    assert pack.status == "done", (pack.error, (tmp_path / "worker.log").read_text()[-3000:])
    assert pack.attempts == 2
