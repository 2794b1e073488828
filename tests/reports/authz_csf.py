from datetime import date

from django.core.files.base import ContentFile

from reports.models import CsfPack
from tests.funding.factories import OperationFactory


def _pack(world, **extra):
    operation = OperationFactory(organisation=world.org_a)
    pack = CsfPack.objects.create(
        organisation=world.org_a,
        operation=operation,
        du=date(2025, 1, 1),
        au=date(2025, 12, 31),
        graine=1,
        nb_participants=1,
        nb_depenses=1,
        **extra,
    )
    return pack


def _done(world):
    pack = _pack(world, status=CsfPack.Status.DONE, progress=100)
    pack.fichier.save("paquet.zip", ContentFile(b"PK\x05\x06" + b"\0" * 18))
    return {"pk": pack.pk}


OBJECT_URLS = {
    "reports:csf_index": lambda world: {"pk": OperationFactory(organisation=world.org_a).pk},
    "reports:csf_pack_progress": lambda world: {"pk": _pack(world).pk},
    "reports:csf_pack_relaunch": lambda world: {"pk": _pack(world, status=CsfPack.Status.FAILED).pk},
    "reports:csf_pack_download": _done,
}
