from tests.employers.factories import EntrepriseFactory, PlacementFactory


def _entreprise(world):
    return {"pk": EntrepriseFactory(organisation=world.org_a).pk}


OBJECT_URLS = {
    "employers:entreprise_detail": _entreprise,
    "employers:entreprise_update": _entreprise,
    "employers:contact_create": _entreprise,
    "employers:interaction_create": _entreprise,
    "employers:offre_create": _entreprise,
    "employers:placement_detail": lambda world: {"pk": PlacementFactory(organisation=world.org_a).pk},
    "employers:placement_update": lambda world: {"pk": PlacementFactory(organisation=world.org_a).pk},
}

LIST_URLS = {
    "employers:entreprise_list": lambda world: EntrepriseFactory(organisation=world.org_a, nom="Zzsecret SARL").nom,
    "employers:placement_list": lambda world: PlacementFactory(organisation=world.org_a, poste="Poste Zzsecret").poste,
}
