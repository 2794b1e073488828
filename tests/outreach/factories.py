from datetime import date

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from outreach.models import (
    ActionReperage,
    ContactReperage,
    Orientation,
    OrientationMessage,
    PartenariatOrientation,
)
from tests.core.factories import OrganisationFactory


class PartenariatFactory(DjangoModelFactory):
    class Meta:
        model = PartenariatOrientation
        django_get_or_create = ("porteur", "partenaire")

    porteur = factory.SubFactory(OrganisationFactory)
    partenaire = factory.SubFactory(OrganisationFactory, partenaire=True)


class ActionReperageFactory(DjangoModelFactory):
    class Meta:
        model = ActionReperage

    organisation = factory.SubFactory(OrganisationFactory)
    date = date(2025, 3, 1)
    lieu = factory.Sequence(lambda n: f"Place du marché {n}")
    type = ActionReperage.Type.RUE
    personnes_rencontrees = 5


class ContactReperageFactory(DjangoModelFactory):
    class Meta:
        model = ContactReperage

    action = factory.SubFactory(ActionReperageFactory)
    organisation = factory.SelfAttribute("action.organisation")
    date_contact = factory.SelfAttribute("action.date")
    prenom_ou_pseudo = factory.Sequence(lambda n: f"Pseudo{n}")
    age_approximatif = 19
    sexe = "H"
    moyen_contact = "06 00 00 00 00"


class OrientationFactory(DjangoModelFactory):
    """An incoming orientation, sent (statut « reçue ») by default."""

    class Meta:
        model = Orientation

    organisation = factory.SubFactory(OrganisationFactory)
    partenaire = factory.SubFactory(OrganisationFactory, partenaire=True)
    sens = Orientation.Sens.ENTRANTE
    statut = Orientation.Statut.RECUE
    nom = factory.Faker("last_name", locale="fr_FR")
    prenom = factory.Faker("first_name", locale="fr_FR")
    sexe = "F"
    date_naissance = date(2004, 5, 17)
    telephone = "06 11 22 33 44"
    motif = "Recherche d'un accompagnement vers l'emploi."
    attestation_information = True
    soumise_le = factory.LazyFunction(timezone.now)

    class Params:
        brouillon = factory.Trait(statut=Orientation.Statut.BROUILLON, soumise_le=None)
        sortante = factory.Trait(sens=Orientation.Sens.SORTANTE)


class OrientationMessageFactory(DjangoModelFactory):
    class Meta:
        model = OrientationMessage

    orientation = factory.SubFactory(OrientationFactory)
    auteur_organisation = factory.SelfAttribute("orientation.partenaire")
    texte = "Pouvez-vous préciser sa situation ?"
