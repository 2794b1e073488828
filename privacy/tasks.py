import logging

from celery import shared_task

from privacy.retention import retention_run


logger = logging.getLogger(__name__)


@shared_task(name="privacy.tasks.retention_daily")
def retention_daily():
    """Daily (Celery beat): archive dossiers without contact for 2 years, anonymise those past the audit hold."""
    run = retention_run(dry_run=False)
    logger.warning("Conservation des données : %s", run.report.replace("\n", " | "))
    return {"run": run.pk, "archives": run.archived_count, "anonymises": run.anonymised_count}
