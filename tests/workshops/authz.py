from tests.workshops.factories import AtelierFactory, ImmersionFactory, InscriptionFactory, SeanceFactory


def _seance(world):
    return {"pk": SeanceFactory(atelier__organisation=world.org_a).pk}


OBJECT_URLS = {
    "workshops:atelier_detail": lambda world: {"pk": AtelierFactory(organisation=world.org_a).pk},
    "workshops:atelier_update": lambda world: {"pk": AtelierFactory(organisation=world.org_a).pk},
    "workshops:seance_create": lambda world: {"pk": AtelierFactory(organisation=world.org_a).pk},
    "workshops:seance_detail": _seance,
    "workshops:seance_update": _seance,
    "workshops:inscription_create": _seance,
    "workshops:presences_update": _seance,
    "workshops:emargement_pdf": _seance,
    "workshops:emargement_upload": _seance,
    "workshops:emargement_download": _seance,
    "workshops:inscription_delete": lambda world: {
        "pk": InscriptionFactory(seance__atelier__organisation=world.org_a, presence="present").pk
    },
    "workshops:immersion_detail": lambda world: {"pk": ImmersionFactory(organisation=world.org_a).pk},
    "workshops:immersion_update": lambda world: {"pk": ImmersionFactory(organisation=world.org_a).pk},
    "workshops:immersion_evaluate": lambda world: {"pk": ImmersionFactory(organisation=world.org_a).pk},
    "workshops:immersion_pdf": lambda world: {"pk": ImmersionFactory(organisation=world.org_a).pk},
}

LIST_URLS = {
    "workshops:atelier_list": lambda world: (
        AtelierFactory(organisation=world.org_a, intitule="Atelier Zzsecret").intitule
    ),
    "workshops:immersion_list": lambda world: (
        ImmersionFactory(organisation=world.org_a, metier="Métier Zzsecret").metier
    ),
}
