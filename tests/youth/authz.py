from tests.youth.factories import JeuneFactory


OBJECT_URLS = {
    "youth:jeune_detail": lambda world: {"pk": JeuneFactory(organisation=world.org_a).pk},
}

LIST_URLS = {
    "youth:jeune_list": lambda world: JeuneFactory(organisation=world.org_a, nom="Zzintrus").nom.upper(),
}
