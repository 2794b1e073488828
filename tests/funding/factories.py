from datetime import date

import factory
from factory.django import DjangoModelFactory

from funding.models import LigneBudgetaire, Objectif, Operation, Ressource
from tests.core.factories import OrganisationFactory


class OperationFactory(DjangoModelFactory):
    class Meta:
        model = Operation

    organisation = factory.SubFactory(OrganisationFactory)
    code = factory.Sequence(lambda n: f"OP{n}")
    intitule = factory.Sequence(lambda n: f"Opération {n}")
    programme = Operation.Programme.FSE_PLUS
    date_debut = date(2024, 1, 1)
    date_fin = date(2027, 12, 31)
    age_min = 16
    age_max = 29

    class Params:
        # An IEJ operation shaped like NOE (2016–2018, ages 16–25), the one the bilan tests compute by hand.
        noe = factory.Trait(code="NOEX", date_debut=date(2016, 1, 1), date_fin=date(2018, 12, 31), age_max=25)


class ObjectifFactory(DjangoModelFactory):
    class Meta:
        model = Objectif

    operation = factory.SubFactory(OperationFactory)
    indicateur = Objectif.Indicateur.ENTREES
    cible = 100


class LigneBudgetaireFactory(DjangoModelFactory):
    class Meta:
        model = LigneBudgetaire

    operation = factory.SubFactory(OperationFactory)
    categorie = LigneBudgetaire.Categorie.PERSONNEL
    libelle = "Personnel"
    montant_prevu = 1000


class RessourceFactory(DjangoModelFactory):
    class Meta:
        model = Ressource

    operation = factory.SubFactory(OperationFactory)
    kind = Ressource.Kind.FSE
    financeur = "FSE+"
    montant = 600
