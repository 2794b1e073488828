"""How a rendez-vous shows: its status badge and the status actions offered now (agenda, dossier panel)."""

from agenda.models import RendezVous
from agenda.services import transitions


S = RendezVous.Statut
STATUT_BADGE = {
    S.PLANIFIE: "text-bg-primary",
    S.HONORE: "text-bg-success",
    S.MANQUE: "text-bg-danger",
    S.EXCUSE: "text-bg-warning",
    S.ANNULE: "text-bg-secondary",
}
ACTION_LABELS = {
    S.PLANIFIE: "Replanifier",
    S.HONORE: "Honoré",
    S.MANQUE: "Manqué",
    S.EXCUSE: "Excusé",
    S.ANNULE: "Annuler",
}


def decorate(rdv, today=None):
    rdv.badge = STATUT_BADGE.get(rdv.statut, "text-bg-light")
    rdv.actions = [(status.value, ACTION_LABELS[status]) for status in transitions(rdv, today)]
    rdv.peut_noter = rdv.statut == S.HONORE and not rdv.entretien_id
    return rdv
