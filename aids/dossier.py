"""The aids panel and timeline events of a dossier (core.dossier contract): one query."""

from django.urls import reverse

from core.dossier import Contribution, Event
from core.permissions import Record
from funding.models import Aide


def contribute(ctx):
    if not ctx.scope.reads(Record.AIDE):
        return None
    aides = list(
        Aide.objects.for_scope(ctx.scope)
        .filter(participation__jeune=ctx.jeune)
        .select_related("participation__operation", "ligne_budgetaire")
        .order_by("-date_attribution", "-pk")[:100]
    )
    events = [
        Event(
            when=aide.date_attribution,
            kind="aide",
            title=f"Aide matérielle : {aide.get_kind_display()} ({aide.participation.operation.code})",
            detail=aide.description,
            url=reverse("aids:aide_update", args=[aide.pk]),
            icon="gift",
            extra={"montant": str(aide.montant)},
        )
        for aide in aides
    ]
    template = "aids/aide_panel.html"
    return Contribution(template=template, context={"jeune": ctx.jeune, "aides": aides[:50]}, events=events)
