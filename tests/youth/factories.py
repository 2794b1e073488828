from datetime import date

import factory
from factory.django import DjangoModelFactory

from tests.core.factories import OrganisationFactory
from tests.funding.factories import OperationFactory
from youth.models import Jeune, Participation


class JeuneFactory(DjangoModelFactory):
    class Meta:
        model = Jeune

    organisation = factory.SubFactory(OrganisationFactory)
    nom = factory.Faker("last_name", locale="fr_FR")
    prenom = factory.Faker("first_name", locale="fr_FR")
    sexe = "F"
    date_naissance = date(2004, 5, 17)
    telephone = "06 12 34 56 78"
    date_reperage = date(2025, 3, 1)


class ParticipationFactory(DjangoModelFactory):
    class Meta:
        model = Participation

    jeune = factory.SubFactory(JeuneFactory)
    organisation = factory.SelfAttribute("jeune.organisation")
    operation = factory.SubFactory(OperationFactory, organisation=factory.SelfAttribute("..jeune.organisation"))

    class Params:
        entree = factory.Trait(
            date_signature_contrat=date(2025, 3, 10),
            date_entree=date(2025, 3, 10),
            statut_entree=Participation.StatutEntree.CHOMEUR,
            diplome=Participation.Diplome.CAP_BEP,
        )
