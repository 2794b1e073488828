"""Notifications of events of apps above ``notifications`` (connected in ``HomeConfig.ready``)."""

from django.urls import reverse

from agenda.models import RendezVous
from notifications.models import Notification
from notifications.services import nom_court, notifier


def rendez_vous_manque(sender, rendez_vous, ancien=None, nouveau=None, user=None, **kwargs):
    """A rendez-vous marked missed: its dossier's referent hears of it, unless she marked it herself."""
    if nouveau != RendezVous.Statut.MANQUE or ancien == nouveau:
        return
    jeune = rendez_vous.jeune
    referent_id = jeune.referent_id
    marked_by = getattr(user, "pk", None)
    if marked_by is None:  # who saved the change: its latest history record
        latest = rendez_vous.history.order_by("-history_date", "-history_id").first()
        marked_by = latest.history_user_id if latest else None
    if referent_id is None or referent_id == marked_by:
        return
    notifier(
        rendez_vous.organisation_id,
        [referent_id],
        Notification.Kind.RENDEZ_VOUS,
        f"Rendez-vous manqué : {nom_court(jeune.prenom, jeune.nom)} ({rendez_vous.debut:%d/%m/%Y})",
        reverse("youth:jeune_detail", args=[jeune.pk]),
    )
