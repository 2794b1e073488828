"""Young people (``Jeune``) and their participation in an FSE operation (``Participation``)."""


from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from core.models import OrganisationScopedQuerySet, TimeStampedModel


def age_on(date_naissance, on_date):
    """Completed years on ``on_date`` (the 18th birthday itself counts as 18)."""
    if not date_naissance or not on_date:
        return None
    return (
        on_date.year
        - date_naissance.year
        - ((on_date.month, on_date.day) < (date_naissance.month, date_naissance.day))
    )


class Sexe(models.TextChoices):
    F = "F", "Femme"
    H = "H", "Homme"
    X = "X", "Non binaire / autre"


class TriState(models.TextChoices):
    OUI = "oui", "Oui"
    NON = "non", "Non"
    REFUS = "refus", "Ne souhaite pas répondre"


class JeuneQuerySet(OrganisationScopedQuerySet):
    pass


class Jeune(TimeStampedModel):
    class Statut(models.TextChoices):
        REPERE = "repere", "Repéré"
        ORIENTE = "oriente", "Orienté par un partenaire"
        CONTACT = "contact", "En contact"
        ACCUEILLI = "accueilli", "Accueilli"
        EN_PARCOURS = "en_parcours", "En parcours"
        SORTI = "sorti", "Sorti"

    class Origine(models.TextChoices):
        ALLER_VERS = "aller_vers", "Aller-vers"
        PARTENAIRE = "partenaire", "Orienté par un partenaire"
        SPONTANE = "spontane", "Démarche spontanée"
        AUTRE = "autre", "Autre"

    class ObligationFormation(models.TextChoices):
        SCOLARITE = "scolarite", "Scolarité"
        APPRENTISSAGE = "apprentissage", "Apprentissage ou stage de formation professionnelle"
        EMPLOI = "emploi", "Emploi"
        SERVICE_CIVIQUE = "service_civique", "Service civique"
        ACCOMPAGNEMENT = "accompagnement", "Dispositif d'accompagnement ou d'insertion sociale et professionnelle"
        EXEMPTION = "exemption", "Exemption (certificat médical)"

    organisation = models.ForeignKey("core.Organisation", on_delete=models.PROTECT, related_name="jeunes")
    reference = models.CharField("référence interne", max_length=50, blank=True)
    nom = models.CharField("nom", max_length=150)
    prenom = models.CharField("prénom", max_length=150)
    sexe = models.CharField("sexe", max_length=1, choices=Sexe.choices)
    date_naissance = models.DateField("date de naissance")
    telephone = models.CharField("téléphone", max_length=30, blank=True)
    email = models.EmailField("e-mail", blank=True)
    contact_nom = models.CharField("personne à contacter", max_length=150, blank=True)
    contact_telephone = models.CharField("téléphone de la personne à contacter", max_length=30, blank=True)
    adresse = models.CharField("adresse", max_length=255, blank=True)
    code_postal = models.CharField("code postal", max_length=5, blank=True)
    commune = models.CharField("commune", max_length=100, blank=True)
    commune_insee = models.CharField("code INSEE de la commune", max_length=5, blank=True)
    # Minors (16–17): legal guardian and how the obligation de formation is met
    representant_legal_nom = models.CharField("représentant légal", max_length=150, blank=True)
    representant_legal_telephone = models.CharField("téléphone du représentant légal", max_length=30, blank=True)
    obligation_formation = models.CharField(
        "obligation de formation (16–18 ans)", max_length=30, choices=ObligationFormation.choices, blank=True
    )
    referent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="jeunes_suivis",
        verbose_name="conseillère référente",
    )
    statut = models.CharField("état du dossier", max_length=20, choices=Statut.choices, default=Statut.REPERE)
    origine = models.CharField("origine", max_length=20, choices=Origine.choices, default=Origine.ALLER_VERS)
    organisation_orienteuse = models.ForeignKey(
        "core.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="jeunes_orientes",
        verbose_name="partenaire orienteur",
    )
    date_reperage = models.DateField("date de repérage")
    date_dernier_contact = models.DateField("dernier contact", null=True, blank=True)
    information_rgpd_le = models.DateField("notice d'information remise le", null=True, blank=True)
    archived_at = models.DateTimeField("archivé le", null=True, blank=True)
    anonymised_at = models.DateTimeField("anonymisé le", null=True, blank=True)

    objects = JeuneQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "jeune"
        ordering = ["nom", "prenom"]
        indexes = [
            models.Index(fields=["organisation", "statut"]),
            models.Index(fields=["organisation", "referent"]),
            models.Index(fields=["organisation", "nom", "prenom"]),
            models.Index(fields=["organisation", "date_reperage"]),
        ]

    def __str__(self):
        return f"{self.prenom} {self.nom}"

    def get_absolute_url(self):
        return f"/jeunes/{self.pk}/"

    @property
    def age(self):
        return age_on(self.date_naissance, timezone.localdate())

    @property
    def est_mineur(self):
        age = self.age
        return age is not None and age < 18

    @property
    def est_joignable(self):
        return bool(self.telephone or self.email or self.contact_nom)


class ParticipationQuerySet(OrganisationScopedQuerySet):
    def fse(self):
        """Participations that count for the funder: entered, and not entered and left on the same day."""
        return self.filter(date_entree__isnull=False).exclude(date_sortie=models.F("date_entree"))


