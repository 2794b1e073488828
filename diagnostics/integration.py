"""The dossier panel and the timeline events diagnostics contribute to ``/jeunes/<id>/`` (see core.dossier)."""

from django.apps import apps
from django.urls import reverse

from core import timeline
from core.permissions import current_role
from diagnostics.models import DIAGNOSTIC_ROLES, Evaluation
from diagnostics.scoring import progressions_for_jeune


PANEL_TEMPLATE = "diagnostics/_panel.html"


def freins_summary(user, jeune):
    """Obstacles (youth.Frein) identified and lifted for this young person — one query; None without the model."""
    try:
        frein_model = apps.get_model("youth", "Frein")
    except LookupError:
        return None
    freins = list(frein_model.objects.for_user(user).filter(jeune=jeune).order_by("identifie_le", "pk"))
    return {
        "identifies": len(freins),
        "leves": [f for f in freins if f.leve_le],
        "actifs": [f for f in freins if not f.leve_le],
    }


def panel_context(request, jeune, with_freins=False):
    """Context of the panel: one progression (radar + table) per questionnaire. Three queries at most.

    ``with_freins`` adds the freins lifted (one more query): the stand-alone page shows them, the dossier page
    does not need them (it lists the freins itself).
    """
    evaluations = Evaluation.objects.for_user(request.user).filter(jeune=jeune)
    return {
        "jeune": jeune,
        "progressions": progressions_for_jeune(evaluations, uid_prefix=f"radar-{jeune.pk}"),
        "freins": freins_summary(request.user, jeune) if with_freins else None,
    }


def build_panel(request, jeune):
    if current_role(request) not in DIAGNOSTIC_ROLES:
        return None
    return PANEL_TEMPLATE, panel_context(request, jeune)


def timeline_events(jeune, user, limit=None):
    """One event per evaluation of ``jeune`` that ``user`` may read — one query."""
    evaluations = (
        Evaluation.objects.for_user(user)
        .filter(jeune=jeune)
        .select_related("version__questionnaire", "evaluateur")
        .order_by("-date", "-pk")
    )[:limit]
    return [
        timeline.Event(
            when=evaluation.date,
            kind="diagnostic",
            title=f"{evaluation.version.questionnaire.titre} : évaluation {evaluation.get_type_display().lower()}",
            detail=f"Version {evaluation.version.numero}"
            + (f", par {evaluation.evaluateur.get_full_name()}" if evaluation.evaluateur else ""),
            url=reverse("diagnostics:evaluation_detail", args=[evaluation.pk]),
            icon="radar",
        )
        for evaluation in evaluations
    ]
