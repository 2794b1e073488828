from tests.youth.factories import (
    DocumentFactory,
    EntretienFactory,
    EtapePlanFactory,
    FreinFactory,
    JeuneFactory,
    ParticipationFactory,
)


def _jeune(world):
    return {"pk": JeuneFactory(organisation=world.org_a).pk}


def _participation(world, **traits):
    participation = ParticipationFactory(jeune__organisation=world.org_a, **traits)
    return {"pk": participation.jeune_id, "ppk": participation.pk}


def _deleted_entretien(world):
    from django.utils import timezone

    entretien = EntretienFactory(jeune__organisation=world.org_a, supprime_le=timezone.now(), motif_suppression="x")
    return {"label": "youth.entretien", "rpk": entretien.pk}


def _deleted_jeune_text(world):
    from django.utils import timezone

    return JeuneFactory(
        organisation=world.org_a, nom="Zzsupprime", supprime_le=timezone.now(), motif_suppression="Erreur de saisie"
    ).nom.upper()


def _child(factory, key):
    def build(world):
        obj = factory(jeune__organisation=world.org_a)
        return {"pk": obj.jeune_id, key: obj.pk}

    return build


OBJECT_URLS = {
    "youth:jeune_detail": _jeune,
    "youth:jeune_update": _jeune,
    "youth:jeune_history": _jeune,
    "youth:entretien_list": _jeune,
    "youth:entretien_create": _jeune,
    "youth:entretien_update": _child(EntretienFactory, "epk"),
    "youth:participation_create": _jeune,
    "youth:participation_detail": lambda world: _participation(world, sortie=True),
    "youth:participation_entree": _participation,
    "youth:participation_questionnaire": lambda world: _participation(world, entree=True),
    "youth:participation_sortie": lambda world: _participation(world, entree=True),
    "youth:participation_reouvrir": lambda world: _participation(world, sortie=True),
    "youth:suivi_create": lambda world: _participation(world, sortie=True),
    "youth:contrat_pdf": lambda world: _participation(world, entree=True),
    "youth:synthese_pdf": _jeune,
    "youth:etape_create": _jeune,
    "youth:etape_fait": _child(EtapePlanFactory, "epk"),
    "youth:frein_create": _jeune,
    "youth:frein_lever": _child(FreinFactory, "fpk"),
    "youth:document_create": _jeune,
    "youth:document_download": _child(DocumentFactory, "dpk"),
    "youth:jeune_delete": _jeune,
    "youth:jeune_merge": _jeune,
    "youth:entretien_delete": _child(EntretienFactory, "rpk"),
    "youth:etape_update": _child(EtapePlanFactory, "rpk"),
    "youth:etape_delete": _child(EtapePlanFactory, "rpk"),
    "youth:frein_update": _child(FreinFactory, "rpk"),
    "youth:frein_delete": _child(FreinFactory, "rpk"),
    "youth:document_update": _child(DocumentFactory, "rpk"),
    "youth:document_delete": _child(DocumentFactory, "rpk"),
    "youth:corbeille_restore": _deleted_entretien,
}

LIST_URLS = {
    "youth:jeune_list": lambda world: JeuneFactory(organisation=world.org_a, nom="Zzintrus").nom.upper(),
    "youth:corbeille": _deleted_jeune_text,
}
