"""Celery tasks of the bilans: build a PDF with progress updates."""

import logging

from celery import Task, shared_task
from django.db import InterfaceError, OperationalError
from kombu.exceptions import OperationalError as BrokerOperationalError

from reports import services


logger = logging.getLogger(__name__)

# Errors worth another try: database or broker briefly unavailable, network hiccups.
TRANSIENT_ERRORS = (OperationalError, InterfaceError, BrokerOperationalError, ConnectionError, TimeoutError)


class BilanTask(Task):
    def on_retry(self, exc, task_id, args, kwargs, einfo):
        services.bilan_job_retrying(job_id=args[0], error=exc)

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        # Final failure (non-transient error, or transient retries exhausted): the job shows why.
        logger.error("Échec de la génération du bilan %s : %s", args[0], exc)
        services.bilan_job_fail(job_id=args[0], error=f"{type(exc).__name__} : {exc}")


@shared_task(
    bind=True,
    base=BilanTask,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=TRANSIENT_ERRORS,
    retry_backoff=5,
    retry_backoff_max=120,
    max_retries=3,
)
def build_bilan_pdf(self, job_id):
    try:
        job = services.bilan_job_run(job_id=job_id, task_id=self.request.id)
    except TRANSIENT_ERRORS:
        raise  # autoretry_for: the job goes back to "pending" (on_retry), then "failed" once retries are exhausted
    except Exception as exc:
        # A bug or bad data: retrying would fail the same way. The job records why; the coordinator may relaunch.
        logger.exception("Échec de la génération du bilan %s", job_id)
        services.bilan_job_fail(job_id=job_id, error=f"{type(exc).__name__} : {exc}")
        return None
    return job.pk if job else None


class CsfPackTask(Task):
    def on_retry(self, exc, task_id, args, kwargs, einfo):
        services.csf_pack_retrying(pack_id=args[0], error=exc)

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        logger.error("Échec de la génération du paquet CSF %s : %s", args[0], exc)
        services.csf_pack_fail(pack_id=args[0], error=f"{type(exc).__name__} : {exc}")


@shared_task(
    bind=True,
    base=CsfPackTask,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=TRANSIENT_ERRORS,
    retry_backoff=5,
    retry_backoff_max=120,
    max_retries=3,
)
def build_csf_pack(self, pack_id):
    """The CSF ZIP. Killed mid-job, the unacknowledged message is redelivered and the job starts again."""
    try:
        pack = services.csf_pack_run(pack_id=pack_id, task_id=self.request.id)
    except TRANSIENT_ERRORS:
        raise
    except Exception as exc:
        logger.exception("Échec de la génération du paquet CSF %s", pack_id)
        services.csf_pack_fail(pack_id=pack_id, error=f"{type(exc).__name__} : {exc}")
        return None
    return pack.pk if pack else None
