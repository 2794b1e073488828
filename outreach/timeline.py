"""Dossier timeline events of repérage: the aller-vers contact and the orientations (2 queries)."""

from django.urls import reverse

from core import timeline
from outreach.models import ContactReperage, Orientation
from youth.models import Jeune


def _orientations(jeune, user):
    """The young person's orientations, fetched once per dossier page for the timeline and the panel."""
    cache = jeune.__dict__.setdefault("_outreach_orientations", {})
    if user.pk not in cache:
        cache[user.pk] = list(
            Orientation.objects.for_user(user)
            .filter(jeune=jeune)
            .select_related("partenaire")
            .order_by("-soumise_le", "-pk")
        )
    return cache[user.pk]


def events(jeune, user):
    """At most 2 queries; none for the contacts unless the young person was met in aller-vers."""
    result = []
    contacts = []
    if jeune.origine == Jeune.Origine.ALLER_VERS:
        contacts = ContactReperage.objects.for_user(user).filter(jeune=jeune).select_related("action")
    for contact in contacts:
        action = contact.action
        result.append(
            timeline.Event(
                when=contact.date_contact,
                kind="reperage",
                title=f"Repéré·e en aller-vers ({action.get_type_display().lower()})",
                detail=f"{action.lieu} — premier contact sous le nom « {contact.prenom_ou_pseudo} »",
                url=reverse("outreach:action_detail", args=[action.pk]),
                icon="binoculars",
            )
        )
    for o in _orientations(jeune, user):
        url = reverse("outreach:orientation_detail", args=[o.pk])
        if o.est_entrante:
            if o.soumise_le:
                result.append(
                    timeline.Event(
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
                    timeline.Event(
                        when=o.decidee_le,
                        kind="orientation",
                        title=f"Orientation de {o.partenaire} {o.get_statut_display().lower()}",
                        url=url,
                        icon="signpost",
                    )
                )
        else:
            result.append(
                timeline.Event(
                    when=o.soumise_le or o.created_at,
                    kind="orientation",
                    title=f"Orienté·e vers {o.partenaire}",
                    detail=f"Réponse : {o.get_statut_display().lower()}",
                    url=url,
                    icon="signpost",
                )
            )
    return result


def build_panel(request, jeune):
    """Dossier panel: the orientations of this young person (both directions) and a link to orient to a partner."""
    if request.membership is None or request.membership.role == "partenaire":
        return None
    return "outreach/_dossier_panel.html", {"jeune": jeune, "orientations": _orientations(jeune, request.user)[:20]}
