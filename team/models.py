"""Invitations of staff members and the journal of team changes (both in the audit log, ``core.audit``)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from core.permissions import Record
from core.roles import Role
from core.scope import ScopedQuerySet, Scoping


class InvitationQuerySet(ScopedQuerySet):
    def pending(self):
        return self.filter(accepted_at__isnull=True, cancelled_at__isnull=True, expires_at__gt=timezone.now())


class Invitation(models.Model):
    """A person invited to join an organisation with a role. The link carries a signed random secret; the row keeps
    only its SHA-256 (``token_hash``), so a database dump gives no usable link. Single use: ``accepted_at``."""

    organisation = models.ForeignKey("core.Organisation", on_delete=models.CASCADE, related_name="invitations_equipe")
    email = models.EmailField("adresse e-mail")
    role = models.CharField("rôle", max_length=30, choices=Role.choices)
    first_name = models.CharField("prénom", max_length=150, blank=True)
    last_name = models.CharField("nom", max_length=150, blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="invitée par",
    )
    token_hash = models.CharField("empreinte du lien", max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField("envoyée le", auto_now_add=True)
    sent_at = models.DateTimeField("dernier envoi le", default=timezone.now)
    expires_at = models.DateTimeField("expire le")
    accepted_at = models.DateTimeField("acceptée le", null=True, blank=True)
    cancelled_at = models.DateTimeField("annulée le", null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="compte",
    )

    objects = InvitationQuerySet.as_manager()
    scoping = Scoping(record=Record.COMPTES)
    history = HistoricalRecords(excluded_fields=["token_hash"])

    class Meta:
        verbose_name = "invitation dans l'équipe"
        verbose_name_plural = "invitations dans l'équipe"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "email"])]

    def __str__(self):
        return f"Invitation de {self.email} ({self.get_role_display()})"

    @property
    def statut(self):
        if self.accepted_at:
            return "Acceptée"
        if self.cancelled_at:
            return "Annulée"
        if self.expires_at <= timezone.now():
            return "Expirée"
        return "En attente"


class EvenementEquipe(models.Model):
    """One change to the team or the organisation's settings: who did what to whom. Append-only; its history row
    puts it in the audit log (« Modifications »)."""

    class Kind(models.TextChoices):
        INVITATION = "invitation", "Invitation envoyée"
        INVITATION_RENVOYEE = "invitation_renvoyee", "Invitation renvoyée"
        INVITATION_ANNULEE = "invitation_annulee", "Invitation annulée"
        INVITATION_ACCEPTEE = "invitation_acceptee", "Invitation acceptée"
        ROLE = "role", "Rôle modifié"
        DESACTIVATION = "desactivation", "Accès désactivé"
        REACTIVATION = "reactivation", "Accès réactivé"
        PARAMETRES = "parametres", "Paramètres de l'organisation modifiés"
        CREATION = "creation", "Organisation ouverte"

    organisation = models.ForeignKey("core.Organisation", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField("événement", max_length=30, choices=Kind.choices)
    acteur = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="par",
    )
    membre = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="personne concernée",
    )
    email = models.EmailField("adresse concernée", blank=True)
    detail = models.CharField("détail", max_length=300, blank=True)
    created_at = models.DateTimeField("date", default=timezone.now)

    objects = ScopedQuerySet.as_manager()
    scoping = Scoping(record=Record.COMPTES)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "changement dans l'équipe"
        verbose_name_plural = "changements dans l'équipe"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "-created_at"])]

    def __str__(self):
        text = self.get_kind_display()  # no related object: the audit log prints a page of these
        if self.email:
            text += f" : {self.email}"
        if self.detail:
            text += f" ({self.detail})"
        return text
