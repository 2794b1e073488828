"""Membership roles (pure: imported by the models, the role table and the scope layer)."""

from django.db import models


class Role(models.TextChoices):
    CONSEILLERE = "conseillere", "Conseillère d'insertion"
    CHARGE_ENTREPRISES = "charge_entreprises", "Chargée de relation entreprise"
    COORDINATEUR = "coordinateur", "Coordination"
    PARTENAIRE = "partenaire", "Partenaire"


STAFF_ROLES = (Role.CONSEILLERE, Role.CHARGE_ENTREPRISES, Role.COORDINATEUR)
