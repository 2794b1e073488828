"""Authorization harness entries for the security and RGPD pages."""

from core.models import AccesDossier
from tests.youth.factories import JeuneFactory


def _jeune(world):
    return {"pk": JeuneFactory(organisation=world.org_a).pk}


OBJECT_URLS = {
    "privacy:jeune_rights": _jeune,
    "privacy:jeune_export_json": _jeune,
    "privacy:jeune_export_pdf": _jeune,
    "privacy:jeune_erase": _jeune,
}


def _read_of_org_a(world):
    jeune = JeuneFactory(organisation=world.org_a)
    AccesDossier.objects.create(
        user=world.users_a["coordinateur"],
        organisation=world.org_a,
        jeune_id=jeune.pk,
        url="/jeunes/marqueur-audit-a/",
    )
    return "marqueur-audit-a"


LIST_URLS = {"audit_list": _read_of_org_a}
