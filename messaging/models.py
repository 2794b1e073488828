"""The log of every message sent to a young person or their guardian (docs/messaging.md)."""

from django.db import models

from core.models import TimeStampedModel
from core.permissions import Record
from core.scope import ScopedQuerySet, Scoping


class Message(TimeStampedModel):
    """One message to one address. The row is inserted first, under a unique ``dedupe_key``
    (``rdv:<id>:rappel:<date>:<channel>:<destinataire>``…), then delivered by a Celery task: two runs at the same
    moment (beat and the command) insert it once, so it goes out once."""

    class Kind(models.TextChoices):
        INVITATION = "invitation", "Invitation"
        RAPPEL = "rappel", "Rappel (la veille)"
        ANNULATION = "annulation", "Annulation"

    class Channel(models.TextChoices):
        SMS = "sms", "SMS"
        EMAIL = "email", "E-mail"

    class Destinataire(models.TextChoices):
        JEUNE = "jeune", "Jeune"
        REPRESENTANT = "representant", "Représentant légal"

    class Statut(models.TextChoices):
        EN_ATTENTE = "en_attente", "En attente"
        ENVOYE = "envoye", "Envoyé"
        ECHEC = "echec", "Échec"

    organisation = models.ForeignKey("core.Organisation", on_delete=models.PROTECT, related_name="+")
    jeune = models.ForeignKey("youth.Jeune", on_delete=models.CASCADE, related_name="messages")
    rendez_vous = models.ForeignKey(
        "agenda.RendezVous", null=True, blank=True, on_delete=models.SET_NULL, related_name="messages"
    )
    kind = models.CharField("type", max_length=20, choices=Kind.choices)
    channel = models.CharField("canal", max_length=10, choices=Channel.choices)
    destinataire = models.CharField("destinataire", max_length=20, choices=Destinataire.choices)
    adresse = models.CharField("numéro ou adresse", max_length=254)
    sujet = models.CharField("objet", max_length=200, blank=True)
    texte = models.TextField("texte")
    statut = models.CharField("statut", max_length=20, choices=Statut.choices, default=Statut.EN_ATTENTE)
    erreur = models.TextField("erreurs", blank=True, help_text="Une ligne par tentative échouée.")
    tentatives = models.PositiveSmallIntegerField("tentatives", default=0)
    envoye_le = models.DateTimeField("envoyé le", null=True, blank=True)
    provider_id = models.CharField("identifiant chez le prestataire", max_length=100, blank=True)
    # No personal data in it (ids, kind, date, channel): anonymisation keeps it, so a reminder is never sent twice.
    dedupe_key = models.CharField("clé d'unicité", max_length=200, unique=True)

    objects = ScopedQuerySet.as_manager()
    scoping = Scoping(record=Record.MESSAGE, jeune="jeune")

    class Meta:
        verbose_name = "message"
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["jeune", "-created_at"], name="message_jeune_created"),
            models.Index(fields=["rendez_vous", "kind"], name="message_rdv_kind"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} par {self.get_channel_display()} ({self.get_statut_display()})"
