"""What workshops and immersions add to the dossier of a young person (timeline events and a panel).

The timeline provider and the panel read the same rows: they are loaded once per dossier page (memoised on the
``jeune`` instance the dossier view passes to both), so the whole contribution costs two queries.
"""

from core.timeline import Event
from workshops.models import Immersion, Inscription


def memo(jeune, key, user, loader):
    """Load ``loader()`` once per (key, user) for this ``jeune`` instance (one dossier page)."""
    cache = jeune.__dict__.setdefault("_dossier_memo", {})
    cache_key = (key, getattr(user, "pk", None))
    if cache_key not in cache:
        cache[cache_key] = loader()
    return cache[cache_key]


def _rows(jeune, user):
    def load():
        inscriptions = list(
            Inscription.objects.for_user(user)
            .filter(jeune=jeune)
            .select_related("seance__atelier")
            .order_by("-seance__date", "-seance__heure_debut")[:200]
        )
        immersions = list(
            Immersion.objects.for_user(user)
            .filter(jeune=jeune)
            .select_related("entreprise")
            .order_by("-date_debut", "-pk")[:100]
        )
        return inscriptions, immersions

    return memo(jeune, "workshops", user, load)


def timeline_events(jeune, user):
    """Attendance recorded at sessions, and immersion conventions."""
    inscriptions, immersions = _rows(jeune, user)
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
    return events


def build_panel(request, jeune):
    """Panel « Ateliers et immersions »: the young person's latest sessions and conventions."""
    inscriptions, immersions = _rows(jeune, request.user)
    counts = {value: sum(1 for i in inscriptions if i.presence == value) for value in Inscription.Presence.values}
    return "workshops/panel_dossier.html", {
        "jeune": jeune,
        "inscriptions": inscriptions[:30],
        "immersions": immersions[:20],
        "presence_counts": counts,
    }
