"""The dossier panel and the timeline events diagnostics contribute to ``/jeunes/<id>/`` (see core.dossier)."""

from django.urls import reverse

from core.dossier import Contribution, Event
from core.permissions import Record
from diagnostics.models import Evaluation
from diagnostics.scoring import progressions_for_jeune
from youth.models import Frein


PANEL_TEMPLATE = "diagnostics/_panel.html"


def freins_summary(scope, jeune):
    """Obstacles (youth.Frein) identified and lifted for this young person — one query."""
    freins = list(Frein.objects.for_scope(scope).filter(jeune=jeune).order_by("identifie_le", "pk"))
    return {
        "identifies": len(freins),
        "leves": [f for f in freins if f.leve_le],
        "actifs": [f for f in freins if not f.leve_le],
    }


def panel_context(scope, jeune, with_freins=False):
    """Context of the panel: one progression (radar + table) per questionnaire. Three queries at most.

    ``with_freins`` adds the freins lifted (one more query): the stand-alone page shows them, the dossier page
    does not need them (it lists the freins itself).
    """
    evaluations = Evaluation.objects.for_scope(scope).filter(jeune=jeune)
    return {
        "jeune": jeune,
        "progressions": progressions_for_jeune(evaluations, uid_prefix=f"radar-{jeune.pk}"),
        "freins": freins_summary(scope, jeune) if with_freins else None,
    }


def contribute(ctx):
    """The panel (radar and table per questionnaire) and one event per evaluation — two queries."""
    if not ctx.scope.reads(Record.DIAGNOSTIC):
        return None
    evaluations = list(
        Evaluation.objects.for_scope(ctx.scope)
        .filter(jeune=ctx.jeune)
        .select_related("version__questionnaire", "evaluateur")
        .order_by("-date", "-pk")
    )
    events = [
        Event(
            when=evaluation.date,
            kind="diagnostic",
            title=f"{evaluation.version.questionnaire.titre} : évaluation {evaluation.get_type_display().lower()}",
            detail=f"Version {evaluation.version.numero}"
            + (f", par {evaluation.evaluateur.get_full_name()}" if evaluation.evaluateur else ""),
            url=reverse("diagnostics:evaluation_detail", args=[evaluation.pk]),
            icon="radar",
        )
        for evaluation in evaluations[: ctx.limit]
    ]
    return Contribution(template=PANEL_TEMPLATE, context=panel_context(ctx.scope, ctx.jeune), events=events)
