"""Employer CRM: companies (*entreprises bienveillantes*), contacts, interactions, offers, placements."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from simple_history.models import HistoricalRecords

from core.models import TimeStampedModel
from core.permissions import Record
from core.scope import ScopedQuerySet, Scoping


def luhn_ok(digits):
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def normalise_siret(value):
    return "".join((value or "").split())


def validate_siret(value):
    """14 digits with a valid Luhn checksum (La Poste's establishments, SIREN 356000000, may use a digit sum
    that is a multiple of 5 instead)."""
    siret = normalise_siret(value)
    if not siret.isdigit() or len(siret) != 14:
        raise ValidationError("Le SIRET doit comporter 14 chiffres.", code="siret_format")
    if siret.startswith("356000000") and sum(int(c) for c in siret) % 5 == 0:
        return
    if not luhn_ok(siret):
        raise ValidationError("Ce SIRET n'est pas valide (clé de contrôle incorrecte).", code="siret_luhn")


validate_naf = RegexValidator(
    r"^\d{2}\.?\d{2}[A-Za-z]$", "Le code NAF s'écrit comme 47.11F (4 chiffres et une lettre).", code="naf"
)


class Entreprise(TimeStampedModel):
    organisation = models.ForeignKey("core.Organisation", on_delete=models.PROTECT, related_name="entreprises")
    nom = models.CharField("raison sociale", max_length=200)
    siret = models.CharField("SIRET", max_length=14, blank=True, validators=[validate_siret])
    code_naf = models.CharField("code NAF", max_length=6, blank=True, validators=[validate_naf])
    secteur = models.CharField("secteur d'activité", max_length=150, blank=True)
    adresse = models.CharField("adresse", max_length=255, blank=True)
    code_postal = models.CharField("code postal", max_length=5, blank=True)
    commune = models.CharField("commune", max_length=100, blank=True)
    telephone = models.CharField("téléphone", max_length=30, blank=True)
    email = models.EmailField("e-mail", blank=True)
    bienveillante = models.BooleanField("entreprise bienveillante", default=False)
    bienveillante_depuis = models.DateField("labellisée le", null=True, blank=True)
    notes = models.TextField("notes", blank=True)
    is_active = models.BooleanField("active", default=True)

    objects = ScopedQuerySet.as_manager()
    scoping = Scoping(record=Record.EMPLOYEUR)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "entreprise"
        ordering = ["nom"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "siret"], condition=~models.Q(siret=""), name="unique_siret_organisation"
            )
        ]
        indexes = [
            models.Index(fields=["organisation", "nom"]),
            models.Index(fields=["organisation", "bienveillante"]),
            models.Index(fields=["organisation", "siret"]),
        ]

    def __str__(self):
        return self.nom

    def get_absolute_url(self):
        return f"/entreprises/{self.pk}/"

    def clean(self):
        self.siret = normalise_siret(self.siret)
        self.code_naf = (self.code_naf or "").upper().strip()


class Contact(TimeStampedModel):
    entreprise = models.ForeignKey(Entreprise, on_delete=models.CASCADE, related_name="contacts")
    nom = models.CharField("nom", max_length=150)
    prenom = models.CharField("prénom", max_length=150, blank=True)
    fonction = models.CharField("fonction", max_length=150, blank=True)
    telephone = models.CharField("téléphone", max_length=30, blank=True)
    email = models.EmailField("e-mail", blank=True)

    objects = ScopedQuerySet.as_manager()
    scoping = Scoping(record=Record.EMPLOYEUR, organisation="entreprise__organisation")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "contact"
        ordering = ["nom", "prenom"]

    def __str__(self):
        return f"{self.prenom} {self.nom}".strip()


class Interaction(TimeStampedModel):
    class Kind(models.TextChoices):
        VISITE = "visite", "Visite de l'entreprise"
        VISITE_JEUNES = "visite_jeunes", "Visite avec des jeunes"
        APPEL = "appel", "Appel téléphonique"
        EVENEMENT = "evenement", "Événement (forum, job dating…)"
        COURRIEL = "courriel", "Courriel"
        AUTRE = "autre", "Autre"

    entreprise = models.ForeignKey(Entreprise, on_delete=models.CASCADE, related_name="interactions")
    kind = models.CharField("type", max_length=20, choices=Kind.choices)
    date = models.DateField("date")
    contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="contact"
    )
    objet = models.CharField("objet", max_length=200)
    compte_rendu = models.TextField("compte rendu", blank=True)
    nb_jeunes = models.PositiveSmallIntegerField("jeunes présents", default=0)
    auteur = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ScopedQuerySet.as_manager()
    scoping = Scoping(record=Record.EMPLOYEUR, organisation="entreprise__organisation")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "échange avec l'entreprise"
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["entreprise", "date"])]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.objet}"


class TypeContrat(models.TextChoices):
    CDI = "cdi", "CDI"
    CDD = "cdd", "CDD"
    INTERIM = "interim", "Intérim"
    ALTERNANCE = "alternance", "Alternance (apprentissage, professionnalisation)"
    CONTRAT_AIDE = "contrat_aide", "Contrat aidé (PEC…)"
    IAE = "iae", "Insertion par l'activité économique"
    AUTRE = "autre", "Autre"


class Offre(TimeStampedModel):
    class Statut(models.TextChoices):
        OUVERTE = "ouverte", "Ouverte"
        POURVUE = "pourvue", "Pourvue"
        CLOSE = "close", "Close"

    entreprise = models.ForeignKey(Entreprise, on_delete=models.CASCADE, related_name="offres")
    intitule = models.CharField("intitulé du poste", max_length=200)
    type_contrat = models.CharField("type de contrat", max_length=20, choices=TypeContrat.choices)
    date_publication = models.DateField("date")
    nb_postes = models.PositiveSmallIntegerField("postes", default=1)
    statut = models.CharField("statut", max_length=10, choices=Statut.choices, default=Statut.OUVERTE)
    description = models.TextField("description", blank=True)

    objects = ScopedQuerySet.as_manager()
    scoping = Scoping(record=Record.EMPLOYEUR, organisation="entreprise__organisation")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "offre"
        ordering = ["-date_publication", "-pk"]
        indexes = [models.Index(fields=["entreprise", "statut"])]

    def __str__(self):
        return f"{self.intitule} ({self.get_type_contrat_display()})"


class Placement(TimeStampedModel):
    """A young person placed in a job (or training with an employer), followed in post."""

    organisation = models.ForeignKey("core.Organisation", on_delete=models.PROTECT, related_name="placements")
    jeune = models.ForeignKey("youth.Jeune", on_delete=models.CASCADE, related_name="placements")
    entreprise = models.ForeignKey(Entreprise, on_delete=models.PROTECT, related_name="placements")
    offre = models.ForeignKey(Offre, null=True, blank=True, on_delete=models.SET_NULL, related_name="placements")
    poste = models.CharField("poste", max_length=200)
    type_contrat = models.CharField("type de contrat", max_length=20, choices=TypeContrat.choices)
    date_debut = models.DateField("début du contrat")
    date_fin = models.DateField("fin du contrat", null=True, blank=True, help_text="Vide pour un CDI.")
    heures_hebdo = models.DecimalField("heures par semaine", max_digits=4, decimal_places=1, null=True, blank=True)
    tuteur = models.CharField("tuteur dans l'entreprise", max_length=150, blank=True)
    notes = models.TextField("notes", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ScopedQuerySet.as_manager()
    scoping = Scoping(record=Record.EMPLOYEUR, jeune="jeune")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "placement"
        ordering = ["-date_debut", "-pk"]
        indexes = [
            models.Index(fields=["organisation", "date_debut"]),
            models.Index(fields=["entreprise", "date_debut"]),
        ]

    def __str__(self):
        return f"{self.poste} — {self.entreprise}"

    def get_absolute_url(self):
        return f"/entreprises/placements/{self.pk}/"

    def clean(self):
        if self.date_fin and self.date_debut and self.date_fin < self.date_debut:
            raise ValidationError({"date_fin": "La fin du contrat ne peut pas précéder son début."})


class SuiviPlacement(TimeStampedModel):
    class Avec(models.TextChoices):
        JEUNE = "jeune", "Le jeune"
        TUTEUR = "tuteur", "Le tuteur"
        LES_DEUX = "les_deux", "Le jeune et le tuteur"

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="suivis")
    date = models.DateField("date")
    avec = models.CharField("avec", max_length=10, choices=Avec.choices)
    compte_rendu = models.TextField("compte rendu")
    auteur = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ScopedQuerySet.as_manager()
    scoping = Scoping(record=Record.EMPLOYEUR, organisation="placement__organisation", jeune="placement__jeune")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "suivi dans l'emploi"
        ordering = ["-date", "-pk"]

    def __str__(self):
        return f"Suivi du {self.date:%d/%m/%Y}"
