"""Rendez-vous with a young person: planned from the dossier, an entretien or the agenda (docs/agenda.md)."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from core.models import TimeStampedModel
from core.permissions import Record
from core.scope import ScopedQuerySet, Scoping


class RendezVous(TimeStampedModel):
    class Modalite(models.TextChoices):
        PRESENTIEL = "presentiel", "En présentiel"
        TELEPHONE = "telephone", "Par téléphone"
        VISIO = "visio", "En visio"

    class Statut(models.TextChoices):
        PLANIFIE = "planifie", "Planifié"
        HONORE = "honore", "Honoré"
        MANQUE = "manque", "Manqué"
        EXCUSE = "excuse", "Excusé"
        ANNULE = "annule", "Annulé"

    organisation = models.ForeignKey("core.Organisation", on_delete=models.PROTECT, related_name="+")
    jeune = models.ForeignKey("youth.Jeune", on_delete=models.CASCADE, related_name="rendez_vous")
    conseillere = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="rendez_vous",
        verbose_name="conseillère",
    )
    debut = models.DateTimeField("date et heure")
    duree_minutes = models.PositiveSmallIntegerField("durée (minutes)", default=45)
    modalite = models.CharField("modalité", max_length=20, choices=Modalite.choices, default=Modalite.PRESENTIEL)
    lieu = models.CharField("lieu", max_length=200, blank=True, help_text="Adresse, numéro ou lien de visio.")
    objet = models.CharField("objet", max_length=200, blank=True)
    statut = models.CharField("statut", max_length=20, choices=Statut.choices, default=Statut.PLANIFIE)
    # A minor's legal guardian gets the invitation and the reminder too (when the dossier holds a way to reach them).
    prevenir_representant = models.BooleanField("prévenir aussi le représentant légal", default=False)
    # Honoured: the entretien logged from it. The entretien that planned it, if any.
    entretien = models.OneToOneField(
        "youth.Entretien", null=True, blank=True, on_delete=models.SET_NULL, related_name="rendez_vous"
    )
    planifie_depuis = models.ForeignKey(
        "youth.Entretien", null=True, blank=True, on_delete=models.SET_NULL, related_name="rendez_vous_planifies"
    )
    cree_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    statut_change_le = models.DateTimeField("statut changé le", null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scoping = Scoping(record=Record.RENDEZ_VOUS, jeune="jeune")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "rendez-vous"
        verbose_name_plural = "rendez-vous"
        ordering = ["debut"]
        indexes = [
            models.Index(fields=["organisation", "conseillere", "debut"], name="rdv_org_conseillere_debut"),
            models.Index(fields=["organisation", "statut", "debut"], name="rdv_org_statut_debut"),
            models.Index(fields=["jeune", "debut"], name="rdv_jeune_debut"),
        ]

    def __str__(self):
        return f"Rendez-vous du {timezone.localtime(self.debut):%d/%m/%Y à %H:%M}"

    @property
    def fin(self):
        return self.debut + datetime.timedelta(minutes=self.duree_minutes)

    @property
    def est_a_venir(self):
        return self.statut == self.Statut.PLANIFIE and self.debut > timezone.now()


def flux_rows(scope):
    """A feed is its owner's only: nobody else (not even coordination) sees its row."""
    return Q(user=scope.user) if scope.user is not None else Q(pk__in=[])


class FluxAgenda(models.Model):
    """A user's secret iCalendar feed URL for one organisation (docs/agenda.md): only the token's hash is kept."""

    organisation = models.ForeignKey("core.Organisation", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="flux_agenda")
    token_hash = models.CharField("empreinte du jeton", max_length=64, unique=True)
    cree_le = models.DateTimeField("créé le", auto_now_add=True)
    revoque_le = models.DateTimeField("révoqué le", null=True, blank=True)
    dernier_acces_le = models.DateTimeField("dernier accès le", null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scoping = Scoping(record=Record.RENDEZ_VOUS, rows=flux_rows)

    class Meta:
        verbose_name = "flux d'agenda"
        verbose_name_plural = "flux d'agenda"
        indexes = [models.Index(fields=["user", "organisation"], name="flux_user_org")]

    def __str__(self):
        return f"Flux d'agenda de {self.user} ({self.organisation})"

    @property
    def actif(self):
        return self.revoque_le is None
