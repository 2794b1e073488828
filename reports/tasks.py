"""Celery tasks of the bilans: build a PDF with progress updates."""

import logging

from celery import Task, shared_task
from django.db import InterfaceError, OperationalError
from kombu.exceptions import OperationalError as BrokerOperationalError

from reports import services


logger = logging.getLogger(__name__)

# Errors worth another try: database or broker briefly unavailable, network hiccups.
TRANSIENT_ERRORS = (OperationalError, InterfaceError, BrokerOperationalError, ConnectionError, TimeoutError)


def _error(exc):
    return f"{type(exc).__name__} : {exc}"


def _job_task(label, retrying, fail):
    """The Celery base of a job with a row (BilanJob, CsfPack): a retry sets it back to pending, a final failure
    records why, so the coordinator sees it and may relaunch."""

    class JobTask(Task):
        def on_retry(self, exc, task_id, args, kwargs, einfo):
            retrying(args[0], exc)

        def on_failure(self, exc, task_id, args, kwargs, einfo):
            # Final failure (non-transient error, or transient retries exhausted): the job shows why.
            logger.error("Échec de la génération %s %s : %s", label, args[0], exc)
            fail(args[0], _error(exc))

    return JobTask


JOB_TASK_OPTIONS = {
    "bind": True,
    "acks_late": True,  # killed mid-job, the unacknowledged message is redelivered and the job starts again
    "reject_on_worker_lost": True,
    "autoretry_for": TRANSIENT_ERRORS,
    "retry_backoff": 5,
    "retry_backoff_max": 120,
    "max_retries": 3,
}


def _run_job(run, fail, label, pk, task_id):
    try:
        row = run(pk, task_id)
    except TRANSIENT_ERRORS:
        raise  # autoretry_for: the job goes back to "pending" (on_retry), then "failed" once retries are exhausted
    except Exception as exc:
        # A bug or bad data: retrying would fail the same way. The job records why; the coordinator may relaunch.
        logger.exception("Échec de la génération %s %s", label, pk)
        fail(pk, _error(exc))
        return None
    return row.pk if row else None


def _bilan_fail(pk, error):
    services.bilan_job_fail(job_id=pk, error=error)


def _csf_fail(pk, error):
    services.csf_pack_fail(pack_id=pk, error=error)


@shared_task(
    base=_job_task("du bilan", lambda pk, exc: services.bilan_job_retrying(job_id=pk, error=exc), _bilan_fail),
    **JOB_TASK_OPTIONS,
)
def build_bilan_pdf(self, job_id):
    return _run_job(
        lambda pk, task_id: services.bilan_job_run(job_id=pk, task_id=task_id),
        _bilan_fail,
        "du bilan",
        job_id,
        self.request.id,
    )


@shared_task(
    base=_job_task("du paquet CSF", lambda pk, exc: services.csf_pack_retrying(pack_id=pk, error=exc), _csf_fail),
    **JOB_TASK_OPTIONS,
)
def build_csf_pack(self, pack_id):
    """The CSF ZIP. Killed mid-job, the unacknowledged message is redelivered and the job starts again."""
    return _run_job(
        lambda pk, task_id: services.csf_pack_run(pack_id=pk, task_id=task_id),
        _csf_fail,
        "du paquet CSF",
        pack_id,
        self.request.id,
    )


def _import_fail(pk, error):
    services.import_job_fail(job_id=pk, error=error)


@shared_task(
    base=_job_task("de l'import", lambda pk, exc: services.import_job_retrying(job_id=pk, error=exc), _import_fail),
    **JOB_TASK_OPTIONS,
)
def run_participant_import(self, job_id):
    """The browser import: all or nothing (one transaction); a failure says why and the job can be relaunched."""
    return _run_job(
        lambda pk, task_id: services.import_job_run(job_id=pk, task_id=task_id),
        _import_fail,
        "de l'import",
        job_id,
        self.request.id,
    )
