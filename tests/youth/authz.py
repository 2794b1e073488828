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
}

LIST_URLS = {
    "youth:jeune_list": lambda world: JeuneFactory(organisation=world.org_a, nom="Zzintrus").nom.upper(),
}
