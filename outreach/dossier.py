"""Repérage on the dossier: the aller-vers contact and the orientations, as events and a panel (2 queries)."""

from django.urls import reverse

from core.dossier import Contribution, Event
from core.permissions import Record
from outreach.models import ContactReperage, Orientation
from youth.models import Jeune


def contribute(ctx):
    """At most 2 queries; none for the contacts unless the young person was met in aller-vers."""
    jeune = ctx.jeune
    orientations = list(
        Orientation.objects.for_scope(ctx.scope)
        .filter(jeune=jeune)
        .select_related("partenaire")
        .order_by("-soumise_le", "-pk")
    )
    result = []
    contacts = []
    if jeune.origine == Jeune.Origine.ALLER_VERS:
        contacts = ContactReperage.objects.for_scope(ctx.scope).filter(jeune=jeune).select_related("action")
    for contact in contacts:
        action = contact.action
        result.append(
            Event(
                when=contact.date_contact,
                kind="reperage",
                title=f"Repéré·e en aller-vers ({action.get_type_display().lower()})",
                detail=f"{action.lieu} — premier contact sous le nom « {contact.prenom_ou_pseudo} »",
                url=reverse("outreach:action_detail", args=[action.pk]),
                icon="binoculars",
            )
        )
    for o in orientations:
        url = reverse("outreach:orientation_detail", args=[o.pk])
        if o.est_entrante:
            if o.soumise_le:
                result.append(
                    Event(
                        when=o.soumise_le,
                        kind="orientation",
                        title=f"Orienté·e par {o.partenaire}",
                        detail=o.get_urgence_display(),
                        url=url,
                        icon="signpost",
                    )
                )
            if o.decidee_le:
                result.append(
                    Event(
                        when=o.decidee_le,
                        kind="orientation",
                        title=f"Orientation de {o.partenaire} {o.get_statut_display().lower()}",
                        url=url,
                        icon="signpost",
                    )
                )
        else:
            result.append(
                Event(
                    when=o.soumise_le or o.created_at,
                    kind="orientation",
                    title=f"Orienté·e vers {o.partenaire}",
                    detail=f"Réponse : {o.get_statut_display().lower()}",
                    url=url,
                    icon="signpost",
                )
            )
    return Contribution(
        template="outreach/_dossier_panel.html" if ctx.scope.reads(Record.ORIENTATION) else None,
        context={"jeune": jeune, "orientations": orientations[:20]},
        events=result,
    )
