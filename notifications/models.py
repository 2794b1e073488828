"""In-app notifications: a short title and an internal link, read by their recipient only (docs/notifications.md).

A notification never holds case data: its title names the young person by first name and initial at most, and
the page it links to applies the scope rule as any page does."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from core.permissions import Record
from core.scope import ScopedQuerySet, Scoping


def own_rows(scope):
    """Each user reads only the notifications addressed to them (in the current organisation)."""
    user_id = getattr(scope.user, "pk", None)
    return Q(destinataire_id=user_id) if user_id is not None else Q(pk__in=[])


class Notification(models.Model):
    class Kind(models.TextChoices):
        ORIENTATION = "orientation", "Orientation"
        MESSAGE = "message", "Message"
        RENDEZ_VOUS = "rendez_vous", "Rendez-vous"
        TRAVAIL = "travail", "Traitement terminé"
        PORTEFEUILLE = "portefeuille", "Portefeuille"

    organisation = models.ForeignKey("core.Organisation", on_delete=models.CASCADE, related_name="+")
    destinataire = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name="destinataire"
    )
    kind = models.CharField("type", max_length=20, choices=Kind.choices)
    titre = models.CharField("titre", max_length=160)
    url = models.CharField("lien", max_length=300)
    created_at = models.DateTimeField("reçue le", default=timezone.now)
    lu_le = models.DateTimeField("lue le", null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scoping = Scoping(record=Record.NOTIFICATION, rows=own_rows)

    class Meta:
        verbose_name = "notification"
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["destinataire", "organisation", "lu_le"], name="notif_dest_org_lu"),
            models.Index(fields=["destinataire", "organisation", "-created_at"], name="notif_dest_org_date"),
        ]

    def __str__(self):
        return self.titre

    @property
    def est_lue(self):
        return self.lu_le is not None


class PreferenceNotification(models.Model):
    """A user's choice of a daily e-mail digest (the count of unread notifications, never their content)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    resume_quotidien = models.BooleanField("recevoir chaque matin un e-mail si j'ai des notifications non lues")
    dernier_resume_le = models.DateTimeField("dernier résumé envoyé le", null=True, blank=True)

    class Meta:
        verbose_name = "préférence de notification"
        verbose_name_plural = "préférences de notification"

    def __str__(self):
        return f"Préférences de {self.user}"
