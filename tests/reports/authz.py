from datetime import date

from django.core.files.base import ContentFile

from reports.models import BilanJob
from tests.funding.factories import OperationFactory


def _operation(world):
    return {"pk": OperationFactory(organisation=world.org_a).pk}


def _job(world, **extra):
    operation = OperationFactory(organisation=world.org_a)
    job = BilanJob.objects.create(
        organisation=world.org_a, operation=operation, du=date(2025, 1, 1), au=date(2025, 12, 31), **extra
    )
    return {"pk": job.pk}


def _done_job(world):
    kwargs = _job(world, status=BilanJob.Status.DONE, progress=100)
    job = BilanJob.objects.get(pk=kwargs["pk"])
    job.fichier.save("bilan.pdf", ContentFile(b"%PDF-1.7"))
    return kwargs


OBJECT_URLS = {
    "reports:bilan_operation": _operation,
    "reports:bilan_job_launch": _operation,
    "reports:bilan_export": lambda world: {**_operation(world), "kind": "chiffres-csv"},
    "reports:bilan_job_progress": _job,
    "reports:bilan_job_relaunch": lambda world: _job(world, status=BilanJob.Status.FAILED),
    "reports:bilan_job_download": _done_job,
    "reports:bilan_textes": _operation,
    "reports:bilan_correspondance": _operation,
}


def _grille(world):
    from reports.models import GrilleDensite

    GrilleDensite.objects.create(
        organisation=world.org_a, millesime=2024, valable_du=date(2024, 1, 1), niveaux=7, nom_fichier="zzgrille-a.csv"
    )
    return "zzgrille-a.csv"


LIST_URLS = {
    "reports:grille_densite_list": _grille,
    "reports:bilan_index": lambda world: OperationFactory(organisation=world.org_a, intitule="Zzbilan A").intitule,
}
