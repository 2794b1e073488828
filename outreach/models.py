"""Repérage (aller-vers actions, anonymous contacts) and orientations between porteurs and partners."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from core.models import TimeStampedModel
from core.permissions import Record
from core.scope import ScopedQuerySet, Scoping
from core.text import fold
from core.uploads import upload_to, validate_upload
from youth.models import CATEGORIE_LABELS, Sexe, categorie_sortie


def normalise_nom(value):
    """Lower-case, accent-free, single-spaced: « Éloïse  DUPONT-Martin » → « eloise dupont martin »."""
    text = fold(value)
    for sep in "-'’":
        text = text.replace(sep, " ")
    return " ".join(text.split())


# --- Partnerships -----------------------------------------------------------------------------------------------


class PartenariatQuerySet(ScopedQuerySet):
    def actifs(self):
        return self.filter(is_active=True, partenaire__is_active=True)


class PartenariatOrientation(TimeStampedModel):
    """Convention de partenariat: the partner may orient young people to the porteur (and the reverse)."""

    porteur = models.ForeignKey(
        "core.Organisation", on_delete=models.CASCADE, related_name="partenariats", verbose_name="porteur"
    )
    partenaire = models.ForeignKey(
        "core.Organisation",
        on_delete=models.CASCADE,
        related_name="partenariats_orienteurs",
        verbose_name="partenaire orienteur",
        limit_choices_to={"kind": "partenaire"},
    )
    date_debut = models.DateField("convention signée le", null=True, blank=True)
    is_active = models.BooleanField("active", default=True)

    objects = PartenariatQuerySet.as_manager()
    scoping = Scoping(record=Record.PARTENARIAT, organisation="porteur", partner="partenaire")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "convention de partenariat"
        verbose_name_plural = "conventions de partenariat"
        ordering = ["partenaire__nom"]
        constraints = [models.UniqueConstraint(fields=["porteur", "partenaire"], name="unique_partenariat")]

    def __str__(self):
        return f"{self.porteur} ↔ {self.partenaire}"


class InvitationPartenaire(models.Model):
    """A partner user invited by a porteur's coordinateur; the link is a signed, expiring token on this row."""

    porteur = models.ForeignKey("core.Organisation", on_delete=models.CASCADE, related_name="invitations_envoyees")
    partenaire = models.ForeignKey("core.Organisation", on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField("adresse e-mail")
    first_name = models.CharField("prénom", max_length=150, blank=True)
    last_name = models.CharField("nom", max_length=150, blank=True)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    acces_complet = models.BooleanField(
        "compte de toute la structure",
        default=False,
        help_text="Sinon, le compte ne voit que les orientations de ce partenariat (avec le porteur qui invite).",
    )
    created_at = models.DateTimeField("envoyée le", auto_now_add=True)
    accepted_at = models.DateTimeField("acceptée le", null=True, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scoping = Scoping(record=Record.COMPTES, organisation="porteur")

    class Meta:
        verbose_name = "invitation d'un partenaire"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["porteur", "created_at"])]

    def __str__(self):
        return f"{self.email} ({self.partenaire})"


# --- Repérage / aller-vers --------------------------------------------------------------------------------------


class ActionReperage(TimeStampedModel):
    class Type(models.TextChoices):
        RUE = "rue", "Présence de rue"
        EVENEMENT = "evenement", "Événement"
        PERMANENCE = "permanence_partenaire", "Permanence chez un partenaire"
        RESEAUX = "reseaux_sociaux", "Réseaux sociaux"

    organisation = models.ForeignKey("core.Organisation", on_delete=models.PROTECT, related_name="actions_reperage")
    date = models.DateField("date")
    lieu = models.CharField("lieu", max_length=200)
    type = models.CharField("type d'action", max_length=30, choices=Type.choices)
    personnes_rencontrees = models.PositiveIntegerField("personnes rencontrées", default=0)
    intervenants = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="actions_reperage", verbose_name="professionnels présents"
    )
    notes = models.TextField("notes", blank=True, help_text="Faits observés, sans donnée de santé ni d'infraction.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    objects = ScopedQuerySet.as_manager()
    scoping = Scoping(record=Record.REPERAGE)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "action de repérage"
        verbose_name_plural = "actions de repérage"
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["organisation", "date"])]

    def __str__(self):
        return f"{self.get_type_display()} — {self.lieu} ({self.date:%d/%m/%Y})"


class ContactReperageQuerySet(ScopedQuerySet):
    def anonymes(self):
        return self.filter(jeune__isnull=True)


