"""The expense ledger of an operation: expenses with their proofs, staff time sheets, resources received.

Coordination only (``Record.DEPENSES`` in the role table). Every row belongs to an operation; its organisation is
the operation's.
Amounts are Decimal with 2 decimals; the arithmetic lives in ``expenses.finance``.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from core.models import TimeStampedModel
from core.permissions import Record
from core.scope import ScopedQuerySet, Scoping
from core.uploads import upload_to, validate_upload


CENTS = Decimal("0.01")


def justificatif_upload_to(instance, filename):
    return upload_to("depenses")(instance, filename)


def feuille_temps_upload_to(instance, filename):
    return upload_to("temps")(instance, filename)


class Poste(models.TextChoices):
    PERSONNEL = "personnel", "1. Dépenses de personnel"
    FONCTIONNEMENT = "fonctionnement", "2. Dépenses de fonctionnement"
    PRESTATIONS = "prestations_externes", "3. Prestations externes"
    PARTICIPANTS = "depenses_participants", "4. Dépenses liées aux participants"
    TIERS = "depenses_tiers", "Dépenses de tiers"
    NATURE = "contributions_nature", "Contributions en nature"
    RECETTES = "recettes", "Recettes"


DIRECT_POSTES = (Poste.PERSONNEL, Poste.FONCTIONNEMENT, Poste.PRESTATIONS, Poste.PARTICIPANTS)
# Budget category of funding.LigneBudgetaire each direct poste is planned under.
CATEGORIE_BUDGET = {
    Poste.PERSONNEL: "personnel",
    Poste.FONCTIONNEMENT: "fonctionnement",
    Poste.PRESTATIONS: "prestations_externes",
    Poste.PARTICIPANTS: "participants",
}


LEDGER = Scoping(record=Record.DEPENSES, organisation="operation__organisation")


class Depense(TimeStampedModel):
    """One eligible expense. It counts in a period by its payment date; unpaid, it is listed, never counted."""

    class Justificatif(models.TextChoices):
        FACTURE = "facture", "Facture"
        BULLETIN_PAIE = "bulletin_paie", "Bulletin de paie"
        RELEVE_BANCAIRE = "releve_bancaire", "Relevé bancaire"
        AUTRE = "autre", "Autre pièce"

    operation = models.ForeignKey("funding.Operation", on_delete=models.PROTECT, related_name="depenses")
    ligne_budgetaire = models.ForeignKey(
        "funding.LigneBudgetaire",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="depenses",
        verbose_name="ligne budgétaire",
    )
    reference = models.CharField(
        "référence", max_length=50, blank=True, help_text="Numéro de pièce dans votre comptabilité (unique)."
    )
    poste = models.CharField("poste", max_length=30, choices=Poste.choices)
    libelle = models.CharField("libellé", max_length=200)
    beneficiaire = models.CharField("bénéficiaire du paiement", max_length=200)
    montant = models.DecimalField("montant éligible", max_digits=12, decimal_places=2)
    date = models.DateField("date de la pièce")
    date_paiement = models.DateField("acquittée le", null=True, blank=True, help_text="Vide : non acquittée.")
    nature_justificatif = models.CharField(
        "nature du justificatif", max_length=20, choices=Justificatif.choices, blank=True
    )
    justificatif = models.FileField(
        "justificatif", upload_to=justificatif_upload_to, validators=[validate_upload], blank=True, max_length=200
    )
    feuille_temps = models.OneToOneField(
        "expenses.FeuilleTemps",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="depense",
        verbose_name="feuille de temps",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="saisie par",
    )

    objects = ScopedQuerySet.as_manager()
    scoping = LEDGER
    history = HistoricalRecords()

    class Meta:
        verbose_name = "dépense"
        ordering = ["-date", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["operation", "reference"], condition=~models.Q(reference=""), name="unique_depense_reference"
            ),
        ]
        indexes = [
            models.Index(fields=["operation", "date_paiement"]),
            models.Index(fields=["operation", "poste", "date_paiement"]),
        ]

    def __str__(self):
        return f"{self.reference or self.pk} — {self.libelle}"

    @property
    def acquittee(self):
        return self.date_paiement is not None


class Salarie(TimeStampedModel):
    """A staff member assigned (part- or full-time) to the operation."""

    operation = models.ForeignKey("funding.Operation", on_delete=models.PROTECT, related_name="salaries")
    nom = models.CharField("nom et prénom", max_length=200)
    fonction = models.CharField("fonction", max_length=200, blank=True)
    date_debut = models.DateField("affecté(e) du")
    date_fin = models.DateField("au", null=True, blank=True, help_text="Vide : toujours affecté(e).")

    objects = ScopedQuerySet.as_manager()
    scoping = LEDGER
    history = HistoricalRecords()

    class Meta:
        verbose_name = "salarié(e) affecté(e)"
        verbose_name_plural = "salarié(e)s affecté(e)s"
        ordering = ["nom", "pk"]
        constraints = [models.UniqueConstraint(fields=["operation", "nom"], name="unique_salarie_operation")]

    def __str__(self):
        return self.nom


class FeuilleTemps(TimeStampedModel):
    """Monthly time sheet: hours on the operation out of hours worked, signed by the employee and the manager."""

    salarie = models.ForeignKey(Salarie, on_delete=models.PROTECT, related_name="feuilles")
    mois = models.DateField("mois", help_text="Premier jour du mois.")
    heures_operation = models.DecimalField("heures sur l'opération", max_digits=6, decimal_places=2)
    heures_travaillees = models.DecimalField("heures travaillées", max_digits=6, decimal_places=2)
    cout_charge_mensuel = models.DecimalField("coût chargé du mois", max_digits=10, decimal_places=2)
    signee_salarie_le = models.DateField("signée par le/la salarié(e) le", null=True, blank=True)
    signee_responsable_le = models.DateField("signée par le/la responsable le", null=True, blank=True)
    scan_signe = models.FileField(
        "feuille signée (scan)",
        upload_to=feuille_temps_upload_to,
        validators=[validate_upload],
        blank=True,
        max_length=200,
    )

    objects = ScopedQuerySet.as_manager()
    scoping = Scoping(record=Record.DEPENSES, organisation="salarie__operation__organisation")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "feuille de temps"
        verbose_name_plural = "feuilles de temps"
        ordering = ["salarie__nom", "mois"]
        constraints = [models.UniqueConstraint(fields=["salarie", "mois"], name="unique_feuille_temps_mois")]

    def __str__(self):
        return f"{self.salarie} — {self.mois:%m/%Y}"

    @property
    def part(self):
        """Share of the month spent on the operation (Decimal ratio, unrounded), None without hours worked."""
        if not self.heures_travaillees:
            return None
        return Decimal(self.heures_operation) / Decimal(self.heures_travaillees)

    @property
    def depasse(self):
        """Over 100 %: more hours on the operation than hours worked (or hours without any hour worked)."""
        if not self.heures_travaillees:
            return bool(self.heures_operation)
        return self.heures_operation > self.heures_travaillees

    @property
    def signee(self):
        return bool(self.signee_salarie_le and self.signee_responsable_le)

    @property
    def cout_eligible(self):
        return eligible_staff_cost(self.cout_charge_mensuel, self.heures_operation, self.heures_travaillees)


def eligible_staff_cost(cout, heures_operation, heures_travaillees):
    """cost × hours on the operation / hours worked, rounded to the cent (ROUND_HALF_UP); 0 without hours worked.

    The share is never capped silently: a sheet over 100 % is flagged and its cost counted as computed, so the
    coordinator corrects the sheet rather than the figure.
    """
    if not heures_travaillees:
        return Decimal("0.00")
    value = Decimal(cout) * Decimal(heures_operation) / Decimal(heures_travaillees)
    return value.quantize(CENTS, rounding=ROUND_HALF_UP)


class RessourceRecue(TimeStampedModel):
    """Money actually received for the operation (FSE advance, interim payment, balance, other cofinancing)."""

    class Kind(models.TextChoices):
        AVANCE = "avance", "Avance"
        ACOMPTE = "acompte", "Paiement intermédiaire"
        SOLDE = "solde", "Paiement du solde"
        COFINANCEMENT = "cofinancement", "Autre cofinancement"

    operation = models.ForeignKey("funding.Operation", on_delete=models.PROTECT, related_name="ressources_recues")
    kind = models.CharField("nature", max_length=20, choices=Kind.choices)
    fse = models.BooleanField("versement FSE", default=True)
    financeur = models.CharField("financeur", max_length=200)
    montant = models.DecimalField("montant", max_digits=12, decimal_places=2)
    date_reception = models.DateField("reçu le")
    reference = models.CharField("référence", max_length=100, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ScopedQuerySet.as_manager()
    scoping = LEDGER
    history = HistoricalRecords()

    class Meta:
        verbose_name = "ressource reçue"
        verbose_name_plural = "ressources reçues"
        ordering = ["-date_reception", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.financeur} — {self.montant} €"


class PrevisionAnnuelle(models.Model):
    """The plan per year and poste (optional; without it the line's total is spread over the convention)."""

    operation = models.ForeignKey("funding.Operation", on_delete=models.CASCADE, related_name="previsions")
    poste = models.CharField("poste", max_length=30, choices=Poste.choices)
    annee = models.PositiveSmallIntegerField("année")
    montant_prevu = models.DecimalField("montant prévu", max_digits=12, decimal_places=2)

    objects = ScopedQuerySet.as_manager()
    scoping = LEDGER
    history = HistoricalRecords()

    class Meta:
        verbose_name = "prévision annuelle"
        verbose_name_plural = "prévisions annuelles"
        ordering = ["annee", "poste"]
        constraints = [models.UniqueConstraint(fields=["operation", "poste", "annee"], name="unique_prevision")]

    def __str__(self):
        return f"{self.get_poste_display()} {self.annee} : {self.montant_prevu} €"
