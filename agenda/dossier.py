"""The "Rendez-vous" panel of a dossier and its timeline events (core.dossier contract): one query."""

from django.urls import reverse
from django.utils import timezone

from agenda.display import decorate
from agenda.models import RendezVous
from core.dossier import Contribution, Event
from core.permissions import Record


A_VENIR, RECENTS = 10, 10


def contribute(ctx):
    if not ctx.scope.reads(Record.RENDEZ_VOUS):
        return None
    now = timezone.now()
    today = timezone.localdate()
    rows = list(
        RendezVous.objects.for_scope(ctx.scope)
        .filter(jeune=ctx.jeune)
        .select_related("conseillere")
        .order_by("-debut", "-pk")[:100]
    )
    a_venir = sorted(
        (r for r in rows if r.debut >= now and r.statut == RendezVous.Statut.PLANIFIE), key=lambda r: r.debut
    )[:A_VENIR]
    recents = [r for r in rows if r not in a_venir][:RECENTS]
    for rdv in a_venir + recents:
        decorate(rdv, today)
    events = [
        Event(
            when=timezone.localtime(rdv.debut),
            kind="rendez_vous_manque",
            title=f"Rendez-vous manqué ({rdv.get_modalite_display().lower()})",
            detail=f"avec {rdv.conseillere.get_full_name() or rdv.conseillere.email}"
            + (f" — {rdv.objet}" if rdv.objet else ""),
            url=reverse("agenda:rendez_vous_detail", args=[rdv.pk]),
            icon="x-circle",
        )
        for rdv in rows
        if rdv.statut == RendezVous.Statut.MANQUE
    ]
    if ctx.limit:
        events = events[: ctx.limit]
    return Contribution(
        template="agenda/rendez_vous_panel.html",
        context={
            "jeune": ctx.jeune,
            "a_venir": a_venir,
            "recents": recents,
            "can_write": ctx.scope.writes(Record.RENDEZ_VOUS) and ctx.jeune.archived_at is None,
            "retour": reverse("youth:jeune_detail", args=[ctx.jeune.pk]) + "#panel-rendez_vous",
        },
        events=events,
    )
