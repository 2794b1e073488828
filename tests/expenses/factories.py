import datetime
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from expenses.models import Depense, FeuilleTemps, Poste, RessourceRecue, Salarie
from tests.funding.factories import OperationFactory


class DepenseFactory(DjangoModelFactory):
    class Meta:
        model = Depense

    operation = factory.SubFactory(OperationFactory)
    reference = factory.Sequence(lambda n: f"PJ-{n:05d}")
    poste = Poste.FONCTIONNEMENT
    libelle = factory.Sequence(lambda n: f"Dépense {n}")
    beneficiaire = "Fournisseur SARL"
    montant = Decimal("100.00")
    date = datetime.date(2025, 3, 10)
    date_paiement = datetime.date(2025, 3, 31)

    class Params:
        non_acquittee = factory.Trait(date_paiement=None)


class SalarieFactory(DjangoModelFactory):
    class Meta:
        model = Salarie

    operation = factory.SubFactory(OperationFactory)
    nom = factory.Sequence(lambda n: f"Salariée {n}")
    fonction = "Conseillère d'insertion"
    date_debut = datetime.date(2025, 1, 1)


class FeuilleTempsFactory(DjangoModelFactory):
    class Meta:
        model = FeuilleTemps

    salarie = factory.SubFactory(SalarieFactory)
    mois = datetime.date(2025, 1, 1)
    heures_operation = Decimal("75.85")
    heures_travaillees = Decimal("151.67")
    cout_charge_mensuel = Decimal("3210.55")


class RessourceRecueFactory(DjangoModelFactory):
    class Meta:
        model = RessourceRecue

    operation = factory.SubFactory(OperationFactory)
    kind = RessourceRecue.Kind.AVANCE
    financeur = "FSE+"
    montant = Decimal("1000.00")
    date_reception = datetime.date(2025, 2, 15)