class Participation(TimeStampedModel):
    """One young person in one operation. ``date_entree`` empty: repéré, contract not signed yet."""

    class StatutEntree(models.TextChoices):
        CHOMEUR = "chomeur", "Chômeur (y compris de longue durée)"
        INACTIF = "inactif", "Inactif"
        EMPLOI = "emploi", "En emploi (y compris indépendant)"

    class Diplome(models.TextChoices):
        AUCUN = "aucun", "Aucun diplôme"
        BREVET = "brevet", "Brevet des collèges"
        CAP_BEP = "cap_bep", "CAP / BEP"
        BAC = "bac", "Baccalauréat"
        BAC_2 = "bac_2", "Bac + 2"
        BAC_3 = "bac_3_plus", "Bac + 3 et plus"

    class Nationalite(models.TextChoices):
        FR = "fr", "Française"
        UE = "ue", "Union européenne"
        HORS_UE = "hors_ue", "Hors Union européenne"

    class SituationSortie(models.TextChoices):
        EMPLOI_CDI = "emploi_cdi", "Emploi en CDI"
        EMPLOI_CDD_6M_PLUS = "emploi_cdd_6m_plus", "Emploi en CDD de 6 mois ou plus"
        EMPLOI_CDD_MOINS_6M = "emploi_cdd_moins_6m", "Emploi en CDD de moins de 6 mois"
        INTERIM = "interim", "Intérim"
        CONTRAT_AIDE = "contrat_aide", "Contrat aidé"
        CREATION_ENTREPRISE = "creation_entreprise", "Création d'entreprise"
        FORMATION_QUALIFIANTE = "formation_qualifiante", "Formation qualifiante"
        FORMATION_AUTRE = "formation_autre", "Autre formation"
        ALTERNANCE = "alternance", "Alternance"
        REPRISE_ETUDES = "reprise_etudes", "Reprise d'études"
        DISPOSITIF_SERVICE_CIVIQUE = "dispositif_service_civique", "Service civique"
        DISPOSITIF_EPIDE = "dispositif_epide", "EPIDE"
        DISPOSITIF_CEJ = "dispositif_cej", "Contrat d'engagement jeune (CEJ)"
        DISPOSITIF_E2C = "dispositif_e2c", "École de la deuxième chance"
        DISPOSITIF_MOBILITE_EUROPEENNE = "dispositif_mobilite_europeenne", "Mobilité européenne"
        DISPOSITIF_AUTRE = "dispositif_autre", "Autre dispositif d'accompagnement"
        RECHERCHE_EMPLOI = "recherche_emploi", "En recherche d'emploi"
        INACTIF = "inactif", "Inactif"
        ABANDON = "abandon", "Abandon"
        DEMENAGEMENT = "demenagement", "Déménagement"
        INCONNU = "inconnu", "Situation inconnue"

    organisation = models.ForeignKey("core.Organisation", on_delete=models.PROTECT, related_name="participations")
    jeune = models.ForeignKey(Jeune, on_delete=models.CASCADE, related_name="participations")
    operation = models.ForeignKey("funding.Operation", on_delete=models.PROTECT, related_name="participations")
    reference = models.CharField("référence", max_length=50, blank=True)
    # Entry: contrat d'engagement
    date_signature_contrat = models.DateField("contrat d'engagement signé le", null=True, blank=True)
    date_entree = models.DateField("date d'entrée", null=True, blank=True)
    age_entree = models.PositiveSmallIntegerField("âge à l'entrée", null=True, blank=True)
    eligibilite_verifiee_le = models.DateField("éligibilité vérifiée le", null=True, blank=True)
    neet_atteste = models.BooleanField("NEET attesté (ni emploi, ni études, ni formation)", default=False)
    # FSE entry questionnaire
    questionnaire_entree_le = models.DateField("questionnaire d'entrée rempli le", null=True, blank=True)
    statut_entree = models.CharField("situation à l'entrée", max_length=20, choices=StatutEntree.choices, blank=True)
    diplome = models.CharField("diplôme le plus élevé", max_length=20, choices=Diplome.choices, blank=True)
    nationalite = models.CharField("nationalité", max_length=10, choices=Nationalite.choices, blank=True)
    parent_ne_etranger = models.CharField(
        "parent(s) né(s) à l'étranger", max_length=5, choices=TriState.choices, blank=True
    )
    handicap = models.CharField("handicap reconnu", max_length=5, choices=TriState.choices, blank=True)
    sans_logement = models.CharField(
        "sans domicile ou exclusion du logement", max_length=5, choices=TriState.choices, blank=True
    )
    # Exit
    date_sortie = models.DateField("date de sortie", null=True, blank=True)
    situation_sortie = models.CharField(
        "situation à la sortie", max_length=40, choices=SituationSortie.choices, blank=True
    )
    sortie_saisie_le = models.DateField("sortie saisie le", null=True, blank=True)
    a_termine = models.BooleanField("a terminé le parcours", default=False)
    qualification_obtenue = models.BooleanField("qualification obtenue", default=False)
    emploi_pendant_parcours = models.BooleanField("emploi court (CDD, intérim) pendant le parcours", default=False)

    objects = ParticipationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "participation"
        ordering = ["-date_entree"]
        constraints = [
            models.UniqueConstraint(fields=["jeune", "operation"], name="unique_participation"),
            models.UniqueConstraint(
                fields=["operation", "reference"], condition=~models.Q(reference=""), name="unique_reference_operation"
            ),
        ]
        indexes = [
            models.Index(fields=["operation", "date_entree"]),
            models.Index(fields=["operation", "date_sortie"]),
            models.Index(fields=["organisation", "date_entree"]),
        ]

    def __str__(self):
        return f"{self.jeune} — {self.operation.code}"

    @property
    def est_entree(self):
        return self.date_entree is not None

    @property
    def est_sortie(self):
        return self.date_sortie is not None
