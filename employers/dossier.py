"""Placements and follow-up in post on the dossier of a young person.

One query for a young person without a placement (most of them), two otherwise; the rows are memoised on the
``jeune`` instance so the timeline and the panel share them.
"""

from core.timeline import Event
from employers.models import Placement, SuiviPlacement


def _rows(jeune, user):
    cache = jeune.__dict__.setdefault("_dossier_memo", {})
    key = ("placements", getattr(user, "pk", None))
    if key not in cache:
        placements = list(
            Placement.objects.for_user(user)
            .filter(jeune=jeune)
            .select_related("entreprise")
            .order_by("-date_debut", "-pk")[:50]
        )
        suivis = []
        if placements:
            suivis = list(
                SuiviPlacement.objects.for_user(user)
                .filter(placement__jeune=jeune)
                .select_related("placement__entreprise")
                .order_by("-date", "-pk")[:100]
            )
        cache[key] = (placements, suivis)
    return cache[key]


def timeline_events(jeune, user):
    placements, suivis = _rows(jeune, user)
    events = [
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
        for placement in placements
    ]
    events.extend(
        Event(
            when=suivi.date,
            kind="suivi_emploi",
            title=(
                f"Suivi dans l'emploi chez {suivi.placement.entreprise.nom} (avec {suivi.get_avec_display().lower()})"
            ),
            detail=suivi.compte_rendu[:200],
            url=suivi.placement.get_absolute_url(),
            icon="chat",
        )
        for suivi in suivis
    )
    return events


def build_panel(request, jeune):
    placements, _suivis = _rows(jeune, request.user)
    if not placements:
        return None
    return "employers/panel_dossier.html", {"jeune": jeune, "placements": placements[:20]}
