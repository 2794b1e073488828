"""What workshops and immersions add to the dossier of a young person (timeline events and a panel).

The timeline events and the panel come from the same rows: the whole contribution costs two queries.
"""

from core.dossier import Contribution, Event
from workshops.models import Immersion, Inscription


def contribute(ctx):
    """Attendance recorded at sessions, and immersion conventions; the panel « Ateliers et immersions »."""
    inscriptions = list(
        Inscription.objects.for_scope(ctx.scope)
        .filter(jeune=ctx.jeune)
        .select_related("seance__atelier")
        .order_by("-seance__date", "-seance__heure_debut")[:200]
    )
    immersions = list(
        Immersion.objects.for_scope(ctx.scope)
        .filter(jeune=ctx.jeune)
        .select_related("entreprise")
        .order_by("-date_debut", "-pk")[:100]
    )
    events = []
    for inscription in inscriptions:
        if not inscription.presence:
            continue
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
    for immersion in immersions:
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
    counts = {value: sum(1 for i in inscriptions if i.presence == value) for value in Inscription.Presence.values}
    return Contribution(
        template="workshops/panel_dossier.html",
        context={
            "jeune": ctx.jeune,
            "inscriptions": inscriptions[:30],
            "immersions": immersions[:20],
            "presence_counts": counts,
        },
        events=events,
    )