class ContactReperage(TimeStampedModel):
    """Someone met during an action, not yet identified: a first name or nickname, an approximate age."""

    organisation = models.ForeignKey("core.Organisation", on_delete=models.PROTECT, related_name="contacts_reperage")
    action = models.ForeignKey(ActionReperage, on_delete=models.CASCADE, related_name="contacts")
    date_contact = models.DateField("premier contact le")
    prenom_ou_pseudo = models.CharField("prénom ou surnom", max_length=100)
    age_approximatif = models.PositiveSmallIntegerField("âge approximatif", null=True, blank=True)
    sexe = models.CharField("sexe", max_length=1, blank=True, choices=Sexe.choices)
    moyen_contact = models.CharField(
        "comment le recontacter", max_length=200, blank=True, help_text="Téléphone, réseau social, lieu fréquenté…"
    )
    notes = models.TextField("notes", blank=True)
    jeune = models.ForeignKey(
        "youth.Jeune",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contacts_reperage",
        verbose_name="dossier créé",
    )
    converti_le = models.DateTimeField("dossier créé le", null=True, blank=True)

    objects = ContactReperageQuerySet.as_manager()
    scoping = Scoping(record=Record.REPERAGE, jeune="jeune")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "contact de repérage"
        ordering = ["-date_contact", "-pk"]
        indexes = [
            models.Index(fields=["organisation", "date_contact"]),
            models.Index(fields=["organisation", "jeune"]),
        ]

    def __str__(self):
        return self.prenom_ou_pseudo


# --- Orientations -----------------------------------------------------------------------------------------------


def hide_partner_drafts(prefix=""):
    """A porteur's staff never see a partner's draft; the partner does."""

    def rows(scope):
        if scope.is_partner:
            return Q()
        return ~Q(**{f"{prefix}statut": "brouillon"})

    return rows


class Orientation(TimeStampedModel):
    class Sens(models.TextChoices):
        ENTRANTE = "entrante", "Du partenaire vers le porteur"
        SORTANTE = "sortante", "Du porteur vers le partenaire"

    class Statut(models.TextChoices):
        BROUILLON = "brouillon", "Brouillon"
        RECUE = "recue", "Reçue"
        EN_EXAMEN = "en_examen", "En cours d'examen"
        ACCEPTEE = "acceptee", "Acceptée"
        REFUSEE = "refusee", "Refusée"
        RETIREE = "retiree", "Retirée par le partenaire"

    class Urgence(models.TextChoices):
        NORMALE = "normale", "Normale"
        PRIORITAIRE = "prioritaire", "Prioritaire (sous 15 jours)"
        URGENTE = "urgente", "Urgente (sous 48 heures)"

    OUVERTES = (Statut.RECUE, Statut.EN_EXAMEN)

    organisation = models.ForeignKey(
        "core.Organisation",
        on_delete=models.PROTECT,
        related_name="orientations",
        verbose_name="structure porteuse",
        null=True,
        blank=True,
    )
    partenaire = models.ForeignKey(
        "core.Organisation",
        on_delete=models.PROTECT,
        related_name="orientations_partenaire",
        verbose_name="partenaire",
    )
    sens = models.CharField("sens", max_length=10, choices=Sens.choices, default=Sens.ENTRANTE)
    statut = models.CharField("statut", max_length=20, choices=Statut.choices, default=Statut.BROUILLON)
    # The young person
    nom = models.CharField("nom", max_length=150)
    prenom = models.CharField("prénom", max_length=150)
    sexe = models.CharField("sexe", max_length=1, choices=Sexe.choices)
    date_naissance = models.DateField("date de naissance")
    telephone = models.CharField("téléphone", max_length=30, blank=True)
    email = models.EmailField("e-mail", blank=True)
    adresse = models.CharField("adresse", max_length=255, blank=True)
    code_postal = models.CharField("code postal", max_length=5, blank=True)
    commune = models.CharField("commune", max_length=100, blank=True)
    representant_legal_nom = models.CharField("représentant légal (mineur)", max_length=150, blank=True)
    representant_legal_telephone = models.CharField("téléphone du représentant légal", max_length=30, blank=True)
    # The orientation
    situation = models.TextField("situation actuelle", blank=True, help_text="Scolarité, emploi, ressources…")
    motif = models.TextField("motif de l'orientation")
    attentes = models.TextField("attentes du jeune", blank=True)
    urgence = models.CharField("urgence", max_length=20, choices=Urgence.choices, default=Urgence.NORMALE)
    attestation_information = models.BooleanField(
        "le jeune a été informé de cette orientation et de l'usage de ses données", default=False
    )
    attestation_representant = models.BooleanField(
        "pour un mineur : son représentant légal a aussi été informé", default=False
    )
    # Workflow
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    soumise_le = models.DateTimeField("envoyée le", null=True, blank=True)
    decidee_le = models.DateTimeField("décision le", null=True, blank=True)
    decidee_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    motif_refus = models.TextField("motif du refus", blank=True)
    jeune = models.ForeignKey(
        "youth.Jeune", on_delete=models.SET_NULL, null=True, blank=True, related_name="orientations"
    )

    # Two sides: a partner's users see the orientations of their organisation (``partenaire``); a porteur's staff
    # see the orientations addressed to (or sent by) their organisation, except partners' drafts.
    objects = ScopedQuerySet.as_manager()
    scoping = Scoping(record=Record.ORIENTATION, partner="partenaire", jeune="jeune", rows=hide_partner_drafts())
    history = HistoricalRecords()

    class Meta:
        verbose_name = "orientation"
        ordering = ["-soumise_le", "-pk"]
        indexes = [
            models.Index(fields=["organisation", "sens", "statut"]),
            models.Index(fields=["partenaire", "sens", "statut"]),
            models.Index(fields=["organisation", "soumise_le"]),
            models.Index(fields=["partenaire", "created_at"]),
        ]

    def __str__(self):
        return f"Orientation de {self.prenom} {self.nom}"

    @property
    def est_entrante(self):
        return self.sens == self.Sens.ENTRANTE

    @property
    def est_modifiable(self):
        return self.est_entrante and self.statut == self.Statut.BROUILLON

    @property
    def est_retirable(self):
        return self.est_entrante and self.statut in (self.Statut.BROUILLON, *self.OUVERTES)

    @property
    def est_ouverte(self):
        return self.statut in self.OUVERTES

    def age_le(self, on_date):
        from youth.models import age_on

        return age_on(self.date_naissance, on_date)

    @property
    def suivi(self):
        """What the partner may know: (code, label). Derived from the linked jeune's participations; nothing else.

        Uses ``jeune.participations.all()`` so a prefetched list costs no query.
        """
        if self.statut != self.Statut.ACCEPTEE or self.jeune is None or not self.est_entrante:
            return self.statut, self.get_statut_display()
        participations = [p for p in self.jeune.participations.all() if p.date_entree]
        if not participations:
            return "acceptee", "Acceptée"
        if all(p.date_sortie for p in participations):
            latest = max(participations, key=lambda p: p.date_sortie)
            categorie = categorie_sortie(latest.situation_sortie)
            return f"sortie_{categorie}", f"Sorti·e — {CATEGORIE_LABELS[categorie]}"
        return "en_parcours", "Entré·e en parcours"


