"""Young people (``Jeune``) and their participation in an FSE operation (``Participation``)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from core.models import TimeStampedModel
from core.permissions import Record
from core.scope import ScopedQuerySet, Scoping
from core.softdelete import SoftDeleteModel
from core.text import fold
from core.uploads import upload_to, validate_upload


def fold_name(value):
    """Lower-case, accent-free, single-spaced, hyphens and apostrophes as spaces: « Éloïse  DUPONT-Martin » →
    « eloise dupont martin ». Two spellings of the same name fold to the same text."""
    import unicodedata

    text = unicodedata.normalize("NFKD", value or "")
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    for sep in "-'’.":
        text = text.replace(sep, " ")
    return " ".join(text.split())


def identity_key(nom, prenom, date_naissance):
    """One person = same folded names (in either order) + same birth date (docs/glossaire.md « même personne »)."""
    names = tuple(sorted((fold_name(nom), fold_name(prenom))))
    return (*names, date_naissance.isoformat() if date_naissance else "")


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


class JeuneQuerySet(ScopedQuerySet):
    def matching_words(self, query):
        """Young people whose accent-free search key contains every word of ``query`` (trigram-indexed)."""
        return self.filter(words_condition(query))


class Jeune(SoftDeleteModel, TimeStampedModel):
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
    contact_email = models.EmailField("e-mail de la personne à contacter", blank=True)
    adresse = models.CharField("adresse", max_length=255, blank=True)
    code_postal = models.CharField("code postal", max_length=5, blank=True)
    commune = models.CharField("commune", max_length=100, blank=True)
    commune_insee = models.CharField("code INSEE de la commune", max_length=5, blank=True)
    # Minors (16–17): legal guardian and how the obligation de formation is met
    representant_legal_nom = models.CharField("représentant légal", max_length=150, blank=True)
    representant_legal_telephone = models.CharField("téléphone du représentant légal", max_length=30, blank=True)
    representant_legal_email = models.EmailField("e-mail du représentant légal", blank=True)
    # Consent to rendez-vous invitations and reminders, per channel (no SMS, no e-mail without it).
    accepte_sms = models.BooleanField("accepte les SMS (invitations et rappels de rendez-vous)", default=False)
    accepte_email = models.BooleanField("accepte les e-mails (invitations et rappels de rendez-vous)", default=False)
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
    consentement_le = models.DateField("consentement au traitement recueilli le", null=True, blank=True)
    recherche = models.CharField("clé de recherche", max_length=400, blank=True, editable=False)
    # A duplicate merged into another dossier (youth.merge): kept, soft-deleted, its URL redirects there.
    fusionne_dans = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="fusionnes",
        editable=False,
        verbose_name="fusionné dans",
    )

    objects = JeuneQuerySet.as_manager()
    scoping = Scoping(record=Record.DOSSIER, jeune="")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "jeune"
        ordering = ["nom", "prenom"]
        indexes = [
            models.Index(fields=["organisation", "statut"]),
            models.Index(fields=["organisation", "referent"]),
            models.Index(fields=["organisation", "nom", "prenom"]),
            models.Index(fields=["organisation", "date_reperage"]),
            models.Index(fields=["organisation", "origine"]),
            models.Index(fields=["organisation", "date_naissance"]),
            # The few archived or deleted dossiers: the scope's NOT EXISTS (core.scope.Scoping.dossier_condition)
            # reads them here instead of every young person.
            models.Index(
                fields=["id"],
                name="youth_jeune_hidden",
                condition=models.Q(archived_at__isnull=False) | models.Q(supprime_le__isnull=False),
            ),
        ]

    def __str__(self):
        return f"{self.prenom} {self.nom}"

    def get_absolute_url(self):
        return f"/jeunes/{self.pk}/"

    def save(self, *args, **kwargs):
        self.recherche = self.build_search_key()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "recherche"}
        super().save(*args, **kwargs)

    def build_search_key(self):
        return search_key(self.nom, self.prenom, self.reference)

    @property
    def age(self):
        return age_on(self.date_naissance, timezone.localdate())

    @property
    def est_mineur(self):
        age = self.age
        return age is not None and age < 18

    @property
    def est_joignable(self):
        """Reachable for the funder's 6-month survey: own phone or e-mail, or a contact person with a phone or
        an e-mail of its own (a name alone reaches nobody)."""
        return bool(
            self.telephone or self.email or (self.contact_nom and (self.contact_telephone or self.contact_email))
        )

    @property
    def identity_key(self):
        return identity_key(self.nom, self.prenom, self.date_naissance)


class ParticipationQuerySet(ScopedQuerySet):
    FEEDBACK_FIELDS = ("id", "jeune_id", "date_entree", "date_sortie", "situation_sortie")

    def feedback_fields(self):
        """Only what a partner's feedback shows (entry, exit, exit situation): for a prefetch from orientations
        already in the partner's scope."""
        return self.only(*self.FEEDBACK_FIELDS)

    def feedback_of(self, orientations):
        """The feedback of the dossiers that ``orientations`` (already scoped to the partner) created."""
        return self.filter(jeune__in=orientations.values("jeune_id")).feedback_fields()

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
    # Entry data of the indicators EECO03 (long-term unemployed), EECO17 (rural: Jeune.commune_insee) and QPV
    date_debut_chomage = models.DateField(
        "au chômage depuis le", null=True, blank=True, help_text="Début de la période de chômage en cours à l'entrée."
    )
    inscrit_france_travail = models.CharField(
        "inscrit à France Travail", max_length=5, choices=TriState.choices, blank=True
    )
    qpv = models.CharField(
        "réside en quartier prioritaire de la politique de la ville (QPV)",
        max_length=5,
        choices=TriState.choices,
        blank=True,
    )
    # Exit
    date_sortie = models.DateField("date de sortie", null=True, blank=True)
    situation_sortie = models.CharField(
        "situation à la sortie", max_length=40, choices=SituationSortie.choices, blank=True
    )
    sortie_saisie_le = models.DateField("sortie saisie le", null=True, blank=True)
    date_situation_sortie = models.DateField(
        "situation de sortie constatée le",
        null=True,
        blank=True,
        help_text="Résultat immédiat : situation constatée dans les 4 semaines qui suivent la sortie.",
    )
    numero_participant = models.PositiveIntegerField(
        "numéro pseudonyme", null=True, blank=True, editable=False, help_text="P-0001… : stable d'un bilan à l'autre."
    )
    # Additions: contract content and who filled in the entry questionnaire
    objectifs = models.TextField("objectifs du contrat d'engagement", blank=True)
    questionnaire_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="questionnaire rempli par",
    )
    a_termine = models.BooleanField("a terminé le parcours", default=False)
    qualification_obtenue = models.BooleanField("qualification obtenue", null=True, blank=True)
    emploi_pendant_parcours = models.BooleanField("emploi court (CDD, intérim) pendant le parcours", default=False)

    objects = ParticipationQuerySet.as_manager()
    scoping = Scoping(record=Record.DOSSIER, jeune="jeune")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "participation"
        ordering = ["-date_entree"]
        constraints = [
            models.UniqueConstraint(fields=["jeune", "operation"], name="unique_participation"),
            models.UniqueConstraint(
                fields=["operation", "reference"], condition=~models.Q(reference=""), name="unique_reference_operation"
            ),
            models.UniqueConstraint(fields=["operation", "numero_participant"], name="unique_numero_participant"),
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
    def age_entree(self):
        """Completed years at entry, always derived from the birth date (a corrected birth date corrects it)."""
        return age_on(self.jeune.date_naissance, self.date_entree)

    @property
    def est_sortie(self):
        return self.date_sortie is not None


# --- Additions (parcours): search key, documents, entretiens, plan d'actions, freins, post-exit follow-up ---


# Exit categories of Participation.situation_sortie (docs/glossaire.md; alternance is "formation" as in the NOE
# bilan): the one home of this rule, read by the bilans, the portal feedback and the demo.
CATEGORIES_SORTIE = {
    "emploi": (
        Participation.SituationSortie.EMPLOI_CDI,
        Participation.SituationSortie.EMPLOI_CDD_6M_PLUS,
        Participation.SituationSortie.EMPLOI_CDD_MOINS_6M,
        Participation.SituationSortie.INTERIM,
        Participation.SituationSortie.CONTRAT_AIDE,
        Participation.SituationSortie.CREATION_ENTREPRISE,
    ),
    "formation": (
        Participation.SituationSortie.FORMATION_QUALIFIANTE,
        Participation.SituationSortie.FORMATION_AUTRE,
        Participation.SituationSortie.ALTERNANCE,
        Participation.SituationSortie.REPRISE_ETUDES,
    ),
    "dispositif": (
        Participation.SituationSortie.DISPOSITIF_SERVICE_CIVIQUE,
        Participation.SituationSortie.DISPOSITIF_EPIDE,
        Participation.SituationSortie.DISPOSITIF_CEJ,
        Participation.SituationSortie.DISPOSITIF_E2C,
        Participation.SituationSortie.DISPOSITIF_MOBILITE_EUROPEENNE,
        Participation.SituationSortie.DISPOSITIF_AUTRE,
    ),
    "autre": (
        Participation.SituationSortie.RECHERCHE_EMPLOI,
        Participation.SituationSortie.INACTIF,
        Participation.SituationSortie.ABANDON,
        Participation.SituationSortie.DEMENAGEMENT,
        Participation.SituationSortie.INCONNU,
    ),
}
CATEGORIE_LABELS = {"emploi": "Emploi", "formation": "Formation", "dispositif": "Dispositif", "autre": "Autre"}


def categorie_sortie(situation):
    for categorie, codes in CATEGORIES_SORTIE.items():
        if situation in codes:
            return categorie
    return "autre"


def words_condition(query):
    """Q: the accent-free search key contains every word of ``query`` (empty query: no condition)."""
    condition = models.Q()
    for token in search_key(query).split():
        condition &= models.Q(recherche__contains=token)
    return condition


def search_key(*parts):
    """Lower-case, accent-free text for search on SQLite and PostgreSQL alike."""
    return fold(" ".join(p for p in parts if p))


# Case notes and documents: conseillères and coordination only (not the chargé·e de relation entreprise).
CASE_NOTE_SCOPING = Scoping(record=Record.NOTE, jeune="jeune")


def document_upload_to(instance, filename):
    """Module-level so migrations can serialise it (``core.uploads.upload_to`` returns a closure)."""
    return upload_to("jeunes")(instance, filename)


class Document(SoftDeleteModel, TimeStampedModel):
    """A justificatif: uploaded file, or seen and not kept (« vu, non conservé »)."""

    class Kind(models.TextChoices):
        PIECE_IDENTITE = "piece_identite", "Pièce d'identité"
        ATTESTATION_NEET = "attestation_neet", "Attestation sur l'honneur NEET"
        JUSTIFICATIF_DOMICILE = "justificatif_domicile", "Justificatif de domicile"
        CONSENTEMENT = "consentement", "Consentement signé"
        PREUVE_SORTIE = "preuve_sortie", "Justificatif de sortie"
        AUTRE = "autre", "Autre document"

    organisation = models.ForeignKey("core.Organisation", on_delete=models.PROTECT, related_name="+")
    jeune = models.ForeignKey(Jeune, on_delete=models.CASCADE, related_name="documents")
    participation = models.ForeignKey(
        Participation,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="documents",
        verbose_name="participation",
    )
    kind = models.CharField("type de document", max_length=30, choices=Kind.choices)
    fichier = models.FileField(
        "fichier", upload_to=document_upload_to, validators=[validate_upload], blank=True, max_length=200
    )
    vu_non_conserve = models.BooleanField(
        "vu, non conservé", default=False, help_text="Le document original a été vu mais n'est pas conservé."
    )
    obtenu_le = models.DateField("obtenu le")
    commentaire = models.CharField("précisions", max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ScopedQuerySet.as_manager()
    scoping = CASE_NOTE_SCOPING
    history = HistoricalRecords()

    class Meta:
        verbose_name = "document"
        ordering = ["-obtenu_le", "-pk"]
        indexes = [models.Index(fields=["jeune", "kind"])]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.obtenu_le:%d/%m/%Y})"


