from agenda.models import RendezVous
from tests.agenda.factories import RendezVousFactory, dans


def _rdv(world, **extra):
    return {"pk": RendezVousFactory(jeune__organisation=world.org_a, **extra).pk}


OBJECT_URLS = {
    "agenda:rendez_vous_detail": _rdv,
    "agenda:rendez_vous_update": _rdv,
    "agenda:rendez_vous_statut": _rdv,
    # Today's rendez-vous, already honoured: the pre-filled entretien form is served.
    "agenda:rendez_vous_entretien": lambda world: _rdv(world, debut=dans(0, 0, 5), statut=RendezVous.Statut.HONORE),
}

LIST_URLS = {
    # Another organisation's conseillère never sees A's rendez-vous, even naming A's conseillère.
    "agenda:agenda": lambda world: RendezVousFactory(
        jeune__organisation=world.org_a, jeune__nom="Zzagenda", debut=dans(0, 12)
    ).jeune.nom.upper(),
}
