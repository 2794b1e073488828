"""Collective workshops (``Atelier``), their sessions (``Seance``), registrations with attendance
(``Inscription``), and company immersions (``Immersion``, PMSMP conventions)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from core.models import TimeStampedModel
from core.permissions import Record
from core.scope import ScopedQuerySet, Scoping
from core.softdelete import SoftDeleteModel
from core.uploads import upload_to, validate_upload


_emargement_path = upload_to("emargements")


def emargement_upload_to(instance, filename):
    return _emargement_path(instance, filename)


class Public(models.TextChoices):
    TOUS = "tous", "Tout public"
    FEMMES = "femmes", "Réservé aux femmes"
    HOMMES = "hommes", "Réservé aux hommes"


PUBLIC_SEXES = {Public.FEMMES: "F", Public.HOMMES: "H"}


class Atelier(TimeStampedModel):
    class Theme(models.TextChoices):
        REDYNAMISATION = "redynamisation", "Redynamisation, confiance en soi"
        TRE = "tre", "Techniques de recherche d'emploi"
        NUMERIQUE = "numerique", "Numérique"
        MOBILITE = "mobilite", "Mobilité"
        SANTE = "sante", "Santé, bien-être"
        CITOYENNETE = "citoyennete", "Citoyenneté, vie pratique"
        DECOUVERTE_METIERS = "decouverte_metiers", "Découverte des métiers"
        AUTRE = "autre", "Autre"

    organisation = models.ForeignKey("core.Organisation", on_delete=models.PROTECT, related_name="ateliers")
    operation = models.ForeignKey(
        "funding.Operation", on_delete=models.PROTECT, related_name="ateliers", verbose_name="opération"
    )
    intitule = models.CharField("intitulé", max_length=200)
    theme = models.CharField("thème", max_length=30, choices=Theme.choices)
    action = models.CharField(
        "action de l'opération", max_length=200, blank=True, help_text="Ex. : Redynamisation et levée des freins."
    )
    animateur = models.CharField("animateur ou animatrice", max_length=150, blank=True)
    partenaire = models.CharField("partenaire intervenant", max_length=200, blank=True)
    public = models.CharField("public", max_length=10, choices=Public.choices, default=Public.TOUS)
    description = models.TextField("description", blank=True)
    is_active = models.BooleanField("au catalogue", default=True)

    objects = ScopedQuerySet.as_manager()
    scoping = Scoping(record=Record.ATELIER)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "atelier"
        ordering = ["intitule"]
        indexes = [models.Index(fields=["organisation", "is_active", "intitule"])]

    def __str__(self):
        return self.intitule

    def get_absolute_url(self):
        return f"/ateliers/{self.pk}/"


class Seance(TimeStampedModel):
    atelier = models.ForeignKey(Atelier, on_delete=models.CASCADE, related_name="seances")
    date = models.DateField("date")
    heure_debut = models.TimeField("début")
    heure_fin = models.TimeField("fin")
    lieu = models.CharField("lieu", max_length=200)
    capacite = models.PositiveSmallIntegerField(
        "places", default=12, validators=[MinValueValidator(1), MaxValueValidator(500)]
    )
    public = models.CharField(
        "public de la séance",
        max_length=10,
        choices=Public.choices,
        blank=True,
        help_text="Vide : celui de l'atelier.",
    )
    emargement_signe = models.FileField(
        "feuille d'émargement signée",
        upload_to=emargement_upload_to,
        validators=[validate_upload],
        blank=True,
    )
    presences_saisies_le = models.DateTimeField("présences saisies le", null=True, blank=True)
    # The staff member who runs the session: it shows in her agenda (/agenda/).
    animatrice = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="seances_animees",
        verbose_name="animée par",
    )

    objects = ScopedQuerySet.as_manager()
    scoping = Scoping(record=Record.ATELIER, organisation="atelier__organisation")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "séance"
        ordering = ["-date", "-heure_debut"]
        indexes = [models.Index(fields=["atelier", "date"]), models.Index(fields=["date"])]

    @property
    def est_a_venir(self):
        """A session to come: attendance is taken on its day or after (youth.rules.attendance_errors)."""
        return self.date > timezone.localdate()

    def __str__(self):
        return f"{self.atelier} — {self.date:%d/%m/%Y}"

    def get_absolute_url(self):
        return f"/ateliers/seances/{self.pk}/"

    @property
    def public_effectif(self):
        return self.public or self.atelier.public

    def get_public_effectif_display(self):
        return Public(self.public_effectif).label


class Inscription(SoftDeleteModel, TimeStampedModel):
    class Presence(models.TextChoices):
        PRESENT = "present", "Présent·e"
        ABSENT_EXCUSE = "absent_excuse", "Absent·e excusé·e"
        ABSENT = "absent", "Absent·e"

    seance = models.ForeignKey(Seance, on_delete=models.CASCADE, related_name="inscriptions")
    jeune = models.ForeignKey("youth.Jeune", on_delete=models.CASCADE, related_name="inscriptions_ateliers")
    presence = models.CharField(
        "présence",
        max_length=20,
        choices=Presence.choices,
        blank=True,
        help_text="Vide tant qu'elle n'est pas saisie.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ScopedQuerySet.as_manager()
    scoping = Scoping(record=Record.ATELIER, organisation="seance__atelier__organisation", jeune="jeune")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "inscription"
        ordering = ["jeune__nom", "jeune__prenom"]
        constraints = [models.UniqueConstraint(fields=["seance", "jeune"], name="unique_inscription")]
        indexes = [models.Index(fields=["jeune", "presence"])]

    def __str__(self):
        return f"{self.jeune} — {self.seance}"


class ImmersionQuerySet(ScopedQuerySet):
    def actives(self):
        return self.filter(annulee=False)


class Immersion(TimeStampedModel):
    """A PMSMP convention (Code du travail L.5135-1 and D.5135-2/3) between the young person,
    the host company and the prescriber."""

    class Objet(models.TextChoices):
        DECOUVRIR = "decouvrir_metier", "Découvrir un métier ou un secteur d'activité"
        CONFIRMER = "confirmer_projet", "Confirmer un projet professionnel"
        RECRUTEMENT = "initier_recrutement", "Initier une démarche de recrutement"

    organisation = models.ForeignKey("core.Organisation", on_delete=models.PROTECT, related_name="immersions")
    jeune = models.ForeignKey("youth.Jeune", on_delete=models.CASCADE, related_name="immersions")
    entreprise = models.ForeignKey(
        "employers.Entreprise", on_delete=models.PROTECT, related_name="immersions", verbose_name="structure d'accueil"
    )
    prescripteur = models.CharField(
        "prescripteur",
        max_length=200,
        help_text="France Travail, Mission locale, Cap emploi… ou la structure qui a reçu délégation.",
    )
    objet = models.CharField("objet", max_length=30, choices=Objet.choices)
    metier = models.CharField("métier observé", max_length=200)
    date_debut = models.DateField("début")
    date_fin = models.DateField("fin")
    heures_hebdo = models.DecimalField(
        "heures par semaine",
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(1), MaxValueValidator(48)],
    )
    tuteur_nom = models.CharField("tuteur ou tutrice", max_length=150)
    tuteur_fonction = models.CharField("fonction du tuteur", max_length=150, blank=True)
    tuteur_telephone = models.CharField("téléphone du tuteur", max_length=30, blank=True)
    objectifs = models.TextField("objectifs")
    activites = models.TextField("activités et tâches confiées", blank=True)
    renouvellement_de = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="renouvellements",
        verbose_name="renouvellement de la convention",
    )
    # Evaluation at the end
    evaluee_le = models.DateField("évaluée le", null=True, blank=True)
    objectifs_atteints = models.BooleanField("objectifs atteints", null=True, blank=True)
    evaluation = models.TextField("bilan de l'immersion", blank=True)
    annulee = models.BooleanField("annulée", default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ImmersionQuerySet.as_manager()
    scoping = Scoping(record=Record.IMMERSION, jeune="jeune")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "immersion (PMSMP)"
        verbose_name_plural = "immersions (PMSMP)"
        ordering = ["-date_debut", "-pk"]
        indexes = [
            models.Index(fields=["organisation", "date_debut"]),
            models.Index(fields=["jeune", "entreprise", "date_debut"]),
        ]

    def __str__(self):
        return f"PMSMP {self.metier} — {self.entreprise}"

    def get_absolute_url(self):
        return f"/ateliers/immersions/{self.pk}/"

    @property
    def duree_jours(self):
        if not (self.date_debut and self.date_fin):
            return 0
        return (self.date_fin - self.date_debut).days + 1
