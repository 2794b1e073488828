"""What workshops and immersions add to the dossier of a young person (timeline events and a panel)."""

from core.timeline import Event
from workshops.models import Immersion, Inscription


def timeline_events(jeune, user):
    """Attendance recorded at sessions, and immersion conventions (two queries)."""
    events = []
    inscriptions = (
        Inscription.objects.for_user(user)
        .filter(jeune=jeune)
        .exclude(presence="")
        .select_related("seance__atelier")
        .order_by("-seance__date")[:200]
    )
    for inscription in inscriptions:
        seance = inscription.seance
        events.append(
            Event(
                when=seance.date,
                kind="atelier",
                title=f"Atelier « {seance.atelier.intitule} » : {inscription.get_presence_display().lower()}",
                detail=f"{seance.heure_debut:%H:%M}–{seance.heure_fin:%H:%M}, {seance.lieu}",
                url=seance.get_absolute_url(),
                icon="people",
                extra={"presence": inscription.presence},
            )
        )
    for immersion in Immersion.objects.for_user(user).filter(jeune=jeune).select_related("entreprise")[:100]:
        statut = " (annulée)" if immersion.annulee else ""
        events.append(
            Event(
                when=immersion.date_debut,
                kind="immersion",
                title=f"Immersion (PMSMP) : {immersion.metier} chez {immersion.entreprise.nom}{statut}",
                detail=f"Du {immersion.date_debut:%d/%m/%Y} au {immersion.date_fin:%d/%m/%Y} — "
                f"{immersion.get_objet_display()}",
                url=immersion.get_absolute_url(),
                icon="briefcase",
            )
        )
    return events


def build_panel(request, jeune):
    """Panel « Ateliers et immersions »: the young person's sessions and conventions (two queries)."""
    user = request.user
    inscriptions = list(
        Inscription.objects.for_user(user)
        .filter(jeune=jeune)
        .select_related("seance__atelier")
        .order_by("-seance__date", "-seance__heure_debut")[:30]
    )
    immersions = list(
        Immersion.objects.for_user(user).filter(jeune=jeune).select_related("entreprise").order_by("-date_debut")[:20]
    )
    counts = {value: sum(1 for i in inscriptions if i.presence == value) for value in Inscription.Presence.values}
    return "workshops/panel_dossier.html", {
        "jeune": jeune,
        "inscriptions": inscriptions,
        "immersions": immersions,
        "presence_counts": counts,
    }
