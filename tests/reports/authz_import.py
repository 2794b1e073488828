from django.core.files.base import ContentFile

from reports.models import ImportJob
from tests.funding.factories import OperationFactory


def _import_job(world, **extra):
    operation = OperationFactory(organisation=world.org_a)
    job = ImportJob(organisation=world.org_a, operation=operation, nom_fichier="zzimport-a.csv", **extra)
    job.fichier.save("participants.csv", ContentFile(b"reference;nom\nA1;Zzimport\n"), save=False)
    job.save()
    return job


OBJECT_URLS = {
    "reports:import_job_progress": lambda world: {"pk": _import_job(world).pk},
    "reports:import_job_relaunch": lambda world: {"pk": _import_job(world, status=ImportJob.Status.FAILED).pk},
    "reports:import_job_file": lambda world: {"pk": _import_job(world, status=ImportJob.Status.DONE).pk},
}

LIST_URLS = {
    "reports:import_index": lambda world: _import_job(world).nom_fichier,
}
