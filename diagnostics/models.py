"""Versioned questionnaires (axes → items, scored on a scale) and the evaluations answered with them.

A ``Questionnaire`` belongs to one organisation and has numbered ``QuestionnaireVersion`` rows. A version is
published when it is created and never changes afterwards: editing a questionnaire creates a new version
(copy-on-write, ``services.version_create``). An ``Evaluation`` points at the exact version it was answered with,
so an old evaluation is always displayed with its own axes and items.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from core.models import TimeStampedModel
from core.permissions import Record
from core.scope import ScopedQuerySet, Scoping
from core.softdelete import SoftDeleteModel


class PublishedImmutable(models.Model):
    """Rows of a published version are written once (``services.version_create``) and never updated."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError("Une version publiée ne se modifie pas : publiez une nouvelle version.")
        super().save(*args, **kwargs)


class Questionnaire(TimeStampedModel):
    class Kind(models.TextChoices):
        SOCIO_PRO = "socio_pro", "Diagnostic socio-professionnel"
        SAVOIRS_ETRE = "savoirs_etre", "Savoirs-être"
        AUTRE = "autre", "Autre"

    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.PROTECT, related_name="questionnaires", verbose_name="structure"
    )
    kind = models.CharField("type", max_length=20, choices=Kind.choices, default=Kind.AUTRE)
    titre = models.CharField("titre", max_length=200)
    description = models.TextField("description", blank=True)
    is_active = models.BooleanField("proposé pour les nouvelles évaluations", default=True)

    objects = ScopedQuerySet.as_manager()
    scoping = Scoping(record=Record.QUESTIONNAIRE)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "questionnaire"
        ordering = ["organisation", "kind", "titre"]
        indexes = [models.Index(fields=["organisation", "kind"])]

    def __str__(self):
        return self.titre


class QuestionnaireVersion(PublishedImmutable):
    """One published, immutable state of a questionnaire."""

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name="versions")
    numero = models.PositiveIntegerField("version")
    echelle_min = models.PositiveSmallIntegerField("note minimale", default=0)
    echelle_max = models.PositiveSmallIntegerField("note maximale", default=4)
    echelle_aide = models.CharField(
        "lecture de l'échelle", max_length=300, blank=True, default="0 = pas du tout, 4 = tout à fait / acquis"
    )
    note = models.CharField("ce qui a changé", max_length=300, blank=True)
    publiee_le = models.DateTimeField("publiée le", auto_now_add=True)
    publiee_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ScopedQuerySet.as_manager()
    scoping = Scoping(record=Record.QUESTIONNAIRE, organisation="questionnaire__organisation")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "version de questionnaire"
        ordering = ["questionnaire", "-numero"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "numero"], name="unique_questionnaire_version")
        ]

    def __str__(self):
        return f"{self.questionnaire.titre} (v{self.numero})"

    @property
    def echelle(self):
        return list(range(self.echelle_min, self.echelle_max + 1))


class Axe(PublishedImmutable):
    version = models.ForeignKey(QuestionnaireVersion, on_delete=models.CASCADE, related_name="axes")
    ordre = models.PositiveSmallIntegerField("ordre")
    libelle = models.CharField("libellé", max_length=200)

    objects = ScopedQuerySet.as_manager()
    scoping = Scoping(record=Record.QUESTIONNAIRE, organisation="version__questionnaire__organisation")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "axe"
        ordering = ["version", "ordre"]

    def __str__(self):
        return self.libelle


class Item(PublishedImmutable):
    axe = models.ForeignKey(Axe, on_delete=models.CASCADE, related_name="items")
    ordre = models.PositiveSmallIntegerField("ordre")
    libelle = models.CharField("libellé", max_length=300)

    objects = ScopedQuerySet.as_manager()
    scoping = Scoping(record=Record.QUESTIONNAIRE, organisation="axe__version__questionnaire__organisation")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "item"
        ordering = ["axe", "ordre"]

    def __str__(self):
        return self.libelle


class Evaluation(SoftDeleteModel, TimeStampedModel):
    class Type(models.TextChoices):
        ENTREE = "entree", "Entrée"
        INTERMEDIAIRE = "intermediaire", "Intermédiaire"
        SORTIE = "sortie", "Sortie"

    organisation = models.ForeignKey("core.Organisation", on_delete=models.PROTECT, related_name="evaluations")
    jeune = models.ForeignKey("youth.Jeune", on_delete=models.CASCADE, related_name="evaluations")
    participation = models.ForeignKey(
        "youth.Participation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="evaluations",
        verbose_name="participation",
    )
    version = models.ForeignKey(
        QuestionnaireVersion, on_delete=models.PROTECT, related_name="evaluations", verbose_name="questionnaire"
    )
    type = models.CharField("moment", max_length=20, choices=Type.choices)
    date = models.DateField("date")
    evaluateur = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="réalisée par",
    )
    commentaire = models.TextField("commentaire", blank=True)

    objects = ScopedQuerySet.as_manager()
    scoping = Scoping(record=Record.DIAGNOSTIC, jeune="jeune")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "évaluation"
        ordering = ["-date", "-pk"]
        indexes = [
            models.Index(fields=["organisation", "jeune", "date"]),
            models.Index(fields=["organisation", "type", "date"]),
            models.Index(fields=["participation", "type"]),
        ]

    def __str__(self):
        return f"{self.get_type_display()} — {self.version.questionnaire.titre} ({self.date:%d/%m/%Y})"

    def get_absolute_url(self):
        return f"/diagnostics/evaluations/{self.pk}/"


class Reponse(models.Model):
    """The score of one item in one evaluation. ``score`` empty: « non renseigné »."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="reponses")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="reponses")
    score = models.PositiveSmallIntegerField("note", null=True, blank=True)
    commentaire = models.CharField("commentaire", max_length=500, blank=True)

    objects = ScopedQuerySet.as_manager()
    scoping = Scoping(record=Record.DIAGNOSTIC, organisation="evaluation__organisation", jeune="evaluation__jeune")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "réponse"
        constraints = [models.UniqueConstraint(fields=["evaluation", "item"], name="unique_reponse_item")]

    def __str__(self):
        return f"{self.item}: {self.score if self.score is not None else 'non renseigné'}"