ORIENTATION_CHILD_SCOPING = Scoping(
    record=Record.ORIENTATION,
    organisation="orientation__organisation",
    partner="orientation__partenaire",
    jeune="orientation__jeune",
    rows=hide_partner_drafts("orientation__"),
)


_orientation_upload = upload_to("orientations")


def orientation_document_path(instance, filename):
    return _orientation_upload(instance, filename)


class OrientationDocument(models.Model):
    orientation = models.ForeignKey(Orientation, on_delete=models.CASCADE, related_name="documents")
    libelle = models.CharField("description", max_length=200)
    fichier = models.FileField(
        "fichier", upload_to=orientation_document_path, validators=[validate_upload], max_length=200
    )
    deposant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField("déposé le", auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scoping = ORIENTATION_CHILD_SCOPING
    history = HistoricalRecords()

    class Meta:
        verbose_name = "pièce jointe d'orientation"
        ordering = ["created_at"]

    def __str__(self):
        return self.libelle


class OrientationMessage(models.Model):
    """The thread visible to both sides (questions, additional information). No case notes here."""

    orientation = models.ForeignKey(Orientation, on_delete=models.CASCADE, related_name="messages")
    auteur = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    auteur_organisation = models.ForeignKey("core.Organisation", on_delete=models.PROTECT, related_name="+")
    texte = models.TextField("message")
    created_at = models.DateTimeField("envoyé le", auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scoping = ORIENTATION_CHILD_SCOPING
    history = HistoricalRecords()

    class Meta:
        verbose_name = "message d'orientation"
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"Message de {self.auteur_organisation} le {self.created_at:%d/%m/%Y}"


def partner_choices(queryset, scope):
    """The organisations a form may offer (``core.forms`` pick rule): a porteur picks among the partners it has a
    partnership with, a partner among the porteurs it works with — never the global list of organisations."""
    partnerships = PartenariatOrientation.objects.for_scope(scope)
    side = "porteur_id" if scope.is_partner else "partenaire_id"
    return queryset.filter(pk__in=partnerships.values(side))
