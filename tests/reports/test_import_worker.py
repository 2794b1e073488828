"""The browser import's job on a real Celery worker and Redis (not eager): progress, all or nothing."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connections

from reports import services
from reports.models import ImportJob
from reports.tasks import run_participant_import
from tests.core.factories import MembershipFactory
from tests.funding.factories import OperationFactory
from tests.reports.celery_support import XDIST_GROUP_CELERY, private_queue, wait_for
from youth.models import Participation


pytestmark = [pytest.mark.celery_worker, XDIST_GROUP_CELERY]


@pytest.fixture
def queue(celery_app, monkeypatch):
    yield from private_queue(celery_app, monkeypatch, run_participant_import, "imports-test")


def _file(rows):
    header = "reference;nom;prenom;sexe;date_naissance;date_reperage;origine;date_entree"
    lines = [header, *(f"R{i};Nom{i};Prénom;F;2001-01-01;2025-01-0{1 + i % 9};aller-vers;2025-02-01" for i in rows)]
    return SimpleUploadedFile("participants.csv", ("\n".join(lines) + "\n").encode())


def test_import_runs_on_a_real_worker_with_progress(celery_app, queue, transactional_db):
    from celery.contrib.testing.worker import start_worker

    operation = OperationFactory(date_debut=date(2025, 1, 1), date_fin=date(2026, 12, 31))
    user = MembershipFactory(organisation=operation.organisation, role="coordinateur").user
    organisation = operation.organisation
    token = services.import_draft_save(organisation=organisation, operation=operation, uploaded=_file(range(300)))
    draft = services.import_draft_load(token, organisation=operation.organisation)
    with start_worker(
        celery_app, pool="solo", perform_ping_check=False, loglevel="WARNING", shutdown_timeout=30, queues=[queue]
    ):
        job = services.import_job_launch(operation=operation, user=user, stored_name=draft["f"], nom_fichier="p.csv")
        job, seen = wait_for(ImportJob, job.pk, lambda j: j.status in ("done", "failed"), timeout=120)
    assert job.status == "done", job.error
    assert (job.crees, job.progress) == (300, 100)
    assert Participation.objects.filter(operation=operation).count() == 300
    assert any(status == "running" and 0 < progress < 100 for status, progress in seen), seen
    connections.close_all()
