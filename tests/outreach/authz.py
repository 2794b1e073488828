"""Authorization harness entries of outreach (/reperage/, staff) and the partner portal (/portail/).

Portal objects are owned by ``world.partner_a`` (addressed to ``world.org_a``); the harness world has no
partnership rows, so builders create the ones they need.
"""

from django.core.files.base import ContentFile

from core.models import Membership, Role
from outreach.models import OrientationDocument
from tests.core.factories import UserFactory
from tests.outreach.factories import (
    ActionReperageFactory,
    ContactReperageFactory,
    OrientationFactory,
    PartenariatFactory,
)


def _orientation(world, **kwargs):
    PartenariatFactory(porteur=world.org_a, partenaire=world.partner_a)
    return OrientationFactory(organisation=world.org_a, partenaire=world.partner_a, **kwargs)


def _document(world):
    document = OrientationDocument(orientation=_orientation(world), libelle="Pièce d'identité")
    document.fichier.save("piece.pdf", ContentFile(b"%PDF-1.4 test"), save=True)
    return {"pk": document.pk}


def _partner_membership(world):
    """An account of partner_a limited to its partnership with org_a (the accounts a porteur manages)."""
    PartenariatFactory(porteur=world.org_a, partenaire=world.partner_a)
    membership = Membership.objects.create(
        user=UserFactory(), organisation=world.partner_a, role=Role.PARTENAIRE, porteurs_limites=[world.org_a.pk]
    )
    return {"pk": membership.pk}


OBJECT_URLS = {
    # /reperage/ (staff of org_a)
    "outreach:action_detail": lambda world: {"pk": ActionReperageFactory(organisation=world.org_a).pk},
    "outreach:action_edit": lambda world: {"pk": ActionReperageFactory(organisation=world.org_a).pk},
    "outreach:contact_convert": lambda world: {
        "pk": ContactReperageFactory(action=ActionReperageFactory(organisation=world.org_a)).pk
    },
    "outreach:orientation_detail": lambda world: {"pk": _orientation(world).pk},
    "outreach:orientation_examine": lambda world: {"pk": _orientation(world).pk},
    "outreach:orientation_accept": lambda world: {"pk": _orientation(world).pk},
    "outreach:orientation_decline": lambda world: {"pk": _orientation(world).pk},
    "outreach:orientation_message": lambda world: {"pk": _orientation(world).pk},
    "outreach:document_download": _document,
    "outreach:partenaire_compte_toggle": _partner_membership,
    "outreach:partenariat_toggle": lambda world: {
        "pk": PartenariatFactory(porteur=world.org_a, partenaire=world.partner_a).pk
    },
    # /portail/ (partner_a)
    "portal:orientation_detail": lambda world: {"pk": _orientation(world).pk},
    "portal:orientation_edit": lambda world: {"pk": _orientation(world, brouillon=True).pk},
    "portal:orientation_submit": lambda world: {"pk": _orientation(world, brouillon=True).pk},
    "portal:orientation_withdraw": lambda world: {"pk": _orientation(world).pk},
    "portal:orientation_message": lambda world: {"pk": _orientation(world).pk},
    "portal:document_add": lambda world: {"pk": _orientation(world).pk},
    "portal:orientation_answer": lambda world: {"pk": _orientation(world, sortante=True).pk},
    "portal:document_download": _document,
}

LIST_URLS = {
    "outreach:index": lambda world: ActionReperageFactory(organisation=world.org_a, lieu="Zzlieu-secret").lieu,
    "outreach:contact_list": lambda world: (
        ContactReperageFactory(
            action=ActionReperageFactory(organisation=world.org_a), prenom_ou_pseudo="Zzpseudo"
        ).prenom_ou_pseudo
    ),
    "outreach:orientation_list": lambda world: _orientation(world, nom="Zzorientee").nom.upper(),
    "portal:home": lambda world: _orientation(world, nom="Zzportail").nom.upper(),
    "portal:export_csv": lambda world: _orientation(world, nom="Zzexport").nom,
    "portal:recues": lambda world: _orientation(world, nom="Zzrecue", sortante=True).nom.upper(),
}
