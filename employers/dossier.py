"""Placements and follow-up in post on the dossier of a young person.

One query for a young person without a placement (most of them), two otherwise; the panel and the timeline
events come from the same rows.
"""

from core.dossier import Contribution, Event
from employers.models import Placement, SuiviPlacement


def contribute(ctx):
    placements = list(
        Placement.objects.for_scope(ctx.scope)
        .filter(jeune=ctx.jeune)
        .select_related("entreprise")
        .order_by("-date_debut", "-pk")[:50]
    )
    if not placements:
        return None
    suivis = list(
        SuiviPlacement.objects.for_scope(ctx.scope)
        .filter(placement__jeune=ctx.jeune)
        .select_related("placement__entreprise")
        .order_by("-date", "-pk")[:100]
    )
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
    return Contribution(
        template="employers/panel_dossier.html",
        context={"jeune": ctx.jeune, "placements": placements[:20]},
        events=events,
    )
