"""Demo notifications for the demo accounts: an orientation received, a partner's message, a finished bilan PDF,
a transferred caseload, some already read (run by ``seed_demo`` after the apps whose pages they link to)."""

from datetime import timedelta

from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from core.models import Role
from notifications.models import Notification
from notifications.services import nom_court, notifier


def seed_demo(ctx):
    # looked up by name: notifications imports core only (the orientations exist when seed_demo runs this last)
    Orientation = apps.get_model("outreach", "Orientation")  # noqa: N806
    acsrv = ctx.orgs["acsrv"]
    conseillere = ctx.users["conseillere@acsrv.demo"]
    coordination = ctx.users["coordination@acsrv.demo"]
    staff = [conseillere, coordination]
    orientations = list(
        Orientation.objects.for_organisation(acsrv, role=Role.COORDINATEUR)
        .filter(sens=Orientation.Sens.ENTRANTE, statut__in=Orientation.OUVERTES)
        .order_by("-soumise_le")[:3]
    )
    created = []
    for orientation in orientations[:2]:
        created += notifier(
            acsrv,
            staff,
            Notification.Kind.ORIENTATION,
            f"Nouvelle orientation reçue : {nom_court(orientation.prenom, orientation.nom)}",
            reverse("outreach:orientation_detail", args=[orientation.pk]),
        )
    if orientations:
        orientation = orientations[-1]
        created += notifier(
            acsrv,
            staff,
            Notification.Kind.MESSAGE,
            f"Nouveau message sur l'orientation : {nom_court(orientation.prenom, orientation.nom)}",
            reverse("outreach:orientation_detail", args=[orientation.pk]),
        )
    created += notifier(
        acsrv, [coordination], Notification.Kind.TRAVAIL, "Bilan PDF EME prêt", reverse("reports:bilan_index")
    )
    read = notifier(
        acsrv,
        [conseillere],
        Notification.Kind.PORTEFEUILLE,
        "3 dossiers et 2 rendez-vous à venir vous ont été transférés (Claire Dumont)",
        "/jeunes/?mes_jeunes=1",
    )
    # spread over the last days, the oldest already read
    now = timezone.now()
    for i, notification in enumerate(created + read):
        notification.created_at = now - timedelta(hours=3 * i + 1)
    for notification in read:
        notification.created_at = now - timedelta(days=3)
        notification.lu_le = now - timedelta(days=2)
    for notification in created + read:
        notification.save(update_fields=["created_at", "lu_le"])
    ctx.log(f"{len(created) + len(read)} notifications de démonstration.")
