"""Organisations, users, memberships, login events and dossier reads (the scope layer is ``core.scope``)."""

import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone

from core.accounts import normalize_email
from core.permissions import Record
from core.roles import STAFF_ROLES, Role
from core.scope import ScopedQuerySet, Scoping
from core.uploads import upload_to, validate_upload


__all__ = ["STAFF_ROLES", "Role", "Scoping", "ScopedQuerySet"]


def logo_upload_to(instance, filename):
    """Module-level so migrations can serialise it (``core.uploads.upload_to`` returns a closure)."""
    return upload_to("organisations")(instance, filename)


class Organisation(models.Model):
    class Kind(models.TextChoices):
        PORTEUR = "porteur", "Porteur d'opération"
        PARTENAIRE = "partenaire", "Partenaire orienteur"

    nom = models.CharField("nom", max_length=200, unique=True)
    sigle = models.CharField("sigle", max_length=50, blank=True)
    kind = models.CharField("type", max_length=20, choices=Kind.choices)
    commune = models.CharField("commune", max_length=100, blank=True)
    siret = models.CharField("SIRET", max_length=14, blank=True)
    email = models.EmailField("e-mail de contact", blank=True)
    is_active = models.BooleanField("active", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    # Settings coordination edits (/organisation/parametres/): the processing register, the PDFs (bilan, contrat,
    # émargement, convention) and the messages to young people read them. Empty: the document says "à compléter".
    raison_sociale = models.CharField("raison sociale", max_length=200, blank=True)
    adresse = models.CharField("adresse", max_length=250, blank=True)
    code_postal = models.CharField("code postal", max_length=5, blank=True)
    telephone = models.CharField("téléphone", max_length=20, blank=True)
    logo = models.ImageField(
        "logo", upload_to=logo_upload_to, blank=True, validators=[validate_upload], help_text="PNG ou JPEG."
    )
    representant_nom = models.CharField("représentant légal", max_length=150, blank=True)
    representant_qualite = models.CharField(
        "qualité du représentant légal", max_length=150, blank=True, help_text="Par exemple : Président, Directrice."
    )
    responsable_traitement_nom = models.CharField("responsable de traitement", max_length=150, blank=True)
    responsable_traitement_email = models.EmailField("e-mail du responsable de traitement", blank=True)
    dpo_nom = models.CharField("délégué à la protection des données (DPO)", max_length=150, blank=True)
    dpo_email = models.EmailField("e-mail du DPO", blank=True)
    # Rendez-vous messages to young people: the reminder goes out the day before at this time; texts in plain
    # French with placeholders ({prenom}, {date}, {heure}, {lieu}, {conseillere}, {structure}, {telephone}).
    rappel_heure = models.TimeField("heure d'envoi des rappels (la veille)", default=datetime.time(10, 0))
    texte_invitation = models.TextField(
        "texte de l'invitation",
        default=(
            "Bonjour {prenom}, vous avez rendez-vous avec {conseillere} ({structure}) le {date} à {heure}, {lieu}. "
            "En cas d'empêchement, appelez le {telephone}."
        ),
    )
    texte_rappel = models.TextField(
        "texte du rappel (la veille)",
        default=(
            "Rappel : rendez-vous demain {date} à {heure} avec {conseillere} ({structure}), {lieu}. "
            "Empêché·e ? Appelez le {telephone}."
        ),
    )

    # A partner organisation added by a porteur belongs to that porteur's partnerships (docs/security.md); the
    # platform admin links it to other porteurs. Empty: created by the platform admin.
    cree_par = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="ajoutée par (porteur)",
    )

    class Meta:
        verbose_name = "organisation"
        ordering = ["nom"]

    def __str__(self):
        return self.sigle or self.nom

    @property
    def is_porteur(self):
        return self.kind == self.Kind.PORTEUR


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("L'adresse e-mail est obligatoire.")
        user = self.model(email=normalize_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, username):
        return self.get(**{self.model.USERNAME_FIELD: normalize_email(username)})

    def get_by_email(self, email):
        """The account of this address (any case), or None."""
        email = normalize_email(email)
        return self.filter(email=email).first() if email else None


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in with an e-mail address."""

    email = models.EmailField("adresse e-mail", unique=True)
    first_name = models.CharField("prénom", max_length=150, blank=True)
    last_name = models.CharField("nom", max_length=150, blank=True)
    is_staff = models.BooleanField("accès à l'administration", default=False)
    is_active = models.BooleanField("actif", default=True)
    date_joined = models.DateTimeField("inscrit le", default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        verbose_name = "utilisateur"
        ordering = ["last_name", "first_name"]

    def __str__(self):
        return self.get_full_name() or self.email

    @classmethod
    def normalize_username(cls, username):
        # AbstractBaseUser.clean() (admin and model forms) calls this: same rule as login and lookups.
        return normalize_email(username)

    def save(self, *args, **kwargs):
        # Every write path (factories, admin, shell) stores the normalised address, so lookups can be exact.
        self.email = normalize_email(self.email)
        super().save(*args, **kwargs)

    def get_full_name(self):
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self):
        return self.first_name or self.email


class MembershipQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True, organisation__is_active=True, user__is_active=True)


class Membership(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField("rôle", max_length=30, choices=Role.choices)
    is_active = models.BooleanField("active", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    # A partner account limited to its partnerships with some porteurs (their ids; empty: its whole organisation).
    # Ids in the row itself, so the scope of every request costs no query (docs/security.md, partner trust model).
    porteurs_limites = models.JSONField(
        "limité aux partenariats avec (porteurs)", default=list, blank=True, editable=False
    )

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = "appartenance"
        constraints = [models.UniqueConstraint(fields=["user", "organisation"], name="unique_membership")]
        indexes = [models.Index(fields=["user", "is_active"])]

    def __str__(self):
        return f"{self.user} — {self.organisation} ({self.get_role_display()})"

    @property
    def porteurs_limites_ids(self):
        return [int(pk) for pk in self.porteurs_limites or ()]


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    class Meta:
        abstract = True


class LoginEvent(models.Model):
    """One login attempt (success or failure), shown to the user on « Mes connexions »."""

    class Kind(models.TextChoices):
        SUCCES = "succes", "Connexion réussie"
        ECHEC = "echec", "Échec de connexion"
        VERROUILLAGE = "verrouillage", "Compte verrouillé (trop d'échecs)"
        DOUBLE_AUTH = "double_auth", "Double authentification validée"
        DOUBLE_AUTH_ECHEC = "double_auth_echec", "Code de double authentification refusé"
        DECONNEXION = "deconnexion", "Déconnexion"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="login_events"
    )
    username = models.CharField("identifiant saisi", max_length=254, blank=True)
    kind = models.CharField("événement", max_length=20, choices=Kind.choices)
    created_at = models.DateTimeField("date", default=timezone.now, db_index=True)
    ip_address = models.GenericIPAddressField("adresse IP", null=True, blank=True)
    user_agent = models.CharField("navigateur", max_length=300, blank=True)

    class Meta:
        verbose_name = "événement de connexion"
        verbose_name_plural = "événements de connexion"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "-created_at"])]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.username} — {self.created_at:%d/%m/%Y %H:%M}"

    @property
    def success(self):
        return self.kind in (self.Kind.SUCCES, self.Kind.DOUBLE_AUTH)


class IdentiteProConnect(models.Model):
    """The ProConnect identity (the OpenID Connect ``sub``) linked to an account at its first ProConnect login.

    The link is made by e-mail (``core.proconnect``); a later login whose ``sub`` differs for the same account is
    refused. Deleting the row (admin) lets the next ProConnect login link a new identity, e.g. after a change of
    identity provider (the ``sub`` is specific to each one).
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="identite_proconnect", verbose_name="compte"
    )
    sub = models.CharField("identifiant ProConnect (sub)", max_length=255, unique=True)
    idp_id = models.CharField("fournisseur d'identité", max_length=255, blank=True)
    lie_le = models.DateTimeField("liée le", default=timezone.now)
    derniere_connexion = models.DateTimeField("dernière connexion", null=True, blank=True)

    class Meta:
        verbose_name = "identité ProConnect"
        verbose_name_plural = "identités ProConnect"

    def __str__(self):
        return f"ProConnect — {self.user}"


class AccesDossier(models.Model):
    """A read of a youth dossier (``/jeunes/<id>/…``): who, which dossier, which page, when."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="acces_dossiers"
    )
    organisation = models.ForeignKey(Organisation, null=True, on_delete=models.CASCADE, related_name="+")
    jeune_id = models.BigIntegerField("dossier (jeune n°)")
    url = models.CharField("page", max_length=500)
    created_at = models.DateTimeField("date", default=timezone.now)

    objects = ScopedQuerySet.as_manager()
    scoping = Scoping(record=Record.AUDIT)

    class Meta:
        verbose_name = "consultation de dossier"
        verbose_name_plural = "consultations de dossiers"
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["organisation", "-created_at"]),
            models.Index(fields=["organisation", "jeune_id", "-created_at"]),
            models.Index(fields=["organisation", "user", "-created_at"]),
        ]

    def __str__(self):
        return f"{self.user} — dossier {self.jeune_id} — {self.created_at:%d/%m/%Y %H:%M}"
