"""FSE+/IEJ operations, their objectives, budget, resources and material aids."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from core.models import TimeStampedModel
from core.permissions import Record
from core.scope import ScopedQuerySet, Scoping


CENTS = Decimal("0.01")


def default_audit_date(date_dernier_paiement):
    """The one home of the audit-hold rule: documents are kept RETENTION_AUDIT_YEARS (5) years from 31 December of
    the year of the last FSE payment (docs/glossaire.md)."""
    if date_dernier_paiement is None:
        return None
    return date(date_dernier_paiement.year + settings.RETENTION_AUDIT_YEARS, 12, 31)


class Operation(TimeStampedModel):
    class Programme(models.TextChoices):
        FSE_PLUS = "fse_plus", "FSE+ 2021-2027"
        FSE_2014 = "fse_2014", "FSE 2014-2020"
        IEJ = "iej", "FSE – IEJ 2014-2020"
        AUTRE = "autre", "Autre"

    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.PROTECT, related_name="operations", verbose_name="porteur"
    )
    code = models.SlugField("code", max_length=30, unique=True, help_text="Court et stable, ex. EME ou NOE.")
    intitule = models.CharField("intitulé", max_length=200)
    programme = models.CharField("programme", max_length=20, choices=Programme.choices)
    numero_mdfse = models.CharField("numéro Ma Démarche FSE", max_length=50, blank=True)
    date_debut = models.DateField("début de la convention")
    date_fin = models.DateField("fin de la convention")
    age_min = models.PositiveSmallIntegerField("âge minimum à l'entrée", default=16)
    age_max = models.PositiveSmallIntegerField("âge maximum à l'entrée", default=29)
    public = models.TextField("public visé", blank=True)
    emploi_entree_autorise = models.BooleanField(
        "accepte des personnes en emploi à l'entrée",
        default=False,
        help_text="Décoché : opération réservée aux NEET, une personne en emploi à l'entrée est refusée.",
    )
    priorite = models.CharField("axe prioritaire", max_length=200, blank=True)
    objectif_specifique = models.CharField("objectif spécifique", max_length=200, blank=True)
    adresse_beneficiaire = models.CharField("adresse du bénéficiaire", max_length=255, blank=True)
    representant_legal_nom = models.CharField("représentant(e) légal(e)", max_length=150, blank=True)
    representant_legal_qualite = models.CharField("qualité du représentant légal", max_length=150, blank=True)
    # Texts of the bilan (defaults for every bilan of the operation; a bilan may override them: reports.BilanTexte)
    texte_principes_horizontaux = models.TextField("principes horizontaux", blank=True)
    texte_publicite = models.TextField("mesures de publicité", blank=True)
    texte_ecarts = models.TextField("explication des écarts entre prévu et réalisé", blank=True)
    taux_couts_indirects = models.DecimalField(
        "taux forfaitaire des coûts indirects",
        max_digits=5,
        decimal_places=4,
        default=Decimal("0.15"),
        help_text="Part des dépenses directes de personnel (art. 54 b du RPDC : 15 % au plus).",
    )
    forfait_40 = models.BooleanField(
        "forfait de 40 % des frais de personnel",
        default=False,
        help_text=(
            "Art. 56 du RPDC : les autres coûts sont couverts par un forfait de 40 % des dépenses directes de "
            "personnel (au lieu des coûts indirects à 15 %)."
        ),
    )
    date_dernier_paiement = models.DateField("date du dernier paiement FSE", null=True, blank=True)
    audit_hold_until = models.DateField(
        "conservation pour contrôle jusqu'au",
        null=True,
        blank=True,
        help_text="Par défaut 5 ans à compter du 31 décembre de l'année du dernier paiement.",
    )
    is_active = models.BooleanField("en cours", default=True)

    objects = ScopedQuerySet.as_manager()
    scoping = Scoping(record=Record.OPERATION)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "opération"
        ordering = ["-date_debut", "code"]

    def __str__(self):
        return self.libelle

    @property
    def libelle(self):
        """« NOE — Nouvel Objectif Emploi »; an intitulé that already starts with the code is not prefixed again
        (the demo's « NOE – Nouvel Objectif Emploi » read « NOE — NOE – Nouvel Objectif Emploi »)."""
        if self.intitule.upper().startswith(self.code.upper()):
            return self.intitule
        return f"{self.code} — {self.intitule}"

    def save(self, *args, **kwargs):
        if self.audit_hold_until is None and self.date_dernier_paiement is not None:
            self.audit_hold_until = default_audit_date(self.date_dernier_paiement)
        super().save(*args, **kwargs)

    @property
    def audit_hold_end(self):
        """Last day of the audit hold (documents kept for the funder), or None when it is not known yet."""
        return self.audit_hold_until or default_audit_date(self.date_dernier_paiement)


class Objectif(models.Model):
    class Indicateur(models.TextChoices):
        REPERES = "reperes", "Jeunes repérés"
        ENTREES = "entrees", "Entrées (suivis)"
        SORTIES = "sorties", "Sorties"
        SORTIES_POSITIVES = "sorties_positives", "Sorties positives"
        PERMIS_AM = "permis_am", "Permis AM financés"

    operation = models.ForeignKey(Operation, on_delete=models.CASCADE, related_name="objectifs")
    indicateur = models.CharField("indicateur", max_length=30, choices=Indicateur.choices)
    annee = models.PositiveSmallIntegerField("année", null=True, blank=True, help_text="Vide : toute l'opération.")
    cible = models.PositiveIntegerField("cible")

    objects = ScopedQuerySet.as_manager()
    scoping = Scoping(record=Record.OPERATION, organisation="operation__organisation")

    class Meta:
        verbose_name = "objectif"
        constraints = [
            models.UniqueConstraint(fields=["operation", "indicateur", "annee"], name="unique_objectif"),
            models.UniqueConstraint(
                fields=["operation", "indicateur"],
                condition=models.Q(annee__isnull=True),
                name="unique_objectif_global",
            ),
        ]

    def __str__(self):
        return f"{self.get_indicateur_display()} : {self.cible}"


class LigneBudgetaire(models.Model):
    class Categorie(models.TextChoices):
        PERSONNEL = "personnel", "1. Dépenses de personnel"
        FONCTIONNEMENT = "fonctionnement", "2. Dépenses de fonctionnement"
        PRESTATIONS = "prestations_externes", "3. Prestations externes"
        PARTICIPANTS = "participants", "4. Dépenses liées aux participants"

    operation = models.ForeignKey(Operation, on_delete=models.CASCADE, related_name="lignes_budgetaires")
    categorie = models.CharField("catégorie", max_length=30, choices=Categorie.choices)
    libelle = models.CharField("libellé", max_length=200)
    montant_prevu = models.DecimalField("montant prévu", max_digits=12, decimal_places=2, default=Decimal("0"))
    montant_realise = models.DecimalField("montant réalisé", max_digits=12, decimal_places=2, default=Decimal("0"))

    objects = ScopedQuerySet.as_manager()
    scoping = Scoping(record=Record.FINANCE, organisation="operation__organisation")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "ligne budgétaire"
        verbose_name_plural = "lignes budgétaires"
        ordering = ["categorie", "libelle"]

    def __str__(self):
        return f"{self.get_categorie_display()} — {self.libelle}"


class Ressource(models.Model):
    class Kind(models.TextChoices):
        FSE = "fse", "FSE+ / IEJ"
        COFINANCEMENT_PUBLIC = "cofinancement_public", "Autres cofinancements publics"
        COFINANCEMENT_PRIVE = "cofinancement_prive", "Cofinancements privés"
        AUTOFINANCEMENT = "autofinancement", "Autofinancement"
        RECETTES = "recettes", "Recettes"

    operation = models.ForeignKey(Operation, on_delete=models.CASCADE, related_name="ressources")
    kind = models.CharField("nature", max_length=30, choices=Kind.choices)
    financeur = models.CharField("financeur", max_length=200)
    montant = models.DecimalField("montant", max_digits=12, decimal_places=2)

    objects = ScopedQuerySet.as_manager()
    scoping = Scoping(record=Record.FINANCE, organisation="operation__organisation")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "ressource"
        ordering = ["kind", "financeur"]

    def __str__(self):
        return f"{self.financeur} ({self.get_kind_display()})"


def round_cents(value):
    return Decimal(value).quantize(CENTS, rounding=ROUND_HALF_UP)


class AideKind(models.TextChoices):
    PERMIS_AM = "permis_am", "Permis AM"
    VETURE = "veture", "Vêture professionnelle"
    TRANSPORT = "transport", "Titres de transport"
    TICKETS_SERVICE = "tickets_service", "Tickets service"
    AUTRE = "autre", "Autre aide"


class PlafondAide(models.Model):
    """A yearly cap per kind of aid (e.g. 15 permis AM per year for En mode emploi)."""

    operation = models.ForeignKey(Operation, on_delete=models.CASCADE, related_name="plafonds_aides")
    kind = models.CharField("type d'aide", max_length=30, choices=AideKind.choices)
    nombre_max_par_an = models.PositiveIntegerField("nombre maximum par an", null=True, blank=True)
    montant_max_par_an = models.DecimalField(
        "montant maximum par an", max_digits=12, decimal_places=2, null=True, blank=True
    )

    objects = ScopedQuerySet.as_manager()
    scoping = Scoping(record=Record.AIDE, organisation="operation__organisation")

    class Meta:
        verbose_name = "plafond d'aide"
        constraints = [models.UniqueConstraint(fields=["operation", "kind"], name="unique_plafond_aide")]

    def __str__(self):
        return f"{self.get_kind_display()} : {self.nombre_max_par_an or '—'} / an"


class Aide(TimeStampedModel):
    """A material aid granted to a young person, charged to a budget line of the operation."""

    organisation = models.ForeignKey("core.Organisation", on_delete=models.PROTECT, related_name="aides")
    participation = models.ForeignKey("youth.Participation", on_delete=models.PROTECT, related_name="aides")
    ligne_budgetaire = models.ForeignKey(
        LigneBudgetaire, on_delete=models.PROTECT, related_name="aides", verbose_name="ligne budgétaire"
    )
    kind = models.CharField("type d'aide", max_length=30, choices=AideKind.choices)
    date_attribution = models.DateField("date d'attribution")
    montant = models.DecimalField("montant", max_digits=10, decimal_places=2)
    description = models.CharField("précisions", max_length=255, blank=True)
    # Permis AM only
    assr_justificatif = models.BooleanField("ASSR / ASR justifiée", default=False)
    formation_debut = models.DateField("début de la formation", null=True, blank=True)
    formation_fin = models.DateField("fin de la formation", null=True, blank=True)
    permis_obtenu = models.BooleanField("permis obtenu", default=False)
    date_obtention = models.DateField("date d'obtention", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ScopedQuerySet.as_manager()
    scoping = Scoping(record=Record.AIDE, jeune="participation__jeune")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "aide matérielle"
        verbose_name_plural = "aides matérielles"
        ordering = ["-date_attribution"]
        indexes = [models.Index(fields=["organisation", "kind", "date_attribution"])]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.montant} €"
