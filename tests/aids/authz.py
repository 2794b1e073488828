from datetime import date
from decimal import Decimal

from funding.models import Aide, LigneBudgetaire
from tests.funding.factories import LigneBudgetaireFactory
from tests.youth.factories import ParticipationFactory


def make_aide(organisation, kind="veture", montant="80.00", date_attribution=None, participation=None, **extra):
    """An aid of ``organisation``, on a participants' budget line of the participation's operation."""
    participation = participation or ParticipationFactory(jeune__organisation=organisation, entree=True)
    ligne = LigneBudgetaire.objects.filter(
        operation=participation.operation, categorie=LigneBudgetaire.Categorie.PARTICIPANTS
    ).first() or LigneBudgetaireFactory(
        operation=participation.operation,
        categorie=LigneBudgetaire.Categorie.PARTICIPANTS,
        libelle="Aides aux participants",
        montant_prevu=Decimal("10000"),
    )
    return Aide.objects.create(
        organisation=organisation,
        participation=participation,
        ligne_budgetaire=ligne,
        kind=kind,
        date_attribution=date_attribution or date(2026, 2, 10),
        montant=Decimal(montant),
        **extra,
    )


OBJECT_URLS = {
    "aids:aide_update": lambda world: {"pk": make_aide(world.org_a).pk},
}

LIST_URLS = {
    "aids:aide_list": lambda world: (
        make_aide(
            world.org_a,
            description="Zzsecret vêture",
            date_attribution=date.today(),  # noqa: DTZ011
        ).description
    ),
}
