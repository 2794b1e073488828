"""What agenda does when youth signals something (youth imports nothing from agenda)."""

from agenda import services
from agenda.models import RendezVous


def prochain_rendez_vous(sender, entretien, debut, user, **kwargs):
    """An entretien gives a next rendez-vous: plan it (or move the one this entretien planned, still planned)."""
    planned = entretien.rendez_vous_planifies.filter(statut=RendezVous.Statut.PLANIFIE).order_by("-pk").first()
    if planned is not None:
        services.modifier(planned, debut=debut)
        return planned
    jeune = entretien.jeune
    return services.planifier(
        jeune=jeune,
        conseillere=user,
        debut=debut,
        cree_par=user,
        planifie_depuis=entretien,
        objet="Suivi",
        lieu=jeune.organisation.adresse if jeune.organisation.adresse else "",
    )