def confidential_rows(scope):
    """A confidential note is read by its author and by the roles that read confidential notes."""
    if scope.reads(Record.NOTE_CONFIDENTIELLE):
        return models.Q()
    return models.Q(confidentielle=False) | models.Q(auteur=scope.user)


class Entretien(SoftDeleteModel, TimeStampedModel):
    class Kind(models.TextChoices):
        INDIVIDUEL = "individuel", "Individuel"
        TELEPHONE = "telephone", "Téléphone"
        VISITE_DOMICILE = "visite_domicile", "Visite à domicile"
        ENTREPRISE = "entreprise", "En entreprise"
        COLLECTIF = "collectif", "Collectif"

    class Sujet(models.TextChoices):
        LOGEMENT = "logement", "Logement"
        MOBILITE = "mobilite", "Mobilité"
        SANTE = "sante", "Santé"
        EMPLOI = "emploi", "Emploi"
        FORMATION = "formation", "Formation"
        ADMINISTRATIF = "administratif", "Administratif"
        RESSOURCES = "ressources", "Ressources, budget"
        FAMILLE = "famille", "Famille"
        PROJET = "projet", "Projet professionnel"
        NUMERIQUE = "numerique", "Numérique"
        AUTRE = "autre", "Autre"

    organisation = models.ForeignKey("core.Organisation", on_delete=models.PROTECT, related_name="+")
    jeune = models.ForeignKey(Jeune, on_delete=models.CASCADE, related_name="entretiens")
    auteur = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name="auteur"
    )
    date = models.DateField("date")
    duree_minutes = models.PositiveSmallIntegerField("durée (minutes)", default=30)
    kind = models.CharField("type d'entretien", max_length=20, choices=Kind.choices, default=Kind.INDIVIDUEL)
    sujets = models.JSONField("sujets abordés", default=list, blank=True)
    notes = models.TextField(
        "notes",
        blank=True,
        help_text="Notes factuelles : le jeune peut les lire (droit d'accès). Aucune donnée de santé ni d'infraction.",
    )
    confidentielle = models.BooleanField(
        "note confidentielle", default=False, help_text="Visible seulement par son auteur et la coordination."
    )
    prochaines_etapes = models.TextField("prochaines étapes", blank=True)
    prochain_rdv = models.DateField("prochain rendez-vous", null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scoping = Scoping(record=Record.NOTE, jeune="jeune", rows=confidential_rows)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "entretien"
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["jeune", "date"]), models.Index(fields=["organisation", "date"])]

    def __str__(self):
        return f"Entretien du {self.date:%d/%m/%Y}"

    @property
    def sujets_display(self):
        labels = dict(self.Sujet.choices)
        return [labels.get(s, s) for s in self.sujets or []]


