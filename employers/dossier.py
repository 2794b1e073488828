"""Placements and follow-up in post on the dossier of a young person."""

from core.timeline import Event
from employers.models import Placement, SuiviPlacement


def timeline_events(jeune, user):
    events = []
    for placement in Placement.objects.for_user(user).filter(jeune=jeune).select_related("entreprise")[:50]:
        events.append(
            Event(
                when=placement.date_debut,
                kind="placement",
                title=(
                    f"Embauche : {placement.poste} chez {placement.entreprise.nom} "
                    f"({placement.get_type_contrat_display()})"
                ),
                url=placement.get_absolute_url(),
                icon="award",
            )
        )
    suivis = (
        SuiviPlacement.objects.for_user(user).filter(placement__jeune=jeune).select_related("placement__entreprise")
    )
    for suivi in suivis[:100]:
        events.append(
            Event(
                when=suivi.date,
                kind="suivi_emploi",
                title=(
                    f"Suivi dans l'emploi chez {suivi.placement.entreprise.nom} "
                    f"(avec {suivi.get_avec_display().lower()})"
                ),
                detail=suivi.compte_rendu[:200],
                url=suivi.placement.get_absolute_url(),
                icon="chat",
            )
        )
    return events


def build_panel(request, jeune):
    placements = list(
        Placement.objects.for_user(request.user)
        .filter(jeune=jeune)
        .select_related("entreprise")
        .order_by("-date_debut")[:20]
    )
    if not placements:
        return None
    return "employers/panel_dossier.html", {"jeune": jeune, "placements": placements}