class EtapePlan(SoftDeleteModel, TimeStampedModel):
    """One step of the plan d'actions written in the contrat d'engagement."""

    organisation = models.ForeignKey("core.Organisation", on_delete=models.PROTECT, related_name="+")
    jeune = models.ForeignKey(Jeune, on_delete=models.CASCADE, related_name="etapes")
    libelle = models.CharField("étape", max_length=255)
    echeance = models.DateField("échéance", null=True, blank=True)
    fait_le = models.DateField("faite le", null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scoping = CASE_NOTE_SCOPING
    history = HistoricalRecords()

    class Meta:
        verbose_name = "étape du plan d'actions"
        verbose_name_plural = "étapes du plan d'actions"
        ordering = [models.F("fait_le").asc(nulls_first=True), models.F("echeance").asc(nulls_last=True), "pk"]
        indexes = [models.Index(fields=["jeune", "fait_le"])]

    def __str__(self):
        return self.libelle


class Frein(SoftDeleteModel, TimeStampedModel):
    class Kind(models.TextChoices):
        MOBILITE = "mobilite", "Mobilité"
        LOGEMENT = "logement", "Logement"
        SANTE = "sante", "Santé"
        RESSOURCES = "ressources", "Ressources"
        SAVOIRS_DE_BASE = "savoirs_de_base", "Savoirs de base"
        NUMERIQUE = "numerique", "Numérique"
        GARDE_ENFANTS = "garde_enfants", "Garde d'enfants"
        JUSTICE = "justice", "Justice"
        AUTRE = "autre", "Autre"

    organisation = models.ForeignKey("core.Organisation", on_delete=models.PROTECT, related_name="+")
    jeune = models.ForeignKey(Jeune, on_delete=models.CASCADE, related_name="freins")
    kind = models.CharField("type de frein", max_length=20, choices=Kind.choices)
    precisions = models.CharField("précisions (factuelles)", max_length=255, blank=True)
    identifie_le = models.DateField("identifié le")
    leve_le = models.DateField("levé le", null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scoping = CASE_NOTE_SCOPING
    history = HistoricalRecords()

    class Meta:
        verbose_name = "frein"
        ordering = [models.F("leve_le").asc(nulls_first=True), "-identifie_le", "pk"]
        indexes = [models.Index(fields=["jeune", "leve_le"]), models.Index(fields=["organisation", "kind"])]

    def __str__(self):
        return self.get_kind_display()


class SuiviPostSortie(TimeStampedModel):
    """Where the young person is 1, 3 and 6 months after exit."""

    class Echeance(models.IntegerChoices):
        UN_MOIS = 1, "1 mois"
        TROIS_MOIS = 3, "3 mois"
        SIX_MOIS = 6, "6 mois"

    participation = models.ForeignKey(Participation, on_delete=models.CASCADE, related_name="suivis")
    echeance = models.PositiveSmallIntegerField("échéance", choices=Echeance.choices)
    date = models.DateField("date du suivi")
    situation = models.CharField("situation", max_length=40, choices=Participation.SituationSortie.choices)
    commentaire = models.CharField("commentaire", max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ScopedQuerySet.as_manager()
    scoping = Scoping(record=Record.DOSSIER, organisation="participation__organisation", jeune="participation__jeune")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "suivi post-sortie"
        verbose_name_plural = "suivis post-sortie"
        ordering = ["echeance"]
        constraints = [models.UniqueConstraint(fields=["participation", "echeance"], name="unique_suivi_echeance")]

    def __str__(self):
        return f"Suivi à {self.get_echeance_display()}"
